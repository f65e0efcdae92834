//! England and Coventry benchmarks are computed from LSOAs as an area's own figure is, beside
//! MHCLG's published figures, and every rank can be placed in England's distribution.

use std::sync::OnceLock;

use locality_atlas::atlas::{Atlas, ComparatorRole, ValueType, embedded_files, load};

const ENGLAND: &str = "E92000001";
const COVENTRY: &str = "E08000026";

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| load(&embedded_files()).expect("the committed data is valid"))
}

fn benchmark(id: &str, area: &str) -> f64 {
    atlas().comparator(id, area, ComparatorRole::Benchmark).unwrap_or_else(|| panic!("no benchmark for {id}")).value
}

fn published(id: &str, area: &str) -> f64 {
    atlas().comparator(id, area, ComparatorRole::Published).unwrap_or_else(|| panic!("no figure for {id}")).value
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn every_indicator_but_ranks_and_deciles_has_its_england_benchmark_and_a_coventry_one_where_it_combines() {
    for indicator in atlas().catalogue() {
        let distribution = matches!(indicator.value_type, ValueType::Rank | ValueType::Decile);
        // The sources hold COVID-19 deaths for Coventry's MSOAs only, and no England LSOA table of
        // NS-SEC (TS062) or qualifications (TS067).
        // Distances to GP practices are computed for Coventry's practices only.
        let coventry_only = [
            "census21_nssec_routine",
            "census21_nssec_never_worked",
            "census21_no_qualifications",
            "gp_distance_km",
            "gp_practices_within_1km",
        ];
        let england_held = !indicator.is_msoa() && !coventry_only.contains(&indicator.id.as_str());
        // A standardised ratio without counts is 100 for England by construction, and no district
        // ratio can be formed from its LSOAs' ratios.
        let coventry_held = !indicator.is_standardised_ratio();
        for (area, held) in [(COVENTRY, coventry_held), (ENGLAND, england_held)] {
            let found = atlas().comparator(&indicator.id, area, ComparatorRole::Benchmark).is_some();
            assert_eq!(found, !distribution && held, "{} benchmark for {area}", indicator.id);
        }
    }
}

#[test]
fn standardised_ratios_are_100_for_england_by_construction_and_no_mean_of_lsoa_ratios_stands_for_an_area() {
    // Weighted by residents, England's LSOA ratios average these, not 100: the notes say so, as the
    // reason no area is given such a mean.
    for (id, mean) in [
        ("iod25_cidr", 113.29),
        ("iod25_acute_morbidity", 105.50),
        ("iod19_cidr", 116.89),
        ("iod19_acute_morbidity", 118.80),
    ] {
        let indicator = atlas().indicator(id).unwrap();
        assert!(indicator.is_standardised_ratio(), "{id}");
        assert!(indicator.notes.contains(&format!("average {mean:.2}, not 100")), "{id} notes: {}", indicator.notes);
        let england = atlas().comparator(id, ENGLAND, ComparatorRole::Benchmark).unwrap();
        assert_eq!(england.value, 100.0, "{id}");
        assert!(england.basis.starts_with("England = 100 by construction"), "{id}: {}", england.basis);
        assert!(atlas().comparator(id, COVENTRY, ComparatorRole::Benchmark).is_none(), "{id}");
        assert!(atlas().england_range(id).is_none(), "{id}: no district has a ratio to range over");
        assert!(atlas().neighbour_figure(COVENTRY, id).is_none(), "{id}");
        assert!(atlas().england_position(id).is_some(), "{id}: areas are placed in England's distribution instead");
    }
}

#[test]
fn standardised_scores_have_a_population_weighted_england_mean_of_about_zero() {
    for id in [
        "iod25_health_score",
        "iod25_crime_score",
        "iod25_mental_health",
        "iod25_digital_connectivity",
        "iod25_children_young_people_score",
        "iod19_mood_anxiety",
    ] {
        let england = benchmark(id, ENGLAND);
        assert!(england.abs() <= 0.05, "{id}: England {england}");
    }
}

#[test]
fn income_deprivation_is_benchmarked_from_lsoa_sums_beside_file_10() {
    assert_eq!(round2(benchmark("iod25_income_rate", ENGLAND)), 23.31);
    assert_eq!(round2(published("iod25_income_rate", ENGLAND)), 23.19);
    assert_eq!(round2(benchmark("iod25_income_rate", COVENTRY)), 29.39);
    assert_eq!(published("iod25_income_rate", COVENTRY), 29.3);
    assert_eq!(round2(benchmark("iod25_employment_rate", ENGLAND)), 13.57);
    assert_eq!(round2(published("iod25_employment_rate", ENGLAND)), 13.44);
    assert_eq!(round2(benchmark("iod19_income_rate", ENGLAND)), 12.86);
    assert_eq!(round2(benchmark("iod19_income_rate", COVENTRY)), 15.44);
    assert_eq!(published("iod19_income_rate", COVENTRY), 15.4);
    assert_eq!(round2(benchmark("iod19_employment_rate", ENGLAND)), 9.91);
}

#[test]
fn the_imd_score_benchmark_is_the_population_weighted_mean_of_all_england_lsoas() {
    let england = atlas().comparator("iod25_imd_score", ENGLAND, ComparatorRole::Benchmark).unwrap();
    assert_eq!(round2(england.value), 21.84);
    assert!(england.basis.contains("33,755 England LSOAs"), "{}", england.basis);
    assert_eq!(published("iod25_imd_score", COVENTRY), 27.528);
}

#[test]
fn adult_skills_is_a_percentage_of_working_age_adults() {
    let adult_skills = atlas().indicator("iod25_adult_skills_score").unwrap();
    assert_eq!(adult_skills.unit, "%");
    assert_eq!(adult_skills.value_type, ValueType::Proportion);
    let england = benchmark("iod25_adult_skills_score", ENGLAND);
    assert!((20.0..30.0).contains(&england), "{england}");
}

#[test]
fn homelessness_is_a_district_figure_without_a_counterpart() {
    for id in ["iod25_homelessness_rate", "iod19_homelessness_rate"] {
        let indicator = atlas().indicator(id).unwrap();
        assert!(indicator.district_figure, "{id}");
        assert_eq!(indicator.counterpart, None, "{id}");
        assert!(atlas().england_position(id).is_none(), "{id} has no LSOA positions");
        assert!(atlas().england_range(id).is_some(), "{id} has a range over districts");
    }
}

#[test]
fn disability_is_marked_as_a_crude_age_sensitive_share() {
    let disabled = atlas().indicator("census21_disabled").unwrap();
    assert!(disabled.age_sensitive);
    assert!(disabled.notes.contains("not age-standardised"), "{}", disabled.notes);
}

#[test]
fn every_rank_knows_its_national_areas_and_has_a_position() {
    let ranks: Vec<_> = atlas().catalogue().iter().filter(|i| i.value_type == ValueType::Rank).collect();
    assert_eq!(ranks.len(), 16);
    for rank in ranks {
        let areas = rank.national_areas.unwrap_or_else(|| panic!("{} has no national_areas", rank.id));
        let position = atlas().england_position(&rank.id).unwrap_or_else(|| panic!("no position for {}", rank.id));
        assert_eq!(position.lsoas, areas as usize, "{}", rank.id);
        let counterpart = rank.counterpart.as_deref().unwrap();
        assert_eq!(atlas().indicator(counterpart).unwrap().counterpart.as_deref(), Some(rank.id.as_str()));
    }
}

#[test]
fn about_a_tenth_of_england_lives_in_the_imd_worst_tenth() {
    let imd = atlas().england_position("iod25_imd_rank").unwrap();
    assert_eq!((imd.worst10, imd.worst20), (3375.0, 6751.0));
    assert!((8.0..=12.0).contains(&imd.england_share10), "{}", imd.england_share10);
    // 36 of Coventry's 203 LSOAs are in decile 1; weighted by their residents.
    assert_eq!(round2(imd.district_share10), 18.27);
}

#[test]
fn england_ranges_span_the_296_districts() {
    let range = atlas().england_range("iod25_income_rate").unwrap();
    assert_eq!(range.areas, 296);
    assert!(range.lowest < benchmark("iod25_income_rate", ENGLAND));
    assert!(range.highest > benchmark("iod25_income_rate", COVENTRY));
    assert!(atlas().england_range("census21_disabled").is_none(), "no national LSOA table for TS038");
}
