//! The inequality gradient across Coventry's deprivation deciles, with SII and RII.

use crate::common;

use locality_atlas::analysis::inequality::InequalityReport;
use locality_atlas::analysis::{Disclosure, inequality};

/// SII and RII by weighted least squares written out independently.
fn slope(report: &InequalityReport) -> (f64, f64) {
    let groups: Vec<_> = report.by_national_decile.iter().filter(|g| g.lsoas > 0).collect();
    let total: f64 = groups.iter().map(|g| g.population).sum();
    let mut cumulative = 0.0;
    let (mut sw, mut swx, mut swy, mut swxx, mut swxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for g in &groups {
        let a = g.population / total;
        let b = cumulative + a / 2.0;
        cumulative += a;
        let y = g.value.unwrap();
        sw += a;
        swx += a * b;
        swy += a * y;
        swxx += a * b * b;
        swxy += a * b * y;
    }
    let beta1 = (sw * swxy - swx * swy) / (sw * swxx - swx * swx);
    let beta0 = (swy - beta1 * swx) / sw;
    (beta1, (beta0 + beta1) / beta0)
}

fn report(id: &str) -> InequalityReport {
    let atlas = common::atlas();
    inequality(atlas, atlas.indicator(id).unwrap(), &Disclosure::default())
}

#[test]
fn income_deprivation_falls_steeply_from_the_most_to_the_least_deprived_decile() {
    let r = report("iod25_income_rate");
    assert_eq!(r.by_national_decile.iter().map(|g| g.lsoas).sum::<usize>(), 203);
    assert_eq!(r.by_national_decile[0].lsoas, 36);
    let sii = r.sii.unwrap();
    let rii = r.rii.unwrap();
    let (expected_sii, expected_rii) = slope(&r);
    assert!((sii.value - expected_sii).abs() < 1e-9 * expected_sii.abs(), "{} vs {expected_sii}", sii.value);
    assert!((rii.value - expected_rii).abs() < 1e-9, "{} vs {expected_rii}", rii.value);
    assert!(sii.value < -50.0, "a gap of over 50 points: {}", sii.value);
    assert!(sii.ci95.lower < sii.value && sii.value < sii.ci95.upper);
    assert!(sii.ci998.lower < sii.ci95.lower && sii.ci95.upper < sii.ci998.upper);
}

#[test]
fn the_health_domain_score_has_an_sii_from_the_spread_of_its_lsoas() {
    let r = report("iod25_health_score");
    let sii = r.sii.expect("an SII for a score");
    let (expected_sii, _) = slope(&r);
    assert!((sii.value - expected_sii).abs() < 1e-9 * expected_sii.abs());
    assert!(sii.value < 0.0, "health deprivation is higher in deprived deciles: {}", sii.value);
    assert!(sii.ci95.width() > 0.0);
    // One of the Indices' scores: MHCLG says they are not read as ratios.
    assert_eq!(r.rii, None);
    assert_eq!(
        r.rii_unavailable.as_deref(),
        Some(
            "MHCLG's guidance is that an area with twice another's score is not twice as deprived, so a ratio of the slope's ends means nothing"
        )
    );
    // A z-score runs below zero: its 0 is England's average, not none.
    let mental = report("iod25_mental_health");
    assert!(mental.sii.is_some() && mental.rii.is_none());
    assert_eq!(
        mental.rii_unavailable.as_deref(),
        Some("its values run below zero (its zero is not \"none\"), so a ratio of the slope's ends means nothing")
    );
    // Years of life lost have a true zero: the ratio of the slope's ends is given.
    let ypll = report("iod25_ypll");
    assert!(ypll.rii.is_some_and(|r| r.value > 0.0), "{:?}", ypll.rii_unavailable);
}

#[test]
fn a_relative_index_is_given_only_where_both_ends_of_the_slope_are_above_zero() {
    // Coventry's income deprivation: the fitted line stays above zero at both ends.
    let income = report("iod25_income_rate");
    assert!(income.rii.unwrap().value > 0.0 && income.rii_unavailable.is_none());
    // A slope that crosses zero before the least deprived end has no ratio of its ends.
    let atlas = common::atlas();
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    let groups = [(100.0, 50.0), (100.0, 20.0), (100.0, 1.0)]
        .map(|(population, value)| locality_atlas::stats::InequalityGroup { population, value, standard_error: 0.5 });
    let slope = locality_atlas::stats::inequality(&groups, 10_000, 1).unwrap();
    assert!(slope.ends[1] < 0.0, "{:?}", slope.ends);
    let why =
        locality_atlas::analysis::inequality::relative_index(indicator, &slope, &[Some(50.0), Some(1.0)]).unwrap_err();
    assert!(why.starts_with("the fitted slope falls to −"), "{why}");
    assert!(why.ends_with("% at the least deprived end, and a ratio needs both ends above zero"), "{why}");
}

#[test]
fn the_monte_carlo_intervals_are_reproducible() {
    assert_eq!(report("iod25_income_rate").sii, report("iod25_income_rate").sii);
}

#[test]
fn localities_are_placed_in_deciles_and_quintiles() {
    let r = report("census21_disabled");
    let wood_end = r.localities.iter().find(|l| l.id == "wood-end-henley-green").unwrap();
    assert_eq!(wood_end.by_national_decile, [5, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(wood_end.by_local_quintile.iter().sum::<usize>(), 6);
    assert_eq!(r.by_local_quintile.iter().map(|g| g.lsoas).sum::<usize>(), 203);
}

#[tokio::test]
async fn the_inequality_endpoint_answers_and_refuses_unknown_indicators() {
    let (status, body) = common::get("/api/inequality/iod25_income_rate").await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert_eq!(body["by_national_decile"].as_array().unwrap().len(), 10);
    assert!(body["sii"]["ci95"]["lower"].is_number());
    assert_eq!(common::get("/api/inequality/nope").await.0, axum::http::StatusCode::NOT_FOUND);
}
