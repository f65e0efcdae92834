//! `/tiles`: TileJSON and vector tiles, cached and conditional.

use std::io::Write;
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::error::ErrorBody;
use super::indicators::{ChoroplethQuery, choropleth_options, classed, find};
use super::metrics::{Metrics, TileKind};
use super::site::Site;
use super::web::Encoding;
use super::{ApiError, AppState};
use crate::atlas::Atlas;
use crate::tiles::{self, DETAIL_MAX_ZOOM, FieldChoice, TileId, TileKey, png};

/// Parses `{z}/{x}/{file}` where the file is `{y}.{extension}` (optionally `{y}@2x.{extension}`).
pub(super) fn tile_address(z: &str, x: &str, file: &str, extension: &str) -> Result<(TileId, bool), ApiError> {
    let stem = file
        .strip_suffix(&format!(".{extension}"))
        .ok_or_else(|| ApiError::bad("tile", format!("{file:?} must end in .{extension}")))?;
    let (y, retina) = match stem.strip_suffix("@2x") {
        Some(y) => (y, true),
        None => (stem, false),
    };
    // Digits only: `parse` would also take a sign ("+7").
    let number = |name: &'static str, text: &str| {
        text.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse::<u32>().ok())
            .flatten()
            .ok_or_else(|| ApiError::bad(name, format!("{text:?} is not a tile {name} (a whole number from 0)")))
    };
    let tile = TileId::new(number("z", z)?, number("x", x)?, number("y", y)?)
        .map_err(|detail| ApiError::bad("tile", detail))?;
    Ok((tile, retina))
}

/// Which indicators a vector tile carries: `?fields=a,b`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TileFieldsQuery {
    /// Comma-separated ids of mapped indicators: the tile carries only those (and the identifying
    /// fields of each feature); without it, every indicator.
    pub fields: Option<String>,
}

/// `GET /tiles/lsoa/{z}/{x}/{y}.mvt[?fields=a,b]`: every indicator, or only those named.
#[utoipa::path(
    get,
    path = "/tiles/lsoa/{z}/{x}/{file}",
    tag = "tiles",
    params(
        ("z" = u32, Path, description = "zoom, 0 to 22 (detail stops at 16; deeper tiles are cut from it)", maximum = 22),
        ("x" = u32, Path, description = "column, 0 to 2^z − 1"),
        ("file" = String, Path, description = "`{y}.mvt`: the row, 0 to 2^z − 1, and the extension", pattern = r"^[0-9]+\.mvt$"),
        TileFieldsQuery,
    ),
    responses(
        (status = 200, content_type = "application/vnd.mapbox-vector-tile", body = Vec<u8>,
            description = "Mapbox Vector Tile 2.1 with the layers `lsoa`, `localities`, `wards`, `msoa`, `gp_practices` (from zoom 11) and `labels` (from zoom 8), in zstd or gzip when asked (zstd first); ETag and Cache-Control"),
        (status = 204, description = "no feature in the tile"),
        (status = 304, description = "the client's copy (If-None-Match) is current"),
        (status = 400, body = ErrorBody, description = "not a tile address, or `fields` names no mapped indicator"),
    )
)]
pub async fn vector_tile(
    State(state): State<Arc<AppState>>,
    State(site): State<Arc<Site>>,
    Path((z, x, file)): Path<(String, String, String)>,
    Query(query): Query<TileFieldsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (tile, retina) = tile_address(&z, &x, &file, "mvt")?;
    if retina {
        return Err(ApiError::bad("tile", "vector tiles have no @2x variant"));
    }
    let choice = match &query.fields {
        None => None,
        Some(fields) => {
            let ids: Vec<&str> = fields.split(',').map(str::trim).filter(|id| !id.is_empty()).collect();
            Some(FieldChoice::new(&state.atlas, state.tile_context(), &ids).map_err(|e| ApiError::bad("fields", e))?)
        }
    };
    let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
    let encoding = Encoding::negotiate_among(accepted, &TILE_CODINGS);
    let body = vector_body(&state, tile, encoding, choice.as_ref(), Some(&site.metrics))?;
    // Each encoding and each choice of fields is a different representation, with its own strong
    // validator.
    let fields = choice.as_ref().map(|c| format!("-{}", c.indicators.join("+"))).unwrap_or_default();
    let etag = format!(
        "\"{}-{}-{}-{}{fields}{}\"",
        state.atlas.version,
        tile.z,
        tile.x,
        tile.y,
        match encoding {
            Encoding::Zstd => "-zst",
            Encoding::Gzip => "-gz",
            Encoding::Brotli | Encoding::Identity => "",
        }
    );
    Ok(respond(body, "application/vnd.mapbox-vector-tile", encoding, &etag, &headers))
}

/// A vector tile's body in one encoding, from the cache or encoded (and cached): each encoding is
/// cached, so a cached tile is never compressed twice. The lookup and any rendering are counted in
/// `metrics` when given.
fn vector_body(
    state: &AppState,
    tile: TileId,
    encoding: Encoding,
    choice: Option<&FieldChoice>,
    metrics: Option<&Metrics>,
) -> Result<Option<Bytes>, ApiError> {
    let fields = choice.map(|c| c.indicators.join(",")).unwrap_or_default();
    let key = TileKey::Vector { tile, encoding: encoding.token(), fields };
    let cached = state.tiles.get(&key);
    if let Some(metrics) = metrics {
        metrics.tile_lookup(TileKind::Vector, cached.is_some());
    }
    if let Some(cached) = cached {
        return Ok(cached);
    }
    let started = std::time::Instant::now();
    let body = match tiles::encode_choosing(state.tile_context(), tile, choice) {
        Some(raw) => Some(compress(raw, encoding).map_err(|e| ApiError::Internal { detail: e.to_string() })?),
        None => None,
    };
    if let Some(metrics) = metrics {
        metrics.tile_rendered(TileKind::Vector, started.elapsed());
    }
    state.tiles.put(key, body.clone());
    Ok(body)
}

/// Renders the vector tiles of the given zooms over the city into the cache, in each encoding
/// (browsers ask for zstd or gzip, most other clients for the plain body); returns how many tiles.
pub fn prewarm(state: &AppState, min_zoom: u8, max_zoom: u8) -> Result<usize, ApiError> {
    let tiles = crate::tiles::archive::tiles_over_city(&state.atlas, min_zoom, max_zoom);
    for tile in &tiles {
        for encoding in TILE_CODINGS.into_iter().chain([Encoding::Identity]) {
            vector_body(state, *tile, encoding, None, None)?;
        }
    }
    Ok(tiles.len())
}

/// `GET /tiles/{indicator}/{z}/{x}/{y}.png` (and `@2x.png`) with `scheme`, `k`, `palette`.
#[utoipa::path(
    get,
    path = "/tiles/{indicator}/{z}/{x}/{file}",
    tag = "tiles",
    params(
        ("indicator" = String, Path, description = "the indicator's id, as `GET /api/indicators` lists it"),
        ("z" = u32, Path, description = "zoom, 0 to 22", maximum = 22),
        ("x" = u32, Path, description = "column, 0 to 2^z − 1"),
        ("file" = String, Path, description = "`{y}.png` (256 pixels) or `{y}@2x.png` (512 pixels)", pattern = r"^[0-9]+(@2x)?\.png$"),
        ChoroplethQuery,
    ),
    responses(
        (status = 200, content_type = "image/png", body = Vec<u8>,
            description = "the choropleth drawn with the classes of `/api/indicators/{id}/classes` for the same parameters; a tile with nothing to draw is a transparent PNG"),
        (status = 304, description = "the client's copy (If-None-Match) is current"),
        (status = 400, body = ErrorBody, description = "not a tile address, or a bad `scheme`, `k` or `palette`"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
        (status = 422, body = ErrorBody, description = "the indicator has no LSOA map"),
    )
)]
pub async fn png_tile(
    State(state): State<Arc<AppState>>,
    State(site): State<Arc<Site>>,
    Path((indicator, z, x, file)): Path<(String, String, String, String)>,
    Query(query): Query<ChoroplethQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let indicator = find(&state.atlas, &indicator)?;
    let (tile, retina) = tile_address(&z, &x, &file, "png")?;
    let options = choropleth_options(&query)?;
    let style = format!(
        "{}|{}|{}",
        options.scheme.map_or("default", |s| s.as_str()),
        options.k.unwrap_or(0),
        options.palette.as_deref().unwrap_or("default")
    );
    let digest = Sha256::digest(format!("{}|{style}|{}/{}/{}|{retina}", indicator.id, tile.z, tile.x, tile.y));
    let key = TileKey::Png { indicator: indicator.id.clone(), style, tile, retina };
    let cached = state.tiles.get(&key);
    site.metrics.tile_lookup(TileKind::Png, cached.is_some());
    let body = match cached {
        Some(cached) => cached,
        None => {
            let started = std::time::Instant::now();
            let map = classed(&state, indicator, &options)?;
            // Nothing to draw is a transparent image, not an empty answer: image clients need a PNG.
            let rendered =
                png::render(&state.atlas, &map, tile, retina).or_else(|| png::transparent(retina)).map(Bytes::from);
            site.metrics.tile_rendered(TileKind::Png, started.elapsed());
            state.tiles.put(key, rendered.clone());
            rendered
        }
    };
    let etag = format!(
        "\"{}-{}\"",
        state.atlas.version,
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>()
    );
    Ok(respond(body, "image/png", Encoding::Identity, &etag, &headers))
}

/// The codings a vector tile is compressed in on request, in order of preference. zstd at its
/// default level is both quicker and smaller than gzip at its fastest: for the 768 KB zoom-6 tile
/// over England, 2.8 ms and 362 KB against 4.2 ms and 374 KB.
const TILE_CODINGS: [Encoding; 2] = [Encoding::Zstd, Encoding::Gzip];

/// zstd's default level.
const ZSTD_LEVEL: i32 = 3;

/// A tile's bytes in `encoding` (as they are for [`Encoding::Identity`]).
fn compress(raw: Vec<u8>, encoding: Encoding) -> std::io::Result<Bytes> {
    match encoding {
        Encoding::Zstd => zstd::bulk::compress(&raw, ZSTD_LEVEL).map(Bytes::from),
        Encoding::Gzip => {
            let mut encoder = GzEncoder::new(Vec::with_capacity(raw.len() / 2), Compression::fast());
            encoder.write_all(&raw)?;
            encoder.finish().map(Bytes::from)
        }
        Encoding::Brotli | Encoding::Identity => Ok(Bytes::from(raw)),
    }
}

/// A tile response: 204 when empty, 304 when the client has it; the body's encoding said.
pub(super) fn respond(
    body: Option<Bytes>,
    content_type: &'static str,
    encoding: Encoding,
    etag: &str,
    headers: &HeaderMap,
) -> Response {
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let (status, body) = match body {
        _ if not_modified => (StatusCode::NOT_MODIFIED, None),
        None => (StatusCode::NO_CONTENT, None),
        Some(body) => (StatusCode::OK, Some(body)),
    };
    let has_body = body.is_some();
    let mut response = Response::new(body.map_or_else(Body::empty, Body::from));
    *response.status_mut() = status;
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        response_headers.insert(header::ETAG, value);
    }
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if has_body {
        response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Some(token) = encoding.token() {
            response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
        }
    }
    response
}

/// `GET /tiles/lsoa.json`: TileJSON 3.0.0.
#[utoipa::path(
    get,
    path = "/tiles/lsoa.json",
    tag = "tiles",
    responses((status = 200, body = Object,
        description = "TileJSON 3.0.0 of the vector tiles: the tile URL (under the public URL, or the scheme and host the client used), bounds, zooms and each layer's fields"))
)]
pub async fn tilejson(
    State(state): State<Arc<AppState>>,
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
) -> Json<Value> {
    Json(tilejson_for(&state.atlas, &site.base_url(&headers)))
}

/// The TileJSON of the vector tiles served under `base` (a URL without a trailing `/`).
pub(super) fn tilejson_for(atlas: &Atlas, base: &str) -> Value {
    let bounds =
        atlas.bounds().map(|b| [b.min().x, b.min().y, b.max().x, b.max().y]).unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    let centre = [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, 11.0];
    let layers: Vec<Value> = tiles::vector_layers(atlas).iter().map(tiles::VectorLayer::tilejson).collect();
    json!({
        "tilejson": "3.0.0",
        "name": tiles::tileset_name(atlas),
        "district": atlas.place().name,
        "description": tiles::tileset_description(atlas),
        "version": atlas.version,
        "attribution": tiles::tileset_attribution(),
        "scheme": "xyz",
        "tiles": [format!("{base}/tiles/lsoa/{{z}}/{{x}}/{{y}}.mvt")],
        "minzoom": 0,
        "maxzoom": DETAIL_MAX_ZOOM,
        "bounds": bounds,
        "center": centre,
        "vector_layers": layers,
    })
}
