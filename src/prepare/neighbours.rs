//! Statistical neighbours: the district's 15 most similar English districts, and the neighbours'
//! average and range of every indicator with district figures.
//!
//! Each of England's districts is described by six figures, each computed from its LSOAs as an
//! area's own figure is: the IMD 2025 score (mean weighted by residents), the income and the
//! employment deprivation rates (IoD2025, summed counts), the share of residents aged 65 and over
//! (Census 2021), the log of residents per km² (Census 2021 residents over the area of the LSOAs'
//! 200 m boundaries) and the log of residents. Deprivation (three measures, as the outcomes a public
//! health team compares follow it), age (which drives most health outcomes), how urban a place is
//! (density; the sources hold no national rural-urban classification, so density stands for it)
//! and size (a city is compared with cities, as in CIPFA's model) are what the CIPFA and ONS
//! nearest-neighbour models of local authorities weigh most. Density and size span orders of
//! magnitude, so their logarithms are used. Each figure is standardised across the districts and
//! the neighbours are the nearest by Euclidean distance ([`crate::stats::neighbours`]).

use std::collections::HashMap;

use geo::Area;
use polars::prelude::*;

use super::catalogue::Spec;
use super::comparators::tidy;
use super::district_areas::NationalShapes;
use super::frames::inner;
use super::frames::strings;
use super::national::Geography;
use crate::atlas::{Neighbour, NeighbourFigure, ValueType};
use crate::ingest::{Crs, IngestError};
use crate::stats::neighbours::{Described, Neighbour as Nearest, far_out_fence, nearest_each};

/// How many neighbours a district has.
pub const NEIGHBOURS: usize = 15;

/// The indicators that describe a district, besides its density and size.
pub const DESCRIBED_BY: [&str; 4] =
    ["iod25_imd_score", "iod25_income_rate", "iod25_employment_rate", "census21_age65plus"];

/// A district's neighbours and their figures.
pub struct Neighbours {
    /// The district's code.
    pub of_district: String,
    /// The district (rank 0) and its neighbours, nearest first.
    pub rows: Vec<Neighbour>,
    /// Each indicator's neighbour average and range, in catalogue order.
    pub figures: Vec<NeighbourFigure>,
}

/// England's districts, each described by the figures its neighbours are found by.
pub struct Districts {
    described: Vec<Described<6>>,
    /// Each district's neighbours, nearest first, by code.
    nearest: HashMap<String, Vec<Nearest>>,
    /// Tukey's far-out fence of every district's distance to its nearest neighbour.
    far_out_fence: f64,
    names: HashMap<String, String>,
}

/// Describes every English district. `districts` is the group-by of every district's figures
/// (indicator positions as in `specs`).
pub fn describe(
    specs: &[Spec],
    districts: &DataFrame,
    geography: &Geography,
    shapes: &NationalShapes,
) -> Result<Districts, IngestError> {
    let fail = |e: PolarsError| IngestError::file(&shapes.file, format!("could not be combined: {e}"));
    let order = |id: &str| specs.iter().position(|s| s.indicator.id == id).map(|i| i as u32);
    let mut figures: HashMap<(u32, String), f64> = HashMap::new();
    let indicators: Vec<Option<u32>> =
        districts.column("indicator").map_err(fail)?.u32().map_err(fail)?.iter().collect();
    let areas = strings(districts, "area");
    let values: Vec<Option<f64>> = districts.column("value").map_err(fail)?.f64().map_err(fail)?.iter().collect();
    for ((indicator, area), value) in indicators.iter().zip(&areas).zip(&values) {
        if let (Some(i), Some(v)) = (indicator, value) {
            figures.insert((*i, area.clone()), *v);
        }
    }
    let density = density(geography, shapes).map_err(fail)?;
    let described: Vec<Described<6>> = density
        .iter()
        .filter_map(|(code, residents, per_km2)| {
            let mut variables = [0.0; 6];
            for (j, id) in DESCRIBED_BY.iter().enumerate() {
                variables[j] = *figures.get(&(order(id)?, code.clone()))?;
            }
            variables[4] = per_km2.ln();
            variables[5] = residents.ln();
            Some(Described { code: code.clone(), variables })
        })
        .collect();
    let nearest: HashMap<String, Vec<Nearest>> =
        described.iter().map(|d| d.code.clone()).zip(nearest_each(&described, NEIGHBOURS)).collect();
    let nearest_distances: Vec<f64> = nearest.values().filter_map(|found| Some(found.first()?.distance)).collect();
    let far_out_fence = far_out_fence(&nearest_distances)
        .ok_or_else(|| IngestError::file(&shapes.file, "too few districts to find neighbours among"))?;
    Ok(Districts { described, nearest, far_out_fence, names: district_names(geography) })
}

/// Finds one district's neighbours among England's districts, and their average and range of
/// every indicator in `districts` (the group-by of every district's figures).
pub fn of(
    england: &Districts,
    specs: &[Spec],
    districts: &DataFrame,
    target: (&str, &str),
    file: &str,
) -> Result<Neighbours, IngestError> {
    let (code, name) = target;
    let found = england.nearest.get(code).ok_or_else(|| {
        IngestError::file(file, format!("district {code} lacks one of the figures neighbours are found by"))
    })?;
    let row = |rank: usize, code: &str, distance: f64| -> Neighbour {
        let own = england.described.iter().find(|d| d.code == code).map_or([0.0; 6], |d| d.variables);
        Neighbour {
            rank,
            code: code.to_owned(),
            name: england.names.get(code).cloned().unwrap_or_default(),
            distance: tidy(distance),
            imd_score: tidy(own[0]),
            income_rate: tidy(own[1]),
            employment_rate: tidy(own[2]),
            aged_65_plus: tidy(own[3]),
            residents_per_km2: tidy(own[4].exp()),
            residents: own[5].exp().round(),
            far_out_fence: tidy(england.far_out_fence),
        }
    };
    let mut rows = vec![row(0, code, 0.0)];
    rows.extend(found.iter().enumerate().map(|(i, n)| row(i + 1, &n.code, n.distance)));
    let basis = format!(
        "Unweighted mean, lowest and highest of the figures of {name}'s {NEIGHBOURS} statistical neighbours (the English districts most similar in IMD 2025 score, income and employment deprivation, share aged 65 and over, population density and size: see neighbours.csv), each district's figure computed from its LSOAs as an area's own figure is"
    );
    let figures = neighbour_figures(specs, districts, &rows[1..], &basis)
        .map_err(|e| IngestError::file(file, format!("could not be combined: {e}")))?;
    Ok(Neighbours { of_district: code.to_owned(), rows, figures })
}

/// Census 2021 usual residents and residents per km² of every English district: residents over the
/// area of its LSOAs' boundaries (projected to British National Grid).
fn density(geography: &Geography, shapes: &NationalShapes) -> PolarsResult<Vec<(String, f64, f64)>> {
    let (mut codes, mut km2) = (Vec::new(), Vec::new());
    for (code, shape) in &shapes.shapes {
        let mut grid = shape.clone();
        if Crs::BritishNationalGrid.project_wgs84(&mut grid).is_ok() {
            codes.push(code.as_str());
            km2.push(grid.unsigned_area() / 1e6);
        }
    }
    let areas = df!("lsoa" => codes, "km2" => km2)?;
    let found = geography
        .lsoas
        .clone()
        .lazy()
        .select([col("lsoa"), col("district"), col("residents")])
        .join(areas.lazy(), [col("lsoa")], [col("lsoa")], inner())
        .group_by([col("district")])
        .agg([col("residents").sum(), col("km2").sum()])
        .filter(col("km2").gt(lit(0.0)))
        .select([col("district"), col("residents"), (col("residents") / col("km2")).alias("density")])
        .sort(["district"], SortMultipleOptions::default())
        .collect()?;
    let per_km2: Vec<Option<f64>> = found.column("density")?.f64()?.iter().collect();
    let residents: Vec<Option<f64>> = found.column("residents")?.f64()?.iter().collect();
    Ok(strings(&found, "district")
        .into_iter()
        .zip(residents.into_iter().zip(per_km2))
        .filter_map(|(c, (r, d))| Some((c, r?, d?)))
        .collect())
}

/// Each district's name, by code.
fn district_names(geography: &Geography) -> HashMap<String, String> {
    strings(&geography.lsoas, "district").into_iter().zip(strings(&geography.lsoas, "district_name")).collect()
}

/// The neighbours' unweighted mean, lowest and highest figure of every indicator with district
/// figures (not ranks or deciles), in catalogue order.
fn neighbour_figures(
    specs: &[Spec],
    districts: &DataFrame,
    neighbours: &[Neighbour],
    basis: &str,
) -> PolarsResult<Vec<NeighbourFigure>> {
    let codes = df!("area" => neighbours.iter().map(|n| n.code.as_str()).collect::<Vec<_>>())?;
    let found = districts
        .clone()
        .lazy()
        .filter(col("value").is_not_null())
        .join(codes.lazy(), [col("area")], [col("area")], inner())
        .group_by([col("indicator")])
        .agg([
            len().cast(DataType::UInt32).alias("neighbours"),
            col("value").mean().alias("mean"),
            col("value").min().alias("lowest"),
            col("value").max().alias("highest"),
        ])
        .sort(["indicator"], SortMultipleOptions::default())
        .collect()?;
    let indicators: Vec<Option<u32>> = found.column("indicator")?.u32()?.iter().collect();
    let counts: Vec<Option<u32>> = found.column("neighbours")?.u32()?.iter().collect();
    let number = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(found.column(name)?.f64()?.iter().collect()) };
    let (means, lows, highs) = (number("mean")?, number("lowest")?, number("highest")?);
    Ok((0..found.height())
        .filter_map(|i| {
            let spec = specs.get(indicators[i]? as usize)?;
            if matches!(spec.indicator.value_type, ValueType::Rank | ValueType::Decile) {
                return None;
            }
            Some(NeighbourFigure {
                indicator_id: spec.indicator.id.clone(),
                neighbours: counts[i]? as usize,
                mean: tidy(means[i]?),
                lowest: tidy(lows[i]?),
                highest: tidy(highs[i]?),
                basis: basis.to_owned(),
            })
        })
        .collect())
}
