//! Global Moran's I with its moments under randomisation and a permutation test.
//!
//! Moran (1950) I = (n / S₀) Σᵢ zᵢ Σⱼ wᵢⱼ zⱼ / Σᵢ zᵢ², zᵢ = yᵢ − ȳ, with row-standardised queen
//! weights. Its expectation and variance under the randomisation assumption are those of Cliff &
//! Ord (1981, eq. 1.38), as PySAL's `esda.Moran` computes them (`EI`, `VI_rand`, `z_rand`):
//!
//! E[I] = −1/(n − 1),
//! Var[I] = [n((n² − 3n + 3)S₁ − nS₂ + 3S₀²) − b₂((n² − n)S₁ − 2nS₂ + 6S₀²)]
//!          / ((n − 1)(n − 2)(n − 3)S₀²) − E[I]²,
//!
//! with b₂ = m₄/m₂² the sample kurtosis. The pseudo p-value comes from `permutations` random
//! relabellings of the values (esda's folded (m + 1)/(permutations + 1)).

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::ClusterError;
use super::sample::{Tally, generator, shuffle};
use super::weights::Weights;

/// Global Moran's I of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlobalMoran {
    /// Areas taking part (with a value and at least one neighbour with a value).
    pub n: usize,
    /// Moran's I.
    pub i: f64,
    /// Its expectation with no spatial autocorrelation, −1/(n − 1).
    pub expected: f64,
    /// Its variance under the randomisation assumption.
    pub variance: f64,
    /// (I − E[I]) / √Var[I].
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p_normal: f64,
    /// Permutation pseudo p-value.
    pub p_permutation: f64,
    /// What the figure means, in words.
    pub words: String,
}

/// Global Moran's I of `y` over `weights` (no islands), with `permutations` seeded by `seed`.
pub fn global_moran(
    y: &[f64],
    weights: &Weights,
    permutations: usize,
    seed: u64,
    alpha: f64,
) -> Result<GlobalMoran, ClusterError> {
    let n = y.len();
    let (z, m2) = deviations(y)?;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / n as f64;
    let (s0, s1, s2) = row_standardised_sums(weights);
    let statistic = |z: &[f64]| {
        let lag = weights.lag(z);
        let cross: f64 = z.iter().zip(&lag).map(|(a, b)| a * b).sum();
        n as f64 / s0 * cross / z.iter().map(|v| v * v).sum::<f64>()
    };
    let i = statistic(&z);

    let nf = n as f64;
    let expected = -1.0 / (nf - 1.0);
    let b2 = m4 / (m2 * m2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s0 * s0);
    let b = b2 * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s0 * s0);
    let variance = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s0 * s0) - expected * expected;
    let zscore = (i - expected) / variance.sqrt();
    let p_normal = 2.0 * Normal::standard().sf(zscore.abs());

    let mut rng = generator(seed);
    let mut shuffled = z.clone();
    let mut tally = Tally::new(i);
    for _ in 0..permutations {
        shuffle(&mut rng, &mut shuffled);
        tally.add(statistic(&shuffled));
    }
    let p_permutation = tally.pseudo_p();
    let words = if p_permutation <= alpha && i > expected {
        format!(
            "Values cluster more than chance would give: neighbouring areas tend to have similar values (I = {i:.2})."
        )
    } else if p_permutation <= alpha {
        format!("Values are more dispersed than chance would give: neighbouring areas tend to differ (I = {i:.2}).")
    } else {
        format!("Values cluster no more than chance would give (I = {i:.2}).")
    };
    Ok(GlobalMoran { n, i, expected, variance, z: zscore, p_normal, p_permutation, words })
}

/// The deviations yᵢ − ȳ and their second moment m₂ = Σ(yᵢ − ȳ)²/n, for four or more varying values.
pub(crate) fn deviations(y: &[f64]) -> Result<(Vec<f64>, f64), ClusterError> {
    let n = y.len();
    if n < 4 {
        return Err(ClusterError::TooFewAreas { areas: n });
    }
    let mean = y.iter().sum::<f64>() / n as f64;
    let d: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let m2 = d.iter().map(|v| v * v).sum::<f64>() / n as f64;
    if m2 <= 0.0 {
        return Err(ClusterError::NoVariation);
    }
    Ok((d, m2))
}

/// S₀, S₁ and S₂ of the row-standardised weights wᵢⱼ = 1/kᵢ (the lists need not be symmetric).
fn row_standardised_sums(weights: &Weights) -> (f64, f64, f64) {
    let n = weights.len();
    // Ordered, so the sums (and so every figure) are the same to the last bit on every run.
    let mut pairs: BTreeMap<(usize, usize), (f64, f64)> = BTreeMap::new();
    let mut row = vec![0.0; n];
    let mut column = vec![0.0; n];
    for (i, row_sum) in row.iter_mut().enumerate() {
        let list = weights.neighbours(i);
        for &j in list {
            let w = 1.0 / list.len() as f64;
            *row_sum += w;
            column[j] += w;
            let entry = pairs.entry((i.min(j), i.max(j))).or_default();
            if i < j {
                entry.0 = w;
            } else {
                entry.1 = w;
            }
        }
    }
    let s0 = row.iter().sum();
    let s1 = pairs.values().map(|(a, b)| (a + b).powi(2)).sum::<f64>();
    let s2 = row.iter().zip(&column).map(|(r, c)| (r + c).powi(2)).sum();
    (s0, s1, s2)
}
