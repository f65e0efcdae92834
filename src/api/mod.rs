//! The HTTP API: thin axum handlers that parse, call the atlas and analysis, and respond.

mod analysis;
mod areas;
mod clusters;
mod error;
mod figures;
mod guard;
mod indicators;
mod tiles;
mod web;

use std::sync::{Arc, OnceLock, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::http::{Extensions, HeaderMap, StatusCode, Uri, Version};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

use crate::analysis::Disclosure;
use crate::analysis::clusters::{LsoaWeights, PocketSearch, Weights};
use crate::atlas::Atlas;
use crate::tiles::{TileCache, TileContext};

pub use error::ApiError;
pub use guard::{GuardLayer, MAX_CONCURRENT_REQUESTS, MAX_URI_BYTES, REQUEST_TIMEOUT};
pub use tiles::prewarm;
pub use web::{Basemap, BasemapError, BasemapKind, CONTENT_SECURITY_POLICY, Page, page_paths, precompress};

/// Shared, read-only state of the server.
pub struct AppState {
    /// The loaded atlas.
    pub atlas: Atlas,
    /// Disclosure rules applied to every response.
    pub disclosure: Disclosure,
    /// What the tiles need beyond the atlas.
    pub tile_context: TileContext,
    /// Rendered tiles.
    pub tiles: TileCache,
    /// Spatial weights between the atlas's LSOAs, built once with the state.
    pub weights: LsoaWeights,
    /// The cluster statistics hidden pockets are read from, computed at the first profile asked for.
    pockets: OnceLock<PocketSearch>,
}

/// The state being served, swappable as a whole: a reload builds a new [`AppState`] beside the old
/// one and replaces it in one step, so every request sees one consistent atlas and none fails
/// during the swap.
#[derive(Clone)]
pub struct Shared(Arc<RwLock<Arc<AppState>>>);

impl Shared {
    /// Serves this state.
    pub fn new(state: Arc<AppState>) -> Shared {
        Shared(Arc::new(RwLock::new(state)))
    }

    /// The state now being served.
    pub fn current(&self) -> Arc<AppState> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Serves `state` from the next request on; requests under way finish on the old one.
    pub fn replace(&self, state: AppState) {
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(state);
    }
}

impl From<Arc<AppState>> for Shared {
    fn from(state: Arc<AppState>) -> Shared {
        Shared::new(state)
    }
}

/// Handlers take `State<Arc<AppState>>`: the state current when the request arrived.
impl FromRef<Shared> for Arc<AppState> {
    fn from_ref(shared: &Shared) -> Arc<AppState> {
        shared.current()
    }
}

/// Default tile cache size: 64 MiB.
pub const DEFAULT_TILE_CACHE_BYTES: usize = 64 * 1024 * 1024;

impl AppState {
    /// State over an atlas, with a tile cache of `cache_bytes` (0 turns it off).
    pub fn new(atlas: Atlas, disclosure: Disclosure, cache_bytes: usize) -> AppState {
        let tile_context = TileContext::build(&atlas, &disclosure);
        // Projecting centroids to British National Grid cannot fail on validated boundaries; if it
        // ever did, nearest-neighbour weights would cover no LSOA and their requests answer 422.
        let weights = LsoaWeights::build(&atlas).unwrap_or_else(|_| LsoaWeights {
            queen: Weights::queen(atlas.lsoas().iter().map(|l| &l.geometry)),
            knn6: Weights::from_lists(Vec::new()),
        });
        AppState {
            atlas,
            disclosure,
            tile_context,
            tiles: TileCache::new(cache_bytes),
            weights,
            pockets: OnceLock::new(),
        }
    }

    /// The hidden-pocket search over this state's data, run once per data version.
    pub fn pockets(&self) -> &PocketSearch {
        self.pockets.get_or_init(|| PocketSearch::run(&self.atlas, &self.disclosure, &self.weights))
    }
}

/// Builds the router over a loaded atlas (an `Arc<AppState>`, or a [`Shared`] to reload later),
/// serving the page without a basemap.
pub fn router(state: impl Into<Shared>) -> Router {
    router_with(state, &Page::default())
}

/// Responses at least this large are compressed, when the client accepts it: below it, the
/// encoding's own overhead eats most of the gain.
pub const MIN_COMPRESSED_BYTES: u16 = 1024;

/// [`router`] serving the page as `page` says (with a basemap, say).
pub fn router_with(state: impl Into<Shared>, page: &Page) -> Router {
    let state: Shared = state.into();
    // Answers made per request (JSON, GeoJSON, CSV, SVG, HTML) are compressed on the way out; the
    // tiles keep their own cached gzip, untouched by any other layer, and the page's files are
    // compressed once (`web`).
    let compressed = CompressionLayer::new().compress_when(
        SizeAbove::new(MIN_COMPRESSED_BYTES)
            .and(NotForContentType::IMAGES)
            .and(|status: StatusCode, _: Version, _: &HeaderMap, _: &Extensions| status.is_success()),
    );
    let answers = Router::new()
        .route("/api/health", get(health))
        .route("/api/indicators", get(indicators::list))
        .route("/api/indicators/{id}", get(indicators::one))
        .route("/api/indicators/{id}/values", get(indicators::values))
        .route("/tiles/lsoa.json", get(tiles::tilejson))
        .route("/api/indicators/{id}/classes", get(indicators::classes))
        .route("/api/indicators/{id}/clusters", get(clusters::clusters))
        .route("/api/localities", get(areas::localities))
        .route("/api/localities/{id}/profile", get(analysis::profile))
        .route("/api/localities/{id}/attention", get(analysis::attention))
        .route("/api/inequality/{id}", get(analysis::inequality))
        .route(
            "/api/custom-area",
            post(analysis::custom_area).layer(DefaultBodyLimit::max(crate::analysis::custom::MAX_BODY_BYTES)),
        )
        .route("/api/localities/{id}/report.html", get(figures::locality_report))
        .route("/charts/{file}", get(figures::chart))
        .route("/export/{file}", get(figures::export))
        .route("/api/lsoa/at", get(areas::lsoa_at))
        .route("/api/lsoa/{code}", get(areas::lsoa))
        .layer(compressed);
    let tiles = Router::new()
        .route("/tiles/lsoa/{z}/{x}/{file}", get(tiles::vector_tile))
        .route("/tiles/{indicator}/{z}/{x}/{file}", get(tiles::png_tile));
    web::routes(answers.merge(tiles), page).fallback(not_found).layer(GuardLayer::new()).with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> impl IntoResponse {
    let atlas = &state.atlas;
    axum::Json(json!({
        "status": "ok",
        "data_version": atlas.version,
        "lsoas": atlas.lsoas().len(),
        "indicators": atlas.catalogue().len(),
        "localities": atlas.localities().len(),
    }))
}

/// Adds the publishable figures of an observation to a JSON object.
fn with_figures(mut entry: serde_json::Value, published: crate::analysis::Published) -> serde_json::Value {
    if let (serde_json::Value::Object(map), Ok(serde_json::Value::Object(figures))) =
        (&mut entry, serde_json::to_value(published))
    {
        map.extend(figures);
    }
    entry
}

async fn not_found(uri: Uri) -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({ "error": "not found", "detail": format!("no route for {}", uri.path()) })),
    )
}
