//! Two indicators across the atlas's LSOAs, the localities picked out, with a least-squares line.

use super::{Drawn, Figure, FigureError, Sources, Table, by_lsoa, caption, with_unit};
use crate::analysis::words;
use crate::atlas::Indicator;
use crate::charts::{Chart, Scatter, ScatterPoint};
use crate::stats::regression::least_squares;

/// Builds the chart and its table.
pub fn build(sources: &Sources, x: &Indicator, y: &Indicator) -> Result<Figure, FigureError> {
    by_lsoa(x)?;
    by_lsoa(y)?;
    let atlas = sources.atlas;
    let published = |indicator: &Indicator, code: &str| {
        atlas.observation(&indicator.id, code).and_then(|o| sources.disclosure.publish(indicator, &o).value)
    };
    let mut points = Vec::new();
    for lsoa in atlas.lsoas() {
        if let (Some(vx), Some(vy)) = (published(x, &lsoa.code), published(y, &lsoa.code)) {
            let group = atlas.localities_of(&lsoa.code).find(|l| !l.is_context()).map(|l| l.name.clone());
            points.push(ScatterPoint { label: format!("{} {}", lsoa.code, lsoa.name), x: vx, y: vy, group });
        }
    }
    let fit = least_squares(&points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>());
    let Some(fit) = fit else {
        let both = words::count_of(points.len(), ("LSOA has", "LSOAs have"), ("", ""));
        return Err(FigureError::NothingToDraw(format!(
            "{both} published values of both {} and {}: too few, or too alike, to fit a line",
            x.name, y.name
        )));
    };
    let mut table = Table::new(
        &["lsoa_code", "lsoa_name", "locality", "x_value", "y_value"],
        vec![
            format!("x: {} ({}), {}; y: {} ({}), {}", x.name, x.unit, x.period, y.name, y.unit, y.period),
            format!(
                "Least squares over {} LSOAs: y = {} + {} x, R squared {}",
                fit.n, fit.intercept, fit.slope, fit.r_squared
            ),
        ],
    );
    for p in &points {
        let (code, name) = p.label.split_once(' ').unwrap_or((&p.label, ""));
        table.push(vec![code.into(), name.into(), p.group.clone().unwrap_or_default().into(), p.x.into(), p.y.into()]);
    }
    let chart = Chart::Scatter(Scatter {
        caption: caption(
            sources,
            &Drawn { indicators: vec![x, y], residents: false },
            format!("{} against {}", y.name, x.name),
            format!(
                "{}'s LSOAs ({} with both values) · least-squares line · localities highlighted",
                sources.atlas.place().name,
                points.len()
            ),
            &with_unit(x),
            &with_unit(y),
            format!(
                "Scatter plot of {} against {} for {} LSOAs; R squared {:.2}.",
                y.name,
                x.name,
                sources.atlas.place().name,
                fit.r_squared
            ),
        ),
        points,
        other_label: format!("Other {} LSOAs", sources.atlas.place().name),
    });
    Ok(Figure { chart, table })
}
