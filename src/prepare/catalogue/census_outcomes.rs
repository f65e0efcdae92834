//! Census 2021 outcomes summed from Output Areas (general health, disability limiting activities a
//! lot, unpaid care, NS-SEC, qualifications) and modelled loneliness.

use super::{CENSUS_SHARE, Derivation, Draft, OaTable, Polarity, Spec, ValueType, spec};
use crate::prepare::census_oa::{CARE_20_PLUS, CARE_50_PLUS, CARE_ANY, DISABLED_A_LOT};

/// The geography of figures summed from Output Areas.
pub(super) const FROM_OUTPUT_AREAS: &str = "LSOA 2021, summed from Output Areas (ONS perturbs each geography separately, so these differ slightly from ONS's own LSOA tables)";

/// Source, period and geography of the modelled loneliness figures.
pub(super) const LONELINESS_ORIGIN: (&str, &str, &str) = (
    "DCMS Community Life Survey 2020/21 by 2011 Output Area Classification group, averaged to LSOA (British Red Cross / humaniverse loneliness package)",
    "2020/21",
    "LSOA 2021: 2011 Output Areas averaged to LSOA 2011, carried to LSOA 2021 with the ONS lookup",
);

const LONELINESS_LICENCE: &str = "Open Government Licence v3.0 (Community Life Survey, DCMS; 2011 Output Area Classification, ONS); the averaging code of the loneliness package: MIT licence (British Red Cross)";

const SUMMED: &str = "Counts summed from Census 2021 Output Areas to LSOA 2021: ONS perturbs each geography separately, so these differ slightly from ONS's own LSOA tables (by a few people per LSOA).";
const ENGLAND_SUMMED: &str =
    "The England benchmark and the district range use the same Output Area sums for every English LSOA.";
const NO_ENGLAND: &str = "No England benchmark and no district range: the sources hold this table for Coventry's Output Areas only, so areas are compared with Coventry alone.";
const AGED_16_PLUS: &str = "The denominator, usual residents aged 16 and over, includes full-time students (many in Coventry's university neighbourhoods) and retired people.";

/// The caveat of a crude share of an outcome that depends on age.
fn crude(outcome: &str) -> String {
    format!(
        "A crude share, not age-standardised: {outcome} depends strongly on age and {{age_structure}}, so compare it with other areas only as higher or lower, not better or worse. The sources hold no England rates by age to standardise it."
    )
}

/// A share of a Census table summed from Output Areas, in %.
fn share(d: Draft<'_>, polarity: Polarity, table: OaTable, categories: &'static [&'static str], notes: &str) -> Spec {
    spec(d, "%", ValueType::Proportion, polarity, Derivation::OutputAreaShare(table, categories), notes, None)
}

/// The Census outcomes summed from Output Areas, and modelled loneliness, in catalogue order.
pub(super) fn specs() -> Vec<Spec> {
    use OaTable::*;
    use Polarity::*;
    let health = crude("general health");
    vec![
        share(
            draft!(
                "census21_bad_health",
                "Bad or very bad health",
                "Health",
                "Share of usual residents who describe their general health as bad or very bad (TS037)."
            ),
            LowIsGood,
            GeneralHealth,
            &["Bad health", "Very bad health"],
            &format!("{health} {SUMMED} {ENGLAND_SUMMED} {CENSUS_SHARE}"),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_good_health",
                "Good or very good health",
                "Health",
                "Share of usual residents who describe their general health as very good or good (TS037)."
            ),
            HighIsGood,
            GeneralHealth,
            &["Very good health", "Good health"],
            &format!("{health} {SUMMED} {ENGLAND_SUMMED} {CENSUS_SHARE}"),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_disabled_limited_a_lot",
                "Disabled, day-to-day activities limited a lot",
                "Health",
                "Share of usual residents who are disabled under the Equality Act and whose day-to-day activities are limited a lot (TS038)."
            ),
            LowIsGood,
            Disability,
            &[DISABLED_A_LOT],
            &format!(
                "{} {SUMMED} The indicator of all disabled residents comes from ONS's own LSOA table, so its totals differ from these by a few people. {ENGLAND_SUMMED} {CENSUS_SHARE}",
                crude("disability")
            ),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_unpaid_care_any",
                "Provides unpaid care",
                "Unpaid care",
                "Share of usual residents aged 5 and over who provide any unpaid care to someone with a long-term condition, a disability or problems related to old age (TS039)."
            ),
            NoJudgement,
            UnpaidCare,
            &CARE_ANY,
            &format!(
                "No judgement: caring is not a deficit. A higher share shows where carers live, and so where support for carers is needed, not that the area does worse. Numerator: 9 hours or less, 10 to 19, 20 to 34, 35 to 49 and 50 or more hours a week; ONS's grouped columns (19 hours or less, 20 to 49 hours) are not added again. {} {SUMMED} {ENGLAND_SUMMED} {CENSUS_SHARE}",
                crude("caring")
            ),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_unpaid_care_20plus",
                "Provides 20 or more hours of unpaid care a week",
                "Unpaid care",
                "Share of usual residents aged 5 and over who provide 20 or more hours of unpaid care a week (TS039)."
            ),
            NoJudgement,
            UnpaidCare,
            &CARE_20_PLUS,
            &format!(
                "No judgement: caring is not a deficit. Long hours of care go with poorer health of the carer, but a higher share also reflects how much care people need and who gives it, so neither direction is better; it shows where carers may need support. Numerator: 20 to 34, 35 to 49 and 50 or more hours a week (ONS's grouped 20 to 49 hours column is not added again). {} {SUMMED} {ENGLAND_SUMMED} {CENSUS_SHARE}",
                crude("caring")
            ),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_unpaid_care_50plus",
                "Provides 50 or more hours of unpaid care a week",
                "Unpaid care",
                "Share of usual residents aged 5 and over who provide 50 or more hours of unpaid care a week (TS039)."
            ),
            NoJudgement,
            UnpaidCare,
            &[CARE_50_PLUS],
            &format!(
                "No judgement: caring is not a deficit. Caring 50 or more hours a week goes with poorer health of the carer, but a higher share also reflects how much care people need and whether paid care reaches them, which these figures cannot separate; so neither direction is better, and it shows where carers may need support. {} {SUMMED} {ENGLAND_SUMMED} {CENSUS_SHARE}",
                crude("caring")
            ),
        )
        .age_sensitive(),
        share(
            draft!(
                "census21_nssec_routine",
                "Routine and semi-routine occupations",
                "Employment",
                "Share of usual residents aged 16 and over whose current or last occupation is routine or semi-routine (NS-SEC L12 and L13, TS062)."
            ),
            NoJudgement,
            Nssec,
            &["L12 Semi-routine occupations", "L13 Routine occupations"],
            &format!(
                "No judgement: an occupational class describes the work people do, not a deficit of the area. {AGED_16_PLUS} Retired people are classed by their last job. {SUMMED} {NO_ENGLAND} {CENSUS_SHARE}"
            ),
        ),
        share(
            draft!(
                "census21_nssec_never_worked",
                "Never worked or long-term unemployed",
                "Employment",
                "Share of usual residents aged 16 and over who have never worked or are long-term unemployed (NS-SEC L14.1 and L14.2, TS062)."
            ),
            LowIsGood,
            Nssec,
            &["L14.1 and L14.2 Never worked and long-term unemployed"],
            &format!(
                "Low is good: long-term exclusion from paid work is a recognised mark of disadvantage, as in the employment domain of the Indices of Deprivation. Full-time students are classed apart (L15), but people who have never worked because they looked after a home or family are counted here. {AGED_16_PLUS} {SUMMED} {NO_ENGLAND} {CENSUS_SHARE}"
            ),
        ),
        share(
            draft!(
                "census21_no_qualifications",
                "No qualifications",
                "Education",
                "Share of usual residents aged 16 and over with no formal qualifications (TS067)."
            ),
            LowIsGood,
            Qualification,
            &["No qualifications"],
            &format!(
                "{} {AGED_16_PLUS} {SUMMED} {NO_ENGLAND} {CENSUS_SHARE}",
                crude("having no qualifications (far more common among older people)")
            ),
        )
        .age_sensitive(),
        spec(
            draft!(
                "lonely_cls2020_modelled",
                "Loneliness (modelled)",
                "Loneliness",
                "Modelled share of adults who feel lonely often, always or some of the time: the Community Life Survey 2020/21 figure of the 2011 Output Area Classification group of each of the LSOA's Output Areas, averaged."
            ),
            "%",
            ValueType::Proportion,
            LowIsGood,
            Derivation::Value(super::Wide::Loneliness, "lonely_often_always_or_some_of_time_pct", 1.0),
            "Modelled from the area's type, not measured here: every Output Area of a classification group gets the group's survey value before averaging to LSOA; shown only as such, with no significance test and no ranking of single LSOAs. The survey is published only for the 2011 Output Area Classification groups, so areas of the same make-up get the same figure whatever their residents feel, and differences within a group are invisible. Respondents are adults aged 16 and over in England. No counts: areas combine as means weighted by Census 2021 usual residents, and the England benchmark is that weighted mean over all English LSOAs (25.38%; the unweighted mean of LSOAs is 25.27%).",
            None,
        )
        .modelled()
        .licensed(LONELINESS_LICENCE),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Theme;

    #[test]
    fn each_outcome_lands_in_its_strategy_theme() {
        let themes: Vec<(String, Theme)> =
            specs().iter().map(|s| (s.indicator.id.clone(), s.indicator.theme)).collect();
        for (id, theme) in themes {
            let expected = match id.as_str() {
                i if i.contains("health") || i.contains("disabled") => Theme::HealthAndWellbeing,
                i if i.contains("unpaid_care") || i.contains("lonel") => Theme::CareAndConnection,
                i if i.contains("nssec") => Theme::IncomeAndCostOfLiving,
                _ => Theme::EducationAndSkills,
            };
            assert_eq!(theme, expected, "{id}");
        }
    }

    #[test]
    fn every_summed_share_adds_distinct_categories_of_its_table_and_no_grouped_column() {
        for s in specs() {
            if let Derivation::OutputAreaShare(table, categories) = s.derivation {
                let known = table.layout().categories;
                assert!(categories.iter().all(|c| known.contains(c)), "{}", s.indicator.id);
                let distinct: std::collections::BTreeSet<_> = categories.iter().collect();
                assert_eq!(distinct.len(), categories.len(), "{}", s.indicator.id);
            }
        }
    }

    #[test]
    fn summed_shares_have_wilson_intervals_and_loneliness_has_none() {
        for s in specs() {
            let expected = if s.indicator.modelled {
                crate::atlas::IntervalMethod::None
            } else {
                crate::atlas::IntervalMethod::Wilson
            };
            assert_eq!(s.indicator.interval_method, expected, "{}", s.indicator.id);
            assert_eq!(s.indicator.licence == super::super::OGL, !s.indicator.modelled, "{}", s.indicator.id);
        }
    }
}
