//! The dashboard page and its files: compiled in, compressed once, revalidated by entity tag, and
//! served with a strict Content-Security-Policy.
//!
//! Every file is sent with `Cache-Control: no-cache`, so a browser always asks whether its copy is
//! current, and with a strong `ETag` per encoding, so the answer is a `304` of a few hundred bytes
//! until the server is upgraded. A browser that accepts brotli gets brotli, else gzip, else the
//! bytes as they are (`Vary: Accept-Encoding`).

mod basemap;
mod encoding;

use std::sync::{Arc, Once};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::OnceCell;

pub use basemap::{Basemap, BasemapError, BasemapKind};
pub use encoding::Encoding;
use encoding::{Encoded, matches};

use super::ApiError;

/// Only the app's own scripts, styles, workers and connections; images may be data or blob URLs
/// (MapLibre draws its control icons that way).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// The policy with a basemap's origin added where the map fetches from: images (raster tiles,
/// sprites) and connections (tiles, styles, glyphs, which MapLibre fetches).
fn policy_with(origin: &str) -> String {
    CONTENT_SECURITY_POLICY
        .replace("img-src 'self' data: blob:", &format!("img-src 'self' data: blob: {origin}"))
        .replace("connect-src 'self'", &format!("connect-src 'self' {origin}"))
}

/// A file of the page.
struct File {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! file {
    ($path:literal, $file:literal, $content_type:expr) => {
        File {
            path: $path,
            content_type: $content_type,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $file)).as_slice(),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file of the page; the first is the page itself.
const FILES: [File; 12] = [
    file!("/", "index.html", "text/html; charset=utf-8"),
    file!("/app.js", "app.js", JS),
    file!("/map.js", "map.js", JS),
    file!("/panels.js", "panels.js", JS),
    file!("/util.js", "util.js", JS),
    file!("/style.css", "style.css", CSS),
    file!("/vendor/maplibre-gl/maplibre-gl-csp.js", "vendor/maplibre-gl/maplibre-gl-csp.js", JS),
    file!("/vendor/maplibre-gl/maplibre-gl-csp-worker.js", "vendor/maplibre-gl/maplibre-gl-csp-worker.js", JS),
    file!("/vendor/maplibre-gl/maplibre-gl.css", "vendor/maplibre-gl/maplibre-gl.css", CSS),
    file!("/vendor/maplibre-gl/LICENSE.txt", "vendor/maplibre-gl/LICENSE.txt", "text/plain; charset=utf-8"),
    // Read by a static copy of the page (`export site`) for its tiles; the server's page does not load it.
    file!("/vendor/pmtiles/pmtiles.js", "vendor/pmtiles/pmtiles.js", JS),
    file!("/vendor/pmtiles/LICENSE.txt", "vendor/pmtiles/LICENSE.txt", "text/plain; charset=utf-8"),
];

/// The URL path of every file of the page, the page itself (`/`) first.
pub fn page_paths() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|file| file.path)
}

/// The page's element that carries its settings; filled in when a basemap is set.
const SETTINGS_ELEMENT: &str = r#"<meta name="basemap" content="">"#;

/// The files as they are and gzipped, in the order of [`FILES`]; made once per process, on first use.
static COMPRESSED: OnceCell<Vec<Encoded>> = OnceCell::const_new();

/// Set once brotli has been added to every file.
static BROTLI: OnceCell<()> = OnceCell::const_new();

/// Compresses the page's files, brotli included, unless done already, and returns when it is done:
/// `serve` runs it at start-up so that visitors find it done.
pub async fn precompress() -> Result<(), ApiError> {
    let files = gzipped().await?;
    BROTLI
        .get_or_init(|| async move {
            let added = tokio::task::spawn_blocking(|| files.iter().try_for_each(Encoded::add_brotli)).await;
            if let Ok(Err(e)) = added {
                tracing::warn!("the page's files are served without brotli: {e}");
            }
        })
        .await;
    Ok(())
}

/// The files, gzipped in a blocking thread on first use (under a second); brotli (seconds) is then
/// added in the background while they are served.
async fn compressed() -> Result<&'static [Encoded], ApiError> {
    static STARTED: Once = Once::new();
    let files = gzipped().await?;
    STARTED.call_once(|| {
        tokio::spawn(precompress());
    });
    Ok(files)
}

async fn gzipped() -> Result<&'static [Encoded], ApiError> {
    let internal = |detail: String| ApiError::Internal { detail: format!("compressing the page's files: {detail}") };
    COMPRESSED
        .get_or_try_init(|| async {
            let all = || FILES.iter().map(|file| Encoded::new(file.bytes)).collect::<std::io::Result<Vec<_>>>();
            tokio::task::spawn_blocking(all)
                .await
                .map_err(|e| internal(e.to_string()))?
                .map_err(|e| internal(e.to_string()))
        })
        .await
        .map(Vec::as_slice)
}

/// How the page is served: with a basemap or without (the default, which fetches nothing from
/// any other origin).
#[derive(Clone)]
pub struct Page {
    policy: HeaderValue,
    /// The page with its settings filled in, when they differ from the file's.
    index: Option<Arc<Encoded>>,
}

impl Default for Page {
    fn default() -> Page {
        Page { policy: HeaderValue::from_static(CONTENT_SECURITY_POLICY), index: None }
    }
}

impl Page {
    /// The page drawing `basemap` beneath the choropleth: its settings go into the page, and its
    /// origin, and no other, into the policy.
    pub fn with_basemap(basemap: &Basemap) -> Result<Page, BasemapError> {
        let policy = HeaderValue::from_str(&policy_with(&basemap.origin))
            .map_err(|_| BasemapError::from(format!("{:?} cannot go into a header", basemap.origin)))?;
        let index = std::str::from_utf8(FILES[0].bytes).unwrap_or_default();
        if !index.contains(SETTINGS_ELEMENT) {
            return Err(BasemapError::from("the page has no place for the basemap's settings".to_owned()));
        }
        // Percent-encoded JSON (the page reads it with `decodeURIComponent`): letters, digits and `%`
        // only, which need no escaping in an HTML attribute.
        let json = serde_json::to_string(basemap).unwrap_or_default();
        let settings: String = json
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
            .collect();
        let index = index.replace(SETTINGS_ELEMENT, &format!(r#"<meta name="basemap" content="{settings}">"#));
        let index = Encoded::new(index.as_bytes()).and_then(|e| e.add_brotli().map(|()| e));
        let index = index.map_err(|e| BasemapError::from(e.to_string()))?;
        Ok(Page { policy, index: Some(Arc::new(index)) })
    }

    /// The Content-Security-Policy the page's files are sent with.
    pub fn policy(&self) -> &str {
        self.policy.to_str().unwrap_or(CONTENT_SECURITY_POLICY)
    }

    async fn answer(&self, n: usize, request: &HeaderMap) -> Result<Response, ApiError> {
        let all = compressed().await?;
        let encoded = match (&self.index, n) {
            (Some(index), 0) => index.as_ref(),
            _ => &all[n],
        };
        let header = |name| request.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
        let (encoding, representation) = encoded.get(Encoding::negotiate(header(header::ACCEPT_ENCODING)));
        let fresh = matches(header(header::IF_NONE_MATCH), &representation.etag);
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(representation.body.clone()));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(FILES[n].content_type));
            if let Some(token) = encoding.token() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, representation.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        Ok(response)
    }
}

/// Adds a route for every file of the page.
pub fn routes<S: Clone + Send + Sync + 'static>(mut router: Router<S>, page: &Page) -> Router<S> {
    for (n, file) in FILES.iter().enumerate() {
        let page = page.clone();
        router = router.route(file.path, get(move |request: HeaderMap| async move { page.answer(n, &request).await }));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_names_no_other_origin_and_a_basemap_adds_exactly_its_own() {
        assert!(!CONTENT_SECURITY_POLICY.contains("://") && !CONTENT_SECURITY_POLICY.contains('*'));
        let basemap = Basemap::new("https://tiles.example.org/{z}/{x}/{y}.png", None).unwrap();
        let page = Page::with_basemap(&basemap).unwrap();
        let policy = page.policy();
        let origins: Vec<&str> = policy.split([' ', ';']).filter(|t| t.contains("://")).collect();
        assert_eq!(origins, ["https://tiles.example.org", "https://tiles.example.org"], "{policy}");
        assert!(policy.contains("img-src 'self' data: blob: https://tiles.example.org;"));
        assert!(policy.contains("connect-src 'self' https://tiles.example.org;"));
        assert!(policy.contains("script-src 'self';"), "scripts stay the page's own: {policy}");
    }

    #[test]
    fn the_page_has_the_element_its_settings_go_into() {
        let basemap = Basemap::new("https://tiles.example.org/{z}/{x}/{y}.png", Some("Tiles \"© them\" <b>")).unwrap();
        let page = Page::with_basemap(&basemap).unwrap();
        let index = String::from_utf8(page.index.unwrap().get(Encoding::Identity).1.body.to_vec()).unwrap();
        let start = index.find(r#"<meta name="basemap" content=""#).unwrap() + 30;
        let content = &index[start..start + index[start..].find('"').unwrap()];
        assert!(content.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'%'), "{content}");
        let bytes: Vec<u8> = content
            .split('%')
            .enumerate()
            .flat_map(|(i, part)| match i {
                0 => part.as_bytes().to_vec(),
                _ => [vec![u8::from_str_radix(&part[..2], 16).unwrap()], part.as_bytes()[2..].to_vec()].concat(),
            })
            .collect();
        let decoded = String::from_utf8(bytes).unwrap();
        let settings: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(settings["kind"], "raster");
        assert_eq!(settings["url"], "https://tiles.example.org/{z}/{x}/{y}.png");
        assert_eq!(settings["attribution"], "Tiles \"© them\" <b>");
    }
}
