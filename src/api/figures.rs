//! `/charts`, `/export` and the locality report: figures as SVG or PNG, the CSV behind each, the
//! LSOA values as GeoJSON, and the board-pack report as one HTML page.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState};
use crate::charts::{self, Format, Size};
use crate::figures::report;
use crate::figures::{self, FigureError, FigureRequest, Sources};

impl From<FigureError> for ApiError {
    fn from(error: FigureError) -> Self {
        match error {
            FigureError::BadParameter { parameter, detail } => ApiError::BadParameter { parameter, detail },
            FigureError::NotFound { what, detail } => ApiError::NotFound { what, detail },
            FigureError::NothingToDraw(detail) => ApiError::Unusable { detail },
        }
    }
}

fn sources(state: &AppState) -> Sources<'_> {
    Sources { atlas: &state.atlas, disclosure: &state.disclosure, weights: &state.weights, produced: figures::today() }
}

/// Splits `{kind}.{extension}`.
fn kind_of<'a>(file: &'a str, extensions: &[&str]) -> Result<(&'a str, &'a str), ApiError> {
    let (kind, extension) = file
        .rsplit_once('.')
        .filter(|(_, e)| extensions.contains(e))
        .ok_or_else(|| ApiError::bad("file", format!("{file:?} must end in .{}", extensions.join(" or ."))))?;
    Ok((kind, extension))
}

/// `size=screen|2x|print` (PNG only).
fn size(query: &HashMap<String, String>) -> Result<Size, ApiError> {
    query.get("size").map_or(Ok(Size::Screen), |s| s.parse()).map_err(|e| ApiError::bad("size", e))
}

/// Exports (CSV, GeoJSON) are files to save: `attachment`, with their name.
fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

/// Charts are shown where they are opened (the page puts them in `<img>`), and saved under their name.
fn inline(name: &str) -> String {
    format!("inline; filename=\"{name}\"")
}

/// `GET /charts/{kind}.svg|png?...`.
pub async fn chart(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (kind, extension) = kind_of(&file, &["svg", "png"])?;
    let size = size(&query)?;
    let request = FigureRequest { kind: kind.parse()?, parameters: query };
    let figure = figures::build(&sources(&state), &request)?;
    let format = if extension == "svg" { Format::Svg } else { Format::Png };
    let bytes = charts::render(&figure.chart, format, size)
        .map_err(|e| ApiError::Unusable { detail: format!("the chart cannot be drawn: {e}") })?;
    let content_type = if extension == "svg" { "image/svg+xml; charset=utf-8" } else { "image/png" };
    let name = format!("{}.{extension}", request.stem());
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, inline(&name))], bytes)
        .into_response())
}

/// `GET /export/{kind}.csv?...` (the table behind a chart) and `GET /export/lsoa.geojson?indicator=`.
pub async fn export(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (kind, extension) = kind_of(&file, &["csv", "geojson"])?;
    if extension == "geojson" {
        if kind != "lsoa" {
            return Err(ApiError::not_found("export", format!("no GeoJSON export {kind:?}; use lsoa.geojson")));
        }
        let ids: Vec<&str> = query.get("indicator").map(|s| s.split(',').collect()).unwrap_or_default();
        let body = report::lsoa_geojson(&state.atlas, &state.disclosure, &ids).map_err(ApiError::from)?;
        return Ok((
            [
                (header::CONTENT_TYPE, "application/geo+json".to_owned()),
                (header::CONTENT_DISPOSITION, attachment("lsoa.geojson")),
            ],
            body,
        )
            .into_response());
    }
    let request = FigureRequest { kind: kind.parse()?, parameters: query };
    let figure = figures::build(&sources(&state), &request)?;
    let (name, csv) = (format!("{}.csv", request.stem()), figure.table.to_csv());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, attachment(&name)),
        ],
        csv,
    )
        .into_response())
}

/// `GET /api/localities/{id}/report.html`: the board-pack report with its figures inline.
pub async fn locality_report(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let html = report::locality_report(&sources(&state), &id)?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
