//! Equal-interval classes, as mapclassify `EqualInterval`: min + i·(max − min)/k, the last pinned to max.

use super::{ClassError, numpy_arange};

/// Upper bounds of `k` classes of equal width spanning ascending `sorted` values; refused when all values
/// are equal, as mapclassify refuses.
pub(super) fn breaks(sorted: &[f64], k: usize) -> Result<Vec<f64>, ClassError> {
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    if min == max {
        return Err(ClassError::TooFewDistinct { distinct: 1, k });
    }
    let width = (max - min) / k as f64;
    // mapclassify builds numpy.arange(min + width, max + width, width) and overwrites the last with max,
    // so the top break is the maximum itself, not min + k·width with its rounding.
    let mut breaks = numpy_arange(min + width, width, k);
    breaks[k - 1] = max;
    Ok(breaks)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{CIDR, DISABLED, IMD_SCORE, INCOME_RATE};
    use super::super::tests::assert_breaks;
    use super::super::{ClassError, Scheme, classify};

    type Case = (&'static [f64], usize, &'static [f64], &'static [usize]);

    /// mapclassify 2.10.0 (numpy 2.4.6): `mc.EqualInterval(values, k=k)`, `.bins` and `.counts`.
    const MAPCLASSIFY: [Case; 16] = [
        (&IMD_SCORE, 3, &[27.232333333333333, 51.95066666666666, 76.669], &[116, 64, 23]),
        (&IMD_SCORE, 5, &[17.345, 32.176, 47.007000000000005, 61.83800000000001, 76.669], &[72, 62, 39, 24, 6]),
        (
            &IMD_SCORE,
            7,
            &[
                13.107571428571427,
                23.701142857142855,
                34.294714285714285,
                44.88828571428571,
                55.48185714285714,
                66.07542857142857,
                76.669,
            ],
            &[49, 52, 44, 22, 20, 10, 6],
        ),
        (
            &IMD_SCORE,
            9,
            &[
                10.753444444444444,
                18.99288888888889,
                27.232333333333333,
                35.471777777777774,
                43.71122222222222,
                51.95066666666666,
                60.19011111111111,
                68.42955555555555,
                76.669,
            ],
            &[34, 42, 40, 30, 20, 14, 16, 3, 4],
        ),
        (&INCOME_RATE, 3, &[26.566666666666666, 51.733333333333334, 76.9], &[100, 78, 25]),
        (&INCOME_RATE, 5, &[16.5, 31.6, 46.7, 61.800000000000004, 76.9], &[62, 60, 47, 26, 8]),
        (
            &INCOME_RATE,
            7,
            &[
                12.185714285714287,
                22.971428571428575,
                33.75714285714287,
                44.542857142857144,
                55.328571428571436,
                66.11428571428573,
                76.9,
            ],
            &[33, 57, 40, 34, 21, 12, 6],
        ),
        (
            &INCOME_RATE,
            9,
            &[
                9.78888888888889,
                18.177777777777777,
                26.566666666666663,
                34.955555555555556,
                43.34444444444444,
                51.73333333333333,
                60.12222222222222,
                68.5111111111111,
                76.9,
            ],
            &[25, 43, 32, 38, 22, 18, 14, 7, 4],
        ),
        (&DISABLED, 3, &[14.033014489666666, 20.849165814333332, 27.665317139], &[43, 132, 28]),
        (
            &DISABLED,
            5,
            &[11.3065539598, 15.396244754600001, 19.485935549400004, 23.575626344200003, 27.665317139],
            &[6, 71, 90, 26, 10],
        ),
        (
            &DISABLED,
            7,
            &[
                10.13807087557143,
                13.059278586142858,
                15.980486296714286,
                18.901694007285712,
                21.822901717857143,
                24.744109428428573,
                27.665317139,
            ],
            &[2, 20, 69, 67, 28, 11, 6],
        ),
        (
            &DISABLED,
            9,
            &[
                9.488913606555556,
                11.760964048111111,
                14.033014489666666,
                16.30506493122222,
                18.577115372777776,
                20.849165814333332,
                23.121216255888886,
                25.39326669744444,
                27.665317139,
            ],
            &[2, 8, 33, 56, 53, 23, 16, 7, 5],
        ),
        (&CIDR, 3, &[136.14633333333333, 212.89266666666668, 289.639], &[117, 77, 9]),
        (&CIDR, 5, &[105.4478, 151.4956, 197.5434, 243.5912, 289.639], &[71, 63, 50, 16, 3]),
        (
            &CIDR,
            7,
            &[
                92.29128571428572,
                125.18257142857144,
                158.07385714285715,
                190.96514285714287,
                223.85642857142858,
                256.7477142857143,
                289.639,
            ],
            &[54, 50, 41, 35, 16, 6, 1],
        ),
        (
            &CIDR,
            9,
            &[
                84.98211111111111,
                110.56422222222221,
                136.1463333333333,
                161.72844444444442,
                187.31055555555554,
                212.89266666666663,
                238.47477777777772,
                264.05688888888886,
                289.639,
            ],
            &[38, 43, 36, 34, 26, 17, 6, 2, 1],
        ),
    ];

    #[test]
    fn equal_interval_breaks_and_counts_match_mapclassify_on_coventry_lsoas() {
        for (values, k, breaks, counts) in MAPCLASSIFY {
            let classes = classify(values, Scheme::EqualInterval, k).unwrap();
            assert_breaks(&classes.breaks, breaks);
            assert_eq!(classes.counts, counts, "k = {k}");
        }
    }

    #[test]
    fn negative_values_get_equal_widths_as_in_mapclassify() {
        // mapclassify 2.10.0: EqualInterval([-3.5, -1, 0, 2.25], k=4).
        let classes = classify(&[-3.5, -1.0, 0.0, 2.25], Scheme::EqualInterval, 4).unwrap();
        assert_eq!(classes.breaks, [-2.0625, -0.625, 0.8125, 2.25]);
        assert_eq!(classes.counts, [1, 1, 1, 1]);
        assert_eq!(classes.min, -3.5);
    }

    #[test]
    fn identical_values_cannot_be_split_into_equal_intervals() {
        let error = classify(&[2.0; 5], Scheme::EqualInterval, 3).unwrap_err();
        assert_eq!(error, ClassError::TooFewDistinct { distinct: 1, k: 3 });
    }
}
