//! Every comparison the product prints is valid: IoD editions are compared in relative terms only,
//! benchmarks are computed like the area's figure, and every profile row ends in a reading.

use crate::common;

use axum::http::StatusCode;
use locality_atlas::analysis::reading::is_dead_end;
use locality_atlas::analysis::{
    Area, CustomAreaRequest, Disclosure, ReadingKind, RelativeDirection, attention, custom_area, profile, words,
};
use locality_atlas::stats::Comparison;
use serde_json::{Value, json};

const LOCALITIES: [&str; 3] = ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"];

/// Figures recomputed independently from the raw publisher files (MHCLG IoD2019 and IoD2025 for
/// all English LSOAs, Census 2021 usual residents, the ONS LSOA 2011→2021 lookup):
/// (locality, % of residents in England's most deprived 10% by IMD in 2019 and 2025,
/// income deprivation as a ratio to England's rate in 2019 and 2025).
const INDEPENDENT: [(&str, f64, f64, f64, f64); 4] = [
    ("wood-end-henley-green", 80.605015, 80.605015, 2.711515, 2.266532),
    ("canley-tile-hill", 39.306767, 27.522990, 1.620629, 1.439431),
    ("spon-end-st-michaels", 22.278922, 22.278922, 1.311161, 1.461365),
    ("coventry", 15.389382, 18.270801, 1.200980, 1.260998),
];

fn area(id: &str) -> Area {
    let atlas = common::atlas();
    if id == "coventry" { Area::city(atlas) } else { Area::locality(atlas, id).unwrap() }
}

#[test]
fn shares_in_englands_most_deprived_tenth_and_income_ratios_match_an_independent_recomputation() {
    let atlas = common::atlas();
    for (id, share19, share25, ratio19, ratio25) in INDEPENDENT {
        let result = profile(atlas, &area(id), &Disclosure::default());
        let imd = result.indicators.iter().find(|r| r.id == "iod25_imd_rank").unwrap();
        let [before, after] = imd.since_2019.as_ref().unwrap().positions.clone().unwrap();
        assert!((before.share10.unwrap() - share19).abs() < 1e-4, "{id} 2019 {:?}", before.share10);
        assert!((after.share10.unwrap() - share25).abs() < 1e-4, "{id} 2025 {:?}", after.share10);
        let income = result.indicators.iter().find(|r| r.id == "iod25_income_rate").unwrap();
        let [before, after] = income.since_2019.as_ref().unwrap().ratios.clone().unwrap();
        let (b, a) = (before.to_england.unwrap().ratio.value, after.to_england.unwrap().ratio.value);
        assert!((b - ratio19).abs() < 1e-5, "{id} ratio 2019 {b}");
        assert!((a - ratio25).abs() < 1e-5, "{id} ratio 2025 {a}");
    }
}

#[test]
fn wood_end_income_is_flagged_worsening_only_if_its_ratio_to_england_got_significantly_worse() {
    let atlas = common::atlas();
    let result = profile(atlas, &area("wood-end-henley-green"), &Disclosure::default());
    let income = result.indicators.iter().find(|r| r.id == "iod25_income_rate").unwrap();
    let change = income.since_2019.as_ref().unwrap();
    // 2.71× England's rate in IoD2019, 2.27× in IoD2025: the gap narrowed, it did not widen.
    assert_eq!(change.vs_england, RelativeDirection::RelativelyBetter);
    let list = attention(&result);
    let entry = list.iter().find(|a| a.id == "iod25_income_rate").expect("still worse than both benchmarks");
    assert!(!entry.red_red, "income is not 'worsening'");
    for a in &list {
        assert_eq!(a.red_red, a.since_2019 == Some(RelativeDirection::RelativelyWorse), "{}", a.id);
        assert!(!a.id.starts_with("iod19_income") && !a.id.starts_with("iod19_employment"), "superseded {}", a.id);
    }
}

/// Words that would read a level difference between editions as a change.
const CHANGE_WORDS: [&str; 6] = ["improved", "worsened", "worsening", "got worse", "got better", "deteriorat"];

fn assert_no_level_change_words(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for word in CHANGE_WORDS {
        assert!(!lower.contains(word), "{what} says {word:?}");
    }
}

#[tokio::test]
async fn no_output_calls_a_level_difference_between_editions_an_improvement_or_a_worsening() {
    let mut paths: Vec<String> = Vec::new();
    for id in LOCALITIES {
        paths.push(format!("/api/localities/{id}/profile"));
        paths.push(format!("/api/localities/{id}/attention"));
        paths.push(format!("/api/localities/{id}/report.html"));
    }
    paths.push("/api/localities/coventry/profile?level=city".into());
    paths.push("/api/localities/E05001223/profile?level=ward".into());
    for indicator in ["iod25_income_rate", "iod25_employment_rate", "iod25_imd_rank", "iod19_income_rate"] {
        paths.push(format!("/charts/change.svg?indicator={indicator}"));
        paths.push(format!("/export/change.csv?indicator={indicator}"));
    }
    for path in &paths {
        let (status, body) = common::get_text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_no_level_change_words(path, &body);
    }
    let (status, custom) =
        common::post("/api/custom-area", json!({ "lsoas": ["E01009577", "E01009579", "E01009580"] })).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_level_change_words("custom area", &custom.to_string());
    // Where both editions' levels are shown, they carry the warning.
    let (_, csv) = common::get_text("/export/change.csv?indicator=iod25_income_rate").await;
    assert!(csv.contains("methods changed: not comparable"));
}

#[test]
fn no_profile_row_of_any_area_ends_without_a_benchmark_and_a_reading() {
    let atlas = common::atlas();
    let mut areas: Vec<Area> = LOCALITIES.iter().map(|id| area(id)).collect();
    areas.push(Area::city(atlas));
    areas.extend(atlas.wards().iter().filter_map(|w| Area::ward(atlas, &w.code)));
    for area in &areas {
        for row in profile(atlas, area, &Disclosure::default()).indicators {
            assert!(!is_dead_end(&row.reading), "{} {}: {:?}", area.name, row.id, row.reading);
            let benchmarked = row.england.value.is_some() || row.district.value.is_some() || row.deciles.is_some();
            assert!(benchmarked, "{} {} has no benchmark", area.name, row.id);
            for label in [&row.england.label, &row.district.label] {
                assert_ne!(label, "Not compared", "{} {}", area.name, row.id);
            }
        }
    }
}

#[test]
fn standardised_ratios_set_each_lsoa_against_englands_100_and_give_no_area_a_mean_of_lsoa_ratios() {
    let atlas = common::atlas();
    for id in ["iod25_cidr", "iod25_acute_morbidity", "iod19_cidr"] {
        let indicator = atlas.indicator(id).unwrap();
        assert!(!indicator.definition.contains("100 is the England average"), "{id}");
        for area in [area("canley-tile-hill"), area("coventry")] {
            let result = profile(atlas, &area, &Disclosure::default());
            let row = result.indicators.iter().find(|r| r.id == id).unwrap();
            assert_eq!(row.area.value, None, "{id} {}: no area ratio", area.name);
            assert_eq!(row.england.value, Some(100.0), "{id}");
            assert_eq!(row.district.value, None, "{id}");
            assert_eq!(row.reading.kind, ReadingKind::LsoaRatios, "{id}");
            let position = row.position.as_ref().unwrap();
            assert!(
                row.reading.text.starts_with(&format!("{:.0}% of residents", position.share10)),
                "{id}: {}",
                row.reading.text
            );
            assert!(row.reading.text.contains("so England's is 100 by construction"), "{id}");
            assert!(!is_dead_end(&row.reading), "{id}");
        }
    }
    // One LSOA has its own published ratio, set against England's 100.
    let lsoa = custom_area(atlas, &CustomAreaRequest::Lsoas(vec!["E01009577".into()])).unwrap();
    let row =
        profile(atlas, &lsoa, &Disclosure::default()).indicators.into_iter().find(|r| r.id == "iod25_cidr").unwrap();
    let published = atlas.observations("iod25_cidr").unwrap()[atlas.lsoa_index("E01009577").unwrap()].unwrap().value;
    assert_eq!(row.area.value, published);
    let text = format!(
        "Value {} against England 100",
        words::figure(published.unwrap(), atlas.indicator("iod25_cidr").unwrap())
    );
    assert!(row.reading.text.contains(&text), "{}", row.reading.text);
}

#[test]
fn one_lsoa_is_placed_in_englands_worst_tenth_or_fifth_not_given_a_share_of_residents() {
    let atlas = common::atlas();
    for code in ["E01009577", "E01009579", "E01009700", "E01032533"] {
        let lsoa = custom_area(atlas, &CustomAreaRequest::Lsoas(vec![code.into()])).unwrap();
        for row in profile(atlas, &lsoa, &Disclosure::default()).indicators {
            let (Some(p), ReadingKind::Descriptive | ReadingKind::LsoaRatios) = (&row.position, row.reading.kind)
            else {
                continue;
            };
            let (worst, what) = if row.reading.kind == ReadingKind::LsoaRatios {
                ("worst", "ratio")
            } else {
                ("most deprived", "measure")
            };
            let band = match (p.share10 > 0.0, p.share20 > 0.0) {
                (true, _) => format!("among England's {worst} 10%"),
                (false, true) => format!("among England's {worst} 20%, not its {worst} 10%,"),
                (false, false) => format!("not among England's {worst} 20%"),
            };
            let start = format!("The LSOA is {band} for this {what} (Coventry ");
            assert!(row.reading.text.starts_with(&start), "{code} {}: {}", row.id, row.reading.text);
        }
    }
}

#[test]
fn crude_age_sensitive_rates_are_higher_or_lower_beside_the_age_structure() {
    let atlas = common::atlas();
    for id in LOCALITIES {
        let result = profile(atlas, &area(id), &Disclosure::default());
        let disabled = result.indicators.iter().find(|r| r.id == "census21_disabled").unwrap();
        assert!(disabled.crude);
        for c in [disabled.england.comparison, disabled.district.comparison] {
            assert!(matches!(c, Comparison::Higher | Comparison::Lower | Comparison::Similar), "{id}: {c:?}");
        }
        assert!(disabled.reading.text.contains("not age-standardised"), "{id}");
        assert!(disabled.reading.text.contains("65 and over"), "{id}: the age structure is beside it");
        assert!(result.age_structure.england_65_plus.is_some_and(|v| (v - 18.41).abs() < 0.01));
        assert!(attention(&result).iter().all(|a| a.id != "census21_disabled"), "{id}");
    }
}

#[tokio::test]
async fn a_district_figure_has_no_map_and_is_read_as_coventry_against_england() {
    let atlas = common::atlas();
    for id in ["iod25_homelessness_rate", "iod19_homelessness_rate"] {
        let indicator = atlas.indicator(id).unwrap();
        assert!(indicator.district_figure && indicator.counterpart.is_none(), "{id}");
        let (status, body) = common::get(&format!("/api/indicators/{id}/classes")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{id}: {body}");
        let result = profile(atlas, &area("wood-end-henley-green"), &Disclosure::default());
        let row = result.indicators.iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.area.value, None, "no figure for the locality itself");
        assert_eq!(row.district.comparison, Comparison::NotCompared);
        assert!(row.reading.text.contains("Coventry as a whole"), "{}", row.reading.text);
    }
    let (_, tilejson) = common::get("/tiles/lsoa.json").await;
    let fields = &tilejson["vector_layers"][0]["fields"];
    assert!(fields.get("iod25_homelessness_rate").is_none(), "not a tile property");
    assert!(fields.get("iod25_income_rate").is_some());
}

#[tokio::test]
async fn an_lsoa_shows_its_national_percentile_and_decile_move_in_each_edition() {
    let (status, body) = common::get("/api/lsoa/E01009577").await;
    assert_eq!(status, StatusCode::OK);
    let ranks = body["since_2019"]["ranks"].as_array().unwrap();
    assert_eq!(ranks.len(), 8, "the IMD and seven domains");
    let imd: &Value = ranks.iter().find(|r| r["later"] == "iod25_imd_rank").unwrap();
    let atlas = common::atlas();
    let rank = atlas.observation("iod25_imd_rank", "E01009577").unwrap().value.unwrap();
    assert!((imd["percentile_2025"].as_f64().unwrap() - rank / 33_755.0 * 100.0).abs() < 1e-9);
    let decile = atlas.observation("iod25_imd_decile", "E01009577").unwrap().value.unwrap();
    assert_eq!(imd["decile_2025"].as_f64().unwrap(), decile);
    let before = atlas.observation("iod19_imd_decile", "E01009577").unwrap().value.unwrap();
    assert_eq!(imd["decile_move"].as_f64().unwrap(), decile - before);
}

/// "Relatively worse" says on which side of the benchmark the area was: Spon End / St Michael's
/// employment deprivation went from below England's rate to above it, and stayed below Coventry's.
/// Only a move towards a benchmark without crossing it carries the note on the method.
#[tokio::test]
async fn a_relative_move_says_on_which_side_of_the_benchmark_the_area_was() {
    let (_, profile) = common::get("/api/localities/spon-end-st-michaels/profile").await;
    let employment =
        profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "iod25_employment_rate").unwrap();
    let words = employment["since_2019"]["words"].as_str().unwrap();
    assert!(
        words.contains("relatively worse: below England's rate in IoD2019 and above it in IoD2025 (significant)."),
        "{words}"
    );
    assert!(
        words.contains("Relative to Coventry: relatively worse: below Coventry's rate in both editions, less far below in IoD2025 (significant)."),
        "{words}"
    );
    assert!(!words.contains("gap"), "{words}");
    assert!(!words.contains("Note:"), "crossing England's rate is not the method's doing: {words}");
}

/// A ratio to England that narrowed from above carries the note on what the method alone does to
/// it, in words true of any rate above England's (it said "well above" of 1.01×).
#[tokio::test]
async fn a_narrowing_above_england_is_read_beside_what_the_method_does() {
    let (_, profile) = common::get("/api/localities/wood-end-henley-green/profile").await;
    let income = profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "iod25_income_rate").unwrap();
    let words = income["since_2019"]["words"].as_str().unwrap();
    assert!(
        words.contains(
            "relatively better: above England's rate in both editions, less far above in IoD2025 (significant)"
        ),
        "{words}"
    );
    assert!(words.contains(&format!(" Note: {}. ", locality_atlas::analysis::relative::COMPRESSION)), "{words}");
    assert!(!words.contains("well above"), "{words}");
}
