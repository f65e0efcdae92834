//! Indicator rows derived from the raw tables, and the LSOA 2011 → 2021 bridge.

use std::collections::BTreeMap;

use super::Sources;
use super::catalogue::{Derivation, Spec, Wide};
use crate::ingest::IngestError;

/// One row of the tidy indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// LSOA 2021 code.
    pub lsoa21_code: String,
    /// Indicator id.
    pub indicator_id: String,
    /// Period label.
    pub period: String,
    /// Count, where known.
    pub numerator: Option<f64>,
    /// Denominator, where known.
    pub denominator: Option<f64>,
    /// Value in the catalogue's unit.
    pub value: Option<f64>,
}

/// Figures for one area before they are attached to an LSOA 2021.
#[derive(Debug, Clone, Copy)]
struct Figures {
    numerator: Option<f64>,
    denominator: Option<f64>,
    value: Option<f64>,
}

/// Rounds derived numbers so files stay readable; 9 decimals is far below any published precision.
fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// All rows of one indicator, on LSOA 2021, in code order.
pub fn derive(spec: &Spec, sources: &Sources) -> Result<Vec<ValueRow>, IngestError> {
    let lsoa11 = match &spec.derivation {
        Derivation::Value(w, ..)
        | Derivation::PublishedCount(w, _)
        | Derivation::Ratio((w, _), _)
        | Derivation::ImpliedDenominator((w, _), _) => w.is_lsoa11(),
        Derivation::CensusShare(..) | Derivation::CensusTotal(_) => false,
    };
    let codes: Vec<String> = if lsoa11 { sources.lsoa11_codes() } else { sources.lsoa21_codes.clone() };
    let multiplier = spec.indicator.multiplier;
    let mut by_area = BTreeMap::new();
    let census_rows = match &spec.derivation {
        Derivation::CensusShare(table, categories) => Some(sources.census(*table).share(categories)?),
        Derivation::CensusTotal(table) => {
            Some(sources.census(*table).totals().iter().map(|(c, &t)| (c.clone(), t, t)).collect())
        }
        _ => None,
    };
    if let Some(rows) = census_rows {
        let total_only = matches!(spec.derivation, Derivation::CensusTotal(_));
        for (code, n, total) in rows {
            let figures = if total_only {
                Figures { numerator: Some(total), denominator: None, value: Some(total) }
            } else {
                let value = (total > 0.0).then(|| tidy(n / total * multiplier));
                Figures { numerator: Some(n), denominator: Some(total), value }
            };
            by_area.insert(code, figures);
        }
    }
    for code in &codes {
        let get = |w: Wide, column: &str| sources.wide(w).number(code, column);
        let figures = match &spec.derivation {
            Derivation::Value(w, column, scale) => {
                get(*w, column)?.map(|v| Figures { numerator: None, denominator: None, value: Some(tidy(v * scale)) })
            }
            Derivation::PublishedCount(w, column) => {
                get(*w, column)?.map(|n| Figures { numerator: Some(n), denominator: None, value: Some(n) })
            }
            Derivation::Ratio((wn, n), (wd, d)) => match (get(*wn, n)?, get(*wd, d)?) {
                (Some(n), Some(d)) if d > 0.0 => {
                    Some(Figures { numerator: Some(n), denominator: Some(d), value: Some(tidy(n / d * multiplier)) })
                }
                _ => None,
            },
            Derivation::ImpliedDenominator((wn, n), (wr, r)) => match (get(*wn, n)?, get(*wr, r)?) {
                (Some(n), Some(rate)) => Some(Figures {
                    numerator: Some(n),
                    denominator: (rate > 0.0).then(|| tidy(n / rate)),
                    value: Some(tidy(rate * multiplier)),
                }),
                _ => None,
            },
            Derivation::CensusShare(..) | Derivation::CensusTotal(_) => None,
        };
        if let Some(f) = figures {
            by_area.insert(code.clone(), f);
        }
    }
    let row = |code: &str, f: Figures| ValueRow {
        lsoa21_code: code.to_owned(),
        indicator_id: spec.indicator.id.clone(),
        period: spec.indicator.period.clone(),
        numerator: f.numerator,
        denominator: f.denominator,
        value: f.value,
    };
    if !lsoa11 {
        return Ok(by_area.into_iter().filter(|(c, _)| sources.is_lsoa21(c)).map(|(c, f)| row(&c, f)).collect());
    }
    let mut rows: Vec<ValueRow> = sources
        .bridge
        .iter()
        .filter_map(|link| {
            let f = by_area.get(&link.lsoa11)?;
            let share = |x: Option<f64>| x.map(|x| tidy(x * link.share));
            Some(row(
                &link.lsoa21,
                Figures { numerator: share(f.numerator), denominator: share(f.denominator), value: f.value },
            ))
        })
        .collect();
    rows.sort_by(|a, b| a.lsoa21_code.cmp(&b.lsoa21_code));
    Ok(rows)
}

/// One LSOA 2011 → 2021 link, with the share of the 2011 area's people in the 2021 area.
#[derive(Debug, Clone)]
pub struct Link {
    /// LSOA 2011 code.
    pub lsoa11: String,
    /// LSOA 2021 code.
    pub lsoa21: String,
    /// Share of counts carried: 1 when unchanged, the Census 2021 population share when split.
    pub share: f64,
}

/// Builds the bridge from the ONS lookup, sharing split areas by Census 2021 population.
pub fn bridge(lookup: &[(String, String, String)], population: &BTreeMap<String, f64>) -> Result<Vec<Link>, String> {
    let mut parent_population: BTreeMap<&str, f64> = BTreeMap::new();
    for (lsoa11, lsoa21, _) in lookup {
        *parent_population.entry(lsoa11).or_insert(0.0) += population.get(lsoa21).copied().unwrap_or(0.0);
    }
    lookup
        .iter()
        .map(|(lsoa11, lsoa21, change)| {
            let share = match change.as_str() {
                "U" => 1.0,
                "S" => {
                    let total = parent_population[lsoa11.as_str()];
                    let own = population.get(lsoa21).copied().ok_or_else(|| format!("no Census 2021 population for {lsoa21}"))?;
                    if total <= 0.0 {
                        return Err(format!("LSOA 2011 {lsoa11} has no population to share"));
                    }
                    own / total
                }
                other => return Err(format!("change code {other:?} for {lsoa11} → {lsoa21} is not supported (only U and S occur in Coventry)")),
            };
            Ok(Link { lsoa11: lsoa11.clone(), lsoa21: lsoa21.clone(), share })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_area_shares_its_counts_by_population() {
        let lookup = vec![
            ("A".to_owned(), "A".to_owned(), "U".to_owned()),
            ("B".to_owned(), "B1".to_owned(), "S".to_owned()),
            ("B".to_owned(), "B2".to_owned(), "S".to_owned()),
        ];
        let population = BTreeMap::from([("A".to_owned(), 10.0), ("B1".to_owned(), 300.0), ("B2".to_owned(), 100.0)]);
        let links = bridge(&lookup, &population).unwrap();
        let shares: Vec<f64> = links.iter().map(|l| l.share).collect();
        assert_eq!(shares, vec![1.0, 0.75, 0.25]);
    }

    #[test]
    fn an_unknown_change_code_is_refused() {
        let lookup = vec![("A".to_owned(), "A".to_owned(), "M".to_owned())];
        let err = bridge(&lookup, &BTreeMap::new()).unwrap_err();
        assert!(err.contains("\"M\""), "{err}");
    }
}
