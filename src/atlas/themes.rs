//! The themes of the city's health and wellbeing strategy that every indicator is grouped under,
//! so a board finds its questions in the words it uses.

use serde::{Deserialize, Serialize};

/// A theme of the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Children, young people and families.
    BestStart,
    /// Income, work and the cost of living.
    IncomeAndCostOfLiving,
    /// Health, disability and wellbeing.
    HealthAndWellbeing,
    /// Carers, digital connection and loneliness.
    CareAndConnection,
    /// Housing and homelessness.
    HousingAndHomelessness,
    /// Getting to services: GPs, shops, schools.
    AccessToServices,
    /// Education and skills of children and adults.
    EducationAndSkills,
    /// Overall deprivation, crime and the local environment.
    DeprivationAndPlace,
    /// Who lives here: residents, age and ethnicity.
    Population,
}

impl Theme {
    /// Every theme, in the order profiles and pickers show them.
    pub const ALL: [Theme; 9] = [
        Theme::DeprivationAndPlace,
        Theme::BestStart,
        Theme::IncomeAndCostOfLiving,
        Theme::HealthAndWellbeing,
        Theme::CareAndConnection,
        Theme::HousingAndHomelessness,
        Theme::AccessToServices,
        Theme::EducationAndSkills,
        Theme::Population,
    ];

    /// The theme's name as a board reads it.
    pub fn name(self) -> &'static str {
        match self {
            Theme::BestStart => "Best start: children and families",
            Theme::IncomeAndCostOfLiving => "Income and cost of living",
            Theme::HealthAndWellbeing => "Health and wellbeing",
            Theme::CareAndConnection => "Care and connection",
            Theme::HousingAndHomelessness => "Housing and homelessness",
            Theme::AccessToServices => "Access to services",
            Theme::EducationAndSkills => "Education and skills",
            Theme::DeprivationAndPlace => "Deprivation and place",
            Theme::Population => "Population",
        }
    }

    /// One sentence on what the theme covers.
    pub fn description(self) -> &'static str {
        match self {
            Theme::BestStart => "Children growing up in low-income families and the start they get in education.",
            Theme::IncomeAndCostOfLiving => {
                "Income and employment deprivation, older people on low incomes, and households deprived in several ways."
            }
            Theme::HealthAndWellbeing => {
                "Illness, disability, early death, emergency admissions and mental health, as residents and services record them."
            }
            Theme::CareAndConnection => {
                "Unpaid carers, digital connectivity and loneliness: who is connected and who cares."
            }
            Theme::HousingAndHomelessness => "Overcrowding, social renting and homelessness.",
            Theme::AccessToServices => {
                "How far residents are from services such as GP practices, and how stretched those are."
            }
            Theme::EducationAndSkills => {
                "Qualifications and skills of adults, and attainment of children and young people."
            }
            Theme::DeprivationAndPlace => {
                "The Index of Multiple Deprivation overall, crime, and the quality of the living environment."
            }
            Theme::Population => "Who lives in the area: residents, their ages and ethnic groups.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_is_listed_once_with_words() {
        let mut seen = std::collections::BTreeSet::new();
        for theme in Theme::ALL {
            assert!(seen.insert(theme));
            assert!(!theme.name().is_empty() && theme.description().ends_with('.'));
        }
        assert_eq!(serde_json::to_string(&Theme::BestStart).unwrap(), "\"best_start\"");
    }
}
