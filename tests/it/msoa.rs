//! Indicators published for MSOAs stay on MSOAs: exact for localities made of whole MSOAs,
//! apportioned (and said to be) otherwise, mapped by MSOA, never spread over LSOAs.

use crate::common;

use axum::http::StatusCode;
use locality_atlas::analysis::{Area, Disclosure, aggregate, profile};
use locality_atlas::atlas::{DataFiles, load};

const COVID: &str = "covid19_deaths_2020_21";

/// Byar's limits of a count, written out from the formula independently of the stats module.
fn byar(x: f64, z: f64) -> (f64, f64) {
    let lower = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3);
    let upper = (x + 1.0) * (1.0 - 1.0 / (9.0 * (x + 1.0)) + z / (3.0 * (x + 1.0).sqrt())).powi(3);
    (lower, upper)
}

#[test]
fn wood_end_covid_deaths_are_exactly_msoa_coventry_007_with_byars_interval() {
    let atlas = common::atlas();
    let indicator = atlas.indicator(COVID).unwrap();
    let area = Area::locality(atlas, "wood-end-henley-green").unwrap();
    let figures = aggregate(atlas, indicator, &area.members, &Disclosure::default());
    // ONS: 10 deaths involving COVID-19 in Coventry 007 (Henley Green & Wood End), mid-2019 population 10,254.
    assert_eq!(figures.numerator, Some(10.0));
    assert_eq!(figures.denominator, Some(10_254.0));
    assert!((figures.value.unwrap() - 10.0 / 10_254.0 * 1e5).abs() < 1e-9);
    let (lower, upper) = byar(10.0, 1.959963984540054);
    let ci = figures.ci95.unwrap();
    assert!((ci.lower - lower / 10_254.0 * 1e5).abs() < 1e-9, "{ci:?}");
    assert!((ci.upper - upper / 10_254.0 * 1e5).abs() < 1e-9, "{ci:?}");
    let basis = figures.msoa.as_ref().unwrap();
    assert!(basis.exact && basis.confidence == "exact" && basis.msoas == 1, "{basis:?}");
}

#[test]
fn canley_is_two_whole_msoas_and_spon_end_is_apportioned_and_says_so() {
    let atlas = common::atlas();
    let indicator = atlas.indicator(COVID).unwrap();
    let canley = aggregate(
        atlas,
        indicator,
        &Area::locality(atlas, "canley-tile-hill").unwrap().members,
        &Disclosure::default(),
    );
    // Coventry 029 (21 deaths of 8,855) and Coventry 036 (15 of 8,666).
    assert_eq!((canley.numerator, canley.denominator), (Some(36.0), Some(17_521.0)));
    assert_eq!(canley.msoa.as_ref().unwrap().confidence, "exact");

    let area = Area::locality(atlas, "spon-end-st-michaels").unwrap();
    let result = profile(atlas, &area, &Disclosure::default());
    let row = result.indicators.iter().find(|r| r.id == COVID).unwrap();
    let basis = row.area.msoa.as_ref().unwrap();
    assert!(!basis.exact && basis.confidence == "apportioned", "{basis:?}");
    assert!(row.reading.text.contains("apportioned by Census 2021 usual residents"), "{}", row.reading.text);
    // A crude rate of an age-related outcome: higher or lower only.
    assert!(row.crude && row.reading.text.contains("not age-standardised"));
}

#[tokio::test]
async fn msoa_figures_are_listed_classed_and_tiled_by_msoa_only() {
    let (status, body) = common::get(&format!("/api/indicators/{COVID}/values")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["level"], "msoa");
    assert_eq!(body["values"].as_array().unwrap().len(), 42);
    let (status, _) = common::get(&format!("/api/indicators/{COVID}/values?level=lsoa")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "never spread over LSOAs");
    let (status, classes) = common::get(&format!("/api/indicators/{COVID}/classes")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(classes["geography"], "msoa");
    assert!(classes["method"].as_str().unwrap().contains("MSOA values"));
    let (_, tilejson) = common::get("/tiles/lsoa.json").await;
    let layers = tilejson["vector_layers"].as_array().unwrap();
    let layer = |id: &str| layers.iter().find(|l| l["id"] == id).unwrap();
    assert!(layer("msoa")["fields"].get(COVID).is_some());
    assert!(layer("lsoa")["fields"].get(COVID).is_none());
    // The LSOA answer gives its MSOA's figure and says whose it is.
    let (_, lsoa) = common::get("/api/lsoa/E01009577").await;
    let entry = lsoa["indicators"].as_array().unwrap().iter().find(|i| i["id"] == COVID).unwrap();
    assert_eq!(entry["msoa"]["name"], "Coventry 007");
    assert_eq!(entry["numerator"], 10.0);
}

#[test]
fn a_tile_over_wood_end_carries_msoa_values_on_the_msoa_layer_only() {
    let atlas = common::atlas();
    let context = locality_atlas::tiles::TileContext::build(atlas, &Disclosure::default());
    // z12 tile over Wood End (about -1.46, 52.44).
    let (z, lon, lat) = (12u32, -1.46f64, 52.44f64);
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    let tile = locality_atlas::tiles::TileId::new(z, x, y).unwrap();
    let bytes = locality_atlas::tiles::encode(&context, tile).unwrap();
    let reader = mvt_reader::Reader::new(bytes).unwrap();
    let names = reader.get_layer_names().unwrap();
    let msoa = names.iter().position(|n| n == "msoa").expect("an msoa layer");
    let lsoa = names.iter().position(|n| n == "lsoa").unwrap();
    let features = reader.get_features(msoa).unwrap();
    let wood_end = features
        .iter()
        .find(|f| {
            f.properties.as_ref().unwrap().get("code") == Some(&mvt_reader::feature::Value::String("E02001964".into()))
        })
        .expect("Coventry 007 in the tile");
    let Some(mvt_reader::feature::Value::Double(value)) = wood_end.properties.as_ref().unwrap().get(COVID) else {
        panic!("no COVID-19 rate on Coventry 007");
    };
    // The prepared rate, to 6 decimals.
    assert!((value - 10.0 / 10_254.0 * 1e5).abs() < 1e-6, "{value}");
    for feature in reader.get_features(lsoa).unwrap() {
        assert!(!feature.properties.unwrap().contains_key(COVID));
    }
}

#[test]
fn an_msoa_code_not_in_the_boundaries_is_refused_with_file_line_and_field() {
    let dir = common::data_copy();
    common::edit(dir.path(), "data/msoa_indicators.csv", |text| text.replacen("E02001958", "E02999999", 1));
    let files = DataFiles::read_dir(dir.path()).unwrap();
    let error = load(&files).err().expect("refused").to_string();
    assert!(error.contains("msoa_indicators.csv: line 2, field `msoa21_code`: unknown MSOA E02999999"), "{error}");
}
