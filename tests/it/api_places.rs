//! The first endpoints answer with real Coventry figures and JSON errors.

use crate::common;

use axum::http::StatusCode;
use common::get;

#[tokio::test]
async fn health_reports_the_data_version_and_sizes() {
    let (status, body) = get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["lsoas"], 203);
    assert_eq!(body["data_version"], common::atlas().version.as_str());
    assert!(body["indicators"].as_u64().unwrap() >= 30);
}

#[tokio::test]
async fn the_catalogue_carries_metadata_and_comparators() {
    let (status, body) = get("/api/indicators").await;
    assert_eq!(status, StatusCode::OK);
    let indicators = body["indicators"].as_array().unwrap();
    assert!(indicators.len() >= 30);
    let income = indicators.iter().find(|i| i["id"] == "iod25_income_rate").unwrap();
    for field in [
        "name",
        "definition",
        "unit",
        "value_type",
        "polarity",
        "source",
        "licence",
        "period",
        "geography",
        "interval_method",
    ] {
        assert!(!income[field].is_null(), "{field} missing");
    }
    assert_eq!(income["polarity"], "low_is_good");
    assert_eq!(income["interval_method"], "wilson");
    let england = |role: &str| {
        let comparators = income["comparators"].as_array().unwrap();
        let c = comparators.iter().find(|c| c["area_name"] == "England" && c["role"] == role).unwrap();
        c["value"].as_f64().unwrap()
    };
    // The benchmark is summed from all English LSOAs, as a locality's figure is; File 10 is kept beside it.
    assert!((england("benchmark") - 23.31).abs() < 0.01, "England income deprivation {}", england("benchmark"));
    assert!((england("published") - 23.19).abs() < 0.01, "File 10 {}", england("published"));
}

#[tokio::test]
async fn lsoa_values_are_real_and_complete() {
    let (status, body) = get("/api/indicators/iod25_imd_score/values?level=lsoa").await;
    assert_eq!(status, StatusCode::OK);
    let values = body["values"].as_array().unwrap();
    assert_eq!(values.len(), 203);
    let first = &values[0];
    assert_eq!(first["code"], "E01009522");
    assert_eq!(first["name"], "Coventry 014A");
    assert_eq!(first["value"], 19.398);
}

#[tokio::test]
async fn counts_come_with_their_denominators() {
    let (_, body) = get("/api/indicators/census21_disabled/values").await;
    let row = body["values"].as_array().unwrap().iter().find(|v| v["code"] == "E01009522").unwrap();
    assert_eq!(row["numerator"], 304.0);
    assert_eq!(row["denominator"], 1910.0);
    let value = row["value"].as_f64().unwrap();
    assert!((value - 15.916230366).abs() < 1e-6);
}

#[tokio::test]
async fn localities_list_their_lsoas_with_confidence() {
    let (status, body) = get("/api/localities").await;
    assert_eq!(status, StatusCode::OK);
    let localities = body["localities"].as_array().unwrap();
    let ids: Vec<&str> = localities.iter().map(|l| l["id"].as_str().unwrap()).collect();
    for id in ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let wood_end = localities.iter().find(|l| l["id"] == "wood-end-henley-green").unwrap();
    assert_eq!(wood_end["lsoa_count"], 6);
    assert!(wood_end["lsoas"].as_array().unwrap().iter().all(|l| l["confidence"] == "core"));
    let spon_end = localities.iter().find(|l| l["id"] == "spon-end-st-michaels").unwrap();
    assert_eq!(spon_end["lsoa_count"], 16);
    let inferred = spon_end["lsoas"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["confidence"] == "inferred_needs_confirmation")
        .count();
    assert_eq!(inferred, 2);
}

#[tokio::test]
async fn one_lsoa_shows_its_ward_locality_and_indicators() {
    let (status, body) = get("/api/lsoa/E01009577").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "Coventry 007A");
    assert_eq!(body["ward"]["name"], "Henley");
    assert_eq!(body["localities"][0]["id"], "wood-end-henley-green");
    let decile = body["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "iod25_imd_decile").unwrap();
    assert_eq!(decile["value"], 1.0);
}

#[tokio::test]
async fn a_point_finds_the_lsoa_that_contains_it() {
    let atlas = common::atlas();
    for lsoa in atlas.lsoas().iter().step_by(20) {
        let (status, body) = get(&format!("/api/lsoa/at?lon={}&lat={}", lsoa.interior.x(), lsoa.interior.y())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["code"], lsoa.code.as_str());
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_with_the_right_status() {
    let cases = [
        ("/api/lsoa/E01999999", StatusCode::NOT_FOUND),
        ("/api/indicators/no_such_indicator", StatusCode::NOT_FOUND),
        ("/api/indicators/no_such_indicator/values", StatusCode::NOT_FOUND),
        ("/api/indicators/iod25_imd_score/values?level=county", StatusCode::BAD_REQUEST),
        ("/api/lsoa/at?lon=-1.5", StatusCode::BAD_REQUEST),
        ("/api/lsoa/at?lon=west&lat=52.4", StatusCode::BAD_REQUEST),
        ("/api/lsoa/at?lon=-1.5&lat=95", StatusCode::BAD_REQUEST),
        ("/api/lsoa/at?lon=-0.1276&lat=51.5072", StatusCode::NOT_FOUND),
        ("/no/such/route", StatusCode::NOT_FOUND),
    ];
    for (uri, expected) in cases {
        let (status, body) = get(uri).await;
        assert_eq!(status, expected, "{uri}");
        assert!(body["error"].is_string() && body["detail"].is_string(), "{uri}: {body}");
    }
}

#[tokio::test]
async fn each_lsoa_value_carries_its_own_interval_and_the_page_needs_no_arithmetic() {
    let (status, body) = get("/api/indicators/iod25_income_rate/values").await;
    assert_eq!(status, StatusCode::OK);
    let values = body["values"].as_array().unwrap();
    let first = values.iter().find(|v| v["value"].is_number()).unwrap();
    let (x, n) = (first["numerator"].as_f64().unwrap(), first["denominator"].as_f64().unwrap());
    // Wilson score interval at 95%, computed here from the count and the denominator.
    let (z, p) = (1.959_963_984_540_054, x / n);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let lower = first["ci95"]["lower"].as_f64().unwrap();
    let upper = first["ci95"]["upper"].as_f64().unwrap();
    assert!((lower - 100.0 * (centre - half)).abs() < 1e-9, "{lower} against {}", 100.0 * (centre - half));
    assert!((upper - 100.0 * (centre + half)).abs() < 1e-9, "{upper} against {}", 100.0 * (centre + half));
    // A withheld value has no interval; a score has none.
    assert!(values.iter().filter(|v| v["suppressed"].is_string()).all(|v| v["ci95"].is_null()));
    let (_, scores) = get("/api/indicators/iod25_imd_score/values").await;
    assert!(scores["values"].as_array().unwrap().iter().all(|v| v["ci95"].is_null()));

    // The catalogue names the palettes the page offers and the attribution it shows.
    let (_, catalogue) = get("/api/indicators").await;
    let palettes = catalogue["palettes"].as_array().unwrap();
    let ylorrd = palettes.iter().find(|p| p["name"] == "YlOrRd").unwrap();
    assert_eq!((ylorrd["kind"].as_str(), ylorrd["colour_blind_safe"].as_bool()), (Some("sequential"), Some(true)));
    assert!(palettes.iter().any(|p| p["kind"] == "diverging"));
    assert!(catalogue["attribution"].as_str().unwrap().contains("Open Government Licence v3.0"));
}
