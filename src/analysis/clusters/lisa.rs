//! Local Moran's I (LISA) with conditional-permutation pseudo p-values.
//!
//! Anselin (1995), as PySAL's `esda.Moran_Local` computes it with row-standardised weights:
//! zᵢ = (yᵢ − ȳ)/σ with σ the population standard deviation, and
//! Iᵢ = (n − 1) zᵢ Σⱼ wᵢⱼ zⱼ / Σₖ zₖ².
//! The quadrant compares zᵢ with its spatial lag Σⱼ wᵢⱼ zⱼ. The pseudo p-value holds zᵢ fixed
//! and draws its kᵢ neighbours' values at random, without replacement, from the other n − 1 areas
//! (conditional randomisation), `permutations` times; it is esda's folded (m + 1)/(permutations + 1),
//! except that a permutation tying with the observed value counts on both sides (see [`Tally`]).

use serde::Serialize;

use super::ClusterError;
use super::moran::deviations;
use super::sample::{Tally, generator, sample_front, unswap};
use super::weights::Weights;

/// Where an area's value and its neighbours' average lie against the mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High value among high neighbours.
    HighHigh,
    /// Low value among high neighbours.
    LowHigh,
    /// Low value among low neighbours.
    LowLow,
    /// High value among low neighbours.
    HighLow,
}

impl Quadrant {
    /// The quadrant of a standardised value `z` with spatial lag `lag` (zero counts as low, as in esda).
    pub fn of(z: f64, lag: f64) -> Quadrant {
        match (z > 0.0, lag > 0.0) {
            (true, true) => Quadrant::HighHigh,
            (false, true) => Quadrant::LowHigh,
            (false, false) => Quadrant::LowLow,
            (true, false) => Quadrant::HighLow,
        }
    }
}

/// Local Moran's I of each area.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalMoran {
    /// Iᵢ of each area.
    pub i: Vec<f64>,
    /// Quadrant of each area, by its value (high = above the mean).
    pub quadrant: Vec<Quadrant>,
    /// Conditional-permutation pseudo p-value of each area.
    pub p: Vec<f64>,
}

/// Local Moran's I of `y` over `weights` (no islands), with `permutations` seeded by `seed`.
pub fn local_moran(y: &[f64], weights: &Weights, permutations: usize, seed: u64) -> Result<LocalMoran, ClusterError> {
    let n = y.len();
    let (d, m2) = deviations(y)?;
    let sd = m2.sqrt();
    let z: Vec<f64> = d.iter().map(|v| v / sd).collect();
    let scaling = (n as f64 - 1.0) / z.iter().map(|v| v * v).sum::<f64>();
    let lag = weights.lag(&z);
    let i: Vec<f64> = z.iter().zip(&lag).map(|(zi, li)| scaling * zi * li).collect();
    let quadrant = z.iter().zip(&lag).map(|(&zi, &li)| Quadrant::of(zi, li)).collect();

    let mut rng = generator(seed);
    // The other areas in order: for area a, 0..a then a+1..n. Each area's draws start from this
    // order; the swaps they make are undone afterwards, and moving to area a + 1 changes only
    // position a (from a + 1 to a), so the pool is not rebuilt, n times over, for every area.
    let mut pool: Vec<usize> = (1..n).collect();
    let mut swaps = Vec::new();
    let p = (0..n)
        .map(|a| {
            let k = weights.neighbours(a).len();
            let mut tally = Tally::new(i[a]);
            for _ in 0..permutations {
                sample_front(&mut rng, &mut pool, k, &mut swaps);
                let sum: f64 = pool[..k].iter().map(|&j| z[j]).sum();
                tally.add(scaling * z[a] * sum / k as f64);
            }
            unswap(&mut pool, &mut swaps);
            if a + 1 < n {
                pool[a] = a;
            }
            tally.pseudo_p()
        })
        .collect();
    Ok(LocalMoran { i, quadrant, p })
}
