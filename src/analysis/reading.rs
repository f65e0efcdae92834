//! What one profile row tells a board, in one or two sentences: every row ends in a benchmark and
//! a reading, never in a bare "not compared".

use serde::Serialize;

use super::aggregate::Aggregate;
use super::aggregate::Method;
use super::area::Area;
use super::position::{DESCRIPTIVE, residents};
use super::position::{DecileSpread, Position};
use super::relative::LEVELS_NOT_COMPARABLE;
use super::words::{self, figure, number, share};
use crate::atlas::schema::{ENGLAND_CODE, POPULATION_INDICATOR};
use crate::atlas::{Atlas, ComparatorRole, Indicator};
use crate::stats::Comparison;

/// A publisher's own figure kept beside a benchmark, which comparisons do not use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedFigure {
    /// The value in the indicator's unit.
    pub value: f64,
    /// What it is and why the benchmark differs.
    pub basis: String,
}

/// A benchmark value with where it came from and what the area's figure says against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// The benchmark area's name: the district's, or England.
    pub name: String,
    /// The benchmark's value in the indicator's unit, computed the way the area's figure is.
    pub value: Option<f64>,
    /// How it was obtained.
    pub basis: String,
    /// The area compared with it (`not_compared` where the reading is descriptive).
    pub comparison: Comparison,
    /// The comparison in the words every output shows.
    pub label: String,
    /// The publisher's own figure, where it differs from the benchmark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedFigure>,
}

/// The area's age structure beside the district's and England's, for reading crude rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeStructure {
    /// % of usual residents aged 65 and over.
    pub aged_65_plus: Option<f64>,
    /// The district's.
    pub district_65_plus: Option<f64>,
    /// England's.
    pub england_65_plus: Option<f64>,
    /// % aged 15 and under.
    pub aged_15_under: Option<f64>,
    /// The district's.
    pub district_15_under: Option<f64>,
    /// England's.
    pub england_15_under: Option<f64>,
    /// The structure in one sentence.
    pub words: String,
}

/// Everything a row's reading is written from.
pub struct ReadingInputs<'a> {
    /// The atlas (for totals of counts).
    pub atlas: &'a Atlas,
    /// The indicator.
    pub indicator: &'a Indicator,
    /// The area.
    pub area: &'a Area,
    /// The area's figures.
    pub figures: &'a Aggregate,
    /// The district's benchmark.
    pub district: &'a Benchmark,
    /// England's benchmark.
    pub england: &'a Benchmark,
    /// Position in England, where the indicator has cut-points.
    pub position: Option<&'a Position>,
    /// Decile spread for ranks and deciles.
    pub deciles: Option<&'a DecileSpread>,
    /// The age structure, for crude rates.
    pub ages: &'a AgeStructure,
    /// True for the IoD2019 row of a pair.
    pub earlier_edition: bool,
}

/// The note every IoD2019 row carries.
pub fn earlier_edition_note() -> String {
    format!("IoD2019 figures, compared with England's IoD2019 figures; {LEVELS_NOT_COMPARABLE} with IoD2025 levels.")
}

/// Which kind of reading a row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingKind {
    /// Counts with a denominator: significance at 95% and 99.8%.
    Significance,
    /// A crude rate of an age-sensitive outcome: higher or lower, beside the age structure.
    Crude,
    /// A published score without counts: the area's position in England's distribution.
    Descriptive,
    /// Ranks and deciles: the area's LSOAs and residents across national deciles.
    Deciles,
    /// A standardised ratio published for LSOAs without counts: where the area's LSOAs sit in
    /// England's distribution, and no area ratio.
    LsoaRatios,
    /// A count without a denominator: its share of the district's (or England's) total.
    Count,
    /// One figure for the whole district: the district against England only.
    DistrictFigure,
    /// Modelled from the area's type, not measured here: no test, no ranking.
    Modelled,
    /// The figures are withheld because a count is small.
    Suppressed,
    /// The publisher gives no figure for these LSOAs.
    NotPublished,
}

/// A row's reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// Its kind.
    pub kind: ReadingKind,
    /// The reading in words.
    pub text: String,
}

/// Writes the reading of one profile row.
pub fn read(r: &ReadingInputs) -> Reading {
    let indicator = r.indicator;
    let place = &r.district.name;
    let value = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| figure(v, indicator));
    if indicator.district_figure {
        return Reading {
            kind: ReadingKind::DistrictFigure,
            text: format!(
                "Published for {place} as a whole (every LSOA carries the district's figure), so it says nothing about neighbourhoods within the district: {place} {} against England {} ({DESCRIPTIVE}).",
                value(r.district.value),
                value(r.england.value)
            ),
        };
    }
    if indicator.modelled {
        return Reading {
            kind: ReadingKind::Modelled,
            text: format!(
                "Modelled from the area's type, not measured here: {} against {}, each a mean weighted by residents; no significance test, and single LSOAs are not ranked.",
                value(r.figures.value),
                benchmarks(r, " and ", value)
            ),
        };
    }
    if let Some(reason) = &r.figures.suppressed {
        return Reading { kind: ReadingKind::Suppressed, text: format!("Withheld: {reason}.") };
    }
    let mut reading = match r.figures.method {
        Method::Wilson | Method::ByarExact if indicator.age_sensitive => crude(r),
        Method::Wilson | Method::ByarExact => significance(r),
        Method::Distribution => deciles(r),
        Method::Sum => count(r),
        Method::PopulationWeightedMean | Method::RatioOfSums => descriptive(r),
        Method::NotCombinable => lsoa_ratios(r),
    };
    let has_figures = match r.figures.method {
        Method::NotCombinable => r.figures.value.is_some() || r.position.is_some(),
        _ => r.figures.value.is_some() || r.deciles.is_some(),
    };
    if !has_figures {
        reading = Reading {
            kind: ReadingKind::NotPublished,
            text: format!("Not published by MHCLG for these LSOAs; {}.", benchmarks(r, ", ", value)),
        };
    }
    if r.earlier_edition {
        reading.text.push(' ');
        reading.text.push_str(&earlier_edition_note());
    }
    if let Some(msoa) = &r.figures.msoa {
        reading.text.push_str(&format!(" {}.", words::capitalise(&msoa.basis)));
    }
    if indicator.summed_from_output_areas() {
        reading.text.push_str(" Summed from Output Areas (ONS perturbs each geography separately).");
    }
    reading
}

/// The benchmarks' values, "{district} X{joint}England Y"; a whole district is its own district
/// figure, so England's alone.
fn benchmarks(r: &ReadingInputs, joint: &str, value: impl Fn(Option<f64>) -> String) -> String {
    let england = format!("England {}", value(r.england.value));
    if r.area.level.is_whole_district() {
        england
    } else {
        format!("{} {}{joint}{england}", r.district.name, value(r.district.value))
    }
}

fn against(r: &ReadingInputs) -> String {
    let place = &r.district.name;
    let district = if r.area.level.is_whole_district() {
        String::new()
    } else {
        format!("; against {place}: {}", r.district.label)
    };
    format!("Against England: {}{district}", r.england.label)
}

fn significance(r: &ReadingInputs) -> Reading {
    Reading {
        kind: ReadingKind::Significance,
        text: format!("{} (95% and 99.8% intervals from the counts).", against(r)),
    }
}

fn crude(r: &ReadingInputs) -> Reading {
    let worded = |c: Comparison| match c {
        Comparison::Higher => "higher than",
        Comparison::Lower => "lower than",
        Comparison::Similar => "similar to",
        _ => "not compared with",
    };
    let mut against = Vec::new();
    match r.england.value {
        Some(_) => against.push(format!("{} England", worded(r.england.comparison))),
        None => against.push("no England figure in the sources".to_owned()),
    }
    if !r.area.level.is_whole_district() {
        against.push(format!("{} {}", worded(r.district.comparison), r.district.name));
    }
    let ages = r.ages.words.trim_end_matches('.');
    let ages = ages.get(..1).map_or(String::new(), str::to_lowercase) + ages.get(1..).unwrap_or("");
    Reading {
        kind: ReadingKind::Crude,
        text: format!(
            "Crude rate, not age-standardised: {}. Age changes this outcome and the area's age structure differs ({ages}), so it is not judged better or worse; no rates by age are held to standardise it.",
            against.join(", ")
        ),
    }
}

fn descriptive(r: &ReadingInputs) -> Reading {
    let indicator = r.indicator;
    let place = &r.district.name;
    let value = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| figure(v, indicator));
    let whole = r.area.level.is_whole_district();
    let text = match r.position {
        Some(p) => format!(
            "{}; value {} against {} ({DESCRIPTIVE}).",
            placed(r, p, "most deprived", "this measure"),
            value(r.figures.value),
            benchmarks(r, " and ", value),
        ),
        None if whole && r.england.value.is_none() => format!(
            "{}, a mean of LSOA values weighted by residents; the sources hold no England figure to set it against ({DESCRIPTIVE}).",
            words::capitalise(&value(r.figures.value)),
        ),
        None => format!(
            "{} against {}, each a mean of LSOA values weighted by residents ({DESCRIPTIVE}).",
            words::capitalise(&value(r.figures.value)),
            match r.england.value {
                Some(_) => benchmarks(r, " and ", value),
                None => format!("{place} {} (the sources hold no England figure)", value(r.district.value)),
            },
        ),
    };
    Reading { kind: ReadingKind::Descriptive, text }
}

/// Where the area sits in England's `worst` ("most deprived") 10% and 20% of LSOAs for `what`:
/// the share of its residents there, or for one LSOA, which of them it is in; beside its
/// district's share and England's, unless it is the whole district.
fn placed(r: &ReadingInputs, p: &Position, worst: &str, what: &str) -> String {
    let district = if r.area.level.is_whole_district() {
        String::new()
    } else {
        format!("{} {}, ", r.district.name, share(p.district_share10))
    };
    if let [_] = r.area.members.as_slice() {
        let band = if p.share10 > 0.0 {
            format!("among England's {worst} 10%")
        } else if p.share20 > 0.0 {
            format!("among England's {worst} 20%, not its {worst} 10%,")
        } else {
            format!("not among England's {worst} 20%")
        };
        return format!(
            "The LSOA is {band} for {what} ({district}England {} of residents in the {worst} 10%)",
            share(p.england_share10)
        );
    }
    format!(
        "{} of residents live in LSOAs among England's {worst} 10% for {what} ({district}England {}) and {} in the {worst} 20%",
        share(p.share10),
        share(p.england_share10),
        share(p.share20),
    )
}

/// A standardised ratio published for LSOAs without counts: where the area's LSOAs sit among
/// England's, and the LSOA's own ratio against England's 100, or why an area of several has none.
fn lsoa_ratios(r: &ReadingInputs) -> Reading {
    let position = r.position.map(|p| format!("{}. ", placed(r, p, "worst", "this ratio")));
    const ENGLAND: &str = "Each LSOA's ratio is its observed count over the count expected at England's rates for its ages and sexes, so England's is 100 by construction";
    let text = match r.figures.value {
        Some(v) => format!(
            "{}Value {} against England 100 ({DESCRIPTIVE}). {ENGLAND}.",
            position.unwrap_or_default(),
            figure(v, r.indicator)
        ),
        None => format!(
            "{}{ENGLAND}. MHCLG publishes the ratios without those counts, so no ratio is given for an area of several LSOAs: a mean of LSOA ratios is not one.",
            position.unwrap_or_default()
        ),
    };
    Reading { kind: ReadingKind::LsoaRatios, text }
}

fn deciles(r: &ReadingInputs) -> Reading {
    let Some(spread) = r.deciles else {
        return Reading { kind: ReadingKind::NotPublished, text: "Not published by MHCLG for these LSOAs.".to_owned() };
    };
    let lsoas: f64 = spread.lsoas.iter().sum();
    let most = |n: usize| spread.residents[..n].iter().sum::<f64>();
    let england = r.position.map_or_else(
        || "10% of LSOAs by definition".to_owned(),
        |p| format!("{} of residents", share(p.england_share10)),
    );
    let place = &r.district.name;
    let district = match r.position {
        Some(p) if !r.area.level.is_whole_district() => format!("{place} {}, ", share(p.district_share10)),
        _ => String::new(),
    };
    let parts: Vec<String> = spread
        .lsoas
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0.0)
        .map(|(d, n)| format!("{} in {}", number(*n, if n.fract() == 0.0 { 0 } else { 1 }), d + 1))
        .collect();
    Reading {
        kind: ReadingKind::Deciles,
        text: format!(
            "{} of residents ({} of {} {}) in England's most deprived 10% ({district}England {england}), {} in the most deprived 20%. LSOAs by national decile (1 = most deprived): {}.",
            share(most(1)),
            number(spread.lsoas[0], if spread.lsoas[0].fract() == 0.0 { 0 } else { 1 }),
            number(lsoas, if lsoas.fract() == 0.0 { 0 } else { 1 }),
            if lsoas == 1.0 { "LSOA" } else { "LSOAs" },
            share(most(2)),
            parts.join(", ")
        ),
    }
}

fn count(r: &ReadingInputs) -> Reading {
    let atlas = r.atlas;
    let Some(n) = r.figures.value else {
        return Reading { kind: ReadingKind::NotPublished, text: "Not published by MHCLG for these LSOAs.".to_owned() };
    };
    let (whole_name, whole_total, whole_residents) = if r.area.level.is_whole_district() {
        let england = |id: &str| atlas.comparator(id, ENGLAND_CODE, ComparatorRole::Benchmark).map(|c| c.value);
        ("England", r.england.value, england(POPULATION_INDICATOR))
    } else {
        (atlas.place().name.as_str(), r.district.value, Some(residents(atlas, &super::Area::city(atlas).members)))
    };
    let own_residents = residents(atlas, &r.area.members);
    let text = match (whole_total, whole_residents) {
        (Some(total), Some(people)) if total > 0.0 && people > 0.0 => {
            let part = if r.indicator.id == POPULATION_INDICATOR {
                String::new()
            } else {
                format!("; the area holds {} of {whole_name}'s usual residents", share(own_residents / people * 100.0))
            };
            format!(
                "{}: {} of {whole_name}'s total ({}){part}.",
                figure(n, r.indicator),
                share(n / total * 100.0),
                figure(total, r.indicator)
            )
        }
        _ => format!("{} (no {whole_name} total to set it against).", figure(n, r.indicator)),
    };
    Reading { kind: ReadingKind::Count, text }
}

/// True when the row's reading ends without a benchmark: what the product must never print.
pub fn is_dead_end(reading: &Reading) -> bool {
    reading.text.trim().is_empty() || reading.text.trim().eq_ignore_ascii_case("not compared")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_not_compared_is_a_dead_end() {
        assert!(is_dead_end(&Reading { kind: ReadingKind::Descriptive, text: "Not compared".into() }));
        assert!(!is_dead_end(&Reading { kind: ReadingKind::Descriptive, text: "54% of residents …".into() }));
    }
}
