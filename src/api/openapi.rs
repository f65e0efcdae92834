//! `GET /api/openapi.json`: the OpenAPI 3.1 description of every route, generated from the
//! handlers' own annotations and types.

use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use utoipa::OpenApi;
use utoipa::openapi::server::Server;

use super::error::ErrorBody;
use super::site::Site;

/// The API's description; `servers` is filled per request with the base URL clients use.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "locality-atlas",
        description = "Place-based health inequalities in an English district (Coventry in the compiled-in data; `GET /api/health` names the one served): indicators by LSOA (and MSOA), locality profiles with intervals and comparisons with the district and England, inequality gradients, clusters, map classes and styles, vector and PNG tiles, charts with the CSV behind each. Every error is `{ \"error\", \"detail\" }` with a 4xx status (500 for a failure on the server's side); counts below the disclosure threshold, and values derived from them, are withheld with the reason.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    paths(
        super::health,
        document,
        super::metrics_text,
        super::indicators::list,
        super::indicators::one,
        super::indicators::values,
        super::indicators::classes,
        super::clusters::clusters,
        super::areas::localities,
        super::areas::districts,
        super::analysis::profile,
        super::analysis::attention,
        super::figures::locality_report,
        super::analysis::inequality,
        super::analysis::custom_area,
        super::areas::lsoa_at,
        super::areas::lsoa,
        super::tiles::tilejson,
        super::tiles::vector_tile,
        super::tiles::png_tile,
        super::styles::style,
        super::figures::chart,
        super::figures::export,
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "service", description = "health, metrics and this document"),
        (name = "indicators", description = "the catalogue and each indicator's values"),
        (name = "places", description = "localities, districts (an atlas of all England) and LSOAs"),
        (name = "analysis", description = "profiles, attention lists, inequality, clusters and custom areas"),
        (name = "maps", description = "map classes and MapLibre styles"),
        (name = "tiles", description = "TileJSON, vector tiles and server-rendered PNG tiles"),
        (name = "figures", description = "charts, the tables behind them, GeoJSON and the locality report"),
    )
)]
pub struct ApiDoc;

/// The document, built once.
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

/// `GET /api/openapi.json`.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    responses((status = 200, body = Object, description = "this document (OpenAPI 3.1), with the server's base URL in `servers`"))
)]
pub async fn document(State(site): State<Arc<Site>>, headers: HeaderMap) -> Json<utoipa::openapi::OpenApi> {
    let mut document = openapi().clone();
    document.servers = Some(vec![Server::new(site.base_url(&headers))]);
    Json(document)
}
