//! Numbers and comparisons in words: the one place the product's wording is made, so the API, the
//! page, the charts, the report and the CSVs say the same thing.

use crate::atlas::{Indicator, ValueType};
use crate::stats::Comparison;

/// A number with thousands separators and a fixed number of decimals, minus as "−".
pub fn number(value: f64, decimals: usize) -> String {
    let rounded = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = rounded.split_once('.').map_or((rounded.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = rounded.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !zero { "−" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Decimals an indicator's values are shown with: whole numbers for counts, ranks and patients.
pub fn decimals(indicator: &Indicator) -> usize {
    decimals_for(indicator.value_type, &indicator.unit)
}

/// Decimals for a kind of number in a unit.
pub fn decimals_for(value_type: ValueType, unit: &str) -> usize {
    match value_type {
        ValueType::Count | ValueType::Rank | ValueType::Decile => 0,
        _ if unit == "patients per GP" => 0,
        _ => 1,
    }
}

/// A value in the indicator's unit, e.g. "52.8%", "2,235 children", "0.59".
pub fn figure(value: f64, indicator: &Indicator) -> String {
    let n = number(value, decimals(indicator));
    match indicator.unit.as_str() {
        "%" => format!("{n}%"),
        "score" | "standardised score" | "standardised ratio" | "" => n,
        "decile" => format!("decile {n}"),
        unit if unit.starts_with("rank of") => format!("rank {n} of {}", &unit["rank of ".len()..]),
        unit => format!("{n} {unit}"),
    }
}

/// A share of people in %, to the nearest whole per cent, with one decimal where that rounds below
/// 1% (so 0.99 is "1%", as 1.02 is), and "under 0.1%" for a share that one decimal would show as
/// none.
pub fn share(value: f64) -> String {
    // Sums of shares can land a hair below zero (or at -0.0); a share is never negative.
    if value.is_nan() || value <= 0.0 {
        "0%".to_owned()
    } else if value < 0.05 {
        "under 0.1%".to_owned()
    } else if value < 0.95 {
        format!("{value:.1}%")
    } else {
        format!("{value:.0}%")
    }
}

/// A comparison as every output writes it.
pub fn comparison(c: Comparison) -> &'static str {
    match c {
        Comparison::Best => "Better (99.8%)",
        Comparison::Better => "Better",
        Comparison::Similar => "Similar",
        Comparison::Worse => "Worse",
        Comparison::Worst => "Worse (99.8%)",
        Comparison::Lower => "Lower",
        Comparison::Higher => "Higher",
        Comparison::NotCompared => "Not compared",
    }
}

/// Upper-cases the first letter.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().collect::<String>() + chars.as_str())
}

/// A count with its noun, singular for one: "1 LSOA is", "3 LSOAs are" when `verb` is
/// `("is", "are")`.
pub fn count_of(n: usize, noun: (&str, &str), verb: (&str, &str)) -> String {
    let (noun, verb) = if n == 1 { (noun.0, verb.0) } else { (noun.1, verb.1) };
    format!("{n} {noun} {verb}").trim_end().to_owned()
}

/// Names in a list a reader can split: separated by commas, or by semicolons when a name holds a
/// comma itself (ONS names such as "Kingston upon Hull, City of").
pub fn names(names: &[&str]) -> String {
    let separator = if names.iter().any(|n| n.contains(',')) { "; " } else { ", " };
    names.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_any_other_count_the_plural() {
        let lsoas = ("LSOA", "LSOAs");
        assert_eq!(count_of(1, lsoas, ("is", "are")), "1 LSOA is");
        assert_eq!(count_of(0, lsoas, ("is", "are")), "0 LSOAs are");
        assert_eq!(count_of(3, lsoas, ("is", "are")), "3 LSOAs are");
        assert_eq!(
            count_of(1, ("of the locality's LSOAs", "of the locality's LSOAs"), ("is", "are")),
            "1 of the locality's LSOAs is"
        );
        assert_eq!(count_of(2, lsoas, ("", "")), "2 LSOAs");
    }

    #[test]
    fn a_name_with_a_comma_makes_the_list_take_semicolons() {
        assert_eq!(names(&["Derby", "Croydon"]), "Derby, Croydon");
        assert_eq!(
            names(&["Manchester", "Kingston upon Hull, City of", "Leeds"]),
            "Manchester; Kingston upon Hull, City of; Leeds"
        );
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(number(2235.0, 0), "2,235");
        assert_eq!(number(11008.0, 0), "11,008");
        assert_eq!(number(-0.04, 1), "0.0");
        assert_eq!(number(-1234.56, 1), "−1,234.6");
        assert_eq!(number(52.84, 1), "52.8");
    }

    #[test]
    fn shares_keep_a_decimal_only_below_one_per_cent() {
        assert_eq!(share(54.4), "54%");
        assert_eq!(share(0.4), "0.4%");
        assert_eq!(share(0.949), "0.9%");
        // Written to one decimal these would be "1.0%" beside "1%" for 1.02.
        assert_eq!(share(0.95), "1%");
        assert_eq!(share(0.996), "1%");
        assert_eq!(share(1.02), "1%");
        assert_eq!(share(0.04), "under 0.1%");
        assert_eq!(share(0.0), "0%");
        assert_eq!(share(-1e-12), "0%");
        assert_eq!(share(-0.0), "0%");
    }
}
