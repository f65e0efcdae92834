//! Input checks shared by the methods, so each rule reads and fails the same way everywhere.

use super::StatsError;

pub(crate) fn finite(what: &'static str, value: f64) -> Result<f64, StatsError> {
    if value.is_finite() { Ok(value) } else { Err(StatsError::NotFinite { what, value }) }
}

pub(crate) fn non_negative(what: &'static str, value: f64) -> Result<f64, StatsError> {
    if finite(what, value)? < 0.0 { Err(StatsError::Negative { what, value }) } else { Ok(value) }
}

pub(crate) fn positive(what: &'static str, value: f64) -> Result<f64, StatsError> {
    if finite(what, value)? <= 0.0 { Err(StatsError::NotPositive { what, value }) } else { Ok(value) }
}

pub(crate) fn all_non_negative(what: &'static str, values: &[f64]) -> Result<(), StatsError> {
    values.iter().try_for_each(|&v| non_negative(what, v).map(drop))
}

pub(crate) fn all_positive(what: &'static str, values: &[f64]) -> Result<(), StatsError> {
    values.iter().try_for_each(|&v| positive(what, v).map(drop))
}

pub(crate) fn length(what: &'static str, expected: usize, values: &[f64]) -> Result<(), StatsError> {
    if values.len() == expected { Ok(()) } else { Err(StatsError::WrongLength { what, expected, found: values.len() }) }
}
