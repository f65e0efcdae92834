//! `/tiles`: TileJSON and vector tiles, cached and conditional.

use std::io::Write;
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::indicators::{choropleth_options, classed, find};
use super::{ApiError, AppState};
use crate::atlas::ATTRIBUTION;
use crate::atlas::practices::ATTRIBUTION as PRACTICES_ATTRIBUTION;
use crate::tiles::{
    self, DETAIL_MAX_ZOOM, FieldChoice, GP_PRACTICE_LAYER, GP_PRACTICE_MIN_ZOOM, LABEL_LAYER, LABEL_MIN_ZOOM,
    LOCALITY_LAYER, LSOA_LAYER, LSOA_NAME_MIN_ZOOM, MSOA_LAYER, TileId, TileKey, WARD_LAYER, png,
};

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

/// `GET /tiles/lsoa/{z}/{x}/{y}.mvt[?fields=a,b]`: every indicator, or only those named.
pub async fn vector_tile(
    State(state): State<Arc<AppState>>,
    Path((z, x, file)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (tile, retina) = tile_address(&z, &x, &file, "mvt")?;
    if retina {
        return Err(ApiError::bad("tile", "vector tiles have no @2x variant"));
    }
    let choice = match query.get("fields") {
        None => None,
        Some(fields) => {
            let ids: Vec<&str> = fields.split(',').map(str::trim).filter(|id| !id.is_empty()).collect();
            Some(FieldChoice::new(&state.atlas, &state.tile_context, &ids).map_err(|e| ApiError::bad("fields", e))?)
        }
    };
    let gzip = accepts_gzip(&headers);
    let body = vector_body(&state, tile, gzip, choice.as_ref())?;
    // Each encoding and each choice of fields is a different representation, with its own strong
    // validator.
    let fields = choice.as_ref().map(|c| format!("-{}", c.indicators.join("+"))).unwrap_or_default();
    let etag = format!(
        "\"{}-{}-{}-{}{fields}{}\"",
        state.atlas.version,
        tile.z,
        tile.x,
        tile.y,
        if gzip { "-gz" } else { "" }
    );
    Ok(respond(body, "application/vnd.mapbox-vector-tile", gzip, &etag, &headers))
}

/// A vector tile's body in one encoding, from the cache or encoded (and cached): both encodings are
/// cached, so a cached tile is never compressed twice.
fn vector_body(
    state: &AppState,
    tile: TileId,
    gzip: bool,
    choice: Option<&FieldChoice>,
) -> Result<Option<Bytes>, ApiError> {
    let fields = choice.map(|c| c.indicators.join(",")).unwrap_or_default();
    let key = TileKey::Vector { tile, gzip, fields };
    if let Some(cached) = state.tiles.get(&key) {
        return Ok(cached);
    }
    let body = match tiles::encode_choosing(&state.tile_context, tile, choice) {
        Some(raw) if gzip => Some(compress(&raw).map_err(|e| ApiError::Internal { detail: e.to_string() })?),
        other => other.map(Bytes::from),
    };
    state.tiles.put(key, body.clone());
    Ok(body)
}

/// Renders the vector tiles of the given zooms over the city into the cache, in both encodings
/// (browsers ask for gzip, most other clients for the plain body); returns how many tiles.
pub fn prewarm(state: &AppState, min_zoom: u8, max_zoom: u8) -> Result<usize, ApiError> {
    let tiles = crate::tiles::archive::tiles_over_city(&state.atlas, min_zoom, max_zoom);
    for tile in &tiles {
        for gzip in [true, false] {
            vector_body(state, *tile, gzip, None)?;
        }
    }
    Ok(tiles.len())
}

/// `GET /tiles/{indicator}/{z}/{x}/{y}.png` (and `@2x.png`) with `scheme`, `k`, `palette`.
pub async fn png_tile(
    State(state): State<Arc<AppState>>,
    Path((indicator, z, x, file)): Path<(String, String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
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
    let body = match state.tiles.get(&key) {
        Some(cached) => cached,
        None => {
            let map = classed(&state, indicator, &options)?;
            // Nothing to draw is a transparent image, not an empty answer: image clients need a PNG.
            let rendered =
                png::render(&state.atlas, &map, tile, retina).or_else(|| png::transparent(retina)).map(Bytes::from);
            state.tiles.put(key, rendered.clone());
            rendered
        }
    };
    let etag = format!(
        "\"{}-{}\"",
        state.atlas.version,
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>()
    );
    Ok(respond(body, "image/png", false, &etag, &headers))
}

/// True when the client accepts gzip.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("gzip"))
}

fn compress(raw: &[u8]) -> std::io::Result<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(raw.len() / 2), Compression::fast());
    encoder.write_all(raw)?;
    encoder.finish().map(Bytes::from)
}

/// A tile response: 204 when empty, 304 when the client has it; `gzipped` bodies say so.
pub(super) fn respond(
    body: Option<Bytes>,
    content_type: &'static str,
    gzipped: bool,
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
        if gzipped {
            response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
    }
    response
}

/// `GET /tiles/lsoa.json`: TileJSON 3.0.0.
pub async fn tilejson(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Json<Value> {
    let atlas = &state.atlas;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let bounds =
        atlas.bounds().map(|b| [b.min().x, b.min().y, b.max().x, b.max().y]).unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    let centre = [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, 11.0];
    let mut lsoa_fields = serde_json::Map::new();
    let name = format!("LSOA name (from zoom {LSOA_NAME_MIN_ZOOM})");
    for (field, description) in [
        ("code", "LSOA 2021 code"),
        ("name", name.as_str()),
        ("ward", "best-fit ward code"),
        ("locality", "locality id, if any"),
    ] {
        lsoa_fields.insert(field.into(), json!(description));
    }
    let mut msoa_fields = serde_json::Map::new();
    for (field, description) in
        [("code", "MSOA 2021 code"), ("name", "MSOA name"), ("neighbourhood", "House of Commons Library name")]
    {
        msoa_fields.insert(field.into(), json!(description));
    }
    for indicator in atlas.catalogue().iter().filter(|i| i.mapped()) {
        let fields = if indicator.is_msoa() { &mut msoa_fields } else { &mut lsoa_fields };
        fields.insert(
            indicator.id.clone(),
            json!(format!(
                "{} ({}, {}); absent when suppressed or unpublished",
                indicator.name, indicator.unit, indicator.period
            )),
        );
    }
    let practice_fields = json!({
        "code": "NHS organisation code of the practice",
        "name": "practice name as registered",
        "address": "address lines and postcode of the main site",
        "status": "open or closed (closed practices are kept so that maps can show where they were)",
    });
    Json(json!({
        "tilejson": "3.0.0",
        "name": "Coventry LSOA atlas",
        "description": "LSOA 2021 boundaries of Coventry with health-inequality indicators, locality outlines, wards and GP practices",
        "version": atlas.version,
        "attribution": format!("{ATTRIBUTION} {PRACTICES_ATTRIBUTION}"),
        "scheme": "xyz",
        "tiles": [format!("http://{host}/tiles/lsoa/{{z}}/{{x}}/{{y}}.mvt")],
        "minzoom": 0,
        "maxzoom": DETAIL_MAX_ZOOM,
        "bounds": bounds,
        "center": centre,
        "vector_layers": [
            { "id": LSOA_LAYER, "description": "LSOAs with indicator values", "minzoom": 0, "maxzoom": DETAIL_MAX_ZOOM, "fields": lsoa_fields },
            { "id": LOCALITY_LAYER, "description": "locality outlines", "minzoom": 0, "maxzoom": DETAIL_MAX_ZOOM, "fields": { "id": "locality id", "name": "locality name" } },
            { "id": WARD_LAYER, "description": "electoral wards", "minzoom": 0, "maxzoom": DETAIL_MAX_ZOOM, "fields": { "code": "ward code", "name": "ward name" } },
            { "id": MSOA_LAYER, "description": "MSOAs with the indicators published for MSOAs", "minzoom": 0, "maxzoom": DETAIL_MAX_ZOOM, "fields": msoa_fields },
            { "id": GP_PRACTICE_LAYER, "description": "GP practices (points at the postcode of the main site), open and closed", "minzoom": GP_PRACTICE_MIN_ZOOM, "maxzoom": DETAIL_MAX_ZOOM, "fields": practice_fields },
            { "id": LABEL_LAYER, "description": "label points: each ward's and each locality's name at a point inside it", "minzoom": LABEL_MIN_ZOOM, "maxzoom": DETAIL_MAX_ZOOM, "fields": { "kind": "ward or locality", "code": "ward code or locality id", "name": "ward or locality name" } },
        ],
    }))
}
