//! An indicator's figures on every English LSOA, as a frame of `lsoa`, `numerator`, `denominator`
//! and `value` (one row per LSOA with figures), made by joins and column expressions over the
//! national tables as the catalogue's derivation says. LSOAs 2021 are keyed by the geography's
//! ids ([`Geography::keys`](super::Geography::keys)), LSOAs 2011 by code.

use polars::prelude::*;

use super::{National, WIDE_FILES};
use crate::atlas::ValueType;
use crate::prepare::catalogue::{Derivation, Spec, Wide};
use crate::prepare::frames::{inner, tidied};

/// An indicator's figures on England's LSOAs.
pub struct Figures {
    /// On every English LSOA 2021 that has figures.
    pub lsoa21: LazyFrame,
    /// For IoD2019 indicators, the published figures on LSOA 2011 before they were carried to 2021.
    pub lsoa11: Option<LazyFrame>,
}

/// The figures of an indicator the national files hold, or `None` for one they do not.
pub fn figures(spec: &Spec, national: &National) -> Option<Figures> {
    if let Derivation::OutputAreaShare(table, categories) = &spec.derivation {
        let prefix = table.layout().national?;
        let named = |c: &str| col(format!("{prefix}{c}"));
        let count = categories.iter().map(|c| named(c)).reduce(|a, b| a + b)?;
        let total = named(table.layout().total);
        let lsoa21 = national.health().frame.clone().lazy().select([
            col("id").alias("lsoa"),
            count.clone().alias("numerator"),
            total.clone().alias("denominator"),
            when(total.clone().gt(lit(0.0)))
                .then(tidied(count / total * lit(spec.indicator.multiplier)))
                .otherwise(null())
                .alias("value"),
        ]);
        return Some(Figures { lsoa21, lsoa11: None });
    }
    let published = derive(spec, national)?;
    Some(if spec.derivation.wide()?.is_lsoa11() {
        let published = published.join(published_2011(national), [col("lsoa")], [col("lsoa")], inner());
        Figures { lsoa21: national.bridge.carry(published.clone()), lsoa11: Some(published) }
    } else {
        Figures { lsoa21: published, lsoa11: None }
    })
}

/// The derivation's figures on the areas of its table (LSOA 2011 or 2021).
fn derive(spec: &Spec, national: &National) -> Option<LazyFrame> {
    let multiplier = lit(spec.indicator.multiplier);
    let column = |(wide, name): (Wide, &str), alias: &str| -> LazyFrame {
        // Tables on LSOA 2021 are keyed by the geography's ids, those on LSOA 2011 by code.
        let key = if wide.is_lsoa11() {
            WIDE_FILES.iter().find(|(w, ..)| *w == wide).map_or("lsoa11_code", |(.., key)| *key)
        } else {
            "id"
        };
        national
            .table(wide)
            .frame
            .clone()
            .lazy()
            .select([col(key).alias("lsoa"), col(name).alias(alias)])
            .filter(col(alias).is_not_null())
    };
    // Two columns side by side; areas lacking either have no figures.
    let both =
        |a: (Wide, &str), b: (Wide, &str)| column(a, "a").join(column(b, "b"), [col("lsoa")], [col("lsoa")], inner());
    let frame = match &spec.derivation {
        Derivation::Value(w, name, scale) => column((*w, name), "a").select([
            col("lsoa"),
            null().alias("numerator"),
            null().alias("denominator"),
            tidied(col("a") * lit(*scale)).alias("value"),
        ]),
        Derivation::PublishedCount(w, name) => column((*w, name), "a").select([
            col("lsoa"),
            col("a").alias("numerator"),
            null().alias("denominator"),
            col("a").alias("value"),
        ]),
        Derivation::Ratio(n, d) => both(*n, *d).filter(col("b").gt(lit(0.0)).and(within_population(spec))).select([
            col("lsoa"),
            col("a").alias("numerator"),
            col("b").alias("denominator"),
            tidied(col("a") / col("b") * multiplier).alias("value"),
        ]),
        Derivation::ImpliedDenominator(n, rate) => both(*n, *rate).select([
            col("lsoa"),
            col("a").alias("numerator"),
            when(col("b").gt(lit(0.0))).then(tidied(col("a") / col("b"))).otherwise(null()).alias("denominator"),
            tidied(col("b") * multiplier).alias("value"),
        ]),
        Derivation::RateTimesDenominator(rate, d) => both(*rate, *d).select([
            col("lsoa"),
            tidied(col("a") * col("b")).alias("numerator"),
            col("b").alias("denominator"),
            tidied(col("a") * multiplier).alias("value"),
        ]),
        Derivation::CensusShare(..) | Derivation::OutputAreaShare(..) | Derivation::GpAccess(_) => return None,
    };
    Some(frame)
}

/// For a proportion, keeps only counts within their population: IoD2019's count of older people in
/// income-deprived households exceeds File 6's mid-2015 population aged 60 and over in two LSOAs 2011
/// (Oldham 022C, and Rushmoor 008B, since split in two), which is no share at all, so those LSOAs have
/// no figure.
fn within_population(spec: &Spec) -> Expr {
    match spec.indicator.value_type {
        ValueType::Proportion => col("a").lt_eq(col("b")),
        _ => lit(true),
    }
}

/// A missing number.
pub fn null() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// Every LSOA 2011 linked to an English LSOA 2021 (`lsoa`).
fn published_2011(national: &National) -> LazyFrame {
    national
        .geography
        .links
        .clone()
        .lazy()
        .select([col("lsoa11").alias("lsoa")])
        .unique_stable(None, UniqueKeepStrategy::First)
}
