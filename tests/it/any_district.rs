//! Any English district: a folder prepared by `prepare --lad E06000017` (Rutland, committed as a
//! fixture of a few hundred KB) is served with the same API, charts, tiles and report, names its own
//! district everywhere and never Coventry, says which boundaries it is drawn on and which indicators
//! the sources lack for it, and carries the same England benchmarks as the compiled-in Coventry data.

use std::sync::OnceLock;

use axum::http::StatusCode;
use locality_atlas::atlas::{Atlas, ComparatorRole};
use locality_atlas::tiles::grid::TileId;
use serde_json::Value;

use super::common;

const RUTLAND: &str = "E06000017";

fn fixture() -> &'static common::Fixture {
    static FIXTURE: OnceLock<common::Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| common::Fixture::load("districts/rutland"))
}

fn rutland() -> &'static Atlas {
    &fixture().atlas
}

async fn get(uri: &str) -> (StatusCode, String) {
    fixture().get(uri).await
}

async fn get_json(uri: &str) -> Value {
    fixture().get_json(uri).await
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
    // The report draws every figure of its board pack: those of indicators the sources lack for
    // Rutland are left out of the pack, not written as errors, and the scatter sets income
    // against the outcome Rutland has. Its notes say how the ward localities were drawn.
    let (_, report) = get(&format!("/api/localities/{locality}/report.html")).await;
    let pack = locality_atlas::figures::report::board_pack(rutland(), &locality);
    assert_eq!(report.matches("<figure><svg").count(), pack.len(), "every figure of the pack is drawn");
    assert!(!report.contains("class=\"note\""), "a figure could not be drawn");
    // No cluster of worse values in an affluent county reads as none, with a true minus sign.
    assert!(report.contains(
        "no LSOA worse than its neighbours; none of the locality's LSOAs is in a cluster of worse values (Moran's I for Rutland 0.26)"
    ));
    assert!(report.contains("(Moran's I for Rutland −0.15)") && !report.contains("; 0 of the"));
    assert!(!report.contains("census21_disabled") && !report.contains("no indicator"));
    let scatter = pack.iter().find(|r| r.parameters.contains_key("x")).expect("a scatter");
    assert_eq!(scatter.parameters["y"], "census21_bad_health");
    assert!(report.contains("from one locality per electoral ward (2024)"), "the notes say how it was drawn");
    assert!(report.contains("<strong>best_fit_ward</strong>: ONS best-fit LSOA 2021 to ward (2024) lookup"));
    let centre = rutland().lsoas()[0].interior;
    let tile = TileId::containing(12, geo::coord! { x: centre.x(), y: centre.y() }).unwrap();
    let (status, bytes) = get(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.len() > 100, "an LSOA tile over Rutland");
}

/// The smallest district: the Isles of Scilly are a single LSOA (`prepare --lad E06000053`,
/// committed as a fixture). What needs several LSOAs (the hidden-pocket search, the slope index,
/// the cluster map, the scatter's line) says why it is not computed, and nothing is claimed of a
/// search that did not run.
#[tokio::test]
async fn a_district_of_one_lsoa_says_what_it_cannot_compute() {
    let scilly = common::Fixture::load("districts/scilly");
    assert_eq!(scilly.atlas.lsoas().len(), 1);
    assert_eq!(scilly.atlas.place().name, "Isles of Scilly");
    let id = scilly.atlas.localities()[0].id.clone();
    let (status, report) = scilly.get(&format!("/api/localities/{id}/report.html")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let pockets = report.split("<section id=\"hidden-pockets\">").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(
        pockets.contains(
            "<li><strong>Income deprivation</strong>: no area has a value and a neighbour with a value; at least 4 are needed.</li>"
        ),
        "{pockets}"
    );
    assert!(!pockets.contains("stands out"), "a search that did not run found nothing: {pockets}");
    assert!(report.contains(
        "The slope index of inequality of income deprivation is not computed: Isles of Scilly's LSOAs lie in 1 national IMD decile, and a slope needs at least two."
    ));
    // Figures that cannot be drawn say why in the reader's words, not by their file names.
    assert!(report.contains("<p class=\"note\">Figure not drawn: Income deprivation has no cluster map: no area has"));
    assert!(report.contains(
        "Figure not drawn: 1 LSOA has published values of both Income deprivation and Bad or very bad health"
    ));
    assert!(!report.contains("clusters_"), "a figure's file name in the report");
    assert!(report.contains("(0 of 1 LSOA)") && !report.contains("of 1 LSOAs"));
    assert!(report.contains("It holds every LSOA of Isles of Scilly, so its figures are the district's."));

    let inequality: Value = serde_json::from_str(&scilly.get("/api/inequality/iod25_income_rate").await.1).unwrap();
    assert_eq!(inequality["sii"], Value::Null);
    assert!(inequality["sii_unavailable"].as_str().unwrap().contains("lie in 1 national IMD decile"));
    let profile: Value = serde_json::from_str(&scilly.get(&format!("/api/localities/{id}/profile")).await.1).unwrap();
    assert_eq!(profile["hidden_pockets"]["indicators"], Value::Array(vec![]));
    assert_eq!(profile["hidden_pockets"]["not_searched"].as_array().unwrap().len(), 4);
}

/// Gi\*'s p-values come from a normal approximation, which Rutland's 26 LSOAs do not support well:
/// its hot-spot note says so, and the permutation-based local Moran's I, and Coventry's 203 LSOAs,
/// need no such warning.
#[tokio::test]
async fn hot_spots_over_a_few_lsoas_carry_a_caution() {
    let note = |body: String| serde_json::from_str::<Value>(&body).unwrap()["note"].as_str().unwrap().to_owned();
    let gi = note(get("/api/indicators/iod25_income_rate/clusters?method=gi").await.1);
    assert!(gi.contains("Only 26 LSOAs have a value and a neighbour with one: with fewer than 30, the normal approximation behind these p-values is rough"), "{gi}");
    let lisa = note(get("/api/indicators/iod25_income_rate/clusters").await.1);
    assert!(!lisa.contains("normal approximation behind"), "{lisa}");
    let (_, coventry) = common::get("/api/indicators/iod25_income_rate/clusters?method=gi").await;
    let coventry = coventry["note"].as_str().unwrap();
    assert!(coventry.contains("the normal approximation") && !coventry.contains("behind"), "{coventry}");
}
