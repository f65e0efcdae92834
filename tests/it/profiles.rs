//! Locality profiles: figures re-aggregated from counts, Wilson intervals, and comparisons.

use crate::common;

use axum::http::StatusCode;
use locality_atlas::analysis::{Area, Disclosure, profile};
use locality_atlas::stats::Comparison;
use serde_json::Value;

/// Sums numerator and denominator of one indicator over LSOAs straight from the committed CSV.
fn sums_from_csv(indicator: &str, lsoas: &[&str]) -> (f64, f64) {
    let text = std::fs::read_to_string(common::root().join("data/indicators.csv")).unwrap();
    let (mut n, mut d) = (0.0, 0.0);
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[1] == indicator && lsoas.contains(&cells[0]) {
            n += cells[3].parse::<f64>().unwrap();
            d += cells[4].parse::<f64>().unwrap();
        }
    }
    (n, d)
}

/// The Wilson score interval written out from its formula, independently of the stats module.
fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let centre = 2.0 * x + z * z;
    let spread = z * (z * z + 4.0 * x * (1.0 - x / n)).sqrt();
    let denominator = 2.0 * (n + z * z);
    ((centre - spread) / denominator, (centre + spread) / denominator)
}

#[test]
fn wood_end_income_deprivation_is_summed_counts_with_a_wilson_interval() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, "wood-end-henley-green").unwrap();
    let codes = area.codes(atlas);
    assert_eq!(codes.len(), 6);
    let (n, d) = sums_from_csv("iod25_income_rate", &codes);
    assert_eq!(n, 5960.0);

    let result = profile(atlas, &area, &Disclosure::default());
    let income = result.indicators.iter().find(|r| r.id == "iod25_income_rate").unwrap();
    assert_eq!(income.area.numerator, Some(n));
    assert!((income.area.denominator.unwrap() - d).abs() < 1e-6);
    let value = income.area.value.unwrap();
    assert!((value - n / d * 100.0).abs() < 1e-9);

    let (lower, upper) = wilson(n, d, 1.959963984540054);
    let ci95 = income.area.ci95.unwrap();
    assert!((ci95.lower - lower * 100.0).abs() < 1e-9 && (ci95.upper - upper * 100.0).abs() < 1e-9);
    let (lower, upper) = wilson(n, d, 3.090232306167813);
    let ci998 = income.area.ci998.unwrap();
    assert!((ci998.lower - lower * 100.0).abs() < 1e-9 && (ci998.upper - upper * 100.0).abs() < 1e-9);

    // 52.8% against Coventry's 29.4% and England's 23.3%: far outside the 99.8% interval.
    assert_eq!(income.district.comparison, Comparison::Worst);
    assert_eq!(income.england.comparison, Comparison::Worst);
    // England from all English LSOAs, summed as the locality's figure is; MHCLG's File 10 beside it.
    assert!((income.england.value.unwrap() - 23.306844).abs() < 1e-6);
    assert!((income.england.published.as_ref().unwrap().value - 23.190903).abs() < 1e-6);
}

#[test]
fn all_three_localities_have_a_full_profile() {
    let atlas = common::atlas();
    for (id, lsoas) in [("wood-end-henley-green", 6), ("canley-tile-hill", 10), ("spon-end-st-michaels", 16)] {
        let area = Area::locality(atlas, id).unwrap();
        let result = profile(atlas, &area, &Disclosure::default());
        assert_eq!(result.lsoas.len(), lsoas, "{id}");
        assert_eq!(result.indicators.len(), atlas.catalogue().len());
        assert!(result.lsoas.iter().all(|l| l.confidence.is_some()), "{id}: confidence carried");
        let disabled = result.indicators.iter().find(|r| r.id == "census21_disabled").unwrap();
        assert!(disabled.area.ci95.is_some(), "{id}");
        assert_ne!(disabled.england.comparison, Comparison::NotCompared, "{id}");
    }
}

#[test]
fn a_no_judgement_indicator_says_higher_or_lower_not_better_or_worse() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, "wood-end-henley-green").unwrap();
    let result = profile(atlas, &area, &Disclosure::default());
    let young = result.indicators.iter().find(|r| r.id == "census21_age15under").unwrap();
    assert_eq!(young.england.comparison, Comparison::Higher);
    let social = result.indicators.iter().find(|r| r.id == "census21_social_rented").unwrap();
    assert_eq!(social.district.comparison, Comparison::Higher);
}

#[test]
fn scores_are_population_weighted_and_not_judged_without_an_interval() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, "canley-tile-hill").unwrap();
    let result = profile(atlas, &area, &Disclosure::default());
    let imd = result.indicators.iter().find(|r| r.id == "iod25_imd_score").unwrap();
    // Independently: sum(score x residents) / sum(residents) over the locality's LSOAs.
    let (mut weighted, mut people) = (0.0, 0.0);
    for code in area.codes(atlas) {
        let score = atlas.observation("iod25_imd_score", code).unwrap().value.unwrap();
        let residents = atlas.observation("census21_population", code).unwrap().value.unwrap();
        weighted += score * residents;
        people += residents;
    }
    assert!((imd.area.value.unwrap() - weighted / people).abs() < 1e-9);
    assert_eq!(imd.area.ci95, None);
    assert_eq!(imd.district.comparison, Comparison::NotCompared);
}

#[test]
fn deciles_become_a_distribution_of_lsoas() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, "spon-end-st-michaels").unwrap();
    let result = profile(atlas, &area, &Disclosure::default());
    let decile = result.indicators.iter().find(|r| r.id == "iod25_imd_decile").unwrap();
    assert_eq!(decile.area.distribution.unwrap(), [4.0, 7.0, 3.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn change_since_2019_is_a_ratio_to_england_never_a_level_difference() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, "wood-end-henley-green").unwrap();
    let result = profile(atlas, &area, &Disclosure::default());
    let income = result.indicators.iter().find(|r| r.id == "iod25_income_rate").unwrap();
    let change = income.since_2019.as_ref().unwrap();
    assert_eq!(change.earlier, "iod19_income_rate");
    assert_eq!(change.measure, "ratio_to_england");
    assert_eq!(change.levels, "methods changed: not comparable");
    let [before, after] = change.ratios.as_ref().unwrap();
    assert!(before.to_england.is_some() && after.to_england.is_some());
    for word in ["improved", "worsened", "Improved", "Worsened"] {
        assert!(!change.words.contains(word), "{}", change.words);
    }
}

#[tokio::test]
async fn profiles_and_attention_lists_are_served() {
    let (status, body) = common::get("/api/localities/canley-tile-hill/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "Canley/Tile Hill");
    let rows = body["indicators"].as_array().unwrap();
    let income = rows.iter().find(|r| r["id"] == "iod25_income_rate").unwrap();
    for field in ["numerator", "denominator", "value", "ci95", "ci998", "method", "district", "england", "period"] {
        assert!(!income[field].is_null(), "{field}");
    }

    let (status, ward) = common::get("/api/localities/E05001223/profile?level=ward").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ward["name"], "Henley");
    let (status, city) = common::get("/api/localities/coventry/profile?level=city").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(city["lsoas"].as_array().unwrap().len(), 203);

    let (status, attention) = common::get("/api/localities/wood-end-henley-green/attention").await;
    assert_eq!(status, StatusCode::OK);
    let list = attention["attention"].as_array().unwrap();
    let income = list.iter().find(|a| a["id"] == "iod25_income_rate").unwrap();
    // Worse than both benchmarks, but its ratio to England narrowed: not "worsening".
    assert_eq!(income["red_red"], Value::Bool(false));
    assert!(income["since_2019_words"].as_str().unwrap().contains("methods changed: not comparable"));

    assert_eq!(common::get("/api/localities/atlantis/profile").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        common::get("/api/localities/wood-end-henley-green/profile?level=galaxy").await.0,
        StatusCode::BAD_REQUEST
    );
}

/// The whole district is its own district figure: its attention list sets each indicator against
/// England alone, never "Coventry: this area".
#[tokio::test]
async fn the_whole_districts_attention_list_is_set_against_england_alone() {
    let (status, body) = common::get("/api/localities/district/attention?level=city").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list = body["attention"].as_array().unwrap();
    assert!(!list.is_empty(), "Coventry is significantly worse than England on some indicators: {body}");
    for item in list {
        let words = item["words"].as_str().unwrap();
        assert!(words.starts_with("England: ") && !words.contains("this area"), "{words}");
    }
    // A locality's is set against the district and England.
    let (_, body) = common::get("/api/localities/wood-end-henley-green/attention").await;
    let words = body["attention"][0]["words"].as_str().unwrap();
    assert!(words.starts_with("Coventry: ") && words.contains("; England: "), "{words}");
}
