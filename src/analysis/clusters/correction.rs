//! Multiple-testing corrections for a map of local tests.
//!
//! Bonferroni: significant when p ≤ α/m. Benjamini & Hochberg (1995) false discovery rate: with
//! the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎, find the largest k with p₍ₖ₎ ≤ kα/m; the k smallest are
//! significant.

use std::str::FromStr;

use serde::Serialize;

/// How local p-values are corrected for testing every area at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// Each area tested at α alone.
    None,
    /// Family-wise error rate held at α.
    Bonferroni,
    /// False discovery rate held at α (Benjamini–Hochberg).
    #[default]
    Fdr,
}

impl FromStr for Correction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(Correction::None),
            "bonferroni" => Ok(Correction::Bonferroni),
            "fdr" => Ok(Correction::Fdr),
            other => Err(format!("{other:?} is not a correction; use fdr, bonferroni or none")),
        }
    }
}

/// Which of `p` are significant at `alpha` after `correction`.
pub fn significant(p: &[f64], alpha: f64, correction: Correction) -> Vec<bool> {
    let m = p.len() as f64;
    let cut = match correction {
        Correction::None => alpha,
        Correction::Bonferroni => alpha / m,
        Correction::Fdr => {
            let mut sorted = p.to_vec();
            sorted.sort_by(f64::total_cmp);
            sorted
                .iter()
                .enumerate()
                .filter(|&(k, &pk)| pk <= (k as f64 + 1.0) * alpha / m)
                .map(|(_, &pk)| pk)
                .next_back()
                .unwrap_or(-1.0)
        }
    };
    p.iter().map(|&v| v <= cut).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benjamini_hochberg_keeps_the_step_up_set() {
        // m = 5, α = 0.05: thresholds 0.01, 0.02, 0.03, 0.04, 0.05 against sorted 0.001, 0.025,
        // 0.03, 0.045, 0.5; the last p₍ₖ₎ ≤ kα/m is p₍₃₎ = 0.03, so the three smallest are significant.
        let p = [0.045, 0.001, 0.03, 0.5, 0.025];
        assert_eq!(significant(&p, 0.05, Correction::Fdr), vec![false, true, true, false, true]);
        assert_eq!(significant(&p, 0.05, Correction::Bonferroni), vec![false, true, false, false, false]);
        assert_eq!(significant(&p, 0.05, Correction::None), vec![true, true, true, false, true]);
    }
}
