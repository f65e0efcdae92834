//! The dashboard page and its assets, compiled in and served with a strict Content-Security-Policy.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Only the app's own scripts, styles, workers and connections; images may be data or blob URLs
/// (MapLibre draws its control icons that way).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

macro_rules! asset {
    ($path:literal, $file:literal, $content_type:literal) => {
        ($path, $content_type, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $file)).as_slice())
    };
}

/// (URL path, content type, bytes) of every file of the page.
pub const ASSETS: [(&str, &str, &[u8]); 12] = [
    asset!("/", "index.html", "text/html; charset=utf-8"),
    asset!("/app.js", "app.js", "text/javascript; charset=utf-8"),
    asset!("/map.js", "map.js", "text/javascript; charset=utf-8"),
    asset!("/panels.js", "panels.js", "text/javascript; charset=utf-8"),
    asset!("/util.js", "util.js", "text/javascript; charset=utf-8"),
    asset!("/style.css", "style.css", "text/css; charset=utf-8"),
    asset!(
        "/vendor/maplibre-gl/maplibre-gl-csp.js",
        "vendor/maplibre-gl/maplibre-gl-csp.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "/vendor/maplibre-gl/maplibre-gl-csp-worker.js",
        "vendor/maplibre-gl/maplibre-gl-csp-worker.js",
        "text/javascript; charset=utf-8"
    ),
    asset!("/vendor/maplibre-gl/maplibre-gl.css", "vendor/maplibre-gl/maplibre-gl.css", "text/css; charset=utf-8"),
    asset!("/vendor/maplibre-gl/LICENSE.txt", "vendor/maplibre-gl/LICENSE.txt", "text/plain; charset=utf-8"),
    // Read by a static copy of the page (`export site`) for its tiles; the server's page does not load it.
    asset!("/vendor/pmtiles/pmtiles.js", "vendor/pmtiles/pmtiles.js", "text/javascript; charset=utf-8"),
    asset!("/vendor/pmtiles/LICENSE.txt", "vendor/pmtiles/LICENSE.txt", "text/plain; charset=utf-8"),
];

/// Adds a route for every asset.
pub fn routes<S: Clone + Send + Sync + 'static>(mut router: Router<S>) -> Router<S> {
    for (path, content_type, bytes) in ASSETS {
        router = router.route(path, get(move || async move { asset(content_type, bytes) }));
    }
    router
}

fn asset(content_type: &'static str, bytes: &'static [u8]) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
