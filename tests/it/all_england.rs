//! All of England in one atlas: a folder prepared by `prepare --lad all` holds every district as an
//! area with its profile, and no localities unless a file names them. The committed fixture is the
//! same path narrowed to two districts (`--only-districts E06000017,E09000001`: Rutland and the City
//! of London), so each district's figures can be recomputed from the folder's own LSOA data and
//! checked against the raw national files (numbers copied below) and against Rutland's own atlas.

use std::sync::OnceLock;

use axum::http::StatusCode;
use locality_atlas::analysis::{Area, Disclosure, aggregate};
use locality_atlas::atlas::{Atlas, ComparatorRole};
use serde_json::Value;

use super::common::{self, Fixture};

const RUTLAND: &str = "E06000017";
const CITY_OF_LONDON: &str = "E09000001";

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| Fixture::load("england_sample"))
}

fn england() -> &'static Atlas {
    &fixture().atlas
}

fn rutland_atlas() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| Fixture::load("districts/rutland"))
}

/// An indicator's row of a profile answer.
fn row<'a>(profile: &'a Value, id: &str) -> &'a Value {
    profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn the_folder_is_england_with_its_districts_as_areas_and_no_localities() {
    let place = england().place();
    assert_eq!(place.code, "E92000001");
    // Narrowed to two districts, the place says so rather than calling itself England.
    assert_eq!(place.name, "England: Rutland and City of London only");
    assert!(place.localities.starts_with("none: no locality list was given"), "{}", place.localities);
    assert!(england().localities().is_empty());
    let districts: Vec<(&str, &str, usize)> =
        england().districts().iter().map(|d| (d.code.as_str(), d.name.as_str(), d.lsoas.len())).collect();
    assert_eq!(districts, vec![(RUTLAND, "Rutland", 26), (CITY_OF_LONDON, "City of London", 6)]);
    assert_eq!(england().lsoas().len(), 32);
    // Every LSOA lies in its district's outline and names it.
    for district in england().districts() {
        for &at in &district.lsoas {
            let lsoa = &england().lsoas()[at];
            assert_eq!(lsoa.district.as_deref(), Some(district.code.as_str()));
            assert!(district.bounds.min().x <= lsoa.interior.x() && lsoa.interior.x() <= district.bounds.max().x);
            assert!(district.bounds.min().y <= lsoa.interior.y() && lsoa.interior.y() <= district.bounds.max().y);
        }
    }
}

#[test]
fn district_figures_are_their_lsoas_combined_as_the_raw_files_give_them() {
    // From the raw national files: IoD2025 File 8 income numerators, each LSOA's denominator implied by
    // its File 7 income score, and IMD scores weighted by Census 2021 usual residents.
    let expected = [(RUTLAND, 4315.0, 40_869.771_885, 9.816_477), (CITY_OF_LONDON, 750.0, 11_077.841_586, 9.865_483)];
    let disclosure = Disclosure::default();
    let income = england().indicator("iod25_income_rate").unwrap();
    let imd = england().indicator("iod25_imd_score").unwrap();
    let residents = england().observations("census21_population").unwrap();
    let scores = england().observations("iod25_imd_score").unwrap();
    for (code, numerator, denominator, imd_score) in expected {
        let district = england().district(code).unwrap();
        // Recomputed here from the folder's own LSOA figures.
        let (mut n, mut d, mut weighted, mut people) = (0.0, 0.0, 0.0, 0.0);
        for &at in &district.lsoas {
            let lsoa = &england().lsoas()[at];
            let o = england().observation("iod25_income_rate", &lsoa.code).unwrap();
            n += o.numerator.unwrap();
            d += o.denominator.unwrap();
            let p = residents[at].unwrap().value.unwrap();
            weighted += scores[at].unwrap().value.unwrap() * p;
            people += p;
        }
        assert_eq!(n, numerator, "{code}");
        assert!((d - denominator).abs() < 1e-5, "{code}: {d}");
        assert!((weighted / people - imd_score).abs() < 1e-6, "{code}: {}", weighted / people);
        // The area the API profiles is the same sum.
        let area = Area::district(england(), code).unwrap();
        let figures = aggregate(england(), income, &area.members, &disclosure);
        assert!((figures.value.unwrap() - n / d * 100.0).abs() < 1e-9, "{code}");
        let score = aggregate(england(), imd, &area.members, &disclosure);
        assert!((score.value.unwrap() - imd_score).abs() < 1e-6, "{code}");
    }
}

#[tokio::test]
async fn a_districts_profile_in_englands_atlas_equals_its_own_atlas_profile() {
    let ours = fixture().get_json(&format!("/api/localities/{RUTLAND}/profile?level=district")).await;
    let own = rutland_atlas().get_json("/api/localities/rutland/profile?level=city").await;
    assert_eq!((ours["name"].as_str(), ours["level"].as_str()), (Some("Rutland"), Some("district")));
    assert_eq!(ours["district"], "Rutland");
    let mut compared = 0;
    for own_row in own["indicators"].as_array().unwrap() {
        let id = own_row["id"].as_str().unwrap();
        let our_row = row(&ours, id);
        for field in ["value", "numerator", "denominator", "ci95", "suppressed"] {
            assert_eq!(our_row[field], own_row[field], "{id}: {field}");
        }
        assert_eq!(our_row["england"]["value"], own_row["england"]["value"], "{id}: England");
        assert_eq!(our_row["england"]["label"], own_row["england"]["label"], "{id}: England's comparison");
        assert_eq!(our_row["reading"], own_row["reading"], "{id}: reading");
        assert_eq!(our_row["neighbours"], own_row["neighbours"], "{id}: similar districts");
        compared += 1;
    }
    assert!(compared >= 50, "{compared}");
    // Its statistical neighbours are its own, found among all England's districts as its own atlas
    // finds them, with their average and range beside each row.
    assert_eq!(ours["neighbours"], own["neighbours"]);
    let names: Vec<&str> = ours["neighbours"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 15);
    assert_eq!(names[..3], ["Ribble Valley", "Melton", "Derbyshire Dales"]);
    assert!(row(&ours, "iod25_income_rate")["neighbours"]["mean"].is_f64());
    // Each district has its own: the City of London's are not Rutland's.
    let city = fixture().get_json(&format!("/api/localities/{CITY_OF_LONDON}/profile?level=district")).await;
    assert_eq!(city["neighbours"].as_array().unwrap().len(), 15);
    assert_ne!(city["neighbours"], ours["neighbours"]);
    // The City of London (8,584 residents, 30 times Coventry's density) is unlike every other
    // district: its nearest, Epsom and Ewell, is 3.79 standardised units away, beyond the far-out
    // fence of England's nearest distances (1.60), and its profile and report say so. Rutland's
    // nearest is 0.72 away: no caution.
    let caution = city["neighbours_caution"].as_str().expect("a caution for the City of London");
    assert!(caution.starts_with("City of London is unlike every other English district"), "{caution}");
    assert!(
        caution.contains("Epsom and Ewell, is 3.79 standardised units away") && caution.contains("(1.60:"),
        "{caution}"
    );
    assert!(ours.get("neighbours_caution").is_none(), "{}", ours["neighbours_caution"]);
    let (_, report) = fixture().get(&format!("/api/localities/{CITY_OF_LONDON}/report.html")).await;
    assert!(report.contains("Caution: </strong>City of London is unlike every other English district"));
    // The district is read against England only, as its own atlas reads it.
    let income = row(&ours, "iod25_income_rate");
    assert_eq!(income["district"]["label"], "this area");
    assert_eq!(income["reading"]["text"], "Against England: Better (99.8%) (95% and 99.8% intervals from the counts).");
    // Without a level the id of a district is still found: the page, charts and report name it alone.
    let plain = fixture().get_json(&format!("/api/localities/{CITY_OF_LONDON}/profile")).await;
    assert_eq!((plain["name"].as_str(), plain["level"].as_str()), (Some("City of London"), Some("district")));
}

#[tokio::test]
async fn an_lsoa_or_custom_area_in_englands_atlas_is_read_against_its_own_district() {
    let rutland = england().district(RUTLAND).unwrap();
    let codes: Vec<&str> = rutland.lsoas.iter().take(3).map(|&i| england().lsoas()[i].code.as_str()).collect();
    let area = fixture().post_json("/api/custom-area", serde_json::json!({ "lsoas": codes })).await;
    assert_eq!(area["district"], "Rutland");
    let whole = fixture().get_json(&format!("/api/localities/{RUTLAND}/profile")).await;
    let income = row(&area, "iod25_income_rate");
    assert_eq!(income["district"]["name"], "Rutland");
    assert_eq!(income["district"]["value"], row(&whole, "iod25_income_rate")["value"]);
    // Rutland's similar districts, not none (England has no neighbours of its own).
    assert_eq!(area["neighbours"], whole["neighbours"]);
    // An area across two districts has no one district: it is read against the whole atlas.
    let london = england().district(CITY_OF_LONDON).unwrap();
    let across = [codes[0], england().lsoas()[london.lsoas[0]].code.as_str()];
    let area = fixture().post_json("/api/custom-area", serde_json::json!({ "lsoas": across })).await;
    assert_eq!(area["district"], england().place().name.as_str());
}

#[test]
fn a_districts_board_pack_is_written_like_a_localitys() {
    use locality_atlas::analysis::Disclosure;
    use locality_atlas::analysis::clusters::LsoaWeights;
    use locality_atlas::figures::{Sources, board_pack, report};
    let disclosure = Disclosure::default();
    let weights = LsoaWeights::build(england()).unwrap();
    let sources =
        Sources { atlas: england(), disclosure: &disclosure, weights: &weights, produced: "4 December 2026".into() };
    let out = tempfile::tempdir().unwrap();
    let summary = board_pack::write_board_pack(&sources, &[RUTLAND.to_owned()], out.path(), |_, _| {}).unwrap();
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert_eq!(summary.files, 3 * report::board_pack(england(), RUTLAND).len() + 1);
    assert!(out.path().join(RUTLAND).join("report.html").exists());
    let error = board_pack::write_board_pack(&sources, &["E08000026".to_owned()], out.path(), |_, _| {}).unwrap_err();
    assert!(error.contains("or a district's code"), "{error}");
}

#[test]
fn englands_benchmarks_equal_the_compiled_in_coventry_builds() {
    let mut compared = 0;
    for indicator in england().catalogue() {
        let ours = england().comparator(&indicator.id, "E92000001", ComparatorRole::Benchmark);
        if let Some(coventry) = common::atlas().comparator(&indicator.id, "E92000001", ComparatorRole::Benchmark) {
            assert_eq!(ours, Some(coventry), "{}", indicator.id);
            compared += 1;
        }
    }
    assert!(compared >= 40, "{compared}");
    // No benchmark row claims the two districts are England; the published rows are England's
    // and each district's own (MHCLG's summaries).
    let rows: Vec<_> = england().catalogue().iter().flat_map(|i| england().comparators(&i.id)).collect();
    for row in &rows {
        let names: &[&str] = if row.role == ComparatorRole::Benchmark {
            &["England"]
        } else {
            &["England", "Rutland", "City of London"]
        };
        assert!(names.contains(&row.area_name.as_str()), "a comparator row names {}", row.area_name);
    }
    assert!(!rows.is_empty());
}

#[tokio::test]
async fn the_district_list_gives_each_districts_bounds_and_profile() {
    let answer = fixture().get_json("/api/districts").await;
    let districts = answer["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 2);
    let rutland = &districts[0];
    assert_eq!((rutland["code"].as_str(), rutland["lsoa_count"].as_u64()), (Some(RUTLAND), Some(26)));
    let bounds: Vec<f64> = rutland["bounds"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    // Rutland lies between Oakham and Stamford: about 0.82° to 0.43° west, 52.52° to 52.76° north.
    assert!((-0.83..-0.81).contains(&bounds[0]) && (-0.44..-0.42).contains(&bounds[2]), "{bounds:?}");
    assert!((52.52..52.53).contains(&bounds[1]) && (52.75..52.77).contains(&bounds[3]), "{bounds:?}");
    let profile = fixture().get_json(rutland["profile"].as_str().unwrap()).await;
    assert_eq!(profile["id"], RUTLAND);
    // A district's atlas lists none, and has no district level.
    let none = rutland_atlas().get_json("/api/districts").await;
    assert_eq!(none["districts"].as_array().map(Vec::len), Some(0));
    let (status, body) = rutland_atlas().get(&format!("/api/localities/{RUTLAND}/profile?level=district")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("Rutland is one district"), "{body}");
}

#[tokio::test]
async fn an_unknown_district_is_a_json_404_naming_the_list() {
    let (status, body) = fixture().get("/api/localities/E08000026/profile?level=district").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert!(error["detail"].as_str().unwrap().contains("see /api/districts"), "{body}");
    let (status, body) = fixture().get("/api/localities/nowhere/profile").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("or a district code"), "{body}");
}

#[tokio::test]
async fn a_districts_report_charts_and_lsoas_name_it() {
    let (status, report) = fixture().get(&format!("/api/localities/{CITY_OF_LONDON}/report.html")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report.contains("City of London"), "the report does not name the district");
    // It is a district's report: no locality words, no column of the district against itself,
    // and the statistics computed over all England's LSOAs say so.
    assert!(report.contains("<title>City of London: district board pack</title>"));
    // (The product's own name, in each chart's credit, aside.)
    let lower = report.to_lowercase().replace("locality-atlas", "");
    let at = lower.find("locality").unwrap_or(0);
    assert!(
        !lower.contains("locality"),
        "a district's report speaks of a locality: {}",
        &lower[at.saturating_sub(100)..at + 300]
    );
    assert!(!report.contains("<th scope=\"col\">vs City of London</th>"));
    assert!(!report.contains("<th scope=\"col\">City of London</th>") && !report.contains("(this area"));
    assert!(report.contains("local Moran's I over every LSOA of England") && report.contains("(Moran's I for England"));
    // Its inequality is drawn across its own LSOAs, as its own atlas would draw it.
    assert!(report.contains("<p>Across City of London's LSOAs, income deprivation falls by"));
    assert!(report.contains("The district is made of these LSOAs"));
    // Its change since 2019 stands beside England alone: there are no localities to set it among.
    let (status, change) =
        fixture().get(&format!("/charts/change.svg?indicator=iod25_income_rate&district={CITY_OF_LONDON}")).await;
    assert_eq!(status, StatusCode::OK, "{change}");
    assert!(change.contains("IoD2019 and IoD2025 for City of London."), "{change}");
    assert!(report.contains("IoD2019 and IoD2025 for City of London."), "the report's change chart");
    let (status, body) = fixture().get("/charts/change.svg?indicator=iod25_income_rate&district=E08000026").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("not a district of this atlas"), "{body}");
    // England's published figure is England's: it is never given as the district's.
    let profile = fixture().get_json(&format!("/api/localities/{CITY_OF_LONDON}/profile")).await;
    for row in profile["indicators"].as_array().unwrap() {
        let (district, england) = (&row["district"]["published"], &row["england"]["published"]);
        assert!(district.is_null() || district != england, "{}: {district} {england}", row["id"]);
    }
    let (status, spine) = fixture().get(&format!("/charts/spine.svg?locality={RUTLAND}")).await;
    assert_eq!(status, StatusCode::OK, "{spine}");
    assert!(spine.contains("Rutland"), "the spine chart does not name the district");
    let lsoa = &england().lsoas()[england().district(RUTLAND).unwrap().lsoas[0]];
    let described = fixture().get_json(&format!("/api/lsoa/{}", lsoa.code)).await;
    assert_eq!(described["district"]["name"], "Rutland");
    // A district's own atlas says nothing of districts within it.
    let own = rutland_atlas().get_json(&format!("/api/lsoa/{}", lsoa.code)).await;
    assert!(own.get("district").is_none(), "{own}");
}

/// Each district of England's atlas carries MHCLG's own summary of it (IoD File 10) beside its
/// computed figure, as the district's own build does, and the report sets it beside the
/// district's value (a whole district has no district column to hold it).
#[tokio::test]
async fn each_district_carries_its_published_summary_as_its_own_build_does() {
    let in_england = fixture().get_json(&format!("/api/localities/{RUTLAND}/profile")).await;
    let locality = &rutland_atlas().atlas.localities()[0].id;
    let own = rutland_atlas().get_json(&format!("/api/localities/{locality}/profile")).await;
    let published = |profile: &Value| -> Vec<(String, f64)> {
        profile["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| Some((r["id"].as_str()?.to_owned(), r["district"]["published"]["value"].as_f64()?)))
            .collect()
    };
    let (ours, theirs) = (published(&in_england), published(&own));
    // The six IoD2025 average scores, the two IoD2025 rates and the two IoD2019 rates.
    assert_eq!(theirs.len(), 10, "{theirs:?}");
    assert_eq!(ours, theirs);
    assert!(ours.contains(&("iod25_imd_score".to_owned(), 9.851)), "{ours:?}");
    let (_, report) = fixture().get(&format!("/api/localities/{RUTLAND}/report.html")).await;
    assert!(report.contains("<td>9.8 (published 9.9)</td>"), "the district's value and its published figure");
    assert!(report.contains("<td>10.6% (published 10.5%)</td>"));
}

/// A district's inequality view in England's atlas is drawn across its own LSOAs and their own
/// local quintiles, and equals its own atlas's; the report and gradient chart say so.
#[tokio::test]
async fn a_districts_inequality_in_englands_atlas_equals_its_own_atlas_inequality() {
    let in_england = fixture().get_json(&format!("/api/inequality/iod25_income_rate?district={RUTLAND}")).await;
    let own = rutland_atlas().get_json("/api/inequality/iod25_income_rate").await;
    for key in ["by_national_decile", "by_local_quintile", "sii", "rii", "method"] {
        assert_eq!(in_england[key], own[key], "{key}");
    }
    assert!(in_england["sii"]["value"].is_number(), "{in_england}");
    assert!(in_england["method"].as_str().unwrap().starts_with("Groups: Rutland LSOAs"), "{in_england}");
    let lsoas: u64 =
        in_england["by_national_decile"].as_array().unwrap().iter().map(|g| g["lsoas"].as_u64().unwrap()).sum();
    assert_eq!(lsoas as usize, england().district(RUTLAND).unwrap().lsoas.len());
    // Without a district, across every LSOA of the atlas; an unknown district is a JSON 404.
    let all = fixture().get_json("/api/inequality/iod25_income_rate").await;
    assert_ne!(all["sii"], in_england["sii"]);
    let (status, body) = fixture().get("/api/inequality/iod25_income_rate?district=E08000026").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("no district \\\"E08000026\\\" in this atlas"), "{body}");
    let (_, report) = fixture().get(&format!("/api/localities/{RUTLAND}/report.html")).await;
    assert!(report.contains("Across Rutland's LSOAs, income deprivation falls by"), "the report's inequality section");
    let (status, gradient) =
        fixture().get(&format!("/export/gradient.csv?indicator=iod25_income_rate&locality={RUTLAND}")).await;
    assert_eq!(status, StatusCode::OK, "{gradient}");
    assert!(gradient.contains("IoD2025, by national IMD 2025 decile of Rutland's LSOAs"), "{gradient}");
}

/// A whole district is its own district figure: its readings set it against England alone, never
/// against itself ("value 31.8 against Hackney 31.8").
#[tokio::test]
async fn a_whole_districts_readings_never_set_it_against_itself() {
    let profile = fixture().get_json(&format!("/api/localities/{RUTLAND}/profile")).await;
    let readings: Vec<&str> =
        profile["indicators"].as_array().unwrap().iter().filter_map(|r| r["reading"]["text"].as_str()).collect();
    assert!(readings.len() > 30, "{}", readings.len());
    for text in &readings {
        for itself in ["against Rutland", "(Rutland ", "; Rutland ", "and Rutland "] {
            assert!(!text.contains(itself), "{text}");
        }
    }
    let imd = row(&profile, "iod25_imd_score")["reading"]["text"].as_str().unwrap();
    assert!(
        imd.contains("for this measure (England 10%)") && imd.contains("; value 9.8 against England 21.8"),
        "{imd}"
    );
    // A locality of the district's own atlas is still set against the district and England.
    let locality = &rutland_atlas().atlas.localities()[0].id;
    let own = rutland_atlas().get_json(&format!("/api/localities/{locality}/profile")).await;
    let imd = row(&own, "iod25_imd_score")["reading"]["text"].as_str().unwrap();
    assert!(imd.contains("against Rutland 9.8 and England 21.8"), "{imd}");
}
