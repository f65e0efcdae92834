//! Area figures as one polars group-by over the LSOA figures: for each indicator and area, summed
//! numerators and denominators for rates and proportions, sums for counts, means weighted by
//! Census 2021 usual residents for scores, and for standardised ratios without counts the LSOA's
//! own ratio where the area is one LSOA (none otherwise).
//!
//! The arithmetic is [`combine`]'s, the definition behind every area of the atlas: `prepare`
//! checks every district and England figure it writes against [`combine`] ([`agrees`]), and the
//! tests below do the same for Coventry and its wards on the committed data.

use polars::prelude::*;

use super::figures::null;
use super::inner;
use crate::analysis::aggregate::{Aggregate, Method, combine};

/// The name of a method in the `method` column.
pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::Wilson => "wilson",
        Method::ByarExact => "byar_exact",
        Method::RatioOfSums => "ratio_of_sums",
        Method::PopulationWeightedMean => "population_weighted_mean",
        Method::Sum => "sum",
        Method::Distribution => "distribution",
        Method::NotCombinable => "not_combinable",
    }
}

/// Each indicator's figure in each area.
///
/// - `figures`: `indicator` (the catalogue position), `lsoa`, `residents` (the weight of means),
///   `numerator`, `denominator`, `value` (a row per LSOA with figures);
/// - `members`: `lsoa`, `area` (an LSOA may be in several areas);
/// - `methods`: `indicator`, `method` ([`method_name`]), `multiplier`.
///
/// The result has `indicator`, `area`, `numerator`, `denominator` and `value` (null where
/// [`combine`] gives none), `used` (LSOAs whose figures count) and `rows` (LSOAs with figures).
/// Indicators that combine as distributions are left out.
pub fn aggregate(figures: LazyFrame, members: LazyFrame, methods: LazyFrame) -> LazyFrame {
    let method = |name: Method| col("method").eq(lit(method_name(name)));
    let ratio = method(Method::Wilson).or(method(Method::ByarExact)).or(method(Method::RatioOfSums));
    let counted = col("numerator").is_not_null().and(col("denominator").is_not_null());
    let weighted = col("value").is_not_null();
    let (n, d) = (col("n_counted"), col("d_counted"));
    let positive = d.clone().gt(lit(0.0)).and(n.clone().gt_eq(lit(0.0)));
    figures
        .join(methods.filter(method(Method::Distribution).not()), [col("indicator")], [col("indicator")], inner())
        .join(members, [col("lsoa")], [col("lsoa")], inner())
        .group_by_stable([col("indicator"), col("area")])
        .agg([
            col("method").first(),
            col("multiplier").first(),
            col("numerator").filter(counted.clone()).sum().alias("n_counted"),
            col("denominator").filter(counted.clone()).sum().alias("d_counted"),
            counted.cast(DataType::UInt32).sum().alias("used_counted"),
            col("numerator").sum().alias("n_all"),
            col("value").first().alias("first"),
            (col("value") * col("residents")).filter(weighted.clone()).sum().alias("weighted"),
            col("residents").filter(weighted).sum().alias("weight"),
            len().cast(DataType::UInt32).alias("rows"),
        ])
        .select([
            col("indicator"),
            col("area"),
            when(ratio.clone())
                .then(n.clone())
                .when(method(Method::Sum))
                .then(col("n_all"))
                .otherwise(null())
                .alias("numerator"),
            when(ratio.clone()).then(d.clone()).otherwise(null()).alias("denominator"),
            when(method(Method::Wilson).and(positive.clone()).and(n.clone().lt_eq(d.clone())))
                .then(n.clone() / d.clone() * col("multiplier"))
                .when(method(Method::ByarExact).or(method(Method::RatioOfSums)).and(positive))
                .then(n * (lit(1.0) / d) * col("multiplier"))
                .when(method(Method::Sum))
                .then(col("n_all"))
                .when(method(Method::PopulationWeightedMean).and(col("weight").gt(lit(0.0))))
                .then(col("weighted") / col("weight"))
                .when(method(Method::NotCombinable).and(col("rows").eq(lit(1))))
                .then(col("first"))
                .otherwise(null())
                .alias("value"),
            when(ratio).then(col("used_counted")).otherwise(col("rows")).alias("used"),
            col("rows"),
        ])
}

/// An area figure as the group-by gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaFigure {
    /// Summed count, for rates, proportions and counts.
    pub numerator: Option<f64>,
    /// Summed denominator, for rates and proportions.
    pub denominator: Option<f64>,
    /// The area's value.
    pub value: Option<f64>,
    /// LSOAs whose figures count.
    pub used: usize,
}

/// The rows of an [`aggregate`] result, keyed by indicator and area.
pub fn area_figures(frame: &DataFrame) -> PolarsResult<Vec<((u32, String), AreaFigure)>> {
    let text = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(frame.column(name)?.str()?.iter().map(|v| v.unwrap_or_default().to_owned()).collect())
    };
    let number = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(frame.column(name)?.f64()?.iter().collect()) };
    let indicators: Vec<Option<u32>> = frame.column("indicator")?.u32()?.iter().collect();
    let areas = text("area")?;
    let (numerators, denominators, values) = (number("numerator")?, number("denominator")?, number("value")?);
    let used: Vec<Option<u32>> = frame.column("used")?.u32()?.iter().collect();
    Ok((0..frame.height())
        .map(|i| {
            let figure = AreaFigure {
                numerator: numerators[i],
                denominator: denominators[i],
                value: values[i],
                used: used[i].unwrap_or(0) as usize,
            };
            ((indicators[i].unwrap_or(u32::MAX), areas[i].clone()), figure)
        })
        .collect())
}

/// True when the group-by's figure is [`combine`]'s to 1e-9 (relative): the two add the same
/// numbers, in a different order.
pub fn agrees(figure: &AreaFigure, combined: &Aggregate) -> bool {
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (a, b) => a.is_none() && b.is_none(),
    };
    let counts = match combined.method {
        Method::Sum => close(figure.numerator, combined.numerator),
        Method::PopulationWeightedMean => figure.numerator.is_none() && figure.denominator.is_none(),
        _ => close(figure.numerator, combined.numerator) && close(figure.denominator, combined.denominator),
    };
    counts && close(figure.value, combined.value) && figure.used == combined.lsoas_used
}

/// [`combine`] of an indicator over LSOA figures, each with its residents.
pub fn combined(
    indicator: &crate::atlas::Indicator,
    figures: impl IntoIterator<Item = (crate::atlas::Observation, f64)>,
) -> Aggregate {
    let contributions: Vec<crate::analysis::aggregate::Contribution> = figures
        .into_iter()
        .map(|(observation, population)| crate::analysis::aggregate::Contribution {
            observation,
            population,
            share: 1.0,
        })
        .collect();
    combine(indicator, &contributions)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::analysis::aggregate::method_of;
    use crate::atlas::schema::POPULATION_INDICATOR;
    use crate::atlas::{Atlas, embedded_files, load};

    /// Every LSOA figure of the committed data with its residents, and Coventry and its wards as areas.
    fn frames(atlas: &Atlas) -> (LazyFrame, LazyFrame, LazyFrame) {
        let people = atlas.observations(POPULATION_INDICATOR).unwrap();
        let (mut indicator, mut lsoa, mut residents, mut numerator, mut denominator, mut value) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (position, i) in atlas.catalogue().iter().enumerate().filter(|(_, i)| !i.is_msoa()) {
            for (l, o) in atlas.lsoas().iter().zip(atlas.observations(&i.id).unwrap_or_default()) {
                if let Some(o) = o {
                    indicator.push(position as u32);
                    lsoa.push(l.code.clone());
                    residents.push(people[atlas.lsoa_index(&l.code).unwrap()].and_then(|p| p.value).unwrap_or(0.0));
                    numerator.push(o.numerator);
                    denominator.push(o.denominator);
                    value.push(o.value);
                }
            }
        }
        let figures = df!("indicator" => indicator, "lsoa" => lsoa, "residents" => residents,
            "numerator" => numerator, "denominator" => denominator, "value" => value)
        .unwrap();
        let (mut member, mut area) = (Vec::new(), Vec::new());
        for l in atlas.lsoas() {
            member.extend([l.code.clone(), l.code.clone()]);
            area.extend(["E08000026".to_owned(), l.ward_code.clone()]);
        }
        let members = df!("lsoa" => member, "area" => area).unwrap();
        let methods = df!(
            "indicator" => (0..atlas.catalogue().len() as u32).collect::<Vec<_>>(),
            "method" => atlas.catalogue().iter().map(|i| method_name(method_of(i))).collect::<Vec<_>>(),
            "multiplier" => atlas.catalogue().iter().map(|i| i.multiplier).collect::<Vec<_>>(),
        )
        .unwrap();
        (figures.lazy(), members.lazy(), methods.lazy())
    }

    #[test]
    fn the_group_by_gives_combines_figures_for_coventry_and_each_ward() {
        let atlas = load(&embedded_files()).unwrap();
        let (figures, members, methods) = frames(&atlas);
        let result = aggregate(figures, members, methods).collect().unwrap();
        let found: HashMap<(u32, String), AreaFigure> = area_figures(&result).unwrap().into_iter().collect();
        let people = atlas.observations(POPULATION_INDICATOR).unwrap();
        let mut compared = 0;
        let catalogue = atlas.catalogue().iter().enumerate();
        for (position, indicator) in catalogue.filter(|(_, i)| !i.is_msoa() && method_of(i) != Method::Distribution) {
            let observations = atlas.observations(&indicator.id).unwrap();
            let mut areas: Vec<(String, Vec<usize>)> = vec![("E08000026".into(), (0..atlas.lsoas().len()).collect())];
            for ward in atlas.wards() {
                let members = (0..atlas.lsoas().len()).filter(|&i| atlas.lsoas()[i].ward_code == ward.code).collect();
                areas.push((ward.code.clone(), members));
            }
            for (area, members) in areas {
                let figures = members
                    .iter()
                    .filter_map(|&i| Some((observations[i]?, people[i].and_then(|p| p.value).unwrap_or(0.0))));
                let combined = combined(indicator, figures);
                let figure = found.get(&(position as u32, area.clone()));
                match figure {
                    Some(figure) => assert!(
                        agrees(figure, &combined),
                        "{} in {area}: {figure:?} against {combined:?}",
                        indicator.id
                    ),
                    None => assert_eq!(combined.lsoas_used, 0, "{} in {area}", indicator.id),
                }
                compared += 1;
            }
        }
        // 52 indicators combined as values, in Coventry and each of its 18 wards.
        assert_eq!(compared, 52 * 19);
    }

    #[test]
    fn a_proportion_over_its_denominator_or_an_empty_area_has_no_value() {
        let figures = df!("indicator" => [0u32, 0, 1], "lsoa" => ["a", "b", "a"], "residents" => [100.0, 0.0, 100.0],
            "numerator" => [Some(8.0), Some(5.0), None::<f64>], "denominator" => [Some(6.0), Some(5.0), None::<f64>],
            "value" => [Some(1.0), Some(1.0), Some(3.0)])
        .unwrap();
        let members = df!("lsoa" => ["a", "b"], "area" => ["x", "x"]).unwrap();
        let methods = df!("indicator" => [0u32, 1], "method" => ["wilson", "population_weighted_mean"],
            "multiplier" => [100.0, 1.0])
        .unwrap();
        let result = aggregate(figures.lazy(), members.lazy(), methods.lazy()).collect().unwrap();
        let found: HashMap<_, _> = area_figures(&result).unwrap().into_iter().collect();
        let p = found[&(0, "x".to_owned())];
        assert_eq!((p.numerator, p.denominator, p.value, p.used), (Some(13.0), Some(11.0), None, 2));
        let q = found[&(1, "x".to_owned())];
        assert_eq!((q.numerator, q.value, q.used), (None, Some(3.0), 1));
    }
}
