//! The static site (`export site`): the whole dashboard as files, for a host that runs no server.
//!
//! The page is written as the server serves it, switched to static mode by a `<meta>` in
//! index.html. Its tiles go into one PMTiles archive, which the page reads with pmtiles.js through
//! HTTP range requests. Every answer the page asks the API for ([`page_requests`]) is made by the
//! API itself, the router called in-process, so each file is byte for byte the server's answer;
//! only the TileJSON differs, pointing at the archive. What the server computes on request (custom
//! areas, other palettes, most map figures) is not in the site, and the page says so.

mod requests;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use serde_json::{Value, json};
use tower::ServiceExt;

pub use requests::{PAGE_INDICATOR, SiteRequest, page_requests};

use crate::api::{AppState, CONTENT_SECURITY_POLICY, page_paths, router};
use crate::tiles::archive::{ArchiveSummary, write_archive};

/// The archive of the vector tiles, relative to the site's folder.
pub const ARCHIVE: &str = "tiles/lsoa.pmtiles";

/// How index.html says which mode the page runs in (read by `STATIC` in `web/util.js`).
const SERVER_MODE: &str = r#"<meta name="atlas-mode" content="server">"#;
const STATIC_MODE: &str = r#"<meta name="atlas-mode" content="static">"#;

/// Why a site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// An id that cannot name a file on a static host.
    #[error(
        "{what} {name:?} cannot be part of a file name on a static host: use letters, digits, '-', '_', '.' and ',' in ids"
    )]
    Name {
        /// Which part of the URL.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The API failed on a request the page makes.
    #[error("{uri}: the API answered {status}: {detail}")]
    Api {
        /// The request.
        uri: String,
        /// Its status.
        status: u16,
        /// The API's error, or the body.
        detail: String,
    },
    /// The tile archive could not be written.
    #[error("the tile archive: {0}")]
    Archive(String),
    /// The page has no mode to switch.
    #[error("the page's index.html has no {SERVER_MODE} to switch to static mode")]
    Page,
    /// A worker stopped without finishing.
    #[error("an export worker stopped: {0}")]
    Worker(String),
}

/// What an export wrote.
#[derive(Debug)]
pub struct SiteSummary {
    /// Files written, the archive included.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Answers the API refused (a scheme an indicator cannot use, say), left out as the server
    /// refuses them.
    pub refused: usize,
    /// The tiles of the archive.
    pub tiles: ArchiveSummary,
}

/// What an export is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Asking the API for each answer the page needs.
    Answers,
    /// Writing the tile archive.
    Tiles,
}

/// Reports `(stage, done, total)` as an export goes.
pub type Progress = Arc<dyn Fn(Stage, usize, usize) + Send + Sync>;

/// Writes the site into `out` (created if missing; files already there are replaced), its tiles
/// from zoom 0 to `max_zoom`.
pub async fn write_site(
    state: Arc<AppState>,
    out: &Path,
    max_zoom: u8,
    progress: Progress,
) -> Result<SiteSummary, SiteError> {
    let requests = page_requests(&state.atlas);
    // Every name is checked before anything is written.
    let files = requests.iter().map(SiteRequest::file).collect::<Result<Vec<_>, _>>()?;
    let router = router(state.clone());
    let mut written = Written::default();

    for path in page_paths() {
        let page = fetch(&router, &SiteRequest::get(path, &[])).await?.ok_or(SiteError::Page)?;
        match path {
            "/" => written.add(out, "index.html", &static_page(&page)?)?,
            _ => written.add(out, path.trim_start_matches('/'), &page)?,
        }
    }
    written.add(out, "tiles/lsoa.json", &tilejson(&router, max_zoom).await?)?;

    let answers = answer_all(&router, Arc::new(requests), Arc::new(files), out, progress.clone()).await?;
    let mut figures = answers.figures.clone();
    figures.sort();
    written.files += answers.written.files;
    written.bytes += answers.written.bytes;
    let site = json!({
        "data_version": state.atlas.version,
        "tiles": ARCHIVE,
        "max_zoom": max_zoom,
        "figures": figures,
    });
    written.add(out, "site.json", site.to_string().as_bytes())?;

    let archive = out.join(ARCHIVE);
    let tiles = tokio::task::spawn_blocking(move || {
        let file =
            std::fs::File::create(&archive).map_err(|source| SiteError::Write { path: archive.clone(), source })?;
        let summary = write_archive(
            &state.atlas,
            state.tile_context(),
            max_zoom,
            std::io::BufWriter::new(file),
            |done, total| progress(Stage::Tiles, done, total),
        )
        .map_err(SiteError::Archive)?;
        let bytes = std::fs::metadata(&archive).map_err(|source| SiteError::Write { path: archive, source })?.len();
        Ok::<_, SiteError>((summary, bytes))
    })
    .await
    .map_err(|e| SiteError::Worker(e.to_string()))??;
    Ok(SiteSummary {
        files: written.files + 1,
        bytes: written.bytes + tiles.1,
        refused: answers.refused,
        tiles: tiles.0,
    })
}

/// index.html in static mode. A static host sends none of the server's headers, so the page's
/// Content-Security-Policy comes as a `<meta>`, without `frame-ancestors`, which browsers ignore
/// (and warn about) there.
fn static_page(html: &[u8]) -> Result<Vec<u8>, SiteError> {
    let html = std::str::from_utf8(html).map_err(|_| SiteError::Page)?;
    if !html.contains(SERVER_MODE) {
        return Err(SiteError::Page);
    }
    let policy: Vec<&str> =
        CONTENT_SECURITY_POLICY.split("; ").filter(|directive| !directive.starts_with("frame-ancestors")).collect();
    let meta =
        format!("{STATIC_MODE}\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">", policy.join("; "));
    Ok(html.replacen(SERVER_MODE, &meta, 1).into_bytes())
}

/// The API's TileJSON with its tiles in the archive, relative to the page, up to `max_zoom`.
async fn tilejson(router: &Router, max_zoom: u8) -> Result<Vec<u8>, SiteError> {
    let request = SiteRequest::get("/tiles/lsoa.json", &[]);
    let bytes = fetch(router, &request).await?.ok_or(SiteError::Api {
        uri: request.uri(),
        status: 404,
        detail: "no TileJSON".to_owned(),
    })?;
    let mut tilejson: Value = serde_json::from_slice(&bytes).map_err(|e| SiteError::Api {
        uri: request.uri(),
        status: 200,
        detail: format!("not JSON: {e}"),
    })?;
    tilejson["tiles"] = json!([format!("pmtiles://{ARCHIVE}/{{z}}/{{x}}/{{y}}")]);
    tilejson["maxzoom"] = json!(max_zoom);
    if let Some(layers) = tilejson["vector_layers"].as_array_mut() {
        for layer in layers {
            let deepest = layer["maxzoom"].as_u64().map_or(max_zoom, |z| z.min(u64::from(max_zoom)) as u8);
            layer["maxzoom"] = json!(deepest);
        }
    }
    Ok(tilejson.to_string().into_bytes())
}

/// Files written so far.
#[derive(Debug, Default)]
struct Written {
    files: usize,
    bytes: u64,
}

impl Written {
    /// Writes `bytes` to `file` under `out`, making its folders.
    fn add(&mut self, out: &Path, file: &str, bytes: &[u8]) -> Result<(), SiteError> {
        let path = out.join(file);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|source| SiteError::Write { path: folder.to_owned(), source })?;
        }
        std::fs::write(&path, bytes).map_err(|source| SiteError::Write { path, source })?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// What the answers came to.
#[derive(Debug, Default)]
struct Answers {
    written: Written,
    refused: usize,
    figures: Vec<String>,
}

/// Asks the API for every request, on as many workers as the machine has cores, writing each
/// answer to its file.
async fn answer_all(
    router: &Router,
    requests: Arc<Vec<SiteRequest>>,
    files: Arc<Vec<String>>,
    out: &Path,
    progress: Progress,
) -> Result<Answers, SiteError> {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
        let (router, requests, files, next, done, progress) =
            (router.clone(), requests.clone(), files.clone(), next.clone(), done.clone(), progress.clone());
        let out = out.to_owned();
        workers.spawn(async move {
            let mut answers = Answers::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(request), Some(file)) = (requests.get(i), files.get(i)) else { break };
                match fetch(&router, request).await? {
                    Some(bytes) => {
                        answers.written.add(&out, file, &bytes)?;
                        if request.figure {
                            answers.figures.push(file.clone());
                        }
                    }
                    None => answers.refused += 1,
                }
                progress(Stage::Answers, done.fetch_add(1, Ordering::Relaxed) + 1, requests.len());
            }
            Ok::<_, SiteError>(answers)
        });
    }
    let mut all = Answers::default();
    while let Some(joined) = workers.join_next().await {
        let answers = joined.map_err(|e| SiteError::Worker(e.to_string()))??;
        all.written.files += answers.written.files;
        all.written.bytes += answers.written.bytes;
        all.refused += answers.refused;
        all.figures.extend(answers.figures);
    }
    Ok(all)
}

/// The API's answer to a request: its body when it succeeds, `None` when it refuses the request
/// (4xx), an error when it fails.
async fn fetch(router: &Router, request: &SiteRequest) -> Result<Option<Bytes>, SiteError> {
    let uri = request.uri();
    let http = match &request.body {
        Some(body) => {
            Request::post(&uri).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()))
        }
        None => Request::get(&uri).body(Body::empty()),
    }
    .map_err(|e| SiteError::Api { uri: uri.clone(), status: 400, detail: e.to_string() })?;
    let Ok(response) = router.clone().oneshot(http).await;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| SiteError::Api {
        uri: uri.clone(),
        status: status.as_u16(),
        detail: e.to_string(),
    })?;
    if status.is_success() {
        return Ok(Some(body));
    }
    if status.is_client_error() {
        return Ok(None);
    }
    let detail = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|e| e["detail"].as_str().map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
    Err(SiteError::Api { uri, status: status.as_u16(), detail })
}
