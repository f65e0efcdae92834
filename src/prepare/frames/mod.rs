//! National tables as polars frames: the checked scan of a file ([`scan`]) and the few helpers
//! every reader of those frames shares (joins that keep order, the streaming collect, a column's
//! text, the rounding of carried numbers, and how a polars failure is reported).

pub mod scan;

use polars::prelude::*;

use crate::ingest::IngestError;

/// A polars failure while combining frames already checked: a fault of the program, reported
/// against the file the frame came from.
pub fn failed(file: &str) -> impl Fn(PolarsError) -> IngestError + '_ {
    move |e| IngestError::file(file, format!("could not be combined: {e}"))
}

/// A left join that keeps the left frame's row order.
pub fn left() -> JoinArgs {
    JoinArgs { maintain_order: MaintainOrderJoin::Left, ..JoinArgs::new(JoinType::Left) }
}

/// An inner join that keeps the left frame's row order.
pub fn inner() -> JoinArgs {
    JoinArgs { maintain_order: MaintainOrderJoin::Left, ..JoinArgs::new(JoinType::Inner) }
}

/// Runs a query on polars' streaming engine, which works through the national frames in batches
/// rather than holding every intermediate table whole.
pub fn collect(frame: LazyFrame) -> PolarsResult<DataFrame> {
    // A query without sinks of its own always gives one frame.
    frame.collect_with_engine(Engine::Streaming).map(|result| result.unwrap_single())
}

/// The text cells of a column, blank for nulls.
pub fn strings(frame: &DataFrame, column: &str) -> Vec<String> {
    frame
        .column(column)
        .ok()
        .and_then(|c| c.str().ok().map(|s| s.iter().map(|v| v.unwrap_or_default().to_owned()).collect()))
        .unwrap_or_default()
}

/// Rounds carried numbers so files stay readable; 9 decimals is far below any published precision.
pub fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// [`tidy`] as a polars expression (the same arithmetic: × 10⁹, rounded half away from zero, ÷ 10⁹).
pub fn tidied(expr: Expr) -> Expr {
    expr.round(9, RoundMode::HalfAwayFromZero)
}
