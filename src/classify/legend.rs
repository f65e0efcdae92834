//! Legend labels for map classes.

use super::{Classes, Scheme};

/// One label per class, values rounded to `decimals` places: "2.5 – 12.3" for the first class (from
/// the minimum), then "12.3 – 18.9" where a shared bound belongs to the class below; a class whose
/// bounds round alike reads as one value; deciles read "Decile 1" … "Decile 10".
pub fn legend_labels(classes: &Classes, decimals: usize) -> Vec<String> {
    if classes.scheme == Scheme::Decile {
        return (1..=classes.class_count()).map(|decile| format!("Decile {decile}")).collect();
    }
    let lowers = std::iter::once(classes.min).chain(classes.breaks.iter().copied());
    lowers
        .zip(&classes.breaks)
        .map(|(lower, &upper)| {
            let (lower, upper) = (rounded(lower, decimals), rounded(upper, decimals));
            if lower == upper { upper } else { format!("{lower} – {upper}") }
        })
        .collect()
}

/// `value` to `decimals` places, without the sign on a value that rounds to zero ("-0.0").
fn rounded(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(magnitude) if magnitude.chars().all(|c| c == '0' || c == '.') => magnitude.to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{IMD_DECILE, IMD_SCORE};
    use super::super::{Scheme, classify};
    use super::legend_labels;

    #[test]
    fn labels_run_from_the_minimum_through_each_upper_bound() {
        let classes = classify(&IMD_SCORE, Scheme::FisherJenks, 5).unwrap();
        let labels = legend_labels(&classes, 1);
        assert_eq!(labels, ["2.5 – 15.1", "15.1 – 26.1", "26.1 – 37.9", "37.9 – 52.1", "52.1 – 76.7"]);
    }

    #[test]
    fn decimals_set_the_rounding_and_zero_loses_its_minus_sign() {
        let classes = classify(&[-0.04, 0.5, 1.0, 2.0], Scheme::EqualInterval, 3).unwrap();
        assert_eq!(legend_labels(&classes, 2), ["-0.04 – 0.64", "0.64 – 1.32", "1.32 – 2.00"]);
        assert_eq!(legend_labels(&classes, 0), ["0 – 1", "1", "1 – 2"]);
    }

    #[test]
    fn a_class_whose_bounds_coincide_reads_as_a_single_value() {
        let classes = classify(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0], Scheme::Quantile, 5).unwrap();
        assert_eq!(legend_labels(&classes, 1), ["1.0", "1.0 – 1.6", "1.6 – 3.0"]);
    }

    #[test]
    fn decile_classes_are_labelled_by_decile_number() {
        let classes = classify(&IMD_DECILE, Scheme::Decile, 10).unwrap();
        let labels = legend_labels(&classes, 1);
        assert_eq!(labels.first().map(String::as_str), Some("Decile 1"));
        assert_eq!(labels.last().map(String::as_str), Some("Decile 10"));
        assert_eq!(labels.len(), 10);
    }
}
