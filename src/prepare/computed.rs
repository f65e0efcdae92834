//! Every area figure a run writes, computed over the stacked LSOA figures of all indicators: the
//! atlas's district and England (checked against [`combine`](crate::analysis::aggregate::combine)),
//! every English district (for the ranges), and the positions in England's distribution.

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use super::catalogue::Spec;
use super::derive::{self, ValueRow};
use super::national::aggregate::{AreaFigure, aggregate, agrees, area_figures, combined, method_name};
use super::{PrepareError, Sources, frames, national, positions, ranges};
use crate::analysis::aggregate::{Method, method_of};
use crate::atlas::schema::ENGLAND_CODE;
use crate::atlas::{Observation, Polarity};
use crate::ingest::IngestError;

/// The area code the group-bys give the atlas's own LSOAs.
pub const ATLAS: &str = "atlas";

/// What the group-bys found.
pub struct Computed {
    /// Every indicator's LSOA figures.
    pub stacked: Stacked,
    /// The atlas's (`ATLAS`) and England's figure of each indicator (by catalogue position).
    pub figures: HashMap<(u32, String), AreaFigure>,
    /// Every district's figure of each national indicator (an [`aggregate`] result).
    pub districts: DataFrame,
    /// The ranges across England's districts ([`national::ranges::ranges`]).
    pub ranges: DataFrame,
    /// The worst-10% and worst-20% cut-points ([`national::positions::cuts`]).
    pub cuts: DataFrame,
    /// England's and the atlas's shares in them ([`national::positions::shares`]).
    pub shares: DataFrame,
    /// The atlas's LSOAs (`lsoa` ids, `area` = [`ATLAS`]).
    pub atlas: DataFrame,
    /// The rows of the tidy indicator table.
    pub rows: Vec<ValueRow>,
}

/// Derives, stacks and combines every indicator the sources hold for the atlas's LSOAs.
pub fn compute(specs: &[Spec], sources: &Sources, atlas_codes: &[String]) -> Result<Computed, PrepareError> {
    let geography = &sources.national.geography;
    let stacked = stack(specs, sources)?;
    let fail = |e: PolarsError| PrepareError::from(IngestError::file(&geography.districts_file, e.to_string()));
    let atlas_members = geography.members(atlas_codes, ATLAS).map_err(fail)?;
    let methods = df!(
        "indicator" => (0..specs.len() as u32).collect::<Vec<_>>(),
        "method" => specs.iter().map(|s| method_name(method_of(&s.indicator))).collect::<Vec<_>>(),
        "multiplier" => specs.iter().map(|s| s.indicator.multiplier).collect::<Vec<_>>(),
        "high_is_good" => specs.iter().map(|s| s.indicator.polarity == Polarity::HighIsGood).collect::<Vec<_>>(),
    )
    .map_err(fail)?;
    // One group-by per kind of area, so no LSOA's figures are held more than once at a time.
    let national_ids = stacked.national_ids(specs, |_, national| national);
    let only = |ids: Vec<u32>| df!("indicator" => ids).map(DataFrame::lazy);
    let national_figures = stacked.figures.clone().lazy().join(
        only(national_ids).map_err(fail)?,
        [col("indicator")],
        [col("indicator")],
        frames::inner(),
    );
    let mut aggregates = Vec::new();
    for (figures, members) in [
        (stacked.figures.clone().lazy(), atlas_members.clone().lazy()),
        (national_figures.clone(), geography.whole(ENGLAND_CODE)),
        (national_figures, geography.districts()),
    ] {
        let found = frames::collect(aggregate(figures, members, methods.clone().lazy())).map_err(fail)?;
        aggregates.push(found);
    }
    let [atlas_aggregates, england_aggregates, district_aggregates] =
        aggregates.try_into().map_err(|_| fail(PolarsError::NoData("aggregates".into())))?;
    let mut figures: HashMap<(u32, String), AreaFigure> = HashMap::new();
    for found in [&atlas_aggregates, &england_aggregates] {
        figures.extend(area_figures(found).map_err(fail)?);
    }
    check_against_combine(specs, &stacked, &atlas_members, &figures)?;

    let ranged = stacked.national_ids(specs, ranges::ranged);
    let districts = district_aggregates.clone();
    let district_figures = district_aggregates.lazy().join(
        only(ranged).map_err(fail)?,
        [col("indicator")],
        [col("indicator")],
        frames::inner(),
    );
    let ranges_frame = national::ranges::ranges(district_figures).collect().map_err(fail)?;
    let placed_ids = stacked.national_ids(specs, positions::placed);
    let directions = methods
        .clone()
        .lazy()
        .join(only(placed_ids).map_err(fail)?, [col("indicator")], [col("indicator")], frames::inner())
        .select([col("indicator"), col("high_is_good")]);
    let cuts =
        frames::collect(national::positions::cuts(stacked.published.clone().lazy(), directions)).map_err(fail)?;
    let shares = frames::collect(national::positions::shares(
        cuts.clone().lazy(),
        stacked.figures.clone().lazy().select([col("indicator"), col("lsoa"), col("residents"), col("value")]),
        concat([atlas_members.clone().lazy(), geography.whole(ENGLAND_CODE)], UnionArgs::default()).map_err(fail)?,
    ))
    .map_err(fail)?;

    let codes = frames::strings(&geography.lsoas, "lsoa");
    let rows = value_rows(specs, &stacked.figures, &atlas_members, &codes).map_err(fail)?;
    Ok(Computed { stacked, figures, districts, ranges: ranges_frame, cuts, shares, atlas: atlas_members, rows })
}

/// Every indicator's LSOA figures stacked in one frame.
pub struct Stacked {
    /// `indicator` (catalogue position), `lsoa` (id), `residents`, `numerator`, `denominator`,
    /// `value`: on every English LSOA 2021 for national indicators, the atlas's LSOAs for the others.
    pub figures: DataFrame,
    /// `indicator`, `value` on the geography each placed indicator is published for.
    pub published: DataFrame,
    /// For each indicator with figures: (national, carried from LSOA 2011).
    pub facts: HashMap<String, (bool, bool)>,
}

impl Stacked {
    /// The catalogue positions of the indicators with figures that pass `test` (given whether they
    /// are national).
    fn national_ids(&self, specs: &[Spec], test: impl Fn(&Spec, bool) -> bool) -> Vec<u32> {
        (0..specs.len())
            .filter(|&i| self.facts.get(&specs[i].indicator.id).is_some_and(|&(national, _)| test(&specs[i], national)))
            .map(|i| i as u32)
            .collect()
    }
}

/// Derives every indicator the sources hold and stacks the figures.
fn stack(specs: &[Spec], sources: &Sources) -> Result<Stacked, IngestError> {
    let residents = sources.national.geography.keys().select([col("id"), col("residents")]);
    let (mut figures, mut published, mut facts) = (Vec::new(), Vec::new(), HashMap::new());
    for (order, spec) in specs.iter().enumerate() {
        let Some(derived) = derive::derive(spec, sources)? else { continue };
        let id = || lit(order as u32).cast(DataType::UInt32).alias("indicator");
        let columns = [col("numerator"), col("denominator"), col("value")].map(|c| c.cast(DataType::Float64));
        let mut selected = vec![id(), col("lsoa"), col("residents")];
        selected.extend(columns);
        let keyed = derived.lsoa21.clone().join(residents.clone(), [col("lsoa")], [col("id")], frames::inner());
        figures.push(keyed.select(selected));
        if positions::placed(spec, derived.national) {
            let on = derived.lsoa11.clone().unwrap_or_else(|| derived.lsoa21.clone());
            published.push(on.select([id(), col("value").cast(DataType::Float64)]));
        }
        facts.insert(spec.indicator.id.clone(), (derived.national, derived.lsoa11.is_some()));
    }
    let fail = |e: PolarsError| IngestError::file("the national tables", format!("could not be stacked: {e}"));
    let figures = concat(figures, UnionArgs::default()).and_then(frames::collect).map_err(fail)?;
    let published = concat(published, UnionArgs::default()).and_then(frames::collect).map_err(fail)?;
    Ok(Stacked { figures, published, facts })
}

/// The rows of the tidy indicator table: the atlas's LSOAs that have figures, in catalogue and
/// code order.
fn value_rows(specs: &[Spec], figures: &DataFrame, atlas: &DataFrame, codes: &[String]) -> PolarsResult<Vec<ValueRow>> {
    let rows = figures
        .clone()
        .lazy()
        .join(atlas.clone().lazy().select([col("lsoa")]), [col("lsoa")], [col("lsoa")], frames::inner())
        .sort(["indicator", "lsoa"], SortMultipleOptions::default())
        .collect()?;
    let orders: Vec<Option<u32>> = rows.column("indicator")?.u32()?.iter().collect();
    let ids: Vec<Option<u32>> = rows.column("lsoa")?.u32()?.iter().collect();
    let number = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(rows.column(name)?.f64()?.iter().collect()) };
    let (numerators, denominators, values) = (number("numerator")?, number("denominator")?, number("value")?);
    Ok((0..rows.height())
        .filter_map(|i| {
            let spec = &specs[orders[i]? as usize];
            Some(ValueRow {
                lsoa21_code: codes.get(ids[i]? as usize)?.clone(),
                indicator_id: spec.indicator.id.clone(),
                period: spec.indicator.period.clone(),
                numerator: numerators[i],
                denominator: denominators[i],
                value: values[i],
            })
        })
        .collect())
}

/// Fails unless every atlas and England figure of the group-by is [`combine`](crate::analysis::aggregate::combine)'s.
fn check_against_combine(
    specs: &[Spec],
    stacked: &Stacked,
    atlas: &DataFrame,
    figures: &HashMap<(u32, String), AreaFigure>,
) -> Result<(), IngestError> {
    let fail = |e: PolarsError| IngestError::file("data/comparators.csv", e.to_string());
    let atlas: BTreeSet<u32> = atlas.column("lsoa").map_err(fail)?.u32().map_err(fail)?.iter().flatten().collect();
    for part in stacked.figures.partition_by_stable(["indicator"], true).map_err(fail)? {
        let Some(order) = part.column("indicator").map_err(fail)?.u32().map_err(fail)?.get(0) else { continue };
        let spec = &specs[order as usize];
        let id = &spec.indicator.id;
        if method_of(&spec.indicator) == Method::Distribution {
            continue;
        }
        let number = |name: &str| -> Result<Vec<Option<f64>>, IngestError> {
            Ok(part.column(name).map_err(fail)?.f64().map_err(fail)?.iter().collect())
        };
        let (numerators, denominators, values) = (number("numerator")?, number("denominator")?, number("value")?);
        let residents = number("residents")?;
        let lsoas: Vec<Option<u32>> = part.column("lsoa").map_err(fail)?.u32().map_err(fail)?.iter().collect();
        let observation = |i: usize| {
            let o = Observation { numerator: numerators[i], denominator: denominators[i], value: values[i] };
            (o, residents[i].unwrap_or(0.0))
        };
        let in_atlas = |i: &usize| lsoas[*i].is_some_and(|l| atlas.contains(&l));
        let mut areas = vec![(ATLAS, combined(&spec.indicator, (0..lsoas.len()).filter(in_atlas).map(observation)))];
        if stacked.facts.get(id).is_some_and(|f| f.0) {
            areas.push((ENGLAND_CODE, combined(&spec.indicator, (0..lsoas.len()).map(observation))));
        }
        for (area, expected) in areas {
            let found = figures.get(&(order, area.to_owned()));
            if !found.is_some_and(|f| agrees(f, &expected)) && expected.lsoas_used > 0 {
                return Err(IngestError::file(
                    "data/comparators.csv",
                    format!("the group-by's figure of {id} for {area} ({found:?}) is not combine's ({expected:?})"),
                ));
            }
        }
    }
    Ok(())
}
