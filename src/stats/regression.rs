//! Least-squares straight lines: ordinary for a scatter chart, weighted by population for the slope
//! index of inequality. One [`Design`] fixes the x values and weights, so the many fits of a
//! simulation over the same x cost one pass each.

/// A fitted straight line y = intercept + slope · x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Change in y per unit of x.
    pub slope: f64,
    /// y where x is 0.
    pub intercept: f64,
    /// Share of the variance of y the line explains, 0 to 1 (1 when every y is equal: the line is exact).
    pub r_squared: f64,
    /// Points used (those with both coordinates finite).
    pub n: usize,
}

/// Least-squares fit of y on x over the points with finite coordinates; `None` with fewer than two such points
/// or when every x is equal (a vertical line has no slope).
///
/// ```
/// use locality_atlas::stats::regression::least_squares;
///
/// let fit = least_squares(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]).unwrap();
/// assert!((fit.slope - 2.0).abs() < 1e-12 && fit.intercept.abs() < 1e-12);
/// ```
pub fn least_squares(points: &[(f64, f64)]) -> Option<Fit> {
    let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).unzip();
    let design = Design::new(&xs, &vec![1.0; xs.len()])?;
    let (intercept, slope) = design.line(&ys);
    // R² from the same centred sums: the share of y's weighted spread the line explains.
    let mean_y = design.mean(&ys);
    let (sxy, syy) = design.centred.iter().zip(&design.weight).zip(&ys).fold((0.0, 0.0), |(sxy, syy), ((c, w), y)| {
        (sxy + w * c * (y - mean_y), syy + w * (y - mean_y) * (y - mean_y))
    });
    let r_squared = if syy > 0.0 { (sxy * sxy / (design.spread * syy)).clamp(0.0, 1.0) } else { 1.0 };
    Some(Fit { slope, intercept, r_squared, n: xs.len() })
}

/// Weighted least squares with the x values and weights fixed: each weight is a share of their
/// total, so weighted means need no division, and x is centred on its weighted mean first
/// (summing raw squares loses precision when values are large and close).
#[derive(Debug, Clone)]
pub struct Design {
    /// Each point's share of the total weight.
    weight: Vec<f64>,
    /// xᵢ − x̄, the centred x values.
    centred: Vec<f64>,
    /// The weighted mean of x.
    mean_x: f64,
    /// Σ wᵢ (xᵢ − x̄)².
    spread: f64,
}

impl Design {
    /// The design for `xs` with `weights`; `None` with fewer than two points, weights that do not
    /// sum to a positive finite total, or every x equal (a vertical line has no slope).
    pub fn new(xs: &[f64], weights: &[f64]) -> Option<Design> {
        let total: f64 = weights.iter().sum();
        if xs.len() < 2 || xs.len() != weights.len() || !(total > 0.0 && total.is_finite()) {
            return None;
        }
        let weight: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let mean_x = weight.iter().zip(xs).map(|(w, x)| w * x).sum();
        let centred: Vec<f64> = xs.iter().map(|x| x - mean_x).collect();
        let spread: f64 = weight.iter().zip(&centred).map(|(w, c)| w * c * c).sum();
        (spread > 0.0 && spread.is_finite()).then_some(Design { weight, centred, mean_x, spread })
    }

    /// The weighted mean of `ys`.
    fn mean(&self, ys: &[f64]) -> f64 {
        self.weight.iter().zip(ys).map(|(w, y)| w * y).sum()
    }

    /// (intercept, slope) of the weighted least-squares line through (xᵢ, `ys`ᵢ).
    pub fn line(&self, ys: &[f64]) -> (f64, f64) {
        let mean_y = self.mean(ys);
        let covariance: f64 =
            self.weight.iter().zip(&self.centred).zip(ys).map(|((w, c), y)| w * c * (y - mean_y)).sum();
        let slope = covariance / self.spread;
        (mean_y - slope * self.mean_x, slope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_hand_computed_textbook_example() {
        // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, Syy = 6: slope 0.6, intercept 2.2, R² = 36 / 60 = 0.6.
        let fit = least_squares(&[(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)]).expect("fits");
        assert!((fit.slope - 0.6).abs() < 1e-12);
        assert!((fit.intercept - 2.2).abs() < 1e-12);
        assert!((fit.r_squared - 0.6).abs() < 1e-12);
        assert_eq!(fit.n, 5);
    }

    #[test]
    fn unusable_input_gives_no_line() {
        assert_eq!(least_squares(&[]), None);
        assert_eq!(least_squares(&[(1.0, 2.0)]), None);
        assert_eq!(least_squares(&[(1.0, 2.0), (1.0, 3.0)]), None);
        let fit = least_squares(&[(1.0, 2.0), (f64::NAN, 1.0), (2.0, 2.0)]).expect("fits the finite points");
        assert_eq!((fit.slope, fit.r_squared, fit.n), (0.0, 1.0, 2));
    }
}
