//! Number formatting for ticks and value labels: fixed decimals, thousands separators, a true minus sign.

/// Formats `value` with `decimals` places, commas between thousands and U+2212 for negatives.
pub(crate) fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3 + 1);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    // "-0.0" would read as a negative value, so the sign follows the rounded text, not the raw number.
    let rounds_to_zero = grouped.chars().all(|c| matches!(c, '0' | '.' | ','));
    if value < 0.0 && !rounds_to_zero { format!("−{grouped}") } else { grouped }
}

/// A value label in its unit: "52.8%", but "1.4 score" and "1,379 patients per GP", never
/// "1.4score".
pub(crate) fn with_unit(value: f64, decimals: usize, unit: &str) -> String {
    match unit {
        "" | "%" => format!("{}{unit}", number(value, decimals)),
        _ => format!("{} {unit}", number(value, decimals)),
    }
}

/// Decimal places that show a tick step exactly (5 → 0, 0.5 → 1, 0.25 → 2), at most 4.
pub(crate) fn decimals_for_step(step: f64) -> usize {
    (0..=4)
        .find(|&places| ((step * 10f64.powi(places as i32)).round() - step * 10f64.powi(places as i32)).abs() < 1e-6)
        .unwrap_or(4)
}

/// Decimal places for values on a given range: one for typical percentages and rates, none for counts in
/// the thousands, more for small fractions.
pub(crate) fn decimals_for_range(low: f64, high: f64) -> usize {
    let span = (high - low).abs().max(low.abs().max(high.abs()) * 1e-3);
    match span {
        s if s >= 1000.0 => 0,
        s if s >= 1.0 => 1,
        s if s >= 0.1 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_and_negatives_use_a_minus_sign() {
        assert_eq!(number(1234567.891, 1), "1,234,567.9");
        assert_eq!(number(-2500.0, 0), "−2,500");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-0.04, 1), "0.0");
        assert_eq!(number(f64::NAN, 1), "–");
    }

    #[test]
    fn a_unit_other_than_per_cent_stands_apart_from_its_value() {
        assert_eq!(with_unit(52.84, 1, "%"), "52.8%");
        assert_eq!(with_unit(1.44, 1, "score"), "1.4 score");
        assert_eq!(with_unit(1379.0, 0, "patients per GP"), "1,379 patients per GP");
        assert_eq!(with_unit(-0.8, 1, ""), "−0.8");
    }

    #[test]
    fn step_decimals_show_the_step_exactly() {
        assert_eq!(decimals_for_step(5.0), 0);
        assert_eq!(decimals_for_step(0.5), 1);
        assert_eq!(decimals_for_step(0.25), 2);
        assert_eq!(decimals_for_range(10.0, 40.0), 1);
        assert_eq!(decimals_for_range(0.0, 25_000.0), 0);
    }
}
