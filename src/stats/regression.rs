//! Ordinary least-squares line for a scatter chart.

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
    let usable: Vec<(f64, f64)> = points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    let n = usable.len();
    if n < 2 {
        return None;
    }
    // Centre on the means first: summing raw squares loses precision when values are large and close.
    let mean_x = usable.iter().map(|(x, _)| x).sum::<f64>() / n as f64;
    let mean_y = usable.iter().map(|(_, y)| y).sum::<f64>() / n as f64;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &usable {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let slope = sxy / sxx;
    let r_squared = if syy > 0.0 { (sxy * sxy / (sxx * syy)).clamp(0.0, 1.0) } else { 1.0 };
    Some(Fit { slope, intercept: mean_y - slope * mean_x, r_squared, n })
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
