//! Area profiles: every indicator for an area with a benchmark and a reading a board can use.
//!
//! Counts with a denominator get Fingertips-style significance against the district and England.
//! Published scores and ranks carry no sampling error, so they are placed in England's
//! distribution instead (share of residents in England's most deprived 10% and 20%, national
//! deciles): "descriptive: no interval". Crude rates of age-sensitive outcomes are compared only
//! as higher or lower, beside the area's age structure. District figures copied to every LSOA are
//! shown as the district against England only. Change since IoD2019 is relative (see
//! [`super::relative`]).

use serde::Serialize;

use super::aggregate::{Aggregate, Member, Method, aggregate};
use super::area::{Area, Level};
use super::disclosure::Disclosure;
use super::position::{DESCRIPTIVE, DecileSpread, Position, decile_spread, position};
use super::reading::{AgeStructure, Benchmark, PublishedFigure, Reading, ReadingInputs, read};
use super::relative::{RelativeChange, editions, relative_change};
use super::words;
use crate::atlas::schema::{ENGLAND_CODE, POPULATION_INDICATOR};
use crate::atlas::{Atlas, ComparatorRole, Indicator, Theme, ValueType};
use crate::stats::{Comparison, Levels, Polarity, compare};

/// The area beside the district's statistical neighbours: their average and range. Descriptive:
/// the neighbours' figures are whole districts' figures, and no test is made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighbourComparison {
    /// Neighbours with a figure.
    pub districts: usize,
    /// Their unweighted mean.
    pub mean: f64,
    /// The lowest of them.
    pub lowest: f64,
    /// The highest.
    pub highest: f64,
    /// Where the area's value sits among them, in words.
    pub label: String,
    /// How the figures were computed.
    pub basis: String,
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
    /// The strategy theme it is grouped under.
    pub theme: Theme,
    /// The theme's name.
    pub theme_name: &'static str,
    /// Where the LSOA values come from (e.g. summed from Output Areas).
    pub geography: String,
    /// Unit of the values.
    pub unit: String,
    /// Kind of number.
    pub value_type: ValueType,
    /// Period.
    pub period: String,
    /// Which direction is better.
    pub polarity: Polarity,
    /// A crude rate of an age-sensitive outcome: higher or lower only.
    pub crude: bool,
    /// One figure for the whole district, copied to every LSOA.
    pub district_figure: bool,
    /// The area's figures.
    #[serde(flatten)]
    pub area: Aggregate,
    /// How the figures were computed, in words.
    pub method_description: &'static str,
    /// The district, from its LSOAs with the same method.
    pub district: Benchmark,
    /// England, from all English LSOAs with the same method.
    pub england: Benchmark,
    /// The district's statistical neighbours' average and range, where they have figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<NeighbourComparison>,
    /// Where the area sits in England's distribution (scores and ranks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// LSOAs and residents by national decile (ranks and deciles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciles: Option<DecileSpread>,
    /// What the row tells a board, in words.
    pub reading: Reading,
    /// Change since IoD2019 in relative terms, on the IoD2025 row of a pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_2019: Option<RelativeChange>,
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
    /// The district the area lies in, whose figures each row carries beside England's.
    pub district: String,
    /// The district's statistical neighbours (most similar first), whose average and range each
    /// row carries.
    pub neighbours: Vec<crate::atlas::Neighbour>,
    /// Said when even the nearest of the district's neighbours is far from it: an outlier among
    /// England's districts, whose "similar districts" are only the least unlike it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbours_caution: Option<String>,
    /// The LSOAs used.
    pub lsoas: Vec<ProfileLsoa>,
    /// Counts below this are withheld.
    pub suppression_threshold: f64,
    /// Significance levels used for comparisons.
    pub comparison_levels: &'static str,
    /// Age structure, beside which crude rates are read.
    pub age_structure: AgeStructure,
    /// Every indicator, grouped by theme in the themes' order, catalogue order within a theme.
    pub indicators: Vec<ProfileRow>,
}

const AGE_65: &str = "census21_age65plus";
const AGE_15: &str = "census21_age15under";

/// Builds the profile of an area.
pub fn profile(atlas: &Atlas, area: &Area, disclosure: &Disclosure) -> Profile {
    // A district of England's atlas is its own district: it is read against England, as the
    // district's own atlas reads it, not against the whole atlas.
    let city = match area.level {
        Level::District => area.clone(),
        _ => home_district(atlas, area).unwrap_or_else(|| Area::city(atlas)),
    };
    let age_structure = age_structure(atlas, area, &city, disclosure);
    let mut indicators: Vec<ProfileRow> = atlas
        .catalogue()
        .iter()
        .map(|indicator| row(atlas, area, &city, indicator, disclosure, &age_structure))
        .collect();
    indicators.sort_by_key(|r| Theme::ALL.iter().position(|t| *t == r.theme));
    let neighbours = atlas.neighbours(&city.id);
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
        district: city.name.clone(),
        neighbours: neighbours.to_vec(),
        neighbours_caution: neighbours_caution(&city.name, neighbours),
        lsoas,
        suppression_threshold: disclosure.threshold,
        comparison_levels: "Similar when the benchmark is inside the 95% interval; Better/Worse outside it; Better/Worse (99.8%) outside the 99.8% interval",
        age_structure,
        indicators,
    }
}

/// In England's atlas, the district holding every LSOA of the area (an LSOA, or a custom area
/// within one district): the area is read against it, as its district's own atlas would read it,
/// not against the whole atlas, which is England and the England column already.
fn home_district(atlas: &Atlas, area: &Area) -> Option<Area> {
    let mut codes = area.members.iter().map(|m| atlas.lsoas()[m.lsoa].district.as_deref());
    let first = codes.next()??;
    codes.all(|c| c == Some(first)).then(|| Area::district(atlas, first)).flatten()
}

/// Words for a district whose nearest neighbour lies beyond the far-out fence of England's
/// districts' nearest distances.
fn neighbours_caution(district: &str, neighbours: &[crate::atlas::Neighbour]) -> Option<String> {
    let nearest = neighbours.first().filter(|n| n.distance > n.far_out_fence)?;
    Some(format!(
        "{district} is unlike every other English district in the figures neighbours are found by: the nearest, {}, is {:.2} standardised units away, beyond the far-out fence of England's districts' distances to their nearest neighbour ({:.2}: the upper quartile plus three interquartile ranges). Its similar districts are only the least unlike it; read their column with care.",
        nearest.name, nearest.distance, nearest.far_out_fence
    ))
}

fn age_structure(atlas: &Atlas, area: &Area, city: &Area, disclosure: &Disclosure) -> AgeStructure {
    let share =
        |id: &str, members: &[Member]| atlas.indicator(id).and_then(|i| aggregate(atlas, i, members, disclosure).value);
    let england = |id: &str| atlas.comparator(id, ENGLAND_CODE, ComparatorRole::Benchmark).map(|c| c.value);
    let structure = AgeStructure {
        aged_65_plus: share(AGE_65, &area.members),
        district_65_plus: share(AGE_65, &city.members),
        england_65_plus: england(AGE_65),
        aged_15_under: share(AGE_15, &area.members),
        district_15_under: share(AGE_15, &city.members),
        england_15_under: england(AGE_15),
        words: String::new(),
    };
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}%"));
    let words = match area.level.is_whole_district() {
        true => format!(
            "Aged 65 and over: {} in {}, {} in England; aged 15 and under: {} and {}.",
            pct(structure.aged_65_plus),
            area.name,
            pct(structure.england_65_plus),
            pct(structure.aged_15_under),
            pct(structure.england_15_under),
        ),
        false => format!(
            "Aged 65 and over: {} in {}, {} in {}, {} in England; aged 15 and under: {}, {} and {}.",
            pct(structure.aged_65_plus),
            area.name,
            pct(structure.district_65_plus),
            city.name,
            pct(structure.england_65_plus),
            pct(structure.aged_15_under),
            pct(structure.district_15_under),
            pct(structure.england_15_under),
        ),
    };
    AgeStructure { words, ..structure }
}

/// The benchmark of an area code in its benchmark role, and the publisher's figure beside it.
fn benchmark_figures(
    atlas: &Atlas,
    indicator: &Indicator,
    code: &str,
) -> (Option<f64>, String, Option<PublishedFigure>) {
    let benchmark = atlas.comparator(&indicator.id, code, ComparatorRole::Benchmark);
    let published = atlas
        .comparator(&indicator.id, code, ComparatorRole::Published)
        .map(|p| PublishedFigure { value: p.value, basis: p.basis.clone() });
    (
        benchmark.map(|b| b.value),
        benchmark
            .map_or_else(|| "no England figure can be computed for this indicator".to_owned(), |b| b.basis.clone()),
        published,
    )
}

fn row(
    atlas: &Atlas,
    area: &Area,
    city: &Area,
    indicator: &Indicator,
    disclosure: &Disclosure,
    ages: &AgeStructure,
) -> ProfileRow {
    let mut figures = aggregate(atlas, indicator, &area.members, disclosure);
    let district_figures = aggregate(atlas, indicator, &city.members, disclosure);
    let (england_value, england_basis, england_published) = benchmark_figures(atlas, indicator, ENGLAND_CODE);
    // The district's own published figure: in England's atlas the place is England, whose
    // figure is the England column's, never the district's.
    let (_, _, district_published) = benchmark_figures(atlas, indicator, &city.id);
    let is_city = area.level.is_whole_district();
    if indicator.district_figure && !is_city {
        // A district figure says nothing about a part of the district.
        figures.value = None;
    }
    // Crude rates of age-sensitive outcomes are higher or lower, never better or worse.
    let polarity = indicator.judged_polarity();
    let tested = matches!(figures.method, Method::Wilson | Method::ByarExact) && !indicator.district_figure;
    let estimate = figures.estimate();
    let judge = |benchmark: Option<f64>| {
        if tested { compare(estimate.as_ref(), benchmark, polarity, Levels::Two) } else { Comparison::NotCompared }
    };
    let district_comparison = if is_city { Comparison::NotCompared } else { judge(district_figures.value) };
    let england_comparison = judge(england_value);
    let label = |c: Comparison, own: bool, benchmark: Option<f64>| -> String {
        if own {
            "this area".to_owned()
        } else if benchmark.is_none() {
            "no figure in the sources".to_owned()
        } else if figures.method == Method::Sum {
            "total".to_owned()
        } else if indicator.modelled {
            "modelled: not measured here".to_owned()
        } else if indicator.district_figure {
            DESCRIPTIVE.to_owned()
        } else if tested && indicator.age_sensitive && c != Comparison::NotCompared {
            format!("{} (crude rate)", words::comparison(c))
        } else if tested {
            words::comparison(c).to_owned()
        } else {
            DESCRIPTIVE.to_owned()
        }
    };
    let district = Benchmark {
        name: city.name.clone(),
        value: district_figures.value,
        basis: format!("{}'s {} LSOAs: {}", city.name, city.members.len(), district_figures.method.describe()),
        comparison: district_comparison,
        label: label(district_comparison, is_city, district_figures.value),
        published: district_published,
    };
    let england = Benchmark {
        name: "England".to_owned(),
        value: england_value,
        basis: england_basis,
        comparison: england_comparison,
        label: label(england_comparison, false, england_value),
        published: england_published,
    };
    let position = position(atlas, indicator, &area.members, &city.members);
    // Ranks and deciles have no benchmark value: their benchmark is the share of residents in
    // England's most deprived 10%, which the reading gives beside the area's.
    let (mut district, mut england) = (district, england);
    if figures.method == Method::Distribution {
        let tenth = |s: f64| format!("{} of residents in England's most deprived 10%", words::share(s));
        district.label = position.map_or_else(|| "see the reading".to_owned(), |p| tenth(p.district_share10));
        england.label = position.map_or_else(|| "10% of LSOAs by definition".to_owned(), |p| tenth(p.england_share10));
        if is_city {
            district.label = "this area".to_owned();
        }
    }
    // A standardised ratio without counts: the district has no ratio of its own, only its
    // residents' place in England's distribution.
    if figures.method == Method::NotCombinable && !is_city {
        district.label = position.map_or_else(
            || "no ratio for an area of several LSOAs".to_owned(),
            |p| format!("{} of residents in England's worst 10%", words::share(p.district_share10)),
        );
    }
    let deciles = matches!(indicator.value_type, ValueType::Rank | ValueType::Decile)
        .then(|| decile_spread(atlas, indicator, &area.members))
        .flatten();
    let since_2019 = editions(atlas, indicator)
        .filter(|(_, later)| later.id == indicator.id)
        .and_then(|_| relative_change(atlas, indicator, area, disclosure));
    let earlier_edition = editions(atlas, indicator).is_some_and(|(earlier, _)| earlier.id == indicator.id);
    let reading = read(&ReadingInputs {
        atlas,
        indicator,
        area,
        figures: &figures,
        district: &district,
        england: &england,
        position: position.as_ref(),
        deciles: deciles.as_ref(),
        ages,
        earlier_edition,
    });
    ProfileRow {
        id: indicator.id.clone(),
        name: indicator.name.clone(),
        topic: indicator.topic.clone(),
        theme: indicator.theme,
        theme_name: indicator.theme.name(),
        geography: indicator.geography.clone(),
        unit: indicator.unit.clone(),
        value_type: indicator.value_type,
        period: indicator.period.clone(),
        polarity: indicator.polarity,
        crude: indicator.age_sensitive,
        district_figure: indicator.district_figure,
        method_description: figures.method.describe(),
        // A count of part of the district is not a whole district's count: it is never placed
        // among the neighbours' counts (a locality always holds fewer people than a city). Nor is
        // a district's count of deprived people: it grows with the district's size, so "below
        // their average" would say Blackpool (13,920 children in income-deprived families, 9.9% of
        // its residents) has less child poverty than neighbours averaging 17,904 (10.2% of theirs)
        // when it has as much. Its size alone is placed among theirs, since size picked them.
        neighbours: (indicator.value_type != ValueType::Count || (is_city && indicator.id == POPULATION_INDICATOR))
            .then(|| neighbour_comparison(atlas, &city.id, indicator, figures.value))
            .flatten(),
        area: figures,
        district,
        england,
        position,
        deciles,
        reading,
        since_2019,
    }
}

/// Where a value sits among the district's statistical neighbours.
fn neighbour_comparison(
    atlas: &Atlas,
    district: &str,
    indicator: &Indicator,
    value: Option<f64>,
) -> Option<NeighbourComparison> {
    let found = atlas.neighbour_figure(district, &indicator.id)?;
    let n = found.districts_words();
    let place = match value {
        None => format!("no value to place among {n}"),
        Some(v) if v > found.highest => format!("higher than all {n}"),
        Some(v) if v < found.lowest => format!("lower than all {n}"),
        Some(v) if v > found.mean => format!("within the range of {n}, above their average"),
        Some(v) if v < found.mean => format!("within the range of {n}, below their average"),
        Some(_) => format!("at the average of {n}"),
    };
    // Crude rates of an outcome that age changes differ with the areas' ages as well: the row says
    // so beside England, and says so here.
    let label = if indicator.age_sensitive && value.is_some() {
        format!("{place}; crude rates, not age-standardised")
    } else {
        place
    };
    Some(NeighbourComparison {
        districts: found.neighbours,
        mean: found.mean,
        lowest: found.lowest,
        highest: found.highest,
        label,
        basis: found.basis.clone(),
    })
}
