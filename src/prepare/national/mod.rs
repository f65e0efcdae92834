//! England's LSOA tables in polars: lazy scans of the national files, every indicator's figures on
//! every English LSOA (IoD2019 carried from LSOA 2011 to 2021), and the group-bys that make the
//! district and England figures, the district ranges and the positions in England's distribution.
//!
//! Each national file is read once ([`scan`]); an indicator's LSOA figures are joins and column
//! expressions over those frames ([`figures`]), all indicators are stacked into one long frame,
//! and every area figure is a group-by over it ([`aggregate`]), which `prepare` checks against
//! [`combine`](crate::analysis::aggregate::combine), the definition behind every area in the atlas.

pub mod aggregate;
pub mod bridge;
pub mod figures;
pub mod geography;
pub mod positions;
pub mod ranges;

use std::path::Path;

use polars::prelude::*;

use super::catalogue::{Derivation, Spec, Wide};
use super::census_oa;
use super::frames::scan::{self, Scanned, Wanted};
use super::frames::{failed, inner};
use super::paths;
use crate::ingest::IngestError;
pub use bridge::Bridge;
pub use geography::Geography;

/// Each national wide table: its raw file and area-code column.
pub const WIDE_FILES: [(Wide, &str, &str); 8] = [
    (Wide::Domains25, paths::IOD25_DOMAINS, "lsoa21_code"),
    (Wide::Subdomains25, paths::IOD25_SUBDOMAINS, "lsoa21_code"),
    (Wide::Underlying25, paths::IOD25_UNDERLYING, "lsoa21_code"),
    (Wide::Domains19, paths::IOD19_DOMAINS, "lsoa11_code"),
    (Wide::Denominators19, paths::IOD19_DENOMINATORS, "lsoa11_code"),
    (Wide::Underlying19, paths::IOD19_UNDERLYING, "lsoa11_code"),
    (Wide::Age21, paths::CENSUS_AGE, "lsoa21_code"),
    (Wide::Loneliness, paths::LONELINESS, "lsoa21_code"),
];

/// The File 6 population that weights means over merged LSOAs 2011.
pub const FILE6_TOTAL: &str = "pop_total_mid2015";
/// The File 6 working-age population, the IoD2019 employment denominator.
pub const FILE6_WORKING_AGE: &str = "pop_working_age_18_59_64_mid2015";
/// Census 2021 usual residents, the weight of population-weighted means.
pub const RESIDENTS: &str = "total_usual_residents";

/// The national tables a run reads, England's geography and the 2011 → 2021 bridge.
pub struct National {
    /// England's LSOAs 2021 and the links from LSOA 2011.
    pub geography: Geography,
    /// LSOA 2011 → 2021.
    pub bridge: Bridge,
    tables: Vec<(Wide, Scanned)>,
    /// The England and Wales LSOA file of TS037, TS038 and TS039 Output Area sums.
    health: Scanned,
}

impl National {
    /// Reads every national file the catalogue needs, reporting the problems of all of them.
    pub fn read(raw: &Path, specs: &[Spec]) -> Result<National, Vec<IngestError>> {
        let mut problems = Vec::new();
        let mut tables = Vec::new();
        for (wide, path, key) in WIDE_FILES {
            let numbers = numbers_of(wide, specs);
            let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
            let text: &[&str] = if wide == Wide::Denominators19 { &["lad19_code"] } else { &[] };
            match scan::read(&raw.join(path), &Wanted { key: Some(key), text, numbers: &numbers }) {
                Ok(scanned) => tables.push((wide, scanned)),
                Err(e) => problems.push(e),
            }
        }
        let health_columns = census_oa::national_columns();
        let health_columns: Vec<&str> = health_columns.iter().map(String::as_str).collect();
        let wanted = Wanted { key: Some("lsoa21_code"), text: &[], numbers: &health_columns };
        let health = scan::read(&raw.join(census_oa::NATIONAL_FILE), &wanted).map_err(|e| problems.push(e)).ok();
        let geography = Geography::read(raw, &tables).map_err(|e| problems.push(e)).ok();
        let (Some(health), Some(geography), true) = (health, geography, problems.is_empty()) else {
            return Err(problems);
        };
        let file6 = &tables.iter().find(|(w, _)| *w == Wide::Denominators19).expect("File 6 is read").1;
        let bridge = Bridge::new(&geography, file6).map_err(|e| vec![e])?;
        census_oa::check_national(&health).map_err(|e| vec![e])?;
        let health = keyed(health, &geography).map_err(|e| vec![e])?;
        let mut keyed_tables = Vec::with_capacity(tables.len());
        for (wide, scanned) in tables {
            let scanned = if wide.is_lsoa11() { scanned } else { keyed(scanned, &geography).map_err(|e| vec![e])? };
            keyed_tables.push((wide, scanned));
        }
        Ok(National { geography, bridge, tables: keyed_tables, health })
    }

    /// A wide table; one on LSOA 2021 holds England's LSOAs alone, each with its `id`.
    pub fn table(&self, wide: Wide) -> &Scanned {
        &self.tables.iter().find(|(w, _)| *w == wide).expect("every wide table is read").1
    }

    /// The England and Wales LSOA sums of the Output Area tables it holds.
    pub fn health(&self) -> &Scanned {
        &self.health
    }

    /// True when England's figures of the indicator come from the national files.
    pub fn holds(spec: &Spec) -> bool {
        match &spec.derivation {
            Derivation::OutputAreaShare(table, _) => table.layout().national.is_some(),
            Derivation::CensusShare(..) | Derivation::GpAccess(_) => false,
            _ => true,
        }
    }
}

/// The number columns of a wide table that the catalogue reads, with those every run needs.
fn numbers_of(wide: Wide, specs: &[Spec]) -> Vec<String> {
    let mut columns: Vec<String> = specs
        .iter()
        .flat_map(|s| match &s.derivation {
            Derivation::Value(w, c, _) | Derivation::PublishedCount(w, c) => vec![(*w, *c)],
            Derivation::Ratio(a, b) | Derivation::ImpliedDenominator(a, b) | Derivation::RateTimesDenominator(a, b) => {
                vec![*a, *b]
            }
            _ => Vec::new(),
        })
        .filter(|(w, _)| *w == wide)
        .map(|(_, c)| c.to_owned())
        .collect();
    match wide {
        Wide::Age21 => columns.extend([RESIDENTS.to_owned(), "age_65_plus".to_owned()]),
        Wide::Denominators19 => columns.extend([FILE6_TOTAL.to_owned(), FILE6_WORKING_AGE.to_owned()]),
        _ => {}
    }
    columns.sort();
    columns.dedup();
    columns
}

/// A table on LSOA 2021 (`lsoa21_code`) cut to England's LSOAs, with each LSOA's `id`.
fn keyed(scanned: Scanned, geography: &Geography) -> Result<Scanned, IngestError> {
    let frame = scanned
        .frame
        .lazy()
        .join(geography.keys().select([col("code"), col("id")]), [col("lsoa21_code")], [col("code")], inner())
        .collect()
        .map_err(failed(&scanned.file))?;
    Ok(Scanned { file: scanned.file, frame })
}
