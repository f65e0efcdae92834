//! Helpers shared by the black-box tests.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{self, Atlas};
use serde_json::Value;
use tower::ServiceExt;

/// The repository root (where `data/` and `boundaries/` are committed).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The compiled-in atlas, loaded once per test binary.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| atlas::load(&atlas::embedded_files()).expect("the committed data is valid"))
}

/// A copy of the committed data folder in a temporary directory, to break on purpose.
pub fn data_copy() -> tempfile::TempDir {
    folder_copy(&root())
}

/// A copy of a committed test fixture folder (under `tests/fixtures`), to break on purpose.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    folder_copy(&root().join("tests/fixtures").join(name))
}

fn folder_copy(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for sub in ["data", "boundaries"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// Rewrites a file of a data folder with `edit` applied to its text.
pub fn edit(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, edit(text)).unwrap();
}

/// A prepared folder under `tests/fixtures/`, loaded once: its atlas and its served state.
pub struct Fixture {
    /// The loaded atlas.
    pub atlas: Atlas,
    /// The server state over it (tile cache off).
    pub state: Arc<AppState>,
}

impl Fixture {
    /// Loads `tests/fixtures/{name}`, which must be valid.
    pub fn load(name: &str) -> Fixture {
        let files = atlas::DataFiles::read_dir(&root().join("tests/fixtures").join(name)).unwrap();
        let load = || atlas::load(&files).unwrap_or_else(|e| panic!("the fixture {name} is invalid: {e}"));
        Fixture { atlas: load(), state: Arc::new(AppState::new(load(), Disclosure::default(), 0)) }
    }

    /// A GET against the router over the fixture: status and body text.
    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let request = Request::get(uri).body(Body::empty()).unwrap();
        let response = router(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned())
    }

    /// A GET that must answer 200 with JSON.
    pub async fn get_json(&self, uri: &str) -> Value {
        let (status, body) = self.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// A POST of a JSON body that must answer 200 with JSON.
    pub async fn post_json(&self, uri: &str, body: Value) -> Value {
        let request =
            Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
        let response = router(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let text = String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned();
        assert_eq!(status, StatusCode::OK, "{uri}: {text}");
        serde_json::from_str(&text).unwrap()
    }
}

/// One request against the router over the compiled-in data: status and body bytes.
async fn send(request: Request<Body>) -> (StatusCode, Vec<u8>) {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        Arc::new(AppState::new(atlas::load(&atlas::embedded_files()).unwrap(), Disclosure::default(), 0))
    });
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// A GET against the router over the compiled-in data: status and JSON body.
pub async fn get(uri: &str) -> (StatusCode, Value) {
    let (status, bytes) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A GET with request headers: status and JSON body.
pub async fn get_with(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (status, bytes) = send(request.body(Body::empty()).unwrap()).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A GET whose body is text (HTML, CSV, SVG).
pub async fn get_text(uri: &str) -> (StatusCode, String) {
    let (status, bytes) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// A GET whose body is bytes (a tile, a PNG).
pub async fn get_bytes(uri: &str) -> (StatusCode, Vec<u8>) {
    send(Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A POST of a JSON body: status and JSON answer.
pub async fn post(uri: &str, body: Value) -> (StatusCode, Value) {
    let request =
        Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
    let (status, bytes) = send(request).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// The server binary running on a free loopback port; killed when dropped.
pub struct Server {
    /// The server process.
    pub child: std::process::Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `locality-atlas serve` with extra arguments and waits until it accepts connections.
pub fn start_server(extra: &[&str]) -> Server {
    use std::time::{Duration, Instant};
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Server { child, port }
}
