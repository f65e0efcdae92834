//! Nearest neighbours among areas described by several variables: each variable standardised to a
//! z-score across the areas (so that no variable weighs more for its units), then the Euclidean
//! distance between areas, equal weights. This is the method of the CIPFA and ONS nearest-neighbour
//! models of local authorities (which differ in the variables they use).

/// An area and its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Described<const N: usize> {
    /// The area's code.
    pub code: String,
    /// Its variables, in a fixed order.
    pub variables: [f64; N],
}

/// A neighbour of an area, with its distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    /// The neighbour's code.
    pub code: String,
    /// Euclidean distance between the two areas' standardised variables.
    pub distance: f64,
}

/// The variables standardised across the areas: (x − mean) ÷ standard deviation (divisor n), each
/// variable separately. A variable that does not vary standardises to 0 everywhere.
pub fn standardise<const N: usize>(areas: &[Described<N>]) -> Vec<[f64; N]> {
    let n = areas.len() as f64;
    let mut mean = [0.0; N];
    let mut sd = [0.0; N];
    for j in 0..N {
        mean[j] = areas.iter().map(|a| a.variables[j]).sum::<f64>() / n;
        sd[j] = (areas.iter().map(|a| (a.variables[j] - mean[j]).powi(2)).sum::<f64>() / n).sqrt();
    }
    areas
        .iter()
        .map(|a| std::array::from_fn(|j| if sd[j] > 0.0 { (a.variables[j] - mean[j]) / sd[j] } else { 0.0 }))
        .collect()
}

/// The `k` areas nearest to the one with code `target` (itself left out), nearest first; ties
/// go to the lower code. `None` when `target` is not among the areas.
pub fn nearest<const N: usize>(areas: &[Described<N>], target: &str, k: usize) -> Option<Vec<Neighbour>> {
    let at = areas.iter().position(|a| a.code == target)?;
    Some(nearest_to(areas, &standardise(areas), at, k))
}

/// Every area's `k` nearest, in the areas' order, as [`nearest`] finds them, standardised once.
pub fn nearest_each<const N: usize>(areas: &[Described<N>], k: usize) -> Vec<Vec<Neighbour>> {
    let z = standardise(areas);
    (0..areas.len()).map(|at| nearest_to(areas, &z, at, k)).collect()
}

/// The `k` areas nearest to the one at `at`, given every area's standardised variables `z`.
fn nearest_to<const N: usize>(areas: &[Described<N>], z: &[[f64; N]], at: usize, k: usize) -> Vec<Neighbour> {
    let mut others: Vec<Neighbour> = areas
        .iter()
        .zip(z)
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, (area, zs))| Neighbour {
            code: area.code.clone(),
            distance: zs.iter().zip(&z[at]).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt(),
        })
        .collect();
    others.sort_by(|a, b| a.distance.total_cmp(&b.distance).then_with(|| a.code.cmp(&b.code)));
    others.truncate(k);
    others
}

/// Tukey's far-out fence of a set of distances: the upper quartile plus three interquartile ranges
/// (quartiles by linear interpolation between order statistics). A nearest neighbour farther than
/// this is an outlier: the area is unlike every other. `None` for fewer than two distances.
pub fn far_out_fence(distances: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = distances.iter().copied().filter(|d| d.is_finite()).collect();
    if sorted.len() < 2 {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let quartile = |p: f64| {
        let at = p * (sorted.len() - 1) as f64;
        let (below, above) = (at.floor() as usize, at.ceil() as usize);
        sorted[below] + (sorted[above] - sorted[below]) * (at - below as f64)
    };
    let (q1, q3) = (quartile(0.25), quartile(0.75));
    Some(q3 + 3.0 * (q3 - q1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_far_out_fence_is_the_upper_quartile_plus_three_interquartile_ranges() {
        // Quartiles of 1..=9 by linear interpolation: 3 and 7, so the fence is 7 + 3 × 4 = 19.
        let distances: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(far_out_fence(&distances), Some(19.0));
        // Between order statistics: 1, 2, 3, 4 has quartiles 1.75 and 3.25, fence 7.75.
        assert_eq!(far_out_fence(&[4.0, 1.0, 3.0, 2.0]), Some(7.75));
        assert_eq!(far_out_fence(&[1.0]), None);
    }

    fn area(code: &str, variables: [f64; 2]) -> Described<2> {
        Described { code: code.into(), variables }
    }

    #[test]
    fn variables_are_standardised_to_z_scores_with_the_population_deviation() {
        let areas = [area("a", [1.0, 10.0]), area("b", [2.0, 10.0]), area("c", [3.0, 10.0])];
        let z = standardise(&areas);
        // mean 2, sd √(2/3): z = ∓1.2247…; a constant variable gives 0.
        assert!((z[0][0] + 1.224744871391589).abs() < 1e-12);
        assert_eq!(z[1], [0.0, 0.0]);
        assert_eq!(z[2][1], 0.0);
    }

    #[test]
    fn units_do_not_decide_who_is_near() {
        // The second variable is in units a thousand times larger, but varies as much relative to its
        // spread as the first: b and c are equally near a.
        let areas = [area("a", [0.0, 0.0]), area("b", [1.0, 0.0]), area("c", [0.0, 1000.0]), area("d", [5.0, 5000.0])];
        let found = nearest(&areas, "a", 2).unwrap();
        assert_eq!(found.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), vec!["b", "c"]);
        assert!((found[0].distance - found[1].distance).abs() < 1e-12);
        assert!(nearest(&areas, "x", 2).is_none());
    }

    #[test]
    fn each_areas_nearest_are_those_found_for_it_alone() {
        let areas = [area("a", [0.0, 0.0]), area("b", [1.0, 0.0]), area("c", [0.0, 1000.0]), area("d", [5.0, 5000.0])];
        let each = nearest_each(&areas, 2);
        assert_eq!(each.len(), 4);
        for (area, found) in areas.iter().zip(&each) {
            assert_eq!(Some(found), nearest(&areas, &area.code, 2).as_ref(), "{}", area.code);
        }
    }
}
