//! Any English district: a folder prepared by `prepare --lad E06000017` (Rutland, committed as a
//! fixture of a few hundred KB) is served with the same API, charts, tiles and report, names its own
//! district everywhere and never Coventry, says which boundaries it is drawn on and which indicators
//! the sources lack for it, and carries the same England benchmarks as the compiled-in Coventry data.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{self, Atlas, ComparatorRole, DataFiles};
use locality_atlas::tiles::grid::TileId;
use serde_json::Value;
use tower::ServiceExt;

use super::common;

const RUTLAND: &str = "E06000017";

fn folder() -> std::path::PathBuf {
    common::root().join("tests/fixtures/districts/rutland")
}

fn rutland() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| atlas::load(&DataFiles::read_dir(&folder()).unwrap()).expect("the Rutland fixture is valid"))
}

async fn get(uri: &str) -> (StatusCode, String) {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas = atlas::load(&DataFiles::read_dir(&folder()).unwrap()).unwrap();
        Arc::new(AppState::new(atlas, Disclosure::default(), 0))
    });
    let response = router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned())
}

async fn get_json(uri: &str) -> Value {
    let (status, body) = get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn the_folder_describes_rutland_on_the_national_200_m_boundaries() {
    let place = rutland().place();
    assert_eq!(
        (place.code.as_str(), place.name.as_str(), place.generalisation.as_str()),
        (RUTLAND, "Rutland", "200 m")
    );
    assert!(place.boundaries.contains("Super Generalised (200 m)"), "{}", place.boundaries);
    assert_eq!(rutland().lsoas().len(), 26);
    // Without a localities file each best-fit ward is a locality, and says so.
    assert!(place.localities.contains("ward"), "{}", place.localities);
    assert_eq!(rutland().localities().len(), rutland().wards().len());
    assert!(rutland().localities().iter().all(|l| l.members.iter().all(|m| m.confidence == "best_fit_ward")));
    // The compiled-in Coventry data keeps its 20 m boundaries.
    assert_eq!(common::atlas().place().generalisation, "20 m");
}

#[test]
fn what_the_sources_lack_for_the_district_is_listed_and_left_out() {
    let place = rutland().place();
    let missing: Vec<&str> = place.not_held.iter().map(|n| n.id.as_str()).collect();
    for id in ["census21_disabled", "census21_nssec_routine", "gp_distance_km", "covid19_deaths_2020_21"] {
        assert!(missing.contains(&id), "{id} should be listed as not held: {missing:?}");
        assert!(rutland().indicator(id).is_none(), "{id} has no figures for Rutland");
    }
    for held in ["iod25_income_rate", "census21_bad_health", "lonely_cls2020_modelled", "iod19_imd_rank"] {
        assert!(rutland().indicator(held).is_some(), "{held} comes from the national files");
    }
    assert_eq!(rutland().catalogue().len() + missing.len(), common::atlas().catalogue().len());
}

#[test]
fn england_benchmarks_equal_the_compiled_in_coventry_builds() {
    let mut compared = 0;
    for indicator in rutland().catalogue() {
        let ours = rutland().comparator(&indicator.id, "E92000001", ComparatorRole::Benchmark);
        let coventry = common::atlas().comparator(&indicator.id, "E92000001", ComparatorRole::Benchmark);
        assert_eq!(ours.is_some(), coventry.is_some(), "{}", indicator.id);
        if let (Some(ours), Some(coventry)) = (ours, coventry) {
            assert_eq!(ours, coventry, "{}", indicator.id);
            compared += 1;
        }
    }
    assert!(compared >= 40, "{compared}");
}

#[test]
fn the_notes_quote_rutlands_own_figures() {
    let disabled = rutland().indicator("census21_disabled_limited_a_lot").unwrap();
    assert!(
        disabled.notes.contains("Rutland is older than England (aged 65 and over: 25.3% against 18.4%)"),
        "{}",
        disabled.notes
    );
    let catalogue = serde_json::to_string(rutland().catalogue()).unwrap();
    assert!(!catalogue.contains("Coventry"), "a note names Coventry in Rutland's catalogue");
    for token in ["{place}", "{lsoas}", "{merged}", "{age_structure}", "{iod25_income_rate}", "{published:", "{error:"]
    {
        assert!(!catalogue.contains(token), "a note still holds {token}");
    }
}

#[tokio::test]
async fn the_api_names_rutland_and_never_coventry() {
    let health = get_json("/api/health").await;
    assert_eq!(health["district"]["name"], "Rutland");
    assert_eq!(health["district"]["generalisation"], "200 m");
    let catalogue = get_json("/api/indicators").await;
    assert_eq!(catalogue["place"]["code"], RUTLAND);

    let locality = rutland().localities()[0].id.clone();
    let (status, profile) = get(&format!("/api/localities/{locality}/profile")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!profile.contains("Coventry"), "the profile names Coventry");
    let profile: Value = serde_json::from_str(&profile).unwrap();
    assert_eq!(profile["district"], "Rutland");
    let income = profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "iod25_income_rate").unwrap();
    assert_eq!(income["district"]["name"], "Rutland");
    assert!(income["reading"]["text"].as_str().unwrap().contains("against Rutland"), "{}", income["reading"]);

    let whole = get_json("/api/localities/rutland/profile?level=city").await;
    assert_eq!((whole["id"].as_str(), whole["name"].as_str()), (Some(RUTLAND), Some("Rutland")));
    let (status, body) = get("/api/localities/coventry/profile?level=city").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("is not Rutland"), "{body}");
}

#[tokio::test]
async fn charts_tiles_and_the_report_are_rutlands() {
    let locality = rutland().localities()[0].id.clone();
    for uri in [
        format!("/charts/spine.svg?locality={locality}"),
        format!("/charts/ranked.svg?indicator=iod25_income_rate&area={locality}&comparator=district"),
        "/charts/localities.svg?indicator=iod25_income_rate".to_owned(),
        format!("/api/localities/{locality}/report.html"),
        "/tiles/lsoa.json".to_owned(),
    ] {
        let (status, body) = get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(!body.contains("Coventry"), "{uri} names Coventry");
        if !uri.contains("spine") {
            assert!(body.contains("Rutland"), "{uri} does not name Rutland");
        }
    }
    let centre = rutland().lsoas()[0].interior;
    let tile = TileId::containing(12, geo::coord! { x: centre.x(), y: centre.y() }).unwrap();
    let (status, bytes) = get(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.len() > 100, "an LSOA tile over Rutland");
}
