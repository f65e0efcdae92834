//! The deprivation gradient: an indicator by national IMD decile across Coventry's LSOAs, with the
//! slope index of inequality as a line.

use super::{Cell, Drawn, Figure, FigureError, Sources, Table, by_lsoa, caption, format_value, with_unit};
use crate::analysis::inequality::{DECILE_INDICATOR, inequality_in, scope_name};
use crate::atlas::Indicator;
use crate::charts::{Chart, Gradient, GradientFit, GradientPoint};

/// Builds the chart and its table; `locality` marks the deciles its LSOAs fall in.
pub fn build(sources: &Sources, indicator: &Indicator, locality: Option<&str>) -> Result<Figure, FigureError> {
    by_lsoa(indicator)?;
    // A district of England's atlas is drawn across its own LSOAs, as its own atlas would draw it.
    let district = locality.and_then(|id| sources.atlas.district(id));
    let place = scope_name(sources.atlas, district);
    let report = inequality_in(sources.atlas, indicator, sources.disclosure, district);
    let total: f64 = report.by_national_decile.iter().filter(|g| g.value.is_some()).map(|g| g.population).sum();
    if total <= 0.0 {
        return Err(FigureError::NothingToDraw(match &report.sii_unavailable {
            Some(why) if indicator.is_standardised_ratio() => {
                format!("{} has no value by decile: {why}", indicator.name)
            }
            _ => format!("{} has no published values by decile", indicator.name),
        }));
    }
    // Mid-ranks: each decile's population share, most deprived first, as in the SII fit.
    let mut before = 0.0;
    let mut points = Vec::new();
    let mut table = Table::new(
        &["national_imd_decile", "lsoas", "population", "value", "lower_95", "upper_95", "relative_rank_mid", "note"],
        vec![
            format!(
                "{} ({}), {}, by national IMD 2025 decile of {}'s LSOAs",
                indicator.name, indicator.unit, indicator.period, place
            ),
            report.method.clone(),
            match &report.sii {
                Some(sii) => format!(
                    "SII {} (95% {} to {}); {}",
                    sii.value,
                    sii.ci95.lower,
                    sii.ci95.upper,
                    match (&report.rii, &report.rii_unavailable) {
                        (Some(rii), _) => format!("RII {}", rii.value),
                        (None, why) => format!("no RII: {}", why.as_deref().unwrap_or("not computed")),
                    }
                ),
                None => format!("SII not computed: {}", report.sii_unavailable.clone().unwrap_or_default()),
            },
        ],
    );
    let (mut weighted_value, mut weighted_rank) = (0.0, 0.0);
    for group in &report.by_national_decile {
        let share = if group.value.is_some() { group.population / total } else { 0.0 };
        let mid = before + share / 2.0;
        before += share;
        if let Some(v) = group.value {
            weighted_value += share * v;
            weighted_rank += share * mid;
        }
        table.push(vec![
            f64::from(group.group).into(),
            (group.lsoas as f64).into(),
            group.population.into(),
            group.value.into(),
            group.ci95.map(|c| c.lower).into(),
            group.ci95.map(|c| c.upper).into(),
            if group.value.is_some() { Cell::Number(mid) } else { Cell::Empty },
            Cell::Text(group.suppressed.clone().unwrap_or_default()),
        ]);
        if group.lsoas > 0 {
            points.push(GradientPoint {
                decile: group.group as u8,
                rank_mid: mid,
                value: group.value,
                interval: group.ci95.map(|c| (c.lower, c.upper)),
            });
        }
    }
    // The weighted least-squares line passes through the weighted means of rank and value.
    let fit = report.sii.map(|sii| GradientFit {
        intercept: weighted_value - sii.value * weighted_rank,
        slope: sii.value,
        sii_text: format!(
            "SII {} (95% {} to {})",
            format_value(sii.value, ""),
            format_value(sii.ci95.lower, ""),
            format_value(sii.ci95.upper, "")
        ),
    });
    let placement = locality.and_then(|id| report.localities.iter().find(|l| l.id == id));
    let highlight: Vec<u8> = placement
        .map(|p| p.by_national_decile.iter().enumerate().filter(|(_, n)| **n > 0).map(|(d, _)| d as u8 + 1).collect())
        .unwrap_or_default();
    let chart = Chart::Gradient(Gradient {
        caption: caption(
            sources,
            // The groups are national IMD deciles, and residents weight the slope.
            &Drawn {
                indicators: std::iter::once(indicator).chain(sources.atlas.indicator(DECILE_INDICATOR)).collect(),
                residents: true,
            },
            format!("{}: the deprivation gradient in {}", indicator.name, place),
            format!(
                "{}, {} · {}'s LSOAs by national IMD 2025 decile · 95% intervals · slope index of inequality",
                indicator.unit, indicator.period, place
            ),
            "National IMD decile (1 = most deprived)",
            &with_unit(indicator),
            format!(
                "{} by national deprivation decile for {}'s LSOAs, with the fitted inequality slope.",
                indicator.name, place
            ),
        ),
        points,
        fit,
        highlight,
        highlight_label: placement.map(|p| format!("Deciles with {} LSOAs", p.name)).unwrap_or_default(),
    });
    Ok(Figure { chart, table })
}
