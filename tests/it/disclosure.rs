//! Small counts, and everything derived from them, are withheld with the reason.

use crate::common;

use locality_atlas::analysis::{Area, Disclosure, aggregate, profile};
use locality_atlas::atlas::Observation;

#[test]
fn a_count_below_the_threshold_withholds_the_count_and_value_but_not_the_population() {
    let atlas = common::atlas();
    let indicator = atlas.indicator("census21_overcrowded").unwrap();
    let observation = Observation { numerator: Some(4.0), denominator: Some(600.0), value: Some(0.667) };
    let published = Disclosure::default().publish(indicator, &observation);
    assert_eq!((published.numerator, published.value, published.denominator), (None, None, Some(600.0)));
    assert!(published.suppressed.unwrap().contains("below 5"));
    let at_threshold = Observation { numerator: Some(5.0), ..observation };
    assert_eq!(Disclosure::default().publish(indicator, &at_threshold).numerator, Some(5.0));
}

#[test]
fn aggregates_are_suppressed_when_their_summed_count_is_small() {
    let atlas = common::atlas();
    let strict = Disclosure { threshold: 30.0 };
    let indicator = atlas.indicator("census21_overcrowded").unwrap();
    // Find an LSOA with fewer than 30 overcrowded households.
    let (index, _) = atlas
        .lsoas()
        .iter()
        .enumerate()
        .find(|(_, l)| atlas.observation(&indicator.id, &l.code).and_then(|o| o.numerator).is_some_and(|n| n < 30.0))
        .expect("a small count exists");
    let result = aggregate(atlas, indicator, &[locality_atlas::analysis::Member { lsoa: index, share: 1.0 }], &strict);
    assert_eq!((result.numerator, result.value, result.ci95, result.ci998), (None, None, None, None));
    assert!(result.suppressed.is_some());
    assert!(result.denominator.is_some(), "the population is not disclosive");
}

#[test]
fn no_profile_shows_a_count_below_the_threshold() {
    let atlas = common::atlas();
    let strict = Disclosure { threshold: 1000.0 };
    for locality in atlas.localities() {
        let area = Area::locality(atlas, &locality.id).unwrap();
        for row in profile(atlas, &area, &strict).indicators {
            if let Some(n) = row.area.numerator {
                assert!(n >= 1000.0, "{} {}: {n}", locality.id, row.id);
            }
            if row.area.suppressed.is_some() {
                assert_eq!(row.area.value, None);
                assert_eq!(row.district.comparison, locality_atlas::stats::Comparison::NotCompared);
            }
        }
    }
}

#[tokio::test]
async fn lsoa_values_in_the_api_carry_the_suppression_reason() {
    let (_, body) = common::get("/api/indicators/census21_overcrowded/values").await;
    for row in body["values"].as_array().unwrap() {
        match row["numerator"].as_f64() {
            Some(n) => assert!(n >= 5.0, "{row}"),
            None => {
                assert!(row["value"].is_null(), "{row}");
                assert!(row["suppressed"].as_str().unwrap().contains("suppressed"), "{row}");
            }
        }
    }
}
