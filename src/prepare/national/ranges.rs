//! The spread of each indicator across England's local authority districts, each district's figure
//! made by the [`aggregate`](super::aggregate::aggregate) group-by as an area's own figure is: the
//! England range of a spine chart.

use polars::prelude::*;

/// Per indicator, over the districts with a value: `areas`, `lowest`, `q25`, `q75` and `highest`
/// (quartiles interpolated linearly between order statistics: Hyndman and Fan type 7, the default
/// of R and numpy). `districts` is an [`aggregate`](super::aggregate::aggregate) result.
pub fn ranges(districts: LazyFrame) -> LazyFrame {
    let value = || col("value");
    districts.filter(value().is_not_null()).group_by_stable([col("indicator")]).agg([
        len().cast(DataType::UInt32).alias("areas"),
        value().min().alias("lowest"),
        value().quantile(lit(0.25), QuantileMethod::Linear).alias("q25"),
        value().quantile(lit(0.75), QuantileMethod::Linear).alias("q75"),
        value().max().alias("highest"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_between_order_statistics_like_numpy() {
        let districts = df!(
            "indicator" => ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"],
            "value" => [Some(10.0), Some(1.0), Some(3.0), Some(2.0), Some(4.0), Some(4.0), Some(1.0), Some(3.0), Some(2.0), None],
        )
        .unwrap();
        let found = ranges(districts.lazy()).collect().unwrap();
        let column = |name: &str| found.column(name).unwrap().f64().unwrap().iter().flatten().collect::<Vec<_>>();
        assert_eq!(column("lowest"), vec![1.0, 1.0]);
        assert_eq!(column("q25"), vec![2.0, 1.75]);
        assert_eq!(column("q75"), vec![4.0, 3.25]);
        assert_eq!(column("highest"), vec![10.0, 4.0]);
        let areas: Vec<Option<u32>> = found.column("areas").unwrap().u32().unwrap().iter().collect();
        assert_eq!(areas, vec![Some(5), Some(4)]);
    }
}
