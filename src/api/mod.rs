//! The HTTP API: thin axum handlers that parse, call the atlas and analysis, and respond.

mod analysis;
mod areas;
mod clusters;
mod error;
mod figures;
mod guard;
mod indicators;
pub mod metrics;
pub mod openapi;
mod site;
mod styles;
mod tiles;
mod web;

use std::sync::{Arc, OnceLock, RwLock};

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::handler::Handler;
use axum::http::{Extensions, HeaderMap, Method, StatusCode, Uri, Version};
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::Serialize;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

use crate::analysis::Disclosure;
use crate::analysis::clusters::{LsoaWeights, PocketSearch, Weights};
use crate::atlas::Atlas;
use crate::tiles::{TileCache, TileContext};

pub use error::ApiError;
pub use guard::{GuardLayer, MAX_CONCURRENT_REQUESTS, MAX_URI_BYTES, REQUEST_TIMEOUT};
pub use site::{PublicUrl, Site};
pub use tiles::prewarm;
pub use web::{Basemap, BasemapError, BasemapKind, CONTENT_SECURITY_POLICY, Page, page_paths, precompress};

/// Shared, read-only state of the server.
pub struct AppState {
    /// The loaded atlas.
    pub atlas: Atlas,
    /// Disclosure rules applied to every response.
    pub disclosure: Disclosure,
    /// What the tiles need beyond the atlas, prepared at the first tile asked for (or by
    /// [`AppState::prepare_tiles`] beside a starting server): a second of England's start-up.
    tile_context: OnceLock<TileContext>,
    /// Rendered tiles.
    pub tiles: TileCache,
    /// Spatial weights between the atlas's LSOAs, built at the first request that needs them (a
    /// second of England's start-up otherwise).
    weights: OnceLock<LsoaWeights>,
    /// The cluster statistics hidden pockets are read from, computed at the first profile asked for.
    pockets: OnceLock<PocketSearch>,
}

/// The state being served, swappable as a whole, and the [`Site`] serving it: a reload builds a new
/// [`AppState`] beside the old one and replaces it in one step, so every request sees one
/// consistent atlas and none fails during the swap; the site (settings and metrics) stays.
#[derive(Clone)]
pub struct Shared {
    state: Arc<RwLock<Arc<AppState>>>,
    site: Arc<Site>,
}

impl Shared {
    /// Serves this state with the default site: no public URL, no access log, fresh metrics.
    pub fn new(state: Arc<AppState>) -> Shared {
        Shared::with_site(state, site(None, false))
    }

    /// Serves this state as `site` says.
    pub fn with_site(state: Arc<AppState>, site: Site) -> Shared {
        Shared { state: Arc::new(RwLock::new(state)), site: Arc::new(site) }
    }

    /// The state now being served.
    pub fn current(&self) -> Arc<AppState> {
        self.state.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Serves `state` from the next request on; requests under way finish on the old one.
    pub fn replace(&self, state: AppState) {
        *self.state.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(state);
    }

    /// The site: settings and metrics.
    pub fn site(&self) -> &Arc<Site> {
        &self.site
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

/// Handlers that build links or count take `State<Arc<Site>>`.
impl FromRef<Shared> for Arc<Site> {
    fn from_ref(shared: &Shared) -> Arc<Site> {
        shared.site.clone()
    }
}

/// A site for this router's routes: their metrics, the public URL and whether to log each request.
pub fn site(public_url: Option<PublicUrl>, access_log: bool) -> Site {
    Site { public_url, access_log, metrics: metrics::Metrics::new(routes().into_iter().map(|r| r.path)) }
}

/// Default tile cache size: 64 MiB.
pub const DEFAULT_TILE_CACHE_BYTES: usize = 64 * 1024 * 1024;

impl AppState {
    /// State over an atlas, with a tile cache of `cache_bytes` (0 turns it off).
    pub fn new(atlas: Atlas, disclosure: Disclosure, cache_bytes: usize) -> AppState {
        AppState {
            atlas,
            disclosure,
            tile_context: OnceLock::new(),
            tiles: TileCache::new(cache_bytes),
            weights: OnceLock::new(),
            pockets: OnceLock::new(),
        }
    }

    /// What the tiles need beyond the atlas, prepared once; a request that comes while it is being
    /// prepared waits for it.
    pub fn tile_context(&self) -> &TileContext {
        self.tile_context.get_or_init(|| TileContext::build(&self.atlas, &self.disclosure))
    }

    /// Prepares the tiles on a thread of their own, so that a server answers while they are made.
    pub fn prepare_tiles(self: &Arc<Self>) {
        let state = Arc::clone(self);
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            state.tile_context();
            tracing::info!("tiles prepared in {:.2?}", started.elapsed());
        });
    }

    /// The spatial weights between the atlas's LSOAs, built once.
    pub fn weights(&self) -> &LsoaWeights {
        self.weights.get_or_init(|| {
            // Projecting centroids to British National Grid cannot fail on validated boundaries; if
            // it ever did, nearest-neighbour weights would cover no LSOA and their requests answer 422.
            LsoaWeights::build(&self.atlas).unwrap_or_else(|_| LsoaWeights {
                queen: Weights::queen(self.atlas.lsoas().iter().map(|l| &l.geometry)),
                knn6: Weights::from_lists(Vec::new()),
            })
        })
    }

    /// The hidden-pocket search over this state's data, run once per data version.
    pub fn pockets(&self) -> &PocketSearch {
        self.pockets.get_or_init(|| PocketSearch::run(&self.atlas, &self.disclosure, self.weights()))
    }
}

/// An HTTP method the API routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET` (and so `HEAD`).
    Get,
    /// `POST`.
    Post,
}

impl Verb {
    /// The method.
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
        }
    }
}

/// One route of the API: its method, its path template (as the router and the OpenAPI document
/// write it) and its handler.
pub struct Route {
    /// The method.
    pub verb: Verb,
    /// The path template, e.g. `/api/indicators/{id}`.
    pub path: &'static str,
    handler: MethodRouter<Shared>,
    /// False for the tiles, which keep their own compressed bodies, untouched by any other layer.
    compressed: bool,
}

fn route<H: Handler<T, Shared>, T: 'static>(verb: Verb, path: &'static str, handler: H) -> Route {
    Route { verb, path, handler: on(verb.filter(), handler), compressed: true }
}

impl Route {
    /// The route answers with its own encoding: no compression layer wraps it.
    fn encoded_by_itself(self) -> Route {
        Route { compressed: false, ..self }
    }
}

/// Every route of the API (the page's own files are added beside them): the one list the router
/// is built from and the OpenAPI document is checked against.
pub fn routes() -> Vec<Route> {
    use Verb::{Get, Post};
    let mut custom_area = route(Post, "/api/custom-area", analysis::custom_area);
    custom_area.handler = custom_area.handler.layer(DefaultBodyLimit::max(crate::analysis::custom::MAX_BODY_BYTES));
    vec![
        route(Get, "/api/health", health),
        route(Get, "/api/openapi.json", openapi::document),
        route(Get, "/api/indicators", indicators::list),
        route(Get, "/api/indicators/{id}", indicators::one),
        route(Get, "/api/indicators/{id}/values", indicators::values),
        route(Get, "/api/indicators/{id}/classes", indicators::classes),
        route(Get, "/api/indicators/{id}/clusters", clusters::clusters),
        route(Get, "/api/localities", areas::localities),
        route(Get, "/api/districts", areas::districts),
        route(Get, "/api/localities/{id}/profile", analysis::profile),
        route(Get, "/api/localities/{id}/attention", analysis::attention),
        route(Get, "/api/localities/{id}/report.html", figures::locality_report),
        route(Get, "/api/inequality/{id}", analysis::inequality),
        custom_area,
        route(Get, "/api/lsoa/at", areas::lsoa_at),
        route(Get, "/api/lsoa/{code}", areas::lsoa),
        route(Get, "/tiles/lsoa.json", tiles::tilejson),
        route(Get, "/tiles/lsoa/{z}/{x}/{file}", tiles::vector_tile).encoded_by_itself(),
        route(Get, "/tiles/{indicator}/{z}/{x}/{file}", tiles::png_tile).encoded_by_itself(),
        route(Get, "/styles/{file}", styles::style),
        route(Get, "/charts/{file}", figures::chart),
        route(Get, "/export/{file}", figures::export),
        route(Get, "/metrics", metrics_text),
    ]
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
    // tiles keep their own compressed bodies, untouched by any other layer, and the page's files are
    // compressed once (`web`).
    let compressed = CompressionLayer::new().compress_when(
        SizeAbove::new(MIN_COMPRESSED_BYTES)
            .and(NotForContentType::IMAGES)
            .and(|status: StatusCode, _: Version, _: &HeaderMap, _: &Extensions| status.is_success()),
    );
    let (answers, tiles) = routes().into_iter().fold((Router::new(), Router::new()), |(answers, tiles), route| {
        if route.compressed {
            (answers.route(route.path, route.handler), tiles)
        } else {
            (answers, tiles.route(route.path, route.handler))
        }
    });
    let guard = GuardLayer::new().for_site(state.site.clone());
    web::routes(answers.layer(compressed).merge(tiles), page).fallback(not_found).layer(guard).with_state(state)
}

/// What `GET /api/health` answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: &'static str,
    /// The data version being served.
    pub data_version: String,
    /// The district the atlas covers.
    pub district: District,
    /// LSOAs in the atlas.
    pub lsoas: usize,
    /// Indicators in the catalogue.
    pub indicators: usize,
    /// Localities defined.
    pub localities: usize,
}

/// The district an atlas covers, as `GET /api/health` names it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct District {
    /// GSS code, e.g. `E08000026`.
    pub code: String,
    /// Name, e.g. `Coventry`.
    pub name: String,
    /// The generalisation of the LSOA boundaries, e.g. `20 m` or `200 m`.
    pub generalisation: String,
}

/// `GET /api/health`.
#[utoipa::path(get, path = "/api/health", tag = "service", responses((status = 200, body = Health, description = "the server is up")))]
async fn health(State(state): State<Arc<AppState>>) -> axum::Json<Health> {
    let atlas = &state.atlas;
    axum::Json(Health {
        status: "ok",
        data_version: atlas.version.clone(),
        district: District {
            code: atlas.place().code.clone(),
            name: atlas.place().name.clone(),
            generalisation: atlas.place().generalisation.clone(),
        },
        lsoas: atlas.lsoas().len(),
        indicators: atlas.catalogue().len(),
        localities: atlas.localities().len(),
    })
}

/// `GET /metrics`: the server's metrics in the Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String,
        description = "requests by route template and status, latency histograms, tile cache hits, misses and bytes, tile render time"))
)]
async fn metrics_text(State(state): State<Arc<AppState>>, State(site): State<Arc<Site>>) -> impl IntoResponse {
    let gauges = metrics::Gauges {
        tile_cache_bytes: state.tiles.bytes(),
        tile_cache_capacity: state.tiles.capacity(),
        data_version: &state.atlas.version,
    };
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], site.metrics.render(gauges))
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
