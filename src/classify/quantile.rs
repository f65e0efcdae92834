//! Quantile classes, as mapclassify `Quantiles`: scipy `scoreatpercentile` at every 100/k percent.

use super::numpy_arange;

/// Upper bounds of `k` equal-count classes of ascending `sorted` values; coinciding percentiles collapse
/// into one break, so ties can leave fewer than `k` classes.
pub(super) fn breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let step = 100.0 / k as f64;
    let mut percents = numpy_arange(step, step, k);
    // Rounding can push the last step just past 100 (100.00000000000001 for k = 6 or 7); mapclassify pins it.
    if let Some(last) = percents.last_mut()
        && *last > 100.0
    {
        *last = 100.0;
    }
    let mut breaks: Vec<f64> = percents.into_iter().map(|percent| score_at_percentile(sorted, percent)).collect();
    // numpy.unique: sorted, exact duplicates dropped.
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    breaks
}

/// scipy.stats.scoreatpercentile with `interpolation_method='fraction'`, rounding step for step, so that
/// interpolating between two equal values may land an ulp away from them exactly as scipy does.
fn score_at_percentile(sorted: &[f64], percent: f64) -> f64 {
    let index = percent / 100.0 * (sorted.len() - 1) as f64;
    let below = index.trunc();
    let lower = below as usize;
    if below == index {
        return sorted[lower];
    }
    let (weight_lower, weight_upper) = ((below + 1.0) - index, index - below);
    (sorted[lower] * weight_lower + sorted[lower + 1] * weight_upper) / (weight_lower + weight_upper)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{CIDR, DISABLED, IMD_SCORE, INCOME_RATE};
    use super::super::tests::assert_breaks;
    use super::super::{Scheme, classify};

    type Case = (&'static [f64], usize, &'static [f64], &'static [usize]);

    /// mapclassify 2.10.0 (numpy 2.4.6, scipy 1.17.1): `mc.Quantiles(values, k=k)`, `.bins` and `.counts`.
    const MAPCLASSIFY: [Case; 16] = [
        (&IMD_SCORE, 3, &[16.241666666666667, 32.58566666666667, 76.669], &[68, 67, 68]),
        (&IMD_SCORE, 5, &[11.6112, 19.582, 28.6842, 41.9564, 76.669], &[41, 40, 41, 40, 41]),
        (
            &IMD_SCORE,
            7,
            &[
                10.04657142857143,
                14.467285714285715,
                21.085285714285714,
                27.41085714285715,
                34.37271428571428,
                47.620857142857155,
                76.669,
            ],
            &[29, 29, 29, 29, 29, 29, 29],
        ),
        (
            &IMD_SCORE,
            9,
            &[
                8.234555555555556,
                12.217222222222222,
                16.24166666666666,
                21.848666666666663,
                27.01788888888889,
                32.58566666666667,
                39.633333333333304,
                51.54444444444442,
                76.669,
            ],
            &[23, 22, 23, 22, 23, 22, 23, 22, 23],
        ),
        (&INCOME_RATE, 3, &[18.16666666666667, 34.46666666666667, 76.9], &[68, 67, 68]),
        (
            &INCOME_RATE,
            5,
            &[13.400000000000002, 21.6, 31.55999999999999, 44.220000000000006, 76.9],
            &[42, 39, 41, 40, 41],
        ),
        (
            &INCOME_RATE,
            7,
            &[
                10.685714285714285,
                15.042857142857144,
                22.414285714285718,
                28.91428571428572,
                37.41428571428571,
                48.85714285714286,
                76.9,
            ],
            &[29, 29, 29, 29, 29, 29, 29],
        ),
        (
            &INCOME_RATE,
            9,
            &[
                9.444444444444445,
                13.88888888888889,
                18.16666666666665,
                23.244444444444436,
                28.42222222222222,
                34.46666666666667,
                42.64444444444444,
                52.77777777777777,
                76.9,
            ],
            &[23, 22, 23, 22, 23, 22, 23, 22, 23],
        ),
        (&DISABLED, 3, &[14.968847352000001, 17.783831657000004, 27.665317139], &[68, 67, 68]),
        (
            &DISABLED,
            5,
            &[13.9332235412, 15.5121054716, 17.2199133436, 19.269708658, 27.665317139],
            &[41, 40, 41, 40, 41],
        ),
        (
            &DISABLED,
            7,
            &[
                13.292238801714285,
                14.684067627857143,
                15.745016638000001,
                16.902381827714287,
                18.15959554142857,
                20.624152372428576,
                27.665317139,
            ],
            &[29, 29, 29, 29, 29, 29, 29],
        ),
        (
            &DISABLED,
            9,
            &[
                13.07746439211111,
                14.15629817811111,
                14.968847352,
                15.90917395888889,
                16.72757747777778,
                17.783831657000004,
                18.881943567888886,
                21.576456402666665,
                27.665317139,
            ],
            &[23, 22, 23, 22, 23, 22, 23, 22, 23],
        ),
        (&CIDR, 3, &[100.24400000000001, 152.4906666666667, 289.639], &[68, 67, 68]),
        (&CIDR, 5, &[85.9868, 110.91460000000004, 140.156, 171.5404, 289.639], &[41, 40, 41, 40, 41]),
        (
            &CIDR,
            7,
            &[
                80.26500000000001,
                94.82300000000001,
                113.39385714285716,
                135.64985714285717,
                157.8847142857143,
                182.70928571428576,
                289.639,
            ],
            &[29, 29, 29, 29, 29, 29, 29],
        ),
        (
            &CIDR,
            9,
            &[
                77.41666666666666,
                87.75644444444444,
                100.24399999999994,
                115.77755555555555,
                133.63677777777778,
                152.4906666666667,
                169.03577777777775,
                191.98422222222217,
                289.639,
            ],
            &[23, 22, 23, 22, 23, 22, 23, 22, 23],
        ),
    ];

    #[test]
    fn quantile_breaks_and_counts_match_mapclassify_on_coventry_lsoas() {
        for (values, k, breaks, counts) in MAPCLASSIFY {
            let classes = classify(values, Scheme::Quantile, k).unwrap();
            assert_breaks(&classes.breaks, breaks);
            assert_eq!(classes.counts, counts, "k = {k}");
        }
    }

    #[test]
    fn tied_percentiles_collapse_into_fewer_classes_as_mapclassify_does() {
        // mapclassify 2.10.0: Quantiles([1, 1, 1, 1, 1, 1, 2, 3], k=5), Quantiles([0]*5 + [1..5], k=4).
        let classes = classify(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0], Scheme::Quantile, 5).unwrap();
        assert_eq!(classes.breaks, [1.0, 1.6000000000000005, 3.0]);
        assert_eq!(classes.counts, [6, 0, 2]);
        let classes = classify(&[0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0], Scheme::Quantile, 4).unwrap();
        assert_eq!(classes.breaks, [0.0, 0.5, 2.75, 5.0]);
        assert_eq!(classes.counts, [5, 0, 2, 3]);
    }

    #[test]
    fn identical_values_make_a_single_quantile_class() {
        let classes = classify(&[5.0; 4], Scheme::Quantile, 3).unwrap();
        assert_eq!((classes.breaks, classes.counts), (vec![5.0], vec![4]));
        assert_eq!(classify(&[3.0], Scheme::Quantile, 3).unwrap().breaks, [3.0]);
    }
}
