//! Census 2021 health, unpaid care, NS-SEC and qualifications are summed from Output Areas with
//! counts and England benchmarks where the sources allow, and loneliness is shown as modelled.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use locality_atlas::atlas::{Atlas, ComparatorRole, IntervalMethod, Polarity, Theme, ValueType, embedded_files, load};
use locality_atlas::ingest::Table;
use locality_atlas::prepare::census_oa::{OaTable, sum_output_areas};

const ENGLAND: &str = "E92000001";
const COVENTRY: &str = "E08000026";

/// The indicators summed from Output Areas.
const SUMMED: [&str; 9] = [
    "census21_bad_health",
    "census21_good_health",
    "census21_disabled_limited_a_lot",
    "census21_unpaid_care_any",
    "census21_unpaid_care_20plus",
    "census21_unpaid_care_50plus",
    "census21_nssec_routine",
    "census21_nssec_never_worked",
    "census21_no_qualifications",
];
const LONELINESS: &str = "lonely_cls2020_modelled";

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| load(&embedded_files()).expect("the committed data is valid"))
}

/// An LSOA's committed numerator and denominator.
fn counts(id: &str, lsoa: &str) -> (f64, f64) {
    let o = atlas().observation(id, lsoa).unwrap_or_else(|| panic!("no {id} for {lsoa}"));
    (o.numerator.unwrap(), o.denominator.unwrap())
}

fn benchmark(id: &str, area: &str) -> Option<&'static locality_atlas::atlas::Comparator> {
    atlas().comparator(id, area, ComparatorRole::Benchmark)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn the_summed_shares_have_a_count_and_a_denominator_in_every_lsoa() {
    for id in SUMMED {
        let indicator = atlas().indicator(id).unwrap_or_else(|| panic!("{id} is not in the catalogue"));
        assert_eq!((indicator.value_type, indicator.interval_method), (ValueType::Proportion, IntervalMethod::Wilson));
        assert_eq!((indicator.unit.as_str(), indicator.multiplier), ("%", 100.0), "{id}");
        assert_eq!(indicator.source, "ONS, Census 2021");
        assert_eq!(indicator.period, "Census 2021");
        assert!(indicator.licence.contains("Open Government Licence"));
        assert!(indicator.geography.starts_with("LSOA 2021, summed from Output Areas"), "{id}");
        assert!(indicator.notes.contains("summed from Census 2021 Output Areas"), "{id}");
        for lsoa in atlas().lsoas() {
            let (n, d) = counts(id, &lsoa.code);
            assert!(0.0 <= n && n <= d && d > 0.0, "{id} {}: {n} of {d}", lsoa.code);
        }
    }
    // With loneliness (a modelled value without counts), ten new indicators.
    assert!(atlas().indicator(LONELINESS).is_some());
}

#[test]
fn sample_lsoas_hold_the_sums_of_their_output_areas() {
    // Summed from the Coventry Output Area files of TS037, TS039 and TS067 (five OAs each), and equal to
    // the LSOA files derived from them (E01009522: bad 91 + very bad 27 of 1,907; no care 1,630 of 1,782).
    let expected = [
        ("E01009522", (118.0, 1907.0), (152.0, 1782.0), (249.0, 1406.0)),
        ("E01009580", (80.0, 1332.0), (104.0, 1276.0), (236.0, 1108.0)),
        ("E01009684", (158.0, 1484.0), (158.0, 1406.0), (280.0, 1205.0)),
    ];
    for (lsoa, bad, care, none) in expected {
        assert_eq!(counts("census21_bad_health", lsoa), bad, "{lsoa}");
        assert_eq!(counts("census21_unpaid_care_any", lsoa), care, "{lsoa}");
        assert_eq!(counts("census21_no_qualifications", lsoa), none, "{lsoa}");
    }
}

#[test]
fn unpaid_care_counts_each_carer_once() {
    // E01009522: 20 to 34 hours 15, 35 to 49 hours 18, 50 or more 51; any care 152 of 1,782 aged 5+.
    assert_eq!(counts("census21_unpaid_care_50plus", "E01009522"), (51.0, 1782.0));
    assert_eq!(counts("census21_unpaid_care_20plus", "E01009522"), (84.0, 1782.0));
    for lsoa in atlas().lsoas() {
        let any = counts("census21_unpaid_care_any", &lsoa.code).0;
        let twenty = counts("census21_unpaid_care_20plus", &lsoa.code).0;
        let fifty = counts("census21_unpaid_care_50plus", &lsoa.code).0;
        assert!(fifty <= twenty && twenty <= any, "{}: {fifty} {twenty} {any}", lsoa.code);
    }
}

#[test]
fn coventry_bad_health_is_the_sum_over_its_lsoas() {
    let coventry = benchmark("census21_bad_health", COVENTRY).unwrap();
    assert_eq!((coventry.numerator, coventry.denominator), (Some(18_509.0), Some(345_345.0)));
    assert_eq!(round2(coventry.value), 5.36);
    let (n, d) = atlas()
        .lsoas()
        .iter()
        .map(|l| counts("census21_bad_health", &l.code))
        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!((n, d), (18_509.0, 345_345.0));
}

#[test]
fn england_benchmarks_are_the_output_area_sums_of_every_english_lsoa() {
    let england = benchmark("census21_bad_health", ENGLAND).unwrap();
    assert_eq!((england.numerator, england.denominator), (Some(2_911_568.0), Some(56_490_069.0)));
    assert_eq!(round2(england.value), 5.15);
    assert_eq!(round2(benchmark("census21_good_health", ENGLAND).unwrap().value), 82.19);
    assert_eq!(round2(benchmark("census21_disabled_limited_a_lot", ENGLAND).unwrap().value), 7.33);
    assert_eq!(round2(benchmark("census21_unpaid_care_any", ENGLAND).unwrap().value), 8.76);
    assert_eq!(round2(benchmark("census21_unpaid_care_50plus", ENGLAND).unwrap().value), 2.63);
    for id in &SUMMED[..6] {
        let range = atlas().england_range(id).unwrap_or_else(|| panic!("no England range for {id}"));
        assert_eq!(range.areas, 296, "{id}");
    }
}

#[test]
fn nssec_and_qualifications_have_a_coventry_benchmark_but_no_england_one() {
    for id in &SUMMED[6..] {
        assert!(benchmark(id, COVENTRY).is_some(), "{id}");
        assert!(benchmark(id, ENGLAND).is_none(), "{id}");
        assert!(atlas().england_range(id).is_none(), "{id}");
        assert!(atlas().indicator(id).unwrap().notes.contains("No England benchmark"), "{id}");
    }
    assert_eq!(benchmark("census21_no_qualifications", COVENTRY).unwrap().denominator, Some(276_910.0));
    assert_eq!(benchmark("census21_nssec_never_worked", COVENTRY).unwrap().denominator, Some(276_875.0));
}

#[test]
fn crude_shares_of_age_dependent_outcomes_are_marked_and_never_judged() {
    // Every share summed from Output Areas except the NS-SEC classes; loneliness is modelled, not crude.
    let sensitive: BTreeSet<&str> = SUMMED.into_iter().filter(|id| !id.starts_with("census21_nssec")).collect();
    for id in SUMMED.iter().chain([&LONELINESS]) {
        let indicator = atlas().indicator(id).unwrap();
        assert_eq!(indicator.age_sensitive, sensitive.contains(id), "{id}");
        if indicator.age_sensitive {
            assert_eq!(indicator.judged_polarity(), Polarity::NoJudgement, "{id}");
            assert!(indicator.notes.contains("not age-standardised"), "{id}");
        }
    }
}

#[test]
fn caring_and_occupational_class_carry_no_judgement() {
    let polarity = |id: &str| atlas().indicator(id).unwrap().polarity;
    for id in ["census21_unpaid_care_any", "census21_unpaid_care_20plus", "census21_unpaid_care_50plus"] {
        assert_eq!(polarity(id), Polarity::NoJudgement, "{id}");
        assert!(atlas().indicator(id).unwrap().notes.starts_with("No judgement: caring is not a deficit"));
    }
    assert_eq!(polarity("census21_nssec_routine"), Polarity::NoJudgement);
    assert_eq!(polarity("census21_nssec_never_worked"), Polarity::LowIsGood);
    assert_eq!(polarity("census21_no_qualifications"), Polarity::LowIsGood);
    assert_eq!(polarity("census21_bad_health"), Polarity::LowIsGood);
    assert_eq!(polarity("census21_good_health"), Polarity::HighIsGood);
}

#[test]
fn each_indicator_sits_in_its_strategy_theme() {
    let theme = |id: &str| atlas().indicator(id).unwrap().theme;
    for id in &SUMMED[..3] {
        assert_eq!(theme(id), Theme::HealthAndWellbeing, "{id}");
    }
    for id in &SUMMED[3..6] {
        assert_eq!(theme(id), Theme::CareAndConnection, "{id}");
    }
    assert_eq!(theme("census21_nssec_routine"), Theme::IncomeAndCostOfLiving);
    assert_eq!(theme("census21_nssec_never_worked"), Theme::IncomeAndCostOfLiving);
    assert_eq!(theme("census21_no_qualifications"), Theme::EducationAndSkills);
    assert_eq!(theme(LONELINESS), Theme::CareAndConnection);
}

#[test]
fn loneliness_is_modelled_without_counts_and_never_places_single_lsoas() {
    let indicator = atlas().indicator(LONELINESS).unwrap();
    assert!(indicator.modelled);
    assert_eq!((indicator.value_type, indicator.interval_method), (ValueType::Proportion, IntervalMethod::None));
    assert_eq!(
        (indicator.unit.as_str(), indicator.polarity, indicator.period.as_str()),
        ("%", Polarity::LowIsGood, "2020/21")
    );
    assert!(
        indicator.source.starts_with("DCMS Community Life Survey 2020/21 by 2011 Output Area Classification group")
    );
    assert!(indicator.licence.contains("MIT") && indicator.licence.contains("Open Government Licence v3.0"));
    assert!(indicator.notes.starts_with("Modelled from the area's type, not measured here"));
    assert!(atlas().england_position(LONELINESS).is_none());
    for lsoa in atlas().lsoas() {
        let o = atlas().observation(LONELINESS, &lsoa.code).unwrap();
        assert_eq!((o.numerator, o.denominator), (None, None));
        assert!(o.value.is_some_and(|v| (0.0..=100.0).contains(&v)));
    }
    // Means weighted by Census 2021 usual residents.
    assert_eq!(round2(benchmark(LONELINESS, ENGLAND).unwrap().value), 25.38);
    assert_eq!(round2(benchmark(LONELINESS, COVENTRY).unwrap().value), 26.86);
}

/// The five Output Areas of E01009522 in the TS037 file.
const GENERAL_HEALTH: &str = "oa21_code,lsoa21_code,Total: All usual residents,Very good health,Good health,Fair health,Bad health,Very bad health
E00048208,E01009522,440,193,157,52,28,10
E00048237,E01009522,467,248,163,40,10,6
E00048242,E01009522,238,95,90,29,21,3
E00048246,E01009522,405,215,131,40,16,3
E00048247,E01009522,357,171,121,44,16,5
";
const TS037: &str = "census2021/coventry_census2021_oa21_general_health_ts037.csv";

fn read(text: &str) -> Table {
    Table::from_bytes(TS037, text.as_bytes().to_vec()).unwrap()
}

#[test]
fn the_output_area_reader_sums_a_good_file_to_its_lsoa() {
    let lsoas: BTreeSet<String> = ["E01009522".to_owned()].into();
    let sums = sum_output_areas(OaTable::GeneralHealth, &read(GENERAL_HEALTH), &lsoas).unwrap();
    assert_eq!(sums.count("E01009522", "Total: All usual residents"), Some(1907));
    let bad = sums.count("E01009522", "Bad health").unwrap() + sums.count("E01009522", "Very bad health").unwrap();
    assert_eq!(bad, 118);
}

#[test]
fn an_output_area_whose_total_differs_from_its_categories_is_named_by_file_line_and_field() {
    let lsoas: BTreeSet<String> = ["E01009522".to_owned()].into();
    let broken = GENERAL_HEALTH.replace("E00048237,E01009522,467,", "E00048237,E01009522,468,");
    let problems = sum_output_areas(OaTable::GeneralHealth, &read(&broken), &lsoas).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![format!("{TS037}: line 3, field `Total: All usual residents`: 468 but the categories sum to 467")]
    );

    // Every problem is listed, not only the first.
    let broken = broken.replace("E00048246,E01009522,405,", "E00048246,E01009999,405,").replace(",5\n", ",x\n");
    let problems = sum_output_areas(OaTable::GeneralHealth, &read(&broken), &lsoas).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:#?}");
    assert!(text[1].contains("line 5, field `lsoa21_code`: E01009999 is not one of the atlas's 1 LSOAs"));
    assert!(text[2].contains("line 6, field `Very bad health`"));
}
