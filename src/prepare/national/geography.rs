//! England's LSOAs 2021 with their local authority district (2024), best-fit ward, MSOA and Census
//! 2021 usual residents, and the ONS links from LSOA 2011 into them.

use std::path::Path;

use polars::prelude::*;

use super::RESIDENTS;
use crate::ingest::{IngestError, Location};
use crate::prepare::catalogue::Wide;
use crate::prepare::frames::scan::{self, LINE, Scanned, Wanted};
use crate::prepare::frames::{failed, inner, left, strings};
use crate::prepare::paths;

/// The ONS change codes of the LSOA 2011 → 2021 lookup.
pub const CHANGE_CODES: [&str; 4] = ["U", "S", "M", "X"];

/// England's LSOAs and how the LSOAs 2011 of IoD2019 lead to them.
pub struct Geography {
    /// One row per English LSOA 2021, sorted by code: `id` (its position, a compact key for
    /// group-bys), `lsoa`, `lsoa_name`, `district`, `district_name`, `ward`, `ward_name`, `msoa`,
    /// `msoa_name`, `residents`.
    pub lsoas: DataFrame,
    /// The ONS lookup's links into English LSOAs 2021, sorted: `lsoa11` (code), `lsoa21` (id).
    pub links: DataFrame,
    /// The file that places LSOAs in districts, for messages.
    pub districts_file: String,
}

impl Geography {
    /// Reads the lookups; `tables` must hold the Census 2021 age table (usual residents).
    pub fn read(raw: &Path, tables: &[(Wide, Scanned)]) -> Result<Geography, IngestError> {
        let districts = scan::read(
            &raw.join(paths::LSOA21_DISTRICT_LOOKUP),
            &Wanted {
                key: Some("lsoa21_code"),
                text: &["lsoa21_name", "ward24_code", "ward24_name", "ltla24_code", "ltla24_name"],
                numbers: &[],
            },
        )?;
        let msoas = scan::read(
            &raw.join(paths::LSOA21_MSOA_LOOKUP),
            &Wanted { key: Some("lsoa21_code"), text: &["msoa21_code", "msoa21_name"], numbers: &[] },
        )?;
        let Some((_, age)) = tables.iter().find(|(w, _)| *w == Wide::Age21) else {
            return Err(IngestError::file(raw.join(paths::CENSUS_AGE).display().to_string(), "was not read"));
        };
        let english = col("ltla24_code").gt_eq(lit("E")).and(col("ltla24_code").lt(lit("F")));
        let lsoas = districts
            .frame
            .clone()
            .lazy()
            .filter(english)
            .select([
                col("lsoa21_code").alias("lsoa"),
                col("lsoa21_name").alias("lsoa_name"),
                col("ltla24_code").alias("district"),
                col("ltla24_name").alias("district_name"),
                col("ward24_code").alias("ward"),
                col("ward24_name").alias("ward_name"),
            ])
            .join(
                msoas.frame.clone().lazy().select([
                    col("lsoa21_code").alias("lsoa"),
                    col("msoa21_code").alias("msoa"),
                    col("msoa21_name").alias("msoa_name"),
                ]),
                [col("lsoa")],
                [col("lsoa")],
                left(),
            )
            .join(
                age.frame.clone().lazy().select([col("lsoa21_code").alias("lsoa"), col(RESIDENTS).alias("residents")]),
                [col("lsoa")],
                [col("lsoa")],
                left(),
            )
            .sort(["lsoa"], SortMultipleOptions::default())
            .with_row_index("id", None)
            .collect()
            .map_err(failed(&districts.file))?;
        if let Some(code) = first_code_without(&lsoas, "msoa") {
            return Err(IngestError::file(&msoas.file, format!("has no MSOA for the English LSOA {code}")));
        }
        if let Some(code) = first_code_without(&lsoas, "residents") {
            return Err(IngestError::file(&age.file, format!("no {RESIDENTS} for {code}")));
        }
        let links = read_links(raw, &lsoas)?;
        Ok(Geography { lsoas, links, districts_file: districts.file })
    }

    /// Number of English LSOAs 2021.
    pub fn lsoa_count(&self) -> usize {
        self.lsoas.height()
    }

    /// `lsoa` (the code) and `residents` of every English LSOA 2021.
    pub fn residents(&self) -> LazyFrame {
        self.lsoas.clone().lazy().select([col("lsoa"), col("residents")])
    }

    /// `code`, `id` and `residents` of every English LSOA 2021.
    ///
    /// Frames of LSOA figures are keyed by `id`, a compact key for joins and group-bys.
    pub fn keys(&self) -> LazyFrame {
        self.lsoas.clone().lazy().select([col("lsoa").alias("code"), col("id"), col("residents")])
    }

    /// Each English LSOA 2021 (by id) with its district (`lsoa`, `area`).
    pub fn districts(&self) -> LazyFrame {
        self.lsoas.clone().lazy().select([col("id").alias("lsoa"), col("district").alias("area")])
    }

    /// Every English LSOA 2021 (by id) in one area with the given code (`lsoa`, `area`).
    pub fn whole(&self, code: &str) -> LazyFrame {
        self.lsoas.clone().lazy().select([col("id").alias("lsoa"), lit(code).alias("area")])
    }

    /// The LSOAs (by id) with the given codes in one area (`lsoa`, `area`); codes that are not
    /// English LSOAs are left out.
    pub fn members(&self, codes: &[String], area: &str) -> PolarsResult<DataFrame> {
        let wanted = df!("code" => codes)?;
        self.keys()
            .join(wanted.lazy(), [col("code")], [col("code")], inner())
            .select([col("id").alias("lsoa"), lit(area).alias("area")])
            .collect()
    }

    /// The English district codes, sorted.
    pub fn district_codes(&self) -> Vec<String> {
        let mut codes = strings(&self.lsoas, "district");
        codes.sort();
        codes.dedup();
        codes
    }
}

/// The code of the first LSOA whose `column` is null.
fn first_code_without(lsoas: &DataFrame, column: &str) -> Option<String> {
    let missing = lsoas.clone().lazy().filter(col(column).is_null()).select([col("lsoa")]).limit(1).collect().ok()?;
    strings(&missing, "lsoa").into_iter().next()
}

/// The ONS LSOA 2011 → 2021 links into English LSOAs 2021, every change code checked.
fn read_links(raw: &Path, lsoas: &DataFrame) -> Result<DataFrame, IngestError> {
    let lookup = scan::read(
        &raw.join(paths::LSOA11_LSOA21_LOOKUP),
        &Wanted { key: None, text: &["lsoa11_code", "change_code", "lsoa21_code"], numbers: &[] },
    )?;
    let known = CHANGE_CODES.iter().fold(lit(false), |any, code| any.or(col("change_code").eq(lit(*code))));
    let bad = lookup
        .frame
        .clone()
        .lazy()
        .filter(known.not().or(col("change_code").is_null()))
        .select([col(LINE), col("change_code")])
        .limit(1)
        .collect()
        .map_err(failed(&lookup.file))?;
    if bad.height() > 0 {
        let line = bad.column(LINE).ok().and_then(|c| c.as_materialized_series().idx().ok()?.get(0)).unwrap_or(0);
        let change = strings(&bad, "change_code").into_iter().next().unwrap_or_default();
        return Err(IngestError::at(
            &lookup.file,
            Location::Line(line as usize),
            Some("change_code"),
            format!("{change:?} is not an ONS change code (U, S, M or X)"),
        ));
    }
    lookup
        .frame
        .lazy()
        .select([col("lsoa11_code").alias("lsoa11"), col("lsoa21_code")])
        .join(lsoas.clone().lazy().select([col("lsoa"), col("id")]), [col("lsoa21_code")], [col("lsoa")], inner())
        .select([col("lsoa11"), col("id").alias("lsoa21")])
        .sort(["lsoa21", "lsoa11"], SortMultipleOptions::default())
        .collect()
        .map_err(failed(&lookup.file))
}
