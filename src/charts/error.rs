//! The one error type of the charts module.

use thiserror::Error;

/// Why a chart could not be drawn or rasterised.
#[derive(Debug, Error)]
pub enum ChartError {
    /// The chart has no rows (or points, or areas) at all, so there is nothing to draw.
    #[error("the {chart} chart has no rows to draw; pass at least one row")]
    NoRows {
        /// Which kind of chart was empty.
        chart: &'static str,
    },
    /// Every value is missing or suppressed and the chart has no way to show only notes.
    #[error("the {chart} chart has no finite values to plot; check the data or its suppression")]
    NoValues {
        /// Which kind of chart had nothing to plot.
        chart: &'static str,
    },
    /// The drawing library refused a drawing operation.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The SVG could not be parsed back for rasterising (a bug if the SVG came from `svg`).
    #[error("the SVG could not be read for rasterising: {0}")]
    Parse(String),
    /// The raster canvas could not be made or encoded as PNG.
    #[error("rasterising to PNG failed: {0}")]
    Raster(String),
}
