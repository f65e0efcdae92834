//! The static site (`export site`): its files are the API's answers byte for byte, its TileJSON
//! points at its own PMTiles archive, and served by a plain static file server (tower-http's
//! `ServeDir`, under a sub-path as on many hosts) the page draws the map from the archive and opens
//! a locality profile in headless Chromium, with HTTP range requests and without them.

use std::any::Any;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use anyhow::{Result, anyhow};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, page_paths, router};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::site::SiteRequest;
use pmtiles::{AsyncPmTilesReader, TileCoord};
use serde_json::{Value, json};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::browser::{LSOAS, check_pixels, check_pixels_against, hex, lsoa_value, setup_at};

/// The site exported once by the binary, for every test here.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
            .args(["export", "site", "--out"])
            .arg(dir.path())
            .output()
            .expect("the binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("wrote the static site"), "{stdout}");
        dir
    })
    .path()
}

/// The router over the compiled-in data: status and body of one request.
async fn api(request: Request<Body>) -> (StatusCode, Vec<u8>) {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    let state =
        STATE.get_or_init(|| Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0)));
    let response = router(state.clone()).oneshot(request).await.unwrap();
    (response.status(), response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(site().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[tokio::test]
async fn every_answer_is_the_apis_own_byte_for_byte() {
    let gets = [
        ("/api/indicators", vec![]),
        ("/api/localities", vec![]),
        ("/api/indicators/census21_disabled/values", vec![]),
        ("/api/indicators/census21_disabled/classes", vec![("scheme", "jenks"), ("k", "7")]),
        ("/api/indicators/iod25_imd_decile/classes", vec![("scheme", "decile"), ("k", "5")]),
        ("/api/indicators/covid19_deaths_2020_21/values", vec![]),
        ("/api/lsoa/E01009577", vec![]),
        ("/api/localities/canley-tile-hill/profile", vec![]),
        ("/api/localities/canley-tile-hill/attention", vec![]),
        ("/api/localities/E05001223/profile", vec![("level", "ward")]),
        ("/api/localities/district/profile", vec![("level", "city")]),
        ("/api/inequality/iod25_income_rate", vec![]),
    ];
    for (path, parameters) in gets {
        let request = SiteRequest::get(path, &parameters);
        let (status, body) = api(Request::get(request.uri()).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{}", request.uri());
        assert!(read(&request.file().unwrap()) == body, "{} differs from the API's answer", request.uri());
    }
    // The LSOA panel's comparisons: the profile of the LSOA alone, as POST /api/custom-area gives it.
    let (status, body) = api(Request::post("/api/custom-area")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"lsoas":["E01009577"]}"#))
        .unwrap())
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(read("api/custom-area/lsoas=E01009577.json") == body);
    // What the API refuses is not in the site: national deciles of a score.
    let (status, _) =
        api(Request::get("/api/indicators/iod25_imd_score/classes?scheme=decile&k=5").body(Body::empty()).unwrap())
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!site().join("api/indicators/iod25_imd_score/classes/k=5&scheme=decile.json").exists());
    // The page's files as served, but index.html, which is switched to static mode.
    for path in page_paths().filter(|path| *path != "/") {
        let (status, bytes) = api(Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(read(path.trim_start_matches('/')) == bytes, "{path}");
    }
    let index = String::from_utf8(read("index.html")).unwrap();
    assert!(index.contains(r#"<meta name="atlas-mode" content="static">"#));
    assert!(!index.contains(r#"content="server""#));
    assert!(index.contains("script-src 'self'") && !index.contains("frame-ancestors"), "the policy as a <meta>");
}

#[tokio::test]
async fn the_figures_listed_are_there_and_the_tilejson_points_at_the_archive() {
    let listing: Value = serde_json::from_slice(&read("site.json")).unwrap();
    let figures = listing["figures"].as_array().unwrap();
    // Each locality's board pack (22 figures) and the page's opening charts, as SVG and CSV.
    assert!(figures.len() > 100, "{} figures", figures.len());
    for figure in figures {
        let file = figure.as_str().unwrap();
        let bytes = read(file);
        match file.rsplit_once('.').unwrap().1 {
            "svg" => assert!(String::from_utf8_lossy(&bytes).contains("<svg"), "{file}"),
            "csv" => assert!(bytes.len() > 100, "{file}"),
            other => panic!("{file}: {other}"),
        }
    }
    assert!(figures.contains(&json!("charts/spine/locality=wood-end-henley-green.svg")));
    let report = String::from_utf8(read("api/localities/spon-end-st-michaels/report.html")).unwrap();
    assert!(report.contains("<svg") && report.contains("Open Government Licence"));

    let (_, served) = api(Request::get("/tiles/lsoa.json").body(Body::empty()).unwrap()).await;
    let mut served: Value = serde_json::from_slice(&served).unwrap();
    let written: Value = serde_json::from_slice(&read("tiles/lsoa.json")).unwrap();
    assert_eq!(written["tiles"], json!(["pmtiles://tiles/lsoa.pmtiles/{z}/{x}/{y}"]));
    let reader = AsyncPmTilesReader::new_with_path(site().join(listing["tiles"].as_str().unwrap())).await.unwrap();
    assert_eq!(written["maxzoom"], json!(reader.get_header().max_zoom));
    assert_eq!(reader.get_header().max_zoom, 16, "as deep as the server's tiles");
    // All else is the server's: layers, fields, bounds, attribution.
    served["tiles"] = written["tiles"].clone();
    assert_eq!(served, written);
    // A tile of the archive is the server's tile, with every indicator.
    let lsoa: Value = serde_json::from_slice(&read(&format!("api/lsoa/{}.json", LSOAS[0]))).unwrap();
    let [lon, lat] = [lsoa["interior_point"][0].as_f64().unwrap(), lsoa["interior_point"][1].as_f64().unwrap()];
    let n = 2f64.powi(14);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    let (status, tile) = api(Request::get(format!("/tiles/lsoa/14/{x}/{y}.mvt")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let archived = reader.get_tile_decompressed(TileCoord::new(14, x, y).unwrap()).await.unwrap().unwrap();
    assert!(archived.as_ref() == tile.as_slice(), "tile 14/{x}/{y}");
}

/// A plain static file server of the site under `/atlas/`, on a free loopback port, in a thread of
/// its own; without `ranges` it ignores Range headers and sends whole files, as
/// `python3 -m http.server` does.
fn static_host(ranges: bool) -> Result<(Box<dyn Any>, String)> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let files = ServeDir::new(site());
    let app = if ranges {
        Router::new().nest_service("/atlas", files)
    } else {
        let whole = tower::ServiceBuilder::new()
            .map_request(|mut request: Request<Body>| {
                request.headers_mut().remove(header::RANGE);
                request
            })
            .service(files);
        Router::new().nest_service("/atlas", whole)
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
    });
    Ok((Box::new(StaticHost { stop: Some(stop), thread: Some(thread) }), format!("http://127.0.0.1:{port}/atlas")))
}

/// Stops the static host when dropped.
struct StaticHost {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How the page read the archive: its requests and the bytes they brought.
fn archive_reads(cx: &crate::browser::Ctx) -> Result<(usize, u64)> {
    let reads = cx
        .js("const r = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/tiles/lsoa.pmtiles'));
         return [r.length, r.reduce((s, e) => s + e.encodedBodySize, 0)];")?;
    Ok((reads[0].as_u64().unwrap() as usize, reads[1].as_u64().unwrap()))
}

#[test]
fn on_a_static_host_the_map_draws_from_the_archive_and_a_locality_profile_opens() -> Result<()> {
    let archive = std::fs::metadata(site().join("tiles/lsoa.pmtiles"))?.len();
    let cx = setup_at(|| static_host(true), true)?;
    cx.open("")?;
    check_pixels(&cx, "iod25_imd_score")?;
    cx.choose("#indicator", "census21_age65plus")?;
    cx.wait_for("document.body.dataset.indicator === 'census21_age65plus'", 10)?;
    cx.wait_drawn()?;
    check_pixels(&cx, "census21_age65plus")?;
    // Whole tiles from the archive, never the server's `?fields=`; read in ranges, not whole.
    let tiles = cx.js("return atlas.map.getSource('atlas').tiles;")?;
    assert_eq!(tiles, json!(["pmtiles://tiles/lsoa.pmtiles/{z}/{x}/{y}"]));
    let (reads, bytes) = archive_reads(&cx)?;
    eprintln!("the map read {bytes} bytes of the {archive}-byte archive in {reads} range requests");
    assert!(reads > 1 && bytes < archive / 2, "{reads} reads of {bytes} bytes from an archive of {archive}");
    cx.screenshot("20-static-site")?;

    // A locality profile opens, with the same comparisons as the file it came from.
    let id = "wood-end-henley-green";
    cx.choose("#locality", id)?;
    cx.wait_for("document.querySelector('#pane-locality table.profile')", 15)?;
    let profile = cx.api(&format!("/api/localities/{id}/profile"))?;
    let rows = cx
        .js("return [...document.querySelectorAll('#pane-locality table.profile tr[data-indicator]')].map(tr =>
           [tr.dataset.indicator, tr.querySelector('td.reading').textContent]);")?;
    let indicators = profile["indicators"].as_array().unwrap();
    assert_eq!(rows.as_array().unwrap().len(), indicators.len());
    for (row, indicator) in rows.as_array().unwrap().iter().zip(indicators) {
        assert_eq!(row[0], indicator["id"]);
        assert_eq!(row[1], indicator["reading"]["text"]);
    }
    // Its charts are the precomputed figures: the board pack's, and all of them for the indicator
    // the page opens on; another indicator's are drawn on request, and the page says so.
    let settled = "[...document.querySelectorAll('#pane-locality figure.chart')].length >= 3 &&
        [...document.querySelectorAll('#pane-locality figure.chart')].every(f => f.querySelector('.na')
          || (f.querySelector('img')?.complete && f.querySelector('img').naturalWidth > 0))";
    let charts = "return Object.fromEntries([...document.querySelectorAll('#pane-locality figure.chart')]
        .map(f => [f.dataset.kind, f.querySelector('img') ? 'drawn' : f.querySelector('.na').textContent]));";
    cx.wait_for(settled, 15)?;
    let shown = cx.js(charts)?;
    assert_eq!(shown["spine"], "drawn", "{shown}");
    assert!(shown["gradient"].as_str().unwrap().contains("atlas server"), "{shown}");
    cx.choose("#indicator", "iod25_imd_score")?;
    cx.wait_drawn()?;
    cx.wait_for("document.querySelector('#pane-locality figure.chart[data-kind=gradient] img')", 15)?;
    cx.wait_for(settled, 15)?;
    let shown = cx.js(charts)?;
    for kind in ["spine", "gradient", "ranked"] {
        assert_eq!(shown[kind], "drawn", "{kind}: {shown}");
    }
    let report = cx.js(
        "const a = document.querySelector('#pane-locality p.report a');
         const r = await fetch(a.href); return [a.getAttribute('href'), r.status, (await r.text()).includes('<svg')];",
    )?;
    assert_eq!(report, json!([format!("api/localities/{id}/report.html"), 200, true]));
    cx.js("document.querySelector('#tab-locality').scrollIntoView(); return 1;")?;
    cx.screenshot("21-static-site-locality")?;

    // An LSOA opens with its comparisons; custom areas and other palettes say they need the server.
    let lsoa = cx.api(&format!("/api/lsoa/{}", LSOAS[1]))?;
    cx.js(&format!("atlas.map.jumpTo({{ center: {}, zoom: 14 }}); return 1;", lsoa["interior_point"]))?;
    cx.wait_drawn()?;
    cx.js("await new Promise(r => { atlas.map.once('idle', r); atlas.map.triggerRepaint(); }); return 1;")?;
    cx.click(cx.project(&lsoa["interior_point"])?, 1, false)?;
    cx.wait_for(&format!("document.querySelector('#lsoa-title')?.textContent.includes({:?})", LSOAS[1]), 10)?;
    cx.wait_for("document.querySelector('#pane-lsoa table.profile')", 10)?;
    let shown = cx.js("return Number(document.querySelector('#lsoa-current-value').dataset.value);")?;
    let want = lsoa_value(&lsoa, "iod25_imd_score").ok_or_else(|| anyhow!("no value"))?;
    assert!((shown.as_f64().unwrap() - want).abs() < 1e-9, "panel {shown}, file {want}");
    let server_only =
        cx.js("document.querySelector('#tab-custom').click();
         return [document.querySelector('#mode-select').disabled, document.querySelector('#mode-draw').disabled,
                 document.querySelector('#palette').disabled, document.querySelector('#custom-static').textContent];")?;
    assert_eq!(server_only.as_array().unwrap()[0..3], [json!(true), json!(true), json!(true)]);
    assert!(server_only[3].as_str().unwrap().contains("atlas server"), "{server_only}");
    cx.screenshot("22-static-site-custom")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn a_host_without_range_requests_sends_the_whole_archive_and_the_map_still_draws() -> Result<()> {
    let archive = std::fs::metadata(site().join("tiles/lsoa.pmtiles"))?.len();
    let cx = setup_at(|| static_host(false), true)?;
    cx.open("#indicator=iod25_income_rate")?;
    check_pixels(&cx, "iod25_income_rate")?;
    assert_eq!(archive_reads(&cx)?, (1, archive), "one read of the whole archive");
    // The cluster map comes from its precomputed answer; its figures are drawn on request.
    cx.js("document.querySelector('#show-lisa').click(); return 1;")?;
    cx.wait_for("document.body.dataset.mapMode === 'lisa'", 20)?;
    cx.wait_drawn()?;
    let answer = cx.api("/api/indicators/iod25_income_rate/clusters?method=lisa")?;
    let colour = |code: &str| {
        let lsoa = answer["lsoas"].as_array().unwrap().iter().find(|l| l["code"] == code);
        let class = lsoa.map_or(json!("left_out"), |l| l["class"].clone());
        let entry = answer["map_legend"].as_array().unwrap().iter().find(|e| e["class"] == class).unwrap();
        hex(entry["colour"].as_str().unwrap())
    };
    check_pixels_against(&cx, "iod25_income_rate", |code, _| colour(code))?;
    let export = cx.js("return document.querySelector('#map-export-body').textContent;")?;
    assert!(export.as_str().unwrap().contains("atlas server"), "{export}");
    cx.assert_no_errors();
    Ok(())
}
