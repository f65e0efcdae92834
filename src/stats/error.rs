//! The one error type of the statistics layer.

use thiserror::Error;

/// Why a statistic could not be computed from the input given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    /// A number was NaN or infinite.
    #[error("{what} must be a finite number, got {value}")]
    NotFinite {
        /// The quantity that was wrong.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A count, population or standard error was below zero.
    #[error("{what} must not be negative, got {value}")]
    Negative {
        /// The quantity that was wrong.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A denominator, population or multiplier was zero or below.
    #[error("{what} must be greater than zero, got {value}")]
    NotPositive {
        /// The quantity that was wrong.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A proportion's numerator was larger than its denominator.
    #[error("numerator {numerator} is larger than denominator {denominator}")]
    NumeratorExceedsDenominator {
        /// The numerator given.
        numerator: f64,
        /// The denominator given.
        denominator: f64,
    },
    /// An age band had more deaths than people.
    #[error("age band {band} has {deaths} deaths but a population of only {population}")]
    DeathsExceedPopulation {
        /// Zero-based index of the age band.
        band: usize,
        /// Deaths in the band.
        deaths: f64,
        /// Population of the band.
        population: f64,
    },
    /// Parallel inputs (age bands, groups) had the wrong number of entries.
    #[error("expected {expected} {what}, got {found}")]
    WrongLength {
        /// What was being counted.
        what: &'static str,
        /// How many the method needs.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// Too few values for the method to work.
    #[error("{what} needs at least {needed}, got {found}")]
    TooFew {
        /// What was being counted.
        what: &'static str,
        /// The minimum the method needs.
        needed: usize,
        /// How many were given.
        found: usize,
    },
    /// Valid-looking input for which the method is undefined (e.g. no expected events).
    #[error("cannot compute: {0}")]
    Undefined(&'static str),
}
