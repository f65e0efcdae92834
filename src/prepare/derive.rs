//! An indicator's LSOA figures as a frame of `lsoa`, `numerator`, `denominator` and `value`: on every
//! English LSOA from the national files, or on the atlas's LSOAs alone from the files held for the
//! district only (Census tables by LSOA, Output Area tables without a national file, access to GP
//! practices).

use polars::prelude::*;

use super::Sources;
use super::catalogue::{Derivation, Spec};
use super::frames;
use super::national::{self, National};
use crate::atlas::Observation;
use crate::ingest::IngestError;

/// One row of the tidy indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// LSOA 2021 code.
    pub lsoa21_code: String,
    /// Indicator id.
    pub indicator_id: String,
    /// Period label.
    pub period: String,
    /// Count, where known.
    pub numerator: Option<f64>,
    /// Denominator, where known.
    pub denominator: Option<f64>,
    /// Value in the catalogue's unit.
    pub value: Option<f64>,
}

/// An indicator's LSOA figures.
pub struct Derived {
    /// On LSOAs 2021 (keyed by the geography's ids): every English LSOA when `national`, the atlas's
    /// LSOAs otherwise.
    pub lsoa21: LazyFrame,
    /// For IoD2019 indicators, the published figures on LSOA 2011 before they were carried to 2021.
    pub lsoa11: Option<LazyFrame>,
    /// True when every English LSOA was read from a national file.
    pub national: bool,
}

/// An indicator's figures, or `None` when the raw folder holds no source of them for the district.
pub fn derive(spec: &Spec, sources: &Sources) -> Result<Option<Derived>, IngestError> {
    if National::holds(spec) {
        return Ok(national::figures::figures(spec, &sources.national).map(|f| Derived {
            lsoa21: f.lsoa21,
            lsoa11: f.lsoa11,
            national: true,
        }));
    }
    let Some(local) = &sources.local else { return Ok(None) };
    let multiplier = spec.indicator.multiplier;
    let rows = match &spec.derivation {
        Derivation::CensusShare(table, categories) => local
            .census(*table)
            .share(categories)?
            .into_iter()
            .map(|(code, n, total)| {
                let value = (total > 0.0).then(|| frames::tidy(n / total * multiplier));
                (code, Observation { numerator: Some(n), denominator: Some(total), value })
            })
            .collect(),
        Derivation::OutputAreaShare(table, categories) => local.output_areas(*table).share(categories, multiplier)?,
        Derivation::GpAccess(measure) => local.gp_access.figures(*measure),
        _ => return Ok(None),
    };
    let frame = frame(&rows).map_err(|e| IngestError::file(&spec.indicator.id, e.to_string()))?;
    let keys = sources.national.geography.keys().select([col("code"), col("id")]);
    let lsoa21 = frame.lazy().join(keys, [col("lsoa")], [col("code")], frames::inner()).select([
        col("id").alias("lsoa"),
        col("numerator"),
        col("denominator"),
        col("value"),
    ]);
    Ok(Some(Derived { lsoa21, lsoa11: None, national: false }))
}

/// LSOA figures as a frame.
pub fn frame(rows: &[(String, Observation)]) -> PolarsResult<DataFrame> {
    df!(
        "lsoa" => rows.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        "numerator" => rows.iter().map(|(_, o)| o.numerator).collect::<Vec<_>>(),
        "denominator" => rows.iter().map(|(_, o)| o.denominator).collect::<Vec<_>>(),
        "value" => rows.iter().map(|(_, o)| o.value).collect::<Vec<_>>(),
    )
}
