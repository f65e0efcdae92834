//! `/charts`, `/export` and the locality report: figures as SVG or PNG, the CSV behind each, the
//! LSOA values as GeoJSON, and the board-pack report as one HTML page.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::ErrorBody;
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

/// The parameters charts and their tables take; each kind uses some of them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "describes the parameters for the OpenAPI document; the figures read them as a map")]
struct ChartParams {
    /// Indicator id (`ranked`, `localities`, `gradient`, `change`, `map`; a comma-separated list for `lsoa.geojson`).
    indicator: Option<String>,
    /// `coventry` or a locality id (`ranked`, `map`).
    area: Option<String>,
    /// `coventry` or `england` (`ranked`).
    comparator: Option<String>,
    /// Locality id (`spine`, `gradient`).
    locality: Option<String>,
    /// In England's atlas, a district's code (`change`: that district beside England).
    district: Option<String>,
    /// Indicator on the horizontal axis (`scatter`).
    x: Option<String>,
    /// Indicator on the vertical axis (`scatter`).
    y: Option<String>,
    /// Classification scheme (`map`): `quantile`, `equal`, `jenks` or `decile`.
    scheme: Option<String>,
    /// Number of classes, 3 to 9 (`map`).
    k: Option<u32>,
    /// Palette name (`map`).
    palette: Option<String>,
    /// `1` to draw the GP practices (`map`).
    practices: Option<String>,
    /// PNG size: `screen` (the default), `2x` or `print` (300 dpi at A4 text width).
    size: Option<String>,
}

fn sources(state: &AppState) -> Sources<'_> {
    Sources { atlas: &state.atlas, disclosure: &state.disclosure, weights: state.weights(), produced: figures::today() }
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
#[utoipa::path(
    get,
    path = "/charts/{file}",
    tag = "figures",
    params(
        ("file" = String, Path, description = "`{kind}.svg` or `{kind}.png`; kinds: `ranked`, `localities`, `spine`, `gradient`, `scatter`, `change`, `map`", pattern = r"^[a-z]+\.(svg|png)$"),
        ChartParams,
    ),
    responses(
        (status = 200, content_type = "image/svg+xml", body = String, description = "the chart as SVG, with title, subtitle, axis titles, footer and alt text"),
        (status = 200, content_type = "image/png", body = Vec<u8>, description = "the chart as PNG"),
        (status = 400, body = ErrorBody, description = "a bad kind, extension or parameter"),
        (status = 404, body = ErrorBody, description = "no such indicator, locality or area"),
        (status = 422, body = ErrorBody, description = "nothing to draw"),
    )
)]
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
#[utoipa::path(
    get,
    path = "/export/{file}",
    tag = "figures",
    params(
        ("file" = String, Path, description = "`{kind}.csv` (the table behind chart `kind`, or `clusters.csv` with the clusters' parameters) or `lsoa.geojson`", pattern = r"^[a-z]+\.(csv|geojson)$"),
        ChartParams,
    ),
    responses(
        (status = 200, content_type = "text/csv", body = String, description = "the numbers behind the chart with interval columns, method and comparison, the attribution as `#` comments"),
        (status = 200, content_type = "application/geo+json", body = Object, description = "the district's LSOAs with their published values (`indicator=a,b` to choose)"),
        (status = 400, body = ErrorBody, description = "a bad kind, extension or parameter"),
        (status = 404, body = ErrorBody, description = "no such export, indicator, locality or area"),
        (status = 422, body = ErrorBody, description = "nothing to tabulate"),
    )
)]
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
#[utoipa::path(
    get,
    path = "/api/localities/{id}/report.html",
    tag = "figures",
    params(("id" = String, Path, description = "a locality id, as `/api/localities` lists it")),
    responses(
        (status = 200, content_type = "text/html", body = String, description = "the locality's board-pack report as one self-contained page"),
        (status = 404, body = ErrorBody, description = "no such locality"),
    )
)]
pub async fn locality_report(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let html = report::locality_report(&sources(&state), &id, state.pockets())?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
