//! Statistical disclosure control: small counts, and everything derived from them, are withheld.

use serde::Serialize;

use crate::atlas::{Indicator, Observation};

/// The default threshold: counts below 5 are suppressed, as the public health agencies' small-number rules do.
pub const DEFAULT_THRESHOLD: f64 = 5.0;

/// Disclosure rules applied to every output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disclosure {
    /// Numerators below this are suppressed.
    pub threshold: f64,
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure { threshold: DEFAULT_THRESHOLD }
    }
}

/// An observation as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Published {
    /// Count, unless suppressed or unpublished.
    pub numerator: Option<f64>,
    /// Denominator (a population, never suppressed).
    pub denominator: Option<f64>,
    /// Value, unless suppressed or unpublished.
    pub value: Option<f64>,
    /// Why the count and value are withheld, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

impl Disclosure {
    /// Why a count must be withheld, or `None` when it may be published.
    pub fn reason(&self, count: f64) -> Option<String> {
        (count < self.threshold)
            .then(|| format!("count below {} suppressed to protect confidentiality", self.threshold))
    }

    /// Applies the rules to one observation of an indicator.
    ///
    /// Only numerators are tested: denominators are populations, not disclosive counts.
    pub fn publish(&self, _indicator: &Indicator, observation: &Observation) -> Published {
        match observation.numerator.and_then(|n| self.reason(n)) {
            Some(reason) => Published {
                numerator: None,
                denominator: observation.denominator,
                value: None,
                suppressed: Some(reason),
            },
            None => Published {
                numerator: observation.numerator,
                denominator: observation.denominator,
                value: observation.value,
                suppressed: None,
            },
        }
    }
}
