//! Custom areas: LSOA lists and GeoJSON polygons apportioned by area overlap.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use geo::{Area, BooleanOps, BoundingRect, MultiPolygon, Rect, unary_union};
use http_body_util::BodyExt;
use locality_atlas::analysis::{Area as Place, CustomAreaRequest, Disclosure, custom_area, profile};
use serde_json::{Value, json};
use tower::ServiceExt;

fn locality_union(id: &str) -> MultiPolygon<f64> {
    let atlas = common::atlas();
    let area = Place::locality(atlas, id).unwrap();
    let polygons: Vec<_> = area.members.iter().flat_map(|m| atlas.lsoas()[m.lsoa].geometry.0.clone()).collect();
    unary_union(&polygons)
}

#[test]
fn a_polygon_equal_to_a_locality_reproduces_its_profile() {
    let atlas = common::atlas();
    for id in ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"] {
        let locality = Place::locality(atlas, id).unwrap();
        let custom = custom_area(atlas, &CustomAreaRequest::Polygon(locality_union(id))).unwrap();
        let mut expected = locality.codes(atlas);
        expected.sort();
        assert_eq!(custom.codes(atlas), expected, "{id}: the same LSOAs");
        assert!(custom.members.iter().all(|m| m.share == 1.0), "{id}: every overlap share is 1.0");

        let a = profile(atlas, &locality, &Disclosure::default());
        let b = profile(atlas, &custom, &Disclosure::default());
        for (x, y) in a.indicators.iter().zip(&b.indicators) {
            let close = |p: Option<f64>, q: Option<f64>| match (p, q) {
                (Some(p), Some(q)) => (p - q).abs() <= 1e-12 * p.abs().max(1.0),
                (p, q) => p == q,
            };
            let (p, q) = (&x.area, &y.area);
            assert!(
                close(p.value, q.value) && close(p.numerator, q.numerator) && close(p.denominator, q.denominator),
                "{id}: {}",
                x.id
            );
            assert!(close(p.ci95.map(|c| c.lower), q.ci95.map(|c| c.lower)), "{id}: {}", x.id);
            assert!(close(p.ci998.map(|c| c.upper), q.ci998.map(|c| c.upper)), "{id}: {}", x.id);
            assert_eq!(
                (p.lsoas_used, p.distribution, &p.suppressed),
                (q.lsoas_used, q.distribution, &q.suppressed),
                "{id}: {}",
                x.id
            );
            assert_eq!(x.england.comparison, y.england.comparison, "{id}: {}", x.id);
        }
    }
}

/// The part of an LSOA left of the vertical line that halves its area (found by bisection).
fn left_half(lsoa: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let bounds = lsoa.bounding_rect().unwrap();
    let clip =
        |x: f64| lsoa.intersection(&Rect::new(bounds.min(), geo::coord! { x: x, y: bounds.max().y }).to_polygon());
    let (mut lo, mut hi) = (bounds.min().x, bounds.max().x);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if clip(mid).unsigned_area() < lsoa.unsigned_area() / 2.0 { lo = mid } else { hi = mid }
    }
    clip((lo + hi) / 2.0)
}

#[test]
fn a_polygon_covering_half_an_lsoa_gets_half_its_counts() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let custom = custom_area(atlas, &CustomAreaRequest::Polygon(left_half(&lsoa.geometry))).unwrap();
    assert_eq!(custom.codes(atlas), vec!["E01009577"], "only the halved LSOA overlaps");
    let share = custom.members[0].share;
    assert!((share - 0.5).abs() < 1e-6, "{share}");

    let result = profile(atlas, &custom, &Disclosure::default());
    let whole = atlas.observation("iod25_income_rate", "E01009577").unwrap();
    let income = result.indicators.iter().find(|r| r.id == "iod25_income_rate").unwrap();
    assert!((income.area.numerator.unwrap() - whole.numerator.unwrap() / 2.0).abs() < 1e-3);
    assert!((income.area.denominator.unwrap() - whole.denominator.unwrap() / 2.0).abs() < 1e-3);
    // The rate itself is unchanged by apportioning.
    assert!((income.area.value.unwrap() - whole.value.unwrap()).abs() < 1e-6);
    assert_eq!(result.lsoas[0].share, share);
}

#[test]
fn a_list_of_codes_is_a_custom_area_of_whole_lsoas() {
    let atlas = common::atlas();
    let request = CustomAreaRequest::Lsoas(vec!["E01009577".into(), "E01009579".into(), "E01009577".into()]);
    let area = custom_area(atlas, &request).unwrap();
    assert_eq!(area.codes(atlas), vec!["E01009577", "E01009579"]);
}

async fn post(body: impl Into<Body>) -> (StatusCode, Value) {
    let atlas = locality_atlas::atlas::load(&locality_atlas::atlas::embedded_files()).unwrap();
    let state = locality_atlas::api::AppState::new(atlas, Disclosure::default(), 0);
    let app = locality_atlas::api::router(std::sync::Arc::new(state));
    let request =
        Request::post("/api/custom-area").header("content-type", "application/json").body(body.into()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn ring(points: &[(f64, f64)]) -> Value {
    json!({ "type": "Polygon", "coordinates": [points.iter().map(|(x, y)| json!([x, y])).collect::<Vec<_>>()] })
}

#[tokio::test]
async fn the_endpoint_returns_a_profile_with_overlap_shares() {
    let geometry = serde_json::to_value(geojson::Geometry::from(&locality_union("wood-end-henley-green"))).unwrap();
    let (status, body) = post(json!({ "geometry": geometry }).to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["lsoas"].as_array().unwrap().len(), 6);
    assert!(body["lsoas"].as_array().unwrap().iter().all(|l| l["share"] == 1.0));

    let (status, body) = post(json!({ "lsoas": ["E01009577", "E01009579"] }).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["level"], "custom");
}

#[tokio::test]
async fn unusable_areas_get_422_with_the_reason() {
    let square = [(-1.52, 52.40), (-1.50, 52.40), (-1.50, 52.42), (-1.52, 52.42), (-1.52, 52.40)];
    let cases = [
        (ring(&square[..4]), "not closed"),
        (ring(&[(-1.52, 52.40), (-1.50, 52.40), (-1.52, 52.40)]), "at least 4"),
        (ring(&[(-1.52, 52.40), (-1.50, 52.42), (-1.50, 52.40), (-1.52, 52.42), (-1.52, 52.40)]), "invalid polygon"),
        (ring(&[(-0.2, 51.5), (-0.1, 51.5), (-0.1, 51.6), (-0.2, 51.6), (-0.2, 51.5)]), "does not overlap"),
        (json!({ "type": "Point", "coordinates": [-1.5, 52.4] }), "Point"),
        (json!({ "lsoas": [] }), "empty"),
    ];
    for (body, reason) in cases {
        let (status, answer) = post(body.to_string()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(answer["detail"].as_str().unwrap().contains(reason), "{reason:?} in {answer}");
    }
}

#[tokio::test]
async fn too_many_vertices_too_large_bodies_bad_json_and_unknown_codes_are_refused() {
    let many: Vec<(f64, f64)> = (0..10_001)
        .map(|i| {
            let t = i as f64 / 10_000.0 * std::f64::consts::TAU;
            (-1.5 + 0.01 * t.cos(), 52.4 + 0.01 * t.sin())
        })
        .chain(std::iter::once((-1.49, 52.4)))
        .collect();
    let (status, answer) = post(ring(&many).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["detail"].as_str().unwrap().contains("10000 vertices"));

    let (status, answer) = post(vec![b' '; 1024 * 1024 + 1]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(answer["error"].is_string());

    let (status, _) = post("{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, answer) = post(json!({ "lsoas": ["E01009577", "E01999999"] }).to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer["detail"].as_str().unwrap().contains("E01999999"));
}

#[test]
fn the_command_line_gives_the_same_profile_as_the_api() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["custom-area", "--lsoas", "E01009577,E01009579"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let atlas = common::atlas();
    let area = custom_area(atlas, &CustomAreaRequest::Lsoas(vec!["E01009577".into(), "E01009579".into()])).unwrap();
    // Compared as text: parsing floats back would add its own rounding.
    let expected = serde_json::to_string_pretty(&profile(atlas, &area, &Disclosure::default())).unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim_end(), expected);

    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["custom-area", "--lsoas", "E01999999"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown LSOA codes: E01999999"));
}
