//! Area profiles: every indicator for an area, with intervals and Fingertips-style comparisons
//! against Coventry and England, and the change since IoD2019 where there is a counterpart.

use serde::Serialize;

use super::aggregate::{Aggregate, aggregate};
use super::area::{Area, Level};
use super::change::{Change, change};
use super::disclosure::Disclosure;
use crate::atlas::schema::ENGLAND_CODE;
use crate::atlas::{Atlas, Indicator};
use crate::stats::{Comparison, Levels, Polarity, compare};

/// A benchmark value with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// The benchmark's value in the indicator's unit.
    pub value: Option<f64>,
    /// How it was obtained.
    pub basis: String,
    /// The area compared with it.
    pub comparison: Comparison,
}

/// One indicator of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRow {
    /// Indicator id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Topic.
    pub topic: String,
    /// Unit of the values.
    pub unit: String,
    /// Period.
    pub period: String,
    /// Which direction is better.
    pub polarity: Polarity,
    /// The area's figures.
    #[serde(flatten)]
    pub area: Aggregate,
    /// How the figures were computed, in words.
    pub method_description: &'static str,
    /// Coventry, aggregated from all its LSOAs with the same method.
    pub coventry: Benchmark,
    /// England, from the publishers' national figures.
    pub england: Benchmark,
    /// Change since IoD2019, where the indicator has a 2019 counterpart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// A member LSOA as listed in a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileLsoa {
    /// LSOA 2021 code.
    pub code: String,
    /// LSOA name.
    pub name: String,
    /// Share of the LSOA counted (1 unless a custom polygon covers part of it).
    pub share: f64,
    /// The locality definition's confidence, for locality profiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
}

/// A whole profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Area id (locality id, ward or LAD code, `custom`).
    pub id: String,
    /// Area name.
    pub name: String,
    /// Kind of area.
    pub level: Level,
    /// The LSOAs used.
    pub lsoas: Vec<ProfileLsoa>,
    /// Counts below this are withheld.
    pub suppression_threshold: f64,
    /// Significance levels used for comparisons.
    pub comparison_levels: &'static str,
    /// Every indicator in catalogue order.
    pub indicators: Vec<ProfileRow>,
}

/// Builds the profile of an area.
pub fn profile(atlas: &Atlas, area: &Area, disclosure: &Disclosure) -> Profile {
    let city = Area::city(atlas);
    let indicators = atlas.catalogue().iter().map(|indicator| row(atlas, area, &city, indicator, disclosure)).collect();
    let locality = atlas.locality(&area.id).filter(|_| area.level == Level::Locality);
    let lsoas = area
        .members
        .iter()
        .map(|m| {
            let lsoa = &atlas.lsoas()[m.lsoa];
            let confidence = locality
                .and_then(|l| l.members.iter().find(|x| x.lsoa21_code == lsoa.code))
                .map(|x| x.confidence.clone());
            ProfileLsoa { code: lsoa.code.clone(), name: lsoa.name.clone(), share: m.share, confidence }
        })
        .collect();
    Profile {
        id: area.id.clone(),
        name: area.name.clone(),
        level: area.level,
        lsoas,
        suppression_threshold: disclosure.threshold,
        comparison_levels: "Similar when the benchmark is inside the 95% interval; Better/Worse outside it; Best/Worst outside the 99.8% interval",
        indicators,
    }
}

fn row(atlas: &Atlas, area: &Area, city: &Area, indicator: &Indicator, disclosure: &Disclosure) -> ProfileRow {
    let figures = aggregate(atlas, indicator, &area.members, disclosure);
    let coventry_figures = aggregate(atlas, indicator, &city.members, disclosure);
    let estimate = figures.estimate();
    let judge = |benchmark: Option<f64>| compare(estimate.as_ref(), benchmark, indicator.polarity, Levels::Two);
    let coventry = Benchmark {
        value: coventry_figures.value,
        basis: format!("Coventry's 203 LSOAs: {}", coventry_figures.method.describe()),
        comparison: if area.level == Level::City { Comparison::NotCompared } else { judge(coventry_figures.value) },
    };
    let england_comparator = atlas.comparators(&indicator.id).find(|c| c.area_code == ENGLAND_CODE);
    let england = Benchmark {
        value: england_comparator.map(|c| c.value),
        basis: england_comparator
            .map_or_else(|| "no England figure is published for this indicator".to_owned(), |c| c.basis.clone()),
        comparison: judge(england_comparator.map(|c| c.value)),
    };
    ProfileRow {
        id: indicator.id.clone(),
        name: indicator.name.clone(),
        topic: indicator.topic.clone(),
        unit: indicator.unit.clone(),
        period: indicator.period.clone(),
        polarity: indicator.polarity,
        method_description: figures.method.describe(),
        change: change(atlas, indicator, area, disclosure),
        area: figures,
        coventry,
        england,
    }
}
