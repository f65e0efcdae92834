//! The LSOA 2011 → 2021 bridge: carries IoD2019 figures, published on LSOA 2011, to LSOA 2021.
//!
//! One rule serves every ONS change code. Each link of the lookup carries a share of its 2011
//! parent: 1 when the parent has one child (unchanged `U`, merged `M`), otherwise the child's
//! Census 2021 usual residents as a share of those of all the parent's children (split `S`, and an
//! irregular `X` parent that also splits). Counts are the parents' counts times their shares,
//! summed. Rates, scores and ranks are means of the parents' values weighted by the parents' IoD2019
//! File 6 mid-2015 populations, each times its share; a child with one parent (`U`, `S`) therefore
//! inherits its parent's value exactly. A 2021 area with a parent that has no figure has none.
//!
//! The links are a frame; a carry is a join of the figures onto the links and a group-by of the
//! LSOAs 2021.

use polars::prelude::*;

use super::FILE6_TOTAL;
use super::geography::Geography;
use crate::ingest::IngestError;
use crate::prepare::frames::scan::Scanned;
use crate::prepare::frames::{failed, left, strings, tidied};

/// The links of the lookup with their shares and the parents' weights: `lsoa11`, `lsoa21` (any
/// key; the geography's ids in a run), `share`, `weight`, sorted by LSOA 2021 then LSOA 2011.
#[derive(Debug, Clone)]
pub struct Bridge {
    links: DataFrame,
}

/// Why the bridge cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// A split LSOA 2011 whose children have no Census 2021 residents to share its counts by.
    NoResidents {
        /// The LSOA 2011 code.
        lsoa11: String,
    },
    /// An LSOA 2011 with no File 6 population to weight its values by.
    NoWeight {
        /// The LSOA 2011 code.
        lsoa11: String,
    },
}

impl Bridge {
    /// The bridge over England's links, weighted by IoD2019 File 6 (`lsoa11_code`, [`FILE6_TOTAL`]).
    pub fn new(geography: &Geography, file6: &Scanned) -> Result<Bridge, IngestError> {
        let links = geography
            .links
            .clone()
            .lazy()
            .join(geography.keys().select([col("id"), col("residents")]), [col("lsoa21")], [col("id")], left())
            .join(
                file6
                    .frame
                    .clone()
                    .lazy()
                    .select([col("lsoa11_code").alias("lsoa11"), col(FILE6_TOTAL).alias("weight")]),
                [col("lsoa11")],
                [col("lsoa11")],
                left(),
            )
            .collect()
            .map_err(failed(&file6.file))?;
        Bridge::from_links(links).map_err(|e| match e {
            BridgeError::NoResidents { lsoa11 } => IngestError::file(
                &geography.districts_file,
                format!("LSOA 2011 {lsoa11} is split but its children have no Census 2021 usual residents"),
            ),
            BridgeError::NoWeight { lsoa11 } => {
                IngestError::file(&file6.file, format!("no {FILE6_TOTAL} for {lsoa11}"))
            }
        })
    }

    /// The bridge from links (`lsoa11`, `lsoa21`), each child's Census 2021 usual residents
    /// (`residents`) and each parent's File 6 population (`weight`).
    pub fn from_links(links: DataFrame) -> Result<Bridge, BridgeError> {
        let unweighted = links.clone().lazy().filter(col("weight").is_null()).select([col("lsoa11")]).limit(1);
        if let Some(lsoa11) = unweighted.collect().ok().and_then(|f| strings(&f, "lsoa11").into_iter().next()) {
            return Err(BridgeError::NoWeight { lsoa11 });
        }
        let children = links
            .clone()
            .lazy()
            .group_by([col("lsoa11")])
            .agg([len().alias("children"), col("residents").sum().alias("siblings")]);
        let links = links
            .lazy()
            .join(children, [col("lsoa11")], [col("lsoa11")], left())
            .with_columns([when(col("children").eq(lit(1)))
                .then(lit(1.0))
                .when(col("siblings").gt(lit(0.0)))
                .then(col("residents") / col("siblings"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("share")])
            .sort(["lsoa21", "lsoa11"], SortMultipleOptions::default())
            .select([col("lsoa11"), col("lsoa21"), col("share"), col("weight")])
            .collect()
            .map_err(|_| BridgeError::NoResidents { lsoa11: String::new() })?;
        let unshared = links.clone().lazy().filter(col("share").is_null()).select([col("lsoa11")]).limit(1);
        if let Some(lsoa11) = unshared.collect().ok().and_then(|f| strings(&f, "lsoa11").into_iter().next()) {
            return Err(BridgeError::NoResidents { lsoa11 });
        }
        Ok(Bridge { links })
    }

    /// Carries figures on LSOA 2011 (`lsoa`, `numerator`, `denominator`, `value`) to every LSOA
    /// 2021 whose parents all have figures.
    pub fn carry(&self, lsoa11: LazyFrame) -> LazyFrame {
        let weight = col("weight") * col("share");
        let complete = |column: &str| col(column).null_count().eq(lit(0));
        let count = |column: &str| {
            when(complete(column))
                .then(tidied((col(column) * col("share")).sum()))
                .otherwise(lit(NULL).cast(DataType::Float64))
        };
        let mean = (col("value") * weight.clone()).sum() / weight.clone().sum();
        self.links
            .clone()
            .lazy()
            .join(lsoa11.with_column(lit(true).alias("published")), [col("lsoa11")], [col("lsoa")], left())
            .group_by_stable([col("lsoa21")])
            .agg([
                len().alias("parents"),
                col("published").count().alias("published"),
                count("numerator").alias("numerator"),
                count("denominator").alias("denominator"),
                when(len().eq(lit(1)))
                    .then(col("value").first())
                    .when(complete("value").and(weight.sum().gt(lit(0.0))))
                    .then(tidied(mean))
                    .otherwise(lit(NULL).cast(DataType::Float64))
                    .alias("value"),
            ])
            .filter(col("published").eq(col("parents")))
            .select([col("lsoa21").alias("lsoa"), col("numerator"), col("denominator"), col("value")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Figures = Vec<(&'static str, Option<f64>, Option<f64>, Option<f64>)>;

    /// A bridge from links (LSOA 2011, LSOA 2021), each child's residents and each parent's weight.
    fn bridge(
        links: &[(&str, &str)],
        residents: &[(&str, f64)],
        weights: &[(&str, f64)],
    ) -> Result<Bridge, BridgeError> {
        let of = |code: &str, table: &[(&str, f64)]| table.iter().find(|(c, _)| *c == code).map(|(_, v)| *v);
        let frame = df!(
            "lsoa11" => links.iter().map(|l| l.0).collect::<Vec<_>>(),
            "lsoa21" => links.iter().map(|l| l.1).collect::<Vec<_>>(),
            "residents" => links.iter().map(|l| of(l.1, residents)).collect::<Vec<_>>(),
            "weight" => links.iter().map(|l| of(l.0, weights)).collect::<Vec<_>>(),
        )
        .unwrap();
        Bridge::from_links(frame)
    }

    fn carry(bridge: &Bridge, figures: Figures) -> Figures {
        let frame = df!(
            "lsoa" => figures.iter().map(|f| f.0).collect::<Vec<_>>(),
            "numerator" => figures.iter().map(|f| f.1).collect::<Vec<_>>(),
            "denominator" => figures.iter().map(|f| f.2).collect::<Vec<_>>(),
            "value" => figures.iter().map(|f| f.3).collect::<Vec<_>>(),
        )
        .unwrap();
        let carried = bridge.carry(frame.lazy()).collect().unwrap();
        let codes = strings(&carried, "lsoa");
        let number = |name: &str| carried.column(name).unwrap().f64().unwrap().iter().collect::<Vec<_>>();
        let (n, d, v) = (number("numerator"), number("denominator"), number("value"));
        (0..codes.len()).map(|i| (Box::leak(codes[i].clone().into_boxed_str()) as &str, n[i], d[i], v[i])).collect()
    }

    fn all(code: &'static str, n: f64, d: f64, v: f64) -> (&'static str, Option<f64>, Option<f64>, Option<f64>) {
        (code, Some(n), Some(d), Some(v))
    }

    #[test]
    fn a_split_area_shares_its_counts_by_residents_and_passes_on_its_value() {
        // LSOA 2011 A unchanged as 2021 a; B split into 2021 b1 (300 residents) and b2 (100).
        let bridge = bridge(
            &[("A", "a"), ("B", "b1"), ("B", "b2")],
            &[("a", 10.0), ("b1", 300.0), ("b2", 100.0)],
            &[("A", 10.0), ("B", 400.0)],
        )
        .unwrap();
        let carried = carry(&bridge, vec![all("A", 1.0, 10.0, 10.0), all("B", 40.0, 400.0, 10.0)]);
        assert_eq!(
            carried,
            vec![all("a", 1.0, 10.0, 10.0), all("b1", 30.0, 300.0, 10.0), all("b2", 10.0, 100.0, 10.0)]
        );
    }

    #[test]
    fn a_merged_area_sums_counts_and_weights_values_by_the_parents_2015_population() {
        // LSOA 2011 A (File 6: 1,000 people, value 20) and B (3,000 people, value 40) merge into 2021 m.
        let bridge = bridge(&[("A", "m"), ("B", "m")], &[("m", 3900.0)], &[("A", 1000.0), ("B", 3000.0)]).unwrap();
        let carried = carry(&bridge, vec![all("A", 200.0, 1000.0, 20.0), all("B", 1200.0, 3000.0, 40.0)]);
        assert_eq!(carried, vec![all("m", 1400.0, 4000.0, 35.0)]);
    }

    #[test]
    fn an_irregular_change_shares_a_splitting_parent_and_weights_by_the_part_it_gives() {
        // 2011 A (File 6 1,000, value 10) splits into 2021 x (600 residents) and y (400);
        // 2011 B (File 6 2,000, value 40) joins 2021 y whole.
        let bridge = bridge(
            &[("A", "x"), ("A", "y"), ("B", "y")],
            &[("x", 600.0), ("y", 400.0)],
            &[("A", 1000.0), ("B", 2000.0)],
        )
        .unwrap();
        let carried = carry(&bridge, vec![all("A", 100.0, 1000.0, 10.0), all("B", 800.0, 2000.0, 40.0)]);
        // y: counts 40 + 800 and 400 + 2,000; value (10 × 400 + 40 × 2,000) ÷ 2,400 = 35.
        assert_eq!(carried, vec![all("x", 60.0, 600.0, 10.0), all("y", 840.0, 2400.0, 35.0)]);
    }

    #[test]
    fn a_merged_area_with_a_parent_lacking_a_figure_has_none() {
        let bridge = bridge(&[("A", "m"), ("B", "m")], &[("m", 100.0)], &[("A", 50.0), ("B", 50.0)]).unwrap();
        assert_eq!(carry(&bridge, vec![all("A", 1.0, 10.0, 10.0)]), vec![]);
        let carried = carry(&bridge, vec![all("A", 1.0, 10.0, 10.0), ("B", None, None, Some(30.0))]);
        assert_eq!(carried, vec![("m", None, None, Some(20.0))]);
    }

    #[test]
    fn a_split_area_whose_children_have_no_residents_is_refused() {
        let error = bridge(&[("A", "a1"), ("A", "a2")], &[("a1", 0.0), ("a2", 0.0)], &[("A", 10.0)]).unwrap_err();
        assert_eq!(error, BridgeError::NoResidents { lsoa11: "A".into() });
        let error = bridge(&[("A", "a")], &[("a", 1.0)], &[]).unwrap_err();
        assert_eq!(error, BridgeError::NoWeight { lsoa11: "A".into() });
    }
}
