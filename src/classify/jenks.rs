//! Fisher–Jenks natural breaks, as mapclassify `FisherJenks`: the exact partition of the sorted values
//! into k runs with the least total within-class squared deviation, found by dynamic programming.
//!
//! mapclassify runs its dynamic programme in float32. On most data that still finds the optimum, and
//! where several partitions are equally good its rounding decides between them. So the programme is run
//! twice, by the same recurrence: replaying mapclassify's float32 arithmetic step for step, and in f64
//! from a central origin. The replay's breaks are kept whenever they are optimal, so ties fall exactly as
//! in mapclassify; when float32 has lost the optimum (values with a large offset, such as 1e6 ± 1, where
//! mapclassify returns unordered breaks), the f64 partition is returned instead.

use super::ClassError;
use std::ops::{Add, Div, Mul, Sub};

/// Slack, as a share of the values' total squared deviation, within which the float32 replay's partition
/// counts as optimal.
const OPTIMAL_WITHIN: f64 = 1e-9;

/// Upper bounds of the optimal `k`-class partition of ascending `sorted` values; refused when there are
/// fewer distinct values than classes, as mapclassify refuses.
///
/// Takes O(k·n²) time and O(k·n) memory: instant for a city's few hundred LSOAs.
pub(super) fn breaks(sorted: &[f64], k: usize) -> Result<Vec<f64>, ClassError> {
    let distinct = 1 + sorted.windows(2).filter(|pair| pair[0] != pair[1]).count();
    if distinct < k {
        return Err(ClassError::TooFewDistinct { distinct, k });
    }
    // Squared deviations do not depend on the origin; measuring from the median keeps the f64 sums small,
    // so `s2 − s1²/w` loses no precision to cancellation. mapclassify measures from zero.
    let origin = sorted[sorted.len() / 2];
    let precise = backtrack(sorted, &first_members::<f64>(sorted, k, origin, false), k);
    // Without free empty classes every class of the f64 optimum has a value, so `None` cannot happen; the
    // fallback only keeps this free of panics.
    let precise = precise.unwrap_or_else(|| vec![sorted[sorted.len() - 1]; k]);
    let slack = OPTIMAL_WITHIN * within_class_deviation(sorted, &sorted[sorted.len() - 1..]);
    let best = within_class_deviation(sorted, &precise);
    let replayed = backtrack(sorted, &first_members::<f32>(sorted, k, 0.0, true), k).filter(|replayed| {
        replayed.windows(2).all(|pair| pair[0] <= pair[1]) && within_class_deviation(sorted, replayed) <= best + slack
    });
    Ok(replayed.unwrap_or(precise))
}

/// The upper bounds of the partition recorded in `first`: walking back from the last value, each class
/// ends just before the next class's first member (mapclassify's `values[pivot - 2]`). `None` when the
/// record leaves classes empty, which float32 rounding can do (mapclassify then wraps round to the end).
fn backtrack(sorted: &[f64], first: &[Vec<usize>], k: usize) -> Option<Vec<f64>> {
    let mut breaks = vec![sorted[sorted.len() - 1]; k];
    let mut end = sorted.len();
    for class in (2..=k).rev() {
        let start = first[end][class];
        if start < 2 {
            return None;
        }
        breaks[class - 2] = sorted[start - 2];
        end = start - 1;
    }
    Some(breaks)
}

/// Total squared deviation from their class means of `sorted` values classed by `breaks` (lower < y ≤
/// upper), i.e. of the classes the map shows.
fn within_class_deviation(sorted: &[f64], breaks: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut rest = sorted;
    for &upper in breaks {
        let (class, above) = rest.split_at(rest.partition_point(|&v| v <= upper));
        if !class.is_empty() {
            let mean = class.iter().sum::<f64>() / class.len() as f64;
            total += class.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
        }
        rest = above;
    }
    total
}

/// The arithmetic the dynamic programme runs in: f32 to replay mapclassify, f64 for precision.
trait Real: Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> {
    const ZERO: Self;
    const INFINITY: Self;
    /// Rounds an f64 to this type, as `numpy.float32(x)` does.
    fn from_f64(x: f64) -> Self;
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const INFINITY: Self = f32::INFINITY;
    fn from_f64(x: f64) -> Self {
        x as f32
    }
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const INFINITY: Self = f64::INFINITY;
    fn from_f64(x: f64) -> Self {
        x
    }
}

/// `first[l][j]`: the 1-based position of the first value of the last class in the best split of the
/// first `l` values into `j` classes; mapclassify's `mat1`, built by the same recurrence in the same order.
///
/// `free_empty_classes` starts the table as mapclassify does, letting the first value alone stand for any
/// number of classes at no cost; without it, a split needs a value in every class.
fn first_members<T: Real>(sorted: &[f64], k: usize, origin: f64, free_empty_classes: bool) -> Vec<Vec<usize>> {
    let n = sorted.len();
    let mut first = vec![vec![1; k + 1]; n + 1];
    let mut cost = vec![vec![T::INFINITY; k + 1]; n + 1];
    if free_empty_classes {
        cost[1].fill(T::ZERO);
    } else {
        cost[1][1] = T::ZERO;
    }
    for last in 2..=n {
        let (mut sum, mut sum_squares, mut count, mut deviation) = (T::ZERO, T::ZERO, T::ZERO, T::ZERO);
        // Grow the last class downwards from `last`, one value at a time.
        for start in (1..=last).rev() {
            let x = T::from_f64(sorted[start - 1] - origin);
            sum_squares = sum_squares + x * x;
            sum = sum + x;
            count = count + T::from_f64(1.0);
            deviation = sum_squares - sum * sum / count;
            let before = start - 1;
            if before == 0 {
                continue;
            }
            for classes in 2..=k {
                let candidate = deviation + cost[before][classes - 1];
                // `>=`: among equal costs the smallest start (largest last class) wins, as in mapclassify.
                if cost[last][classes] >= candidate {
                    first[last][classes] = start;
                    cost[last][classes] = candidate;
                }
            }
        }
        first[last][1] = 1;
        cost[last][1] = deviation;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{CIDR, DISABLED, IMD_SCORE, INCOME_RATE};
    use super::super::tests::assert_breaks;
    use super::super::{ClassError, Scheme, classify};

    type Case = (&'static [f64], usize, &'static [f64], &'static [usize]);

    /// mapclassify 2.10.0 (numpy 2.4.6, without numba): `mc.FisherJenks(values, k=k)`, `.bins`, `.counts`.
    const MAPCLASSIFY: [Case; 16] = [
        (&IMD_SCORE, 3, &[20.449, 40.724, 76.669], &[86, 74, 43]),
        (&IMD_SCORE, 5, &[15.052, 26.075, 37.915, 52.096, 76.669], &[62, 50, 43, 26, 22]),
        (&IMD_SCORE, 7, &[9.294, 17.615, 27.197, 37.915, 49.183, 60.837, 76.669], &[27, 47, 42, 39, 23, 19, 6]),
        (
            &IMD_SCORE,
            9,
            &[8.269, 14.283, 19.628, 25.481, 31.752, 39.509, 49.183, 60.837, 76.669],
            &[24, 34, 24, 28, 24, 24, 20, 19, 6],
        ),
        (&INCOME_RATE, 3, &[24.0, 44.9, 76.9], &[96, 69, 38]),
        (&INCOME_RATE, 5, &[17.3, 29.6, 41.9, 55.5, 76.9], &[65, 55, 37, 29, 17]),
        (&INCOME_RATE, 7, &[11.0, 20.1, 29.6, 40.5, 50.5, 61.5, 76.9], &[31, 46, 43, 34, 24, 17, 8]),
        (
            &INCOME_RATE,
            9,
            &[10.7, 17.9, 24.4, 31.4, 38.4, 46.6, 54.8, 64.2, 76.9],
            &[30, 38, 30, 24, 26, 21, 16, 12, 6],
        ),
        (&DISABLED, 3, &[15.299793246, 19.880863738, 27.665317139], &[77, 93, 33]),
        (&DISABLED, 5, &[13.914964108, 16.737513284, 19.880863738, 23.844537815, 27.665317139], &[41, 73, 56, 27, 6]),
        (
            &DISABLED,
            7,
            &[11.513734658, 14.048338369, 15.807327001, 17.642752562, 20.137157107, 23.844537815, 27.665317139],
            &[10, 34, 45, 44, 38, 26, 6],
        ),
        (
            &DISABLED,
            9,
            &[
                8.569704285,
                12.280701754,
                14.048338369,
                15.606307776,
                17.209302326,
                18.912080961,
                20.9697733,
                23.844537815,
                27.665317139,
            ],
            &[2, 11, 31, 41, 37, 38, 18, 19, 6],
        ),
        (&CIDR, 3, &[115.904, 171.594, 289.639], &[91, 72, 40]),
        (&CIDR, 5, &[95.055, 129.037, 164.465, 202.136, 289.639], &[59, 48, 46, 38, 12]),
        (&CIDR, 7, &[82.62, 102.753, 129.037, 157.631, 187.986, 225.666, 289.639], &[37, 33, 37, 38, 33, 21, 4]),
        (
            &CIDR,
            9,
            &[82.62, 102.753, 124.789, 144.881, 164.465, 185.133, 207.704, 233.487, 289.639],
            &[37, 33, 34, 25, 24, 23, 16, 8, 3],
        ),
    ];

    #[test]
    fn fisher_jenks_breaks_and_counts_match_mapclassify_on_coventry_lsoas() {
        for (values, k, breaks, counts) in MAPCLASSIFY {
            let classes = classify(values, Scheme::FisherJenks, k).unwrap();
            assert_breaks(&classes.breaks, breaks);
            assert_eq!(classes.counts, counts, "k = {k}");
        }
    }

    #[test]
    fn equally_good_partitions_are_broken_as_mapclassify_breaks_them() {
        // mapclassify 2.10.0: FisherJenks(values, k=k).bins for data with tied costs and tied values.
        let cases: [(&[f64], usize, &[f64]); 12] = [
            (&[1.0, 2.0, 3.0, 4.0, 5.0], 3, &[1.0, 3.0, 5.0]),
            (&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 3, &[3.0, 6.0, 10.0]),
            (&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 4, &[2.0, 4.0, 7.0, 10.0]),
            (&[1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 5.0], 3, &[2.0, 3.0, 5.0]),
            (&[1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 5.0], 4, &[1.0, 2.0, 3.0, 5.0]),
            (&[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0], 3, &[0.0, 1.0, 2.0]),
            (&[1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0], 3, &[1.0, 2.0, 4.0]),
            (&[1.0, 1.0, 1.0, 1.0, 2.0, 3.0], 3, &[1.0, 2.0, 3.0]),
            (&[1.0, 2.0, 2.0, 3.0], 3, &[1.0, 2.0, 3.0]),
            // Exact ties that mapclassify's float32 rounding settles; f64 alone would answer [1, 2, 4, 5],
            // [1, 2, 4] and [1, 2, 4], as good but different.
            (&[0.0, 2.0, 4.0, 0.0, 2.0, 5.0, 1.0, 3.0, 4.0], 4, &[1.0, 3.0, 4.0, 5.0]),
            (&[3.0, 1.0, 4.0, 2.0, 2.0, 4.0, 1.0], 3, &[1.0, 3.0, 4.0]),
            (&[2.0, 4.0, 1.0, 4.0, 4.0, 4.0, 0.0, 1.0], 3, &[0.0, 2.0, 4.0]),
        ];
        for (values, k, breaks) in cases {
            assert_eq!(classify(values, Scheme::FisherJenks, k).unwrap().breaks, breaks, "{values:?}, k = {k}");
        }
    }

    #[test]
    fn values_with_a_large_offset_get_the_optimum_where_float32_loses_it() {
        // mapclassify 2.10.0 answers [1000000.8677, 1000002.3467, 999997.3696, 1000000.8677, 1000002.3467]:
        // float32 cannot tell these values' squared deviations apart.
        let values = [
            1000000.6658,
            1000002.3467,
            999997.3696,
            1000000.7239,
            999999.789,
            1000000.7794,
            1000000.8677,
            1000000.0528,
        ];
        let classes = classify(&values, Scheme::FisherJenks, 5).unwrap();
        assert_eq!(classes.breaks, [999997.3696, 999999.789, 1000000.0528, 1000000.8677, 1000002.3467]);
        let mut sorted = values;
        sorted.sort_by(f64::total_cmp);
        let best = exhaustive_optimum(&sorted, 5);
        assert!((super::within_class_deviation(&sorted, &classes.breaks) - best).abs() <= 1e-9 * best);
    }

    #[test]
    fn fewer_distinct_values_than_classes_are_refused_as_in_mapclassify() {
        let error = classify(&[1.0, 1.0, 2.0, 2.0, 3.0], Scheme::FisherJenks, 4).unwrap_err();
        assert_eq!(error, ClassError::TooFewDistinct { distinct: 3, k: 4 });
    }

    fn deviation(values: &[f64]) -> f64 {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        values.iter().map(|v| (v - mean).powi(2)).sum()
    }

    /// The least total deviation over every way to cut `sorted` into `k` non-empty runs.
    fn exhaustive_optimum(sorted: &[f64], k: usize) -> f64 {
        if k == 1 {
            return deviation(sorted);
        }
        (k - 1..sorted.len())
            .map(|cut| exhaustive_optimum(&sorted[..cut], k - 1) + deviation(&sorted[cut..]))
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn the_partition_is_the_exact_optimum_not_an_approximation() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for trial in 0..40 {
            let n = 9 + trial % 6;
            let mut values: Vec<f64> = (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 10_000) as f64 / 100.0
                })
                .collect();
            values.sort_by(f64::total_cmp);
            values.dedup();
            for k in 3..=5 {
                let classes = classify(&values, Scheme::FisherJenks, k).unwrap();
                let best = exhaustive_optimum(&values, k);
                let found = super::within_class_deviation(&values, &classes.breaks);
                assert!((found - best).abs() <= 1e-9 * best.max(1.0), "{values:?}, k = {k}: {found} vs {best}");
            }
        }
    }
}
