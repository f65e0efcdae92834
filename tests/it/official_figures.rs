//! The committed data reproduces MHCLG's published figures for Coventry.

use crate::common;

use locality_atlas::analysis::{Area, Disclosure, aggregate};
use locality_atlas::atlas::ComparatorRole;
use locality_atlas::atlas::schema::COVENTRY_CODE;

#[test]
fn coventry_population_weighted_imd_score_matches_the_official_27_528() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let imd = atlas.indicator("iod25_imd_score").unwrap();
    let result = aggregate(atlas, imd, &city.members, &Disclosure::default());
    let value = result.value.expect("a weighted mean");
    // Weighted by Census 2021 usual residents; MHCLG weights by mid-2022 population.
    assert!((value - 27.528).abs() < 0.1, "weighted IMD score {value}");
    assert!((value - 27.4776).abs() < 0.001, "weighted IMD score {value}");
    assert_eq!(result.lsoas_used, 203);
}

#[test]
fn thirty_six_of_203_lsoas_are_in_national_decile_one() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let decile = atlas.indicator("iod25_imd_decile").unwrap();
    let distribution = aggregate(atlas, decile, &city.members, &Disclosure::default()).distribution.unwrap();
    assert_eq!(distribution[0], 36.0);
    assert_eq!(distribution.iter().sum::<f64>(), 203.0);
    let share = distribution[0] / 203.0 * 100.0;
    assert!((share - 17.73).abs() < 0.005, "{share}");
}

#[test]
fn ranks_give_the_same_decile_distribution_as_the_published_deciles() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let by_rank = aggregate(atlas, atlas.indicator("iod25_imd_rank").unwrap(), &city.members, &Disclosure::default());
    let by_decile =
        aggregate(atlas, atlas.indicator("iod25_imd_decile").unwrap(), &city.members, &Disclosure::default());
    assert_eq!(by_rank.distribution, by_decile.distribution);
}

#[test]
fn coventry_income_deprivation_from_summed_counts_matches_file_10() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let income = atlas.indicator("iod25_income_rate").unwrap();
    let result = aggregate(atlas, income, &city.members, &Disclosure::default());
    // File 10: Coventry income scale 103,207 and rate 0.293; LSOA counts are rounded to 5.
    assert_eq!(result.numerator, Some(103185.0));
    let value = result.value.unwrap();
    assert!((value - 29.3).abs() < 0.1, "{value}");
    let published = atlas.comparator("iod25_income_rate", COVENTRY_CODE, ComparatorRole::Published).unwrap();
    assert_eq!(published.value, 29.3);
    assert_eq!(published.numerator, Some(103207.0));
}

#[test]
fn iod2019_income_deprivation_reproduces_the_2019_district_rate() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let income = atlas.indicator("iod19_income_rate").unwrap();
    let value = aggregate(atlas, income, &city.members, &Disclosure::default()).value.unwrap();
    // IoD2019 File 10: Coventry income score 0.154.
    assert!((value - 15.4).abs() < 0.05, "{value}");
}

#[test]
fn census_population_sums_to_the_published_coventry_total() {
    let atlas = common::atlas();
    let city = Area::city(atlas);
    let population = atlas.indicator("census21_population").unwrap();
    let result = aggregate(atlas, population, &city.members, &Disclosure::default());
    assert_eq!(result.value, Some(345316.0));
}
