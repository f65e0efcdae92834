//! Getis-Ord Gi\* hot and cold spots.
//!
//! Getis & Ord (1992) and Ord & Getis (1995), with binary weights that include the area itself
//! (wᵢᵢ = 1), as PySAL's `esda.G_Local(y, w, transform="B", star=True)` computes it:
//! Gᵢ\* = Σⱼ wᵢⱼ yⱼ / Σⱼ yⱼ, with expectation Wᵢ/n and variance
//! Wᵢ(n − Wᵢ)/((n − 1)n²) · s²/ȳ², where Wᵢ = kᵢ + 1 and s² is the population variance of y.
//! The z-score is (Gᵢ\* − E)/√Var; its p-value is the normal tail beyond |z| (esda's `p_norm`).

use statrs::distribution::{ContinuousCDF, Normal};

use super::ClusterError;
use super::weights::Weights;

/// Gi\* of each area.
#[derive(Debug, Clone, PartialEq)]
pub struct GetisOrd {
    /// Gᵢ\*.
    pub g: Vec<f64>,
    /// Its z-score: positive for a hot spot (high values around the area).
    pub z: Vec<f64>,
    /// One-tailed normal p-value beyond |z|.
    pub p: Vec<f64>,
}

/// Gi\* of `y` (non-negative, not all zero) over binary `weights` with each area included.
pub fn getis_ord_star(y: &[f64], weights: &Weights) -> Result<GetisOrd, ClusterError> {
    let n = y.len();
    if n < 4 {
        return Err(ClusterError::TooFewAreas { areas: n });
    }
    let nf = n as f64;
    let total: f64 = y.iter().sum();
    let mean = total / nf;
    let variance = y.iter().map(|v| v * v).sum::<f64>() / nf - mean * mean;
    if variance <= 0.0 || total == 0.0 {
        return Err(ClusterError::NoVariation);
    }
    let normal = Normal::standard();
    let mut out = GetisOrd { g: Vec::with_capacity(n), z: Vec::with_capacity(n), p: Vec::with_capacity(n) };
    for (a, ya) in y.iter().enumerate() {
        let list = weights.neighbours(a);
        let g = (ya + list.iter().map(|&j| y[j]).sum::<f64>()) / total;
        let w = list.len() as f64 + 1.0;
        let expected = w / nf;
        let var = w * (nf - w) / (nf - 1.0) / (nf * nf) * variance / (mean * mean);
        let z = (g - expected) / var.sqrt();
        out.g.push(g);
        out.z.push(z);
        out.p.push(normal.sf(z.abs()));
    }
    Ok(out)
}
