//! Where England's worst 10% and 20% of LSOAs begin for an indicator, and how many of England's and
//! the district's residents live there: how published scores, which carry no sampling error, are
//! placed in England's distribution.
//!
//! The N English LSOAs with a value (LSOA 2011 for IoD2019, LSOA 2021 otherwise) are ordered worst
//! first: the highest values first when low is good, the lowest first when high is good (ranks:
//! rank 1 is the most deprived). The worst 10% are the first ⌊N ÷ 10⌋, which for ranks is MHCLG's
//! decile 1; the cut-point is the value of the last of them, and any LSOA whose value is at least
//! as bad as the cut-point counts as inside (so ties at the cut are in). The worst 20% likewise
//! with ⌊N ÷ 5⌋. Fewer than ten values give no cut-points.

use polars::prelude::*;

use super::inner;

/// The worst-10% and worst-20% cut-points of each indicator: `indicator`, `lsoas`, `worst10`,
/// `worst20`. `published` has `indicator`, `value` (a row per LSOA with a value, on the geography
/// the indicator is published for); `directions` has `indicator` and `high_is_good` (indicators
/// with no better direction are left out of it).
pub fn cuts(published: LazyFrame, directions: LazyFrame) -> LazyFrame {
    let worst_first = when(col("high_is_good")).then(col("value")).otherwise(lit(0.0) - col("value"));
    let at = |share: u32| {
        col("value")
            .sort_by([col("worst_first")], SortMultipleOptions::default().with_maintain_order(true))
            .get(len().floor_div(lit(share)).cast(DataType::Int64) - lit(1i64), true)
    };
    published
        .filter(col("value").is_not_null())
        .join(directions, [col("indicator")], [col("indicator")], inner())
        .with_column(worst_first.alias("worst_first"))
        .group_by_stable([col("indicator")])
        .agg([
            len().cast(DataType::UInt32).alias("lsoas"),
            col("high_is_good").first(),
            at(10).alias("worst10"),
            at(5).alias("worst20"),
        ])
        .filter(col("lsoas").gt_eq(lit(10u32)))
}

/// Shares of residents in each area living in LSOAs at or beyond each cut-point, in %:
/// `indicator`, `area`, `share10`, `share20` (0 where no resident has a value). `figures` has
/// `indicator`, `lsoa`, `residents`, `value` on LSOAs 2021; `members` has `lsoa`, `area`.
pub fn shares(cuts: LazyFrame, figures: LazyFrame, members: LazyFrame) -> LazyFrame {
    let inside = |cut: &str| {
        when(col("high_is_good")).then(col("value").lt_eq(col(cut))).otherwise(col("value").gt_eq(col(cut)))
    };
    let people = |flag: Expr| col("residents").filter(flag).sum();
    figures
        .filter(col("value").is_not_null())
        .join(cuts, [col("indicator")], [col("indicator")], inner())
        .join(members, [col("lsoa")], [col("lsoa")], inner())
        .group_by_stable([col("indicator"), col("area")])
        .agg([
            col("residents").sum().alias("all"),
            people(inside("worst10")).alias("in10"),
            people(inside("worst20")).alias("in20"),
        ])
        .select([
            col("indicator"),
            col("area"),
            when(col("all").gt(lit(0.0)))
                .then(col("in10") / col("all") * lit(100.0))
                .otherwise(lit(0.0))
                .alias("share10"),
            when(col("all").gt(lit(0.0)))
                .then(col("in20") / col("all") * lit(100.0))
                .otherwise(lit(0.0))
                .alias("share20"),
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut_points(values: Vec<f64>, high_is_good: bool) -> Option<(u32, f64, f64)> {
        let published = df!("indicator" => vec!["i"; values.len()], "value" => values).unwrap();
        let directions = df!("indicator" => ["i"], "high_is_good" => [high_is_good]).unwrap();
        let found = cuts(published.lazy(), directions.lazy()).collect().unwrap();
        if found.height() == 0 {
            return None;
        }
        let number = |name: &str| found.column(name).unwrap().f64().unwrap().get(0);
        let lsoas = found.column("lsoas").unwrap().u32().unwrap().get(0)?;
        Some((lsoas, number("worst10")?, number("worst20")?))
    }

    #[test]
    fn the_cut_is_the_last_of_the_worst_tenth_when_low_is_good() {
        // N = 25: the worst 10% are the 2 highest, the worst 20% the 5 highest.
        assert_eq!(cut_points((1..=25).map(f64::from).collect(), false), Some((25, 24.0, 21.0)));
    }

    #[test]
    fn the_cut_is_the_last_of_the_lowest_tenth_for_ranks() {
        assert_eq!(cut_points((1..=33_755).rev().map(f64::from).collect(), true), Some((33_755, 3375.0, 6751.0)));
        assert_eq!(cut_points((1..=32_844).map(f64::from).collect(), true), Some((32_844, 3284.0, 6568.0)));
    }

    #[test]
    fn values_tied_with_the_cut_count_as_inside() {
        // N = 20: the worst 10% are the 2 worst, but three LSOAs share the second-worst value.
        let mut values = vec![9.0, 8.0, 8.0, 8.0];
        values.extend([1.0; 16]);
        assert_eq!(cut_points(values.clone(), false), Some((20, 8.0, 8.0)));
        let codes: Vec<String> = (0..values.len()).map(|i| format!("L{i}")).collect();
        let figures = df!("indicator" => vec!["i"; values.len()], "lsoa" => codes.clone(),
            "residents" => vec![10.0; codes.len()], "value" => values)
        .unwrap();
        let published = figures.clone().lazy().select([col("indicator"), col("value")]);
        let directions = df!("indicator" => ["i"], "high_is_good" => [false]).unwrap();
        let members = df!("lsoa" => codes.clone(), "area" => vec!["x"; codes.len()]).unwrap();
        let found = shares(cuts(published, directions.lazy()), figures.lazy(), members.lazy()).collect().unwrap();
        // 4 LSOAs of 20, each with 10 residents, are at the cut or worse: 20%.
        assert_eq!(found.column("share10").unwrap().f64().unwrap().get(0), Some(20.0));
    }

    #[test]
    fn too_few_values_give_no_cut() {
        assert_eq!(cut_points(vec![1.0, 2.0, 3.0], false), None);
    }
}
