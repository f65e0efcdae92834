//! An indicator's figures on every English LSOA, derived from the raw tables, and the rows of the
//! tidy indicator table (the atlas's LSOAs) taken from them.

use super::Sources;
use super::bridge::tidy;
use super::catalogue::{Derivation, Spec, Wide};
use super::england::England;
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

/// An indicator's figures on England's LSOAs.
pub struct Derived {
    /// Figures on every English LSOA 2021 (positions as in [`England::lsoa21`]); for a Census
    /// table held for Coventry only, on Coventry's LSOAs alone.
    pub lsoa21: Vec<Option<Observation>>,
    /// For IoD2019 indicators, the published figures on LSOA 2011 (positions as in
    /// [`England::lsoa11`]) before they were carried to 2021.
    pub lsoa11: Option<Vec<Option<Observation>>>,
    /// True when every English LSOA was read from a national file.
    pub national: bool,
}

impl Derived {
    /// The figures the indicator was published on: LSOA 2011 for IoD2019, LSOA 2021 otherwise.
    pub fn published(&self) -> &[Option<Observation>] {
        self.lsoa11.as_deref().unwrap_or(&self.lsoa21)
    }
}

/// An indicator's figures on every English LSOA 2021 (and LSOA 2011 for IoD2019).
pub fn derive(spec: &Spec, sources: &Sources) -> Result<Derived, IngestError> {
    let england = &sources.england;
    if let Derivation::OutputAreaShare(table, categories) = &spec.derivation {
        let counts = sources.output_areas(*table);
        let lsoa21 = counts.share(categories, spec.indicator.multiplier)?;
        return Ok(Derived { lsoa21, lsoa11: None, national: counts.national });
    }
    if let Derivation::GpAccess(measure) = spec.derivation {
        return Ok(sources.gp_access.derived(measure, england));
    }
    let Some(wide) = spec.derivation.wide() else {
        return coventry_census(spec, sources);
    };
    if wide.is_lsoa11() {
        let published = figures(spec, &england.lsoa11, sources)?;
        Ok(Derived { lsoa21: england.bridge.carry(&published), lsoa11: Some(published), national: true })
    } else {
        Ok(Derived { lsoa21: figures(spec, &england.lsoa21, sources)?, lsoa11: None, national: true })
    }
}

/// The rows of the tidy indicator table: the atlas's LSOAs that have figures, in code order.
pub fn value_rows(spec: &Spec, derived: &Derived, england: &England) -> Vec<ValueRow> {
    england
        .coventry
        .iter()
        .filter_map(|&i| {
            let o = derived.lsoa21[i]?;
            Some(ValueRow {
                lsoa21_code: england.lsoa21[i].clone(),
                indicator_id: spec.indicator.id.clone(),
                period: spec.indicator.period.clone(),
                numerator: o.numerator,
                denominator: o.denominator,
                value: o.value,
            })
        })
        .collect()
}

/// Figures from the wide tables for the given areas, in their order.
fn figures(spec: &Spec, codes: &[String], sources: &Sources) -> Result<Vec<Option<Observation>>, IngestError> {
    let column = |(w, name): (Wide, &str)| sources.wide(w).column(codes, name);
    let multiplier = spec.indicator.multiplier;
    let figures = |numerator, denominator, value| Observation { numerator, denominator, value };
    // Two columns read side by side; areas lacking either have no figures.
    let both = |a, b, f: &dyn Fn(f64, f64) -> Option<Observation>| -> Result<Vec<_>, IngestError> {
        let pairs = column(a)?.into_iter().zip(column(b)?);
        Ok(pairs
            .map(|pair| match pair {
                (Some(x), Some(y)) => f(x, y),
                _ => None,
            })
            .collect())
    };
    Ok(match &spec.derivation {
        Derivation::Value(w, name, scale) => {
            column((*w, name))?.into_iter().map(|v| v.map(|v| figures(None, None, Some(tidy(v * scale))))).collect()
        }
        Derivation::PublishedCount(w, name) => {
            column((*w, name))?.into_iter().map(|n| n.map(|n| figures(Some(n), None, Some(n)))).collect()
        }
        Derivation::Ratio(n, d) => {
            both(*n, *d, &|n, d| (d > 0.0).then(|| figures(Some(n), Some(d), Some(tidy(n / d * multiplier)))))?
        }
        Derivation::ImpliedDenominator(n, rate) => both(*n, *rate, &|n, rate| {
            Some(figures(Some(n), (rate > 0.0).then(|| tidy(n / rate)), Some(tidy(rate * multiplier))))
        })?,
        Derivation::RateTimesDenominator(rate, d) => {
            both(*rate, *d, &|rate, d| Some(figures(Some(tidy(rate * d)), Some(d), Some(tidy(rate * multiplier)))))?
        }
        Derivation::CensusShare(..) | Derivation::OutputAreaShare(..) | Derivation::GpAccess(_) => {
            vec![None; codes.len()]
        }
    })
}

/// Shares from a Census table held for Coventry's LSOAs only.
fn coventry_census(spec: &Spec, sources: &Sources) -> Result<Derived, IngestError> {
    let england = &sources.england;
    let mut lsoa21 = vec![None; england.lsoa21.len()];
    if let Derivation::CensusShare(table, categories) = &spec.derivation {
        for (code, n, total) in sources.census(*table).share(categories)? {
            if let Some(i) = england.position(&code).filter(|i| england.coventry.binary_search(i).is_ok()) {
                let value = (total > 0.0).then(|| tidy(n / total * spec.indicator.multiplier));
                lsoa21[i] = Some(Observation { numerator: Some(n), denominator: Some(total), value });
            }
        }
    }
    Ok(Derived { lsoa21, lsoa11: None, national: false })
}
