//! The dashboard page in a real browser: the server starts on 127.0.0.1 and headless Chromium
//! (Debian's `chromium`, driven through the DevTools protocol) loads the page, reads the map's
//! pixels, clicks, and checks what it shows against the API.
//!
//! Chromium must be installed (`apt-get install -y chromium`; `.ci/run` does it). `CHROME` overrides
//! its path. Screenshots are written to `target/screens/` (or `$ATLAS_SCREENS`).
//!
//! The page's test hook (see web/app.js): `window.atlas = { map, ready, whenDrawn(), classes, readyAt }`,
//! `document.body.dataset.mapReady === "true"` once the current choropleth is drawn, and
//! `document.body.dataset.indicator` naming the indicator that is drawn.
//!
//! The harness serves other tests too: [`setup_at`] opens the page from any server, such as a
//! static host of the exported site (`static_site.rs`).

use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Input, Log, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{Value, json};

use super::common;

/// LSOAs used for pixel checks: one in each locality.
pub(crate) const LSOAS: [&str; 3] = ["E01009577", "E01009674", "E01009548"];

// One test at a time (software WebGL on a small machine, and timings); each has its own Chromium,
// closed when the test ends.
static LOCK: Mutex<()> = Mutex::new(());

pub(crate) struct Ctx {
    pub(crate) tab: Arc<Tab>,
    _browser: Browser,
    _server: Box<dyn Any>,
    _guard: MutexGuard<'static, ()>,
    base: String,
    /// The page is a static copy: the API's answers are files (see [`Ctx::api`]).
    site: bool,
    errors: Arc<Mutex<Vec<String>>>,
}

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the test build of the server on a free loopback port, with `extra` arguments, and waits
/// until it listens.
fn start_server(extra: &[&str]) -> Result<(Box<dyn Any>, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the server")?;
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) || server.try_wait()?.is_some() {
            let _ = server.kill();
            bail!("the server did not start on {base}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((Box::new(Server(server)), base))
}

fn setup() -> Result<Ctx> {
    setup_with(&[])
}

/// [`setup`] with the server started with `extra` arguments.
fn setup_with(extra: &[&str]) -> Result<Ctx> {
    setup_at(|| start_server(extra), false)
}

/// A browser on a server of one of the committed test folders (`tests/fixtures/{fixture}`).
fn setup_fixture(fixture: &str) -> Result<Ctx> {
    let folder = common::root().join("tests/fixtures").join(fixture);
    setup_with(&["--data-dir", folder.to_str().unwrap()])
}

/// Starts a server with `start` (which gives what stops it when dropped, and the page's URL
/// without its final `/`) and opens Chromium on it; `site` when it serves a static copy.
pub(crate) fn setup_at(start: impl FnOnce() -> Result<(Box<dyn Any>, String)>, site: bool) -> Result<Ctx> {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = PathBuf::from(std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if !path.exists() {
        bail!("no Chromium at {}: install it (apt-get install -y chromium) or set CHROME", path.display());
    }
    let (server, base) = start()?;
    let browser = {
        let opts = LaunchOptions {
            headless: true,
            sandbox: false,
            enable_gpu: false,
            window_size: Some((1280, 800)),
            path: Some(path),
            // Software WebGL (SwiftShader) for MapLibre with --disable-gpu.
            args: vec![OsStr::new("--enable-unsafe-swiftshader"), OsStr::new("--hide-scrollbars")],
            idle_browser_timeout: Duration::from_secs(300),
            ..LaunchOptions::default()
        };
        Browser::new(opts).context("launching Chromium")?
    };
    let tab = browser.new_tab()?;
    tab.set_default_timeout(Duration::from_secs(20));
    set_viewport(&tab, 1280, 800, false)?;
    let errors = Arc::new(Mutex::new(Vec::new()));
    tab.enable_log()?;
    tab.enable_runtime()?;
    let sink = errors.clone();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let msg = match event {
            Event::RuntimeExceptionThrown(e) => Some(
                format!("exception: {:?}", e.params.exception_details.text)
                    + &format!(
                        " {:?}",
                        e.params.exception_details.exception.as_ref().and_then(|x| x.description.clone())
                    ),
            ),
            Event::RuntimeConsoleAPICalled(e) => {
                use Runtime::ConsoleAPICalledEventTypeOption as T;
                matches!(e.params.Type, T::Error | T::Warning | T::Assert).then(|| {
                    let args: Vec<String> = e
                        .params
                        .args
                        .iter()
                        .map(|a| a.value.as_ref().map(|v| v.to_string()).or(a.description.clone()).unwrap_or_default())
                        .collect();
                    format!("console.{:?}: {}", e.params.Type, args.join(" "))
                })
            }
            Event::LogEntryAdded(e) => {
                let entry = &e.params.entry;
                let bad = matches!(entry.level, Log::LogEntryLevel::Error | Log::LogEntryLevel::Warning);
                // SwiftShader's own driver notes (not the page's): "GPU stall due to ReadPixels".
                let driver = entry.text.contains("GL Driver Message");
                (bad && !driver).then(|| {
                    format!(
                        "log {:?} {:?}: {} {}",
                        entry.level,
                        entry.source,
                        entry.text,
                        entry.url.clone().unwrap_or_default()
                    )
                })
            }
            _ => None,
        };
        if let Some(m) = msg {
            sink.lock().unwrap().push(m);
        }
    }))?;
    Ok(Ctx { tab, _browser: browser, _server: server, _guard: guard, base, site, errors })
}

/// Emulates a screen of this size in CSS pixels at a device pixel ratio of 1.
fn set_viewport(tab: &Tab, width: u32, height: u32, mobile: bool) -> Result<()> {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })?;
    Ok(())
}

impl Drop for Ctx {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

impl Ctx {
    /// Evaluates an async JS function body and returns its JSON result.
    pub(crate) fn js(&self, body: &str) -> Result<Value> {
        let expr = format!("(async () => JSON.stringify(await (async () => {{ {body} }})()))()");
        let r = self.tab.evaluate(&expr, true)?;
        if let Some(Value::String(s)) = r.value {
            return Ok(serde_json::from_str(&s)?);
        }
        if r.subtype == Some(Runtime::RemoteObjectSubtype::Error) || r.value.is_none() {
            // undefined → null; an exception shows as a description
            if let Some(d) = r.description {
                bail!("JS error: {d}");
            }
            return Ok(Value::Null);
        }
        Ok(r.value.unwrap())
    }

    /// The API's answer to `path`, from the page; a static copy's from the file that holds it.
    pub(crate) fn api(&self, path: &str) -> Result<Value> {
        let url = if self.site { site_file(path) } else { path.to_owned() };
        self.js(&format!(
            "const r = await fetch({url:?}); if (!r.ok) throw new Error('HTTP ' + r.status); return r.json();"
        ))
    }

    pub(crate) fn open(&self, hash: &str) -> Result<f64> {
        let url = format!("{}/{}", self.base, hash);
        // A full load each time (a hash-only change would be a same-document navigation).
        self.tab.navigate_to("about:blank")?.wait_until_navigated()?;
        self.tab.navigate_to(&url)?.wait_until_navigated()?;
        self.wait_drawn()?;
        let ready = self.js("return await atlas.ready;")?;
        ready.as_f64().ok_or_else(|| anyhow!("atlas.ready gave {ready}"))
    }

    /// Waits until the map shows the current choropleth (the page's test hook).
    pub(crate) fn wait_drawn(&self) -> Result<()> {
        self.wait_for("window.atlas && document.body.dataset.mapReady === 'true'", 20)?;
        self.js("await atlas.whenDrawn(); return true;")?;
        Ok(())
    }

    pub(crate) fn wait_for(&self, cond: &str, secs: u64) -> Result<()> {
        let t = Instant::now();
        loop {
            if self.js(&format!("return !!({cond});")).unwrap_or(Value::Bool(false)) == Value::Bool(true) {
                return Ok(());
            }
            if t.elapsed() > Duration::from_secs(secs) {
                let errors = self.errors.lock().unwrap().join("\n");
                let msg = self.js("return document.querySelector('#message')?.textContent;").unwrap_or_default();
                bail!("timed out waiting for {cond}\npage message: {msg}\nconsole: {errors}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Screen position (CSS px, page coordinates) of a lon/lat via map.project.
    pub(crate) fn project(&self, lonlat: &Value) -> Result<(f64, f64)> {
        let v = self.js(&format!(
            "const p = atlas.map.project({lonlat}); const r = atlas.map.getCanvas().getBoundingClientRect();
             return [p.x + r.left, p.y + r.top, p.x, p.y];"
        ))?;
        Ok((v[0].as_f64().unwrap(), v[1].as_f64().unwrap()))
    }

    /// RGB of the map canvas at a lon/lat (needs preserveDrawingBuffer).
    pub(crate) fn pixel(&self, lonlat: &Value) -> Result<[i64; 3]> {
        let v = self.js(&format!(
            "const c = atlas.map.getCanvas(); const p = atlas.map.project({lonlat});
             const s = c.width / c.clientWidth;
             const o = document.createElement('canvas'); o.width = c.width; o.height = c.height;
             const g = o.getContext('2d'); g.drawImage(c, 0, 0);
             const d = g.getImageData(Math.round(p.x * s), Math.round(p.y * s), 1, 1).data;
             return [d[0], d[1], d[2]];"
        ))?;
        Ok([v[0].as_i64().unwrap(), v[1].as_i64().unwrap(), v[2].as_i64().unwrap()])
    }

    pub(crate) fn screenshot(&self, name: &str) -> Result<()> {
        let dir = std::env::var("ATLAS_SCREENS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screens"));
        std::fs::create_dir_all(&dir)?;
        let png = self.tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)?;
        std::fs::write(dir.join(format!("{name}.png")), png)?;
        Ok(())
    }

    fn mouse(
        &self,
        kind: Input::DispatchMouseEventTypeOption,
        (x, y): (f64, f64),
        clicks: u32,
        shift: bool,
    ) -> Result<()> {
        let pressed = !matches!(kind, Input::DispatchMouseEventTypeOption::MouseMoved);
        self.tab.call_method(Input::DispatchMouseEvent {
            Type: kind,
            x,
            y,
            modifiers: shift.then_some(8),
            timestamp: None,
            button: pressed.then_some(Input::MouseButton::Left),
            buttons: None,
            click_count: pressed.then_some(clicks),
            force: None,
            tangential_pressure: None,
            tilt_x: None,
            tilt_y: None,
            twist: None,
            delta_x: None,
            delta_y: None,
            pointer_Type: None,
        })?;
        Ok(())
    }

    pub(crate) fn click(&self, at: (f64, f64), clicks: u32, shift: bool) -> Result<()> {
        use Input::DispatchMouseEventTypeOption as M;
        self.mouse(M::MouseMoved, at, 0, false)?;
        for n in 1..=clicks {
            self.mouse(M::MousePressed, at, n, shift)?;
            self.mouse(M::MouseReleased, at, n, shift)?;
        }
        Ok(())
    }

    pub(crate) fn assert_no_errors(&self) {
        let errors = self.errors.lock().unwrap();
        assert!(errors.is_empty(), "console errors or warnings:\n{}", errors.join("\n"));
    }

    /// Sets a <select> as a user would and fires `change`.
    pub(crate) fn choose(&self, select: &str, value: &str) -> Result<()> {
        self.js(&format!(
            "const s = document.querySelector({select:?}); s.value = {value:?};
             if (s.value !== {value:?}) throw new Error('no option ' + {value:?});
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        ))?;
        Ok(())
    }
}

/// The static site's file (relative to the page) that holds the answer to an API path.
fn site_file(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let parameters: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    locality_atlas::site::SiteRequest::get(path, &parameters).file().expect("a plain file name")
}

fn close(a: [i64; 3], b: [i64; 3], tol: i64) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() <= tol)
}

pub(crate) fn hex(c: &str) -> [i64; 3] {
    let c = c.trim_start_matches('#');
    let p = |i| i64::from_str_radix(&c[i..i + 2], 16).unwrap();
    [p(0), p(2), p(4)]
}

/// The class colour the API assigns to a value: class j holds lower < value <= upper (the first includes min).
fn class_colour(classes: &Value, value: Option<f64>) -> [i64; 3] {
    let Some(v) = value else { return hex(classes["no_data"]["colour"].as_str().unwrap()) };
    let list = classes["classes"].as_array().unwrap();
    for c in list {
        if v <= c["upper"].as_f64().unwrap() {
            return hex(c["colour"].as_str().unwrap());
        }
    }
    hex(list.last().unwrap()["colour"].as_str().unwrap())
}

pub(crate) fn lsoa_value(lsoa: &Value, indicator: &str) -> Option<f64> {
    lsoa["indicators"].as_array().unwrap().iter().find(|i| i["id"] == indicator).and_then(|i| i["value"].as_f64())
}

/// Every test LSOA's pixel has its class colour for the indicator drawn now.
pub(crate) fn check_pixels(cx: &Ctx, indicator: &str) -> Result<Vec<[i64; 3]>> {
    let classes = cx.js("return atlas.classes;")?;
    assert_eq!(classes["indicator"], indicator);
    check_pixels_against(cx, indicator, |_, lsoa| class_colour(&classes, lsoa_value(lsoa, indicator)))
}

/// Every test LSOA's pixel has the colour `want` gives it (from its code and its `/api/lsoa` answer).
pub(crate) fn check_pixels_against(
    cx: &Ctx,
    indicator: &str,
    want: impl Fn(&str, &Value) -> [i64; 3],
) -> Result<Vec<[i64; 3]>> {
    let mut seen = Vec::new();
    for code in LSOAS {
        let lsoa = cx.api(&format!("/api/lsoa/{code}"))?;
        let point = &lsoa["interior_point"];
        // Zoom in on the LSOA so its outline and the locality casing are well away from the point.
        cx.js(&format!(
            "atlas.map.jumpTo({{ center: {point}, zoom: 14 }});
            await new Promise(r => {{ atlas.map.once('idle', r); atlas.map.triggerRepaint(); }}); return 1;"
        ))?;
        let want = want(code, &lsoa);
        let (x, y) = cx.project(point)?;
        let inside = cx.js(&format!(
            "const r = atlas.map.getCanvas().getBoundingClientRect();
            return {x} > r.left && {x} < r.right && {y} > r.top && {y} < r.bottom;"
        ))?;
        assert_eq!(inside, json!(true), "{code} is outside the map view");
        let got = cx.pixel(point)?;
        assert!(close(got, want, 4), "{code} {indicator}: pixel {got:?}, class colour {want:?}");
        seen.push(got);
    }
    Ok(seen)
}

#[test]
fn page_loads_without_console_errors_within_its_weight() -> Result<()> {
    let cx = setup()?;
    let ready = cx.open("")?;
    std::thread::sleep(Duration::from_millis(800));
    cx.screenshot("01-initial")?;
    // Own files only: the document and same-origin .js/.css outside /vendor/.
    let weight = cx.js(
        "const own = performance.getEntriesByType('resource').filter(e => new URL(e.name).origin === location.origin
           && /\\.(js|css)$/.test(new URL(e.name).pathname) && !new URL(e.name).pathname.startsWith('/vendor/'));
         const nav = performance.getEntriesByType('navigation')[0];
         return { total: nav.encodedBodySize + own.reduce((s, e) => s + e.encodedBodySize, 0),
                  files: own.map(e => [new URL(e.name).pathname, e.encodedBodySize]) };",
    )?;
    let total = weight["total"].as_f64().unwrap();
    // Again with the HTTP cache warm (a returning user), three times; the best load is reported.
    let mut warm = f64::INFINITY;
    for _ in 0..3 {
        warm = warm.min(cx.open("")?);
    }
    let timing = cx.js("const n = performance.getEntriesByType('navigation')[0];
        return { ...atlas.timing, responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd };")?;
    eprintln!(
        "navigation → map drawn: cold {ready:.0} ms {timing}, warm {warm:.0} ms; own page weight {total} bytes {}",
        weight["files"]
    );
    assert!(total < 100_000.0, "page weight {total} bytes");
    // Timings are reported, not asserted: speed belongs to the benchmarks, and this machine is shared.
    assert!(ready.is_finite() && warm.is_finite(), "the map was never drawn");
    assert_eq!(cx.js("return document.body.dataset.indicator;")?, "iod25_imd_score");
    // The indicator picker is grouped by the strategy's themes, in the server's order.
    let catalogue = cx.api("/api/indicators")?;
    let themes: Vec<&str> =
        catalogue["themes"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    let groups = cx.js("return [...document.querySelectorAll('#indicator optgroup')].map(g => g.label);")?;
    let groups: Vec<&str> = groups.as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    let expected: Vec<&str> = themes.iter().copied().filter(|t| groups.contains(t)).collect();
    assert_eq!(groups, expected, "groups are themes in the themes' order");
    assert!(groups.len() >= 8, "{groups:?}");
    // Footer attribution and map attribution.
    let attrib = cx.js("return [document.querySelector('footer').textContent, document.querySelector('.maplibregl-ctrl-attrib').textContent];")?;
    for t in attrib.as_array().unwrap() {
        assert!(t.as_str().unwrap().contains("Open Government Licence v3.0"), "attribution missing: {t}");
    }
    // The legend says which class England's benchmark falls in.
    let classes = cx.api("/api/indicators/iod25_imd_score/classes")?;
    let england = 21.835623;
    let class = classes["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lower"].as_f64().unwrap() < england && england <= c["upper"].as_f64().unwrap());
    let expected = format!("England: 21.8, in the class {}.", class.unwrap()["label"].as_str().unwrap());
    assert_eq!(cx.js("return document.querySelector('#legend-england').textContent;")?, json!(expected));
    // The indicator's benchmarks, then MHCLG's own figures, which are not compared.
    let about = cx.js("return document.querySelector('#indicator-about').textContent;")?;
    assert!(
        about.as_str().unwrap().contains(
            "Benchmarks: Coventry 27.5, England 21.8. Published by MHCLG, not compared: Coventry 27.5, England 21.8."
        ),
        "{about}"
    );
    // Coventry's practices are drawn, and their sources credited.
    let practices = cx.js(
        "return [document.querySelector('#practices-none'), document.querySelector('#practices-open').offsetParent !== null,
                 document.querySelector('#practice-attribution').offsetParent !== null];",
    )?;
    assert_eq!(practices, json!([null, true, true]));
    // Coventry's localities are candidate definitions, and the footer says so.
    let note = cx.js("return document.querySelector('#locality-note').textContent;")?;
    assert_eq!(note, "Locality LSOA lists are candidate definitions, not official council boundaries.");
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn choropleth_pixels_follow_classes_and_indicator() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=iod25_imd_score")?; // whole city in view
    let before = check_pixels(&cx, "iod25_imd_score")?;
    cx.choose("#indicator", "census21_age65plus")?;
    cx.wait_for("document.body.dataset.indicator === 'census21_age65plus'", 10)?;
    cx.wait_drawn()?;
    let after = check_pixels(&cx, "census21_age65plus")?;
    assert_ne!(before, after, "changing the indicator did not change the map");
    // The page asks only for the indicator it draws.
    let tiles = cx.js("return atlas.map.getSource('atlas').tiles;")?;
    assert!(tiles[0].as_str().unwrap().ends_with("?fields=census21_age65plus"), "{tiles}");
    // Another method and palette.
    cx.choose("#scheme", "jenks")?;
    cx.wait_drawn()?;
    cx.choose("#palette", "Viridis")?;
    cx.wait_for("atlas.classes.palette === 'Viridis'", 10)?;
    cx.wait_drawn()?;
    check_pixels(&cx, "census21_age65plus")?;
    let legend = cx.js("return document.querySelectorAll('#legend-body ul.legend li').length;")?;
    assert_eq!(legend, json!(6), "5 classes and the no-data class");
    cx.screenshot("02-age65-jenks-viridis")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn an_msoa_indicator_is_drawn_on_msoas_with_their_class_colours() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=covid19_deaths_2020_21")?;
    cx.wait_for("document.body.dataset.indicator === 'covid19_deaths_2020_21'", 10)?;
    cx.wait_drawn()?;
    let shown = cx.js("return atlas.map.getLayoutProperty('msoa-fill', 'visibility');")?;
    assert_eq!(shown, json!("visible"));
    // Each test LSOA shows its MSOA's class colour (the LSOA answer gives its MSOA's figure).
    check_pixels(&cx, "covid19_deaths_2020_21")?;
    let legend = cx.js("return document.querySelector('#legend-body').textContent;")?;
    assert!(legend.as_str().unwrap().contains("MSOA values"), "{legend}");
    assert!(!legend.as_str().unwrap().contains("LSOAs"), "counts are of MSOAs: {legend}");
    cx.screenshot("13-msoa-covid")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn cluster_mode_colours_each_lsoa_by_its_published_class_and_says_how_significance_was_judged() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=iod25_income_rate")?;
    cx.wait_for("document.body.dataset.indicator === 'iod25_income_rate'", 10)?;
    cx.js("document.querySelector('#show-lisa').click(); return 1;")?;
    cx.wait_for("document.body.dataset.mapMode === 'lisa'", 20)?;
    cx.wait_drawn()?;
    let answer = cx.api("/api/indicators/iod25_income_rate/clusters?method=lisa")?;
    let class_of = |answer: &Value, code: &str| {
        let lsoa = answer["lsoas"].as_array().unwrap().iter().find(|l| l["code"] == code).cloned();
        lsoa.map_or_else(|| "left_out".to_owned(), |l| l["class"].as_str().unwrap().to_owned())
    };
    let colour_of = |answer: &Value, class: &str| {
        let entry = answer["map_legend"].as_array().unwrap().iter().find(|e| e["class"] == class).cloned();
        hex(entry.expect("a legend entry for every class")["colour"].as_str().unwrap())
    };
    // Wood End's Coventry 007A is in a cluster of worse values (high-high) by the API.
    let wood_end = answer["lsoas"].as_array().unwrap().iter().find(|l| l["code"] == LSOAS[0]).unwrap();
    assert_eq!(wood_end["class"], "worse_cluster");
    assert_eq!(wood_end["quadrant"], "high_high");
    assert_eq!(colour_of(&answer, "worse_cluster"), hex("#ca0020"));
    let seen = check_pixels_against(&cx, "iod25_income_rate", |code, _| colour_of(&answer, &class_of(&answer, code)))?;
    assert!(close(seen[0], hex("#ca0020"), 4), "the high-high LSOA is drawn in the worse-cluster red: {:?}", seen[0]);
    let legend = cx.js("return document.querySelector('#legend-body').textContent;")?;
    let legend = legend.as_str().unwrap();
    for words in [
        "Cluster of worse values",
        "Worse than its neighbours",
        "Not significant",
        "false discovery rate",
        "α = 0.05",
        "999 conditional permutations",
        "12345",
        "queen contiguity",
    ] {
        assert!(legend.contains(words), "the legend lacks {words:?}: {legend}");
    }
    let worse = answer["map_legend"][0]["count"].as_u64().unwrap();
    assert!(legend.contains(&format!("{worse} LSOAs")), "{legend}");
    assert_eq!(cx.js("return document.querySelector('#classing').disabled;")?, json!(true));
    let export = cx.js("return document.querySelector('#map-export-body a').getAttribute('href');")?;
    assert_eq!(export, json!("/charts/clusters.svg?indicator=iod25_income_rate&method=lisa"));
    cx.js("atlas.map.jumpTo({ center: [-1.515, 52.41], zoom: 11.3 });
        await new Promise(r => { atlas.map.once('idle', r); atlas.map.triggerRepaint(); }); return 1;")?;
    cx.screenshot("14-clusters-lisa")?;

    // Gi* from the keyboard: the next radio of the group.
    cx.js("document.querySelector('#show-lisa').focus(); return 1;")?;
    cx.tab.press_key("ArrowDown")?;
    cx.wait_for("document.body.dataset.mapMode === 'gi'", 20)?;
    cx.wait_drawn()?;
    let gi = cx.api("/api/indicators/iod25_income_rate/clusters?method=gi")?;
    check_pixels_against(&cx, "iod25_income_rate", |code, _| colour_of(&gi, &class_of(&gi, code)))?;
    let legend = cx.js("return document.querySelector('#legend-body').textContent;")?;
    assert!(legend.as_str().unwrap().contains("Hot spot of worse values"), "{legend}");

    // An indicator published for MSOAs has no cluster map, and the page says why.
    cx.choose("#indicator", "covid19_deaths_2020_21")?;
    cx.wait_for("document.body.dataset.indicator === 'covid19_deaths_2020_21'", 10)?;
    cx.wait_drawn()?;
    assert_eq!(cx.js("return document.body.dataset.mapMode;")?, json!("values"));
    assert_eq!(cx.js("return document.querySelector('#show-gi').disabled;")?, json!(true));
    let why = cx.js("return document.querySelector('#map-show-why').textContent;")?;
    assert!(why.as_str().unwrap().contains("published for MSOAs"), "{why}");
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn clicking_an_lsoa_opens_its_figures() -> Result<()> {
    let cx = setup()?;
    let code = LSOAS[0];
    cx.open("")?;
    let lsoa = cx.api(&format!("/api/lsoa/{code}"))?;
    let p = &lsoa["interior_point"];
    cx.open(&format!("#indicator=iod25_income_rate&map=13.00/{}/{}", p[1], p[0]))?;
    let at = cx.project(&lsoa["interior_point"])?;
    cx.click(at, 1, false)?;
    cx.wait_for(&format!("document.querySelector('#lsoa-title')?.textContent.includes({code:?})"), 10)?;
    cx.wait_for("document.querySelector('#pane-lsoa table.profile')", 10)?;
    let shown = cx.js("return Number(document.querySelector('#lsoa-current-value').dataset.value);")?;
    let want = lsoa_value(&lsoa, "iod25_income_rate").unwrap();
    assert!((shown.as_f64().unwrap() - want).abs() < 1e-9, "panel {shown}, API {want}");
    let text = cx.js("return document.querySelector('#lsoa-current-value').textContent;")?;
    assert!(text.as_str().unwrap().contains(&format!("{want:.1}")), "panel text {text}");
    let imd = cx.js("return document.querySelector('#lsoa-imd').textContent;")?;
    let decile = lsoa_value(&lsoa, "iod25_imd_decile").unwrap();
    assert!(imd.as_str().unwrap().contains(&format!(": {decile:.0}")), "IMD decile line {imd}");
    assert_eq!(
        cx.js("return location.hash.includes('lsoa=' + '{code}'.slice(0));".replace("{code}", code).as_str())?,
        json!(true)
    );
    cx.screenshot("03-lsoa-panel")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn locality_profile_shows_the_api_comparisons() -> Result<()> {
    let cx = setup()?;
    cx.open("")?;
    let id = "wood-end-henley-green";
    cx.choose("#locality", id)?;
    cx.wait_for("document.querySelector('#pane-locality table.profile')", 15)?;
    let profile = cx.api(&format!("/api/localities/{id}/profile"))?;
    let shown = cx.js(
        "return [...document.querySelectorAll('#pane-locality table.profile tr[data-indicator]')].map(tr => {
           const cells = tr.querySelectorAll('td[data-comparison]');
           return { id: tr.dataset.indicator, cov: cells[0]?.dataset.comparison, eng: cells[1]?.dataset.comparison,
                    covText: cells[0]?.querySelector('.comp').textContent, engText: cells[1]?.querySelector('.comp').textContent,
                    reading: tr.querySelector('td.reading')?.textContent };
         });",
    )?;
    let inds = profile["indicators"].as_array().unwrap();
    let rows = shown.as_array().unwrap();
    assert_eq!(rows.len(), inds.len());
    let mut judged = 0;
    for ind in inds {
        let row = rows.iter().find(|r| r["id"] == ind["id"]).ok_or_else(|| anyhow!("no row for {}", ind["id"]))?;
        // Every row ends in a reading a board can use, the server's own words.
        assert_eq!(row["reading"], ind["reading"]["text"], "{} reading", ind["id"]);
        assert!(!ind["reading"]["text"].as_str().unwrap_or("").trim().is_empty(), "{} has no reading", ind["id"]);
        for (key, text, api) in [("cov", "covText", &ind["district"]), ("eng", "engText", &ind["england"])] {
            let c = api["comparison"].as_str().unwrap_or("not_compared");
            assert_eq!(row[key], c, "{} {key}", ind["id"]);
            assert_eq!(row[text], api["label"], "{} {key} label", ind["id"]);
            judged += usize::from(c != "not_compared");
        }
    }
    assert!(judged > 0);
    // The similar districts: a column with the server's words for each row, and the districts named.
    let similar = cx.js(
        "return Object.fromEntries([...document.querySelectorAll('#pane-locality table.profile tr[data-indicator]')]
           .map(tr => [tr.dataset.indicator, tr.querySelector('td.similar .label')?.textContent ?? null]));",
    )?;
    let mut placed = 0;
    for ind in inds {
        let label = &ind["neighbours"]["label"];
        let expected = if label.is_null() { json!(null) } else { label.clone() };
        assert_eq!(similar[ind["id"].as_str().unwrap()], expected, "{} among similar districts", ind["id"]);
        placed += usize::from(!label.is_null());
    }
    assert!(placed > 20, "{placed} rows set beside the similar districts");
    let named = cx.js("return document.querySelector('#similar-districts')?.textContent;")?;
    assert!(named.as_str().unwrap_or("").contains("Coventry's 15 statistical neighbours"), "{named}");
    assert!(named.as_str().unwrap_or("").contains("Newcastle upon Tyne, Derby, Croydon"), "{named}");
    assert_eq!(cx.js("return document.querySelector('#similar-caution') === null;")?, json!(true));
    // Nothing absent is written as the word "null".
    let stray = cx
        .js("const w = document.createTreeWalker(document.querySelector('#pane-locality'), NodeFilter.SHOW_TEXT);
         let n = 0; while (w.nextNode()) n += w.currentNode.textContent.trim() === 'null'; return n;")?;
    assert_eq!(stray, json!(0), "the locality pane shows \"null\"");
    // Hidden pockets: one line per indicator considered, in the server's words and numbers.
    let pockets = cx.js("return [...document.querySelectorAll('#hidden-pockets li')].map(li => li.textContent);")?;
    let pockets = pockets.as_array().unwrap();
    let considered = profile["hidden_pockets"]["indicators"].as_array().unwrap();
    assert_eq!(pockets.len(), considered.len());
    let income = pockets[0].as_str().unwrap();
    assert!(income.starts_with("Income deprivation: no LSOA worse than its neighbours"), "{income}");
    assert!(
        income.contains(&format!("{} of 6 LSOAs in a cluster of worse values", considered[0]["in_worse_clusters"]))
    );
    // The report link is there, and opening the locality did not make the server draw the report.
    let report_requests =
        cx.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/report.html')).length;")?;
    assert_eq!(report_requests, json!(0), "no probe of the report");
    let link = cx.js("return document.querySelector('p.report a')?.getAttribute('href');")?;
    assert_eq!(link, json!(format!("/api/localities/{id}/report.html")));
    // The map zoomed to the locality, and the hash records it.
    let zoom = cx.js("await new Promise(r => setTimeout(r, 900)); return atlas.map.getZoom();")?;
    assert!(zoom.as_f64().unwrap() > 12.0, "zoom {zoom}");
    assert_eq!(cx.js(&format!("return location.hash.includes('locality={id}');"))?, json!(true));
    cx.js("document.querySelector('#tab-locality').scrollIntoView(); return 1;")?;
    cx.screenshot("04-locality")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn url_hash_restores_the_view() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=census21_disabled&scheme=jenks&k=7&palette=Blues&locality=canley-tile-hill&map=13.25/52.39800/-1.57000")?;
    assert_eq!(cx.js("return document.body.dataset.indicator;")?, "census21_disabled");
    let v = cx.js(
        "const c = atlas.map.getCenter();
         return { ind: document.querySelector('#indicator').value, scheme: document.querySelector('#scheme').value,
                  k: document.querySelector('#k').value, palette: atlas.classes.palette, classes: atlas.classes.classes.length,
                  locality: document.querySelector('#locality').value, zoom: atlas.map.getZoom(), lat: c.lat, lon: c.lng };",
    )?;
    assert_eq!(v["ind"], "census21_disabled");
    assert_eq!(v["scheme"], "jenks");
    assert_eq!(v["k"], "7");
    assert_eq!(v["palette"], "Blues");
    assert_eq!(v["classes"], 7);
    assert_eq!(v["locality"], "canley-tile-hill");
    assert!((v["zoom"].as_f64().unwrap() - 13.25).abs() < 0.01, "zoom {}", v["zoom"]);
    assert!((v["lat"].as_f64().unwrap() - 52.398).abs() < 1e-4 && (v["lon"].as_f64().unwrap() + 1.57).abs() < 1e-4);
    cx.wait_for("document.querySelector('#locality-title')?.textContent.includes('Canley')", 10)?;
    // A Canley LSOA in view has its class colour.
    let lsoa = cx.api(&format!("/api/lsoa/{}", LSOAS[1]))?;
    let want = class_colour(&cx.js("return atlas.classes;")?, lsoa_value(&lsoa, "census21_disabled"));
    let got = cx.pixel(&lsoa["interior_point"])?;
    assert!(close(got, want, 4), "restored view: pixel {got:?}, class colour {want:?}");
    cx.screenshot("05-restored")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn custom_area_by_selection_and_polygon() -> Result<()> {
    let cx = setup()?;
    cx.open("#map=13.00/52.43500/-1.46500")?;
    cx.js("document.querySelector('#tab-custom').click(); document.querySelector('#mode-select').click(); return 1;")?;
    for code in &LSOAS[..1] {
        let lsoa = cx.api(&format!("/api/lsoa/{code}"))?;
        cx.click(cx.project(&lsoa["interior_point"])?, 1, false)?;
    }
    // Shift-click a second LSOA (E01009579, next door).
    let second = cx.api("/api/lsoa/E01009579")?;
    cx.click(cx.project(&second["interior_point"])?, 1, true)?;
    if let Err(e) = cx.wait_for("document.querySelectorAll('#custom-list button.remove').length === 2", 5) {
        eprintln!("custom list: {}", cx.js("return [document.querySelector('#custom-list').textContent, document.querySelector('#map-mode').textContent, atlas.map.getZoom(), atlas.map.getCenter()];")?);
        cx.screenshot("dbg-custom")?;
        return Err(e);
    }
    cx.js("document.querySelector('#custom-run').click(); return 1;")?;
    cx.wait_for("document.querySelector('#custom-out table.profile')", 10)?;
    let title = cx.js("return document.querySelector('#custom-title').textContent;")?;
    assert!(title.as_str().unwrap().contains("2 LSOAs"), "{title}");
    cx.screenshot("06-custom-selection")?;

    // Polygon: three clicks then a double-click.
    cx.js("document.querySelector('#mode-draw').click(); return 1;")?;
    let c = cx.js(
        "const r = atlas.map.getCanvas().getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];",
    )?;
    let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
    for (dx, dy) in [(-80.0, -60.0), (90.0, -50.0), (70.0, 80.0)] {
        cx.click((x + dx, y + dy), 1, false)?;
        std::thread::sleep(Duration::from_millis(350));
    }
    cx.click((x - 70.0, y + 70.0), 2, false)?;
    cx.wait_for("document.querySelector('#custom-title')?.textContent.includes('LSOAs') && document.querySelector('#custom-list').textContent.includes('polygon')", 10)?;
    cx.wait_for("document.querySelector('#custom-out table.profile')", 10)?;
    let corners = cx.js("return document.querySelector('#custom-list').textContent;")?;
    assert!(corners.as_str().unwrap().contains("4 corners"), "{corners}");
    cx.screenshot("07-custom-polygon")?;
    cx.assert_no_errors();
    Ok(())
}

/// Waits for the map's camera to come to rest and its tiles to be drawn.
const SETTLED: &str = "await new Promise(r => setTimeout(r, 800));
    await new Promise(r => { atlas.map.once('idle', r); atlas.map.triggerRepaint(); }); return 1;";

/// True when the element is drawn and its box lies within the viewport.
fn on_screen(selector: &str) -> String {
    format!(
        "(() => {{ const e = document.querySelector({selector:?}); if (!e || !e.checkVisibility()) return false;
           const r = e.getBoundingClientRect();
           return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }})()"
    )
}

#[test]
fn on_a_phone_the_map_comes_first_and_drawers_open_the_legend_and_the_locality() -> Result<()> {
    let cx = setup()?;
    set_viewport(&cx.tab, 390, 844, true)?;
    cx.open("")?;
    // The map fills the screen without scrolling.
    let map = cx.js("const r = document.querySelector('#map').getBoundingClientRect();
         return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height,
                  scrolled: scrollY, width_px: innerWidth, height_px: innerHeight };")?;
    let at = |k: &str| map[k].as_f64().unwrap();
    assert_eq!((at("width_px"), at("height_px")), (390.0, 844.0));
    assert!(at("top") >= 0.0 && at("left") >= 0.0 && at("bottom") <= 844.0 && at("right") <= 390.0, "{map}");
    assert!(at("width") >= 380.0 && at("height") >= 600.0, "the map is {map}");
    assert_eq!(at("scrolled"), 0.0);
    // ... and is drawn: most of a grid of its pixels has one of the legend's colours.
    let drawn = cx.js(
        "const c = atlas.map.getCanvas(); const o = document.createElement('canvas'); o.width = c.width; o.height = c.height;
         const g = o.getContext('2d', { willReadFrequently: true }); g.drawImage(c, 0, 0);
         const colours = [...atlas.classes.classes.map(k => k.colour), atlas.classes.no_data.colour]
           .map(h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)));
         let hit = 0, n = 0;
         for (let y = 0.3; y < 0.7; y += 0.02) for (let x = 0.2; x < 0.8; x += 0.03) {
           n++; const d = g.getImageData(Math.round(x * c.width), Math.round(y * c.height), 1, 1).data;
           if (colours.some(k => k.every((v, i) => Math.abs(v - d[i]) <= 4))) hit++;
         }
         return hit / n;",
    )?;
    assert!(drawn.as_f64().unwrap() > 0.5, "share of the map's middle in class colours: {drawn}");
    assert_eq!(cx.js(&format!("return {};", on_screen("#legend")))?, json!(false), "the legend waits in its drawer");
    assert_eq!(cx.js(&format!("return {};", on_screen("#drawer-controls")))?, json!(true));
    cx.screenshot("14-phone-map")?;

    // The legend, by keyboard.
    cx.js("document.querySelector('#drawer-controls').focus(); return 1;")?;
    cx.tab.press_key("Enter")?;
    cx.wait_for(&on_screen("#legend"), 5)?;
    assert_eq!(cx.js("return document.querySelectorAll('#legend-body ul.legend li').length;")?, json!(6));
    assert_eq!(cx.js("return document.querySelector('#drawer-controls').getAttribute('aria-expanded');")?, "true");
    cx.screenshot("15-phone-legend")?;
    // Escape closes the drawer and gives focus back to its button.
    cx.js("document.querySelector('#indicator').focus(); return 1;")?;
    cx.tab.press_key("Escape")?;
    cx.wait_for("!document.querySelector('#legend').checkVisibility()", 5)?;
    assert_eq!(cx.js("return document.activeElement.id;")?, "drawer-controls");

    // The details, by touch: the drawer, then the locality tab.
    let centre = |selector: &str| -> Result<(f64, f64)> {
        let c = cx.js(&format!(
            "const r = document.querySelector({selector:?}).getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];"
        ))?;
        Ok((c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
    };
    cx.click(centre("#drawer-panel")?, 1, false)?;
    cx.wait_for(&on_screen("#tab-locality"), 5)?;
    cx.click(centre("#tab-locality")?, 1, false)?;
    cx.wait_for(&on_screen("#pane-locality p"), 5)?;
    // Choosing a locality among the controls opens its profile in the details.
    cx.click(centre("#drawer-controls")?, 1, false)?;
    // Further down the drawer: scrolled to, as a thumb would.
    cx.js("document.querySelector('#locality').scrollIntoView({ block: 'center' }); return 1;")?;
    cx.wait_for(&on_screen("#locality"), 5)?;
    cx.choose("#locality", "wood-end-henley-green")?;
    cx.wait_for("document.querySelector('#pane-locality table.profile')", 15)?;
    cx.wait_for(&on_screen("#locality-title"), 5)?;
    cx.js(SETTLED)?;
    assert_eq!(cx.js("return document.body.dataset.drawer;")?, "panel");
    assert_eq!(cx.js("return document.querySelector('#tab-locality').getAttribute('aria-selected');")?, "true");
    cx.screenshot("16-phone-locality")?;

    // An LSOA found by typing its code: the details open on it, with focus on its title.
    cx.click(centre("#drawer-controls")?, 1, false)?;
    cx.js("document.querySelector('#lsoa-find').scrollIntoView({ block: 'center' }); return 1;")?;
    cx.wait_for(&on_screen("#lsoa-find"), 5)?;
    cx.js("document.querySelector('#lsoa-find').focus(); return 1;")?;
    cx.tab.send_character("E01009548")?;
    cx.tab.press_key("Enter")?;
    cx.wait_for("document.querySelector('#lsoa-title')?.textContent.includes('E01009548')", 10)?;
    cx.wait_for(&on_screen("#lsoa-title"), 5)?;
    assert_eq!(cx.js("return document.activeElement.id;")?, "lsoa-title");
    // The map brings the LSOA into the part the drawer leaves uncovered.
    cx.js(SETTLED)?;
    let lsoa = cx.api("/api/lsoa/E01009548")?;
    let (_, y) = cx.project(&lsoa["interior_point"])?;
    let (top, covered) = {
        let v = cx.js("return [document.querySelector('#map').getBoundingClientRect().top, document.querySelector('#panel').getBoundingClientRect().top];")?;
        (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
    };
    assert!(top < y && y < covered, "the LSOA is drawn at y = {y}, the drawer starts at {covered}");
    cx.screenshot("09-phone-lsoa")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn locality_charts_load_with_alt_text_and_downloads() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=iod25_income_rate&locality=spon-end-st-michaels")?;
    cx.wait_for("document.querySelectorAll('#pane-locality figure.chart').length >= 4", 15)?;
    // Each chart settles as a drawn image with download links.
    let settled = "[...document.querySelectorAll('figure.chart')].every(f =>
        f.querySelector('img')?.complete && f.querySelector('img').naturalWidth > 0)";
    cx.wait_for(settled, 15)?;
    let charts = cx.js("return [...document.querySelectorAll('figure.chart')].map(f => ({ kind: f.dataset.kind,
        img: !!f.querySelector('img'), alt: f.querySelector('img')?.alt || '', links: f.querySelectorAll('figcaption a').length,
        na: f.querySelector('.na')?.textContent || '' }));")?;
    for c in charts.as_array().unwrap() {
        assert_eq!(c["img"], json!(true), "{c}");
        assert!(c["alt"].as_str().unwrap().len() > 20, "alt text: {c}");
        assert!(c["links"].as_u64().unwrap() >= 3, "downloads: {c}");
    }
    let report = cx.js("await new Promise(r => setTimeout(r, 300)); return document.querySelector('#pane-locality .report a')?.getAttribute('href');")?;
    assert_eq!(report, json!("/api/localities/spon-end-st-michaels/report.html"));
    cx.js("document.querySelector('#pane-locality figure.chart').scrollIntoView(); return 1;")?;
    cx.screenshot("10-locality-charts")?;
    // Compare tab: scatter of two indicators.
    cx.js("document.querySelector('#tab-compare').click(); return 1;")?;
    cx.choose("#compare-x", "iod25_imd_score")?;
    cx.choose("#compare-y", "census21_disabled")?;
    cx.js("document.querySelector('#compare-form button').click(); return 1;")?;
    cx.wait_for("document.querySelector('#compare-out figure.chart[data-kind=scatter]')", 5)?;
    cx.wait_for(settled, 15)?;
    cx.screenshot("11-compare")?;
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn in_englands_atlas_the_picker_lists_the_districts_and_frames_the_one_chosen() -> Result<()> {
    let cx = setup_fixture("england_sample")?;
    cx.open("")?;
    cx.wait_for("document.querySelector('#locality option[value=E09000001]')", 15)?;
    let picker = cx.js("return { label: document.querySelector('label[for=locality]').textContent,
                  tab: document.querySelector('#tab-locality').textContent,
                  options: [...document.querySelectorAll('#locality option')].map(o => [o.value, o.textContent]) };")?;
    assert_eq!(picker["label"], "District");
    assert_eq!(picker["tab"], "District");
    let options = picker["options"].as_array().unwrap();
    assert!(options.contains(&json!(["E06000017", "Rutland"])), "{picker}");
    assert!(options.contains(&json!(["E09000001", "City of London"])), "{picker}");
    // The comparison opens on an outcome the atlas holds: England's folder has no Output Area
    // disability figures, so bad or very bad health.
    assert_eq!(cx.js("return document.querySelector('#compare-y').value;")?, "census21_bad_health");
    cx.choose("#locality", "E09000001")?;
    cx.wait_for("document.querySelector('#pane-locality table.profile')", 20)?;
    // The map ends framed on the City of London: its bounds in view, at a street-level zoom.
    cx.wait_for("!atlas.map.isMoving() && atlas.map.getZoom() > 12", 10)?;
    let district = cx.api("/api/districts")?["districts"][1].clone();
    let view = cx.js("const b = atlas.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), atlas.map.getZoom()];")?;
    let (b, v) = (&district["bounds"], view.as_array().unwrap());
    // West and south of the view at or beyond the district's, east and north likewise.
    for (i, lower) in [(0, true), (1, true), (2, false), (3, false)] {
        let (edge, shown) = (b[i].as_f64().unwrap(), v[i].as_f64().unwrap());
        assert!(if lower { shown <= edge } else { shown >= edge }, "view {view} does not hold {district}");
    }
    let caption = cx.js("return document.querySelector('#pane-locality table.profile caption').textContent;")?;
    assert!(caption.as_str().unwrap().contains("City of London"), "{caption}");
    // No outline marks a district here: the LSOAs of every other district are faded, and none of
    // the City's own.
    let city: Vec<String> = cx.api("/api/localities/E09000001/profile")?["lsoas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_owned())
        .collect();
    cx.wait_for("atlas.map.getLayoutProperty('lsoa-outside', 'visibility') === 'visible'", 10)?;
    cx.wait_for("!atlas.map.isMoving() && atlas.map.areTilesLoaded()", 10)?;
    let drawn = cx.js(
        "const codes = (layer) => atlas.map.queryRenderedFeatures({ layers: [layer] }).map(f => f.properties.code);
         return [codes('lsoa-fill'), codes('lsoa-outside')];",
    )?;
    let (filled, faded) = (drawn[0].as_array().unwrap(), drawn[1].as_array().unwrap());
    assert!(city.iter().any(|c| filled.contains(&json!(c))), "no LSOA of the City drawn: {drawn}");
    assert!(city.iter().all(|c| !faded.contains(&json!(c))), "an LSOA of the City faded: {drawn}");
    let outside = cx.js("return atlas.map.getFilter('lsoa-outside');")?;
    assert_eq!(outside, json!(["!", ["in", ["get", "code"], ["literal", city]]]));
    // England's benchmark and MHCLG's figure for England, not the published figure of every district.
    let about = cx.js("return document.querySelector('#indicator-about').textContent;")?;
    let about = about.as_str().unwrap();
    assert!(about.contains("Benchmarks: England 21.8. Published by MHCLG, not compared: England 21.8."), "{about}");
    assert!(!about.contains("Rutland") && !about.contains("City of London"), "{about}");
    // The sources hold GP practices for Coventry only: the page offers no practice layers here and
    // does not credit the practices' sources.
    let practices = cx.js(
        "return [document.querySelector('#practices-none')?.textContent, document.querySelector('#practices-open').offsetParent === null,
                 document.querySelector('#practice-attribution').offsetParent === null];",
    )?;
    assert_eq!(
        practices,
        json!([
            "The sources hold GP practice locations for Coventry only: none are drawn for England: Rutland and City of London only.",
            true,
            true
        ])
    );
    // England's atlas has no locality lists to call candidate definitions.
    let note = cx.js("return document.querySelector('#locality-note').offsetParent === null;")?;
    assert_eq!(note, json!(true));

    // Read against England alone: no column headed with the atlas's name holding the district's own figures.
    let headings = cx.js(
        "return [...document.querySelectorAll('#pane-locality table.profile thead th')].map(t => t.textContent);",
    )?;
    assert_eq!(headings[2], "England", "{headings}");
    assert_eq!(
        headings.as_array().unwrap().iter().filter(|h| h.as_str().unwrap_or("").starts_with("England")).count(),
        1,
        "{headings}"
    );
    // MHCLG's own summary of the district stands beside its value.
    let published = cx.js("return document.querySelector('#pane-locality table.profile tr[data-indicator=iod25_imd_score] td .published')?.textContent;")?;
    assert_eq!(published, " (published 10.2)");
    // Its change since 2019 is its own beside England's (the atlas has no localities to set beside it).
    cx.choose("#indicator", "iod25_income_rate")?;
    cx.wait_for("document.querySelector('#pane-locality figure.chart[data-kind=change] img')?.complete", 15)?;
    let change = cx.js("const img = document.querySelector('#pane-locality figure.chart[data-kind=change] img'); return img.naturalWidth > 0 ? img.getAttribute('src') : 'not drawn';")?;
    assert!(change.as_str().unwrap_or("").contains("district=E09000001"), "{change}");
    // Its inequality is drawn across its own LSOAs, as in its own atlas.
    let slope = cx.js("return document.querySelector('#slope-index')?.textContent;")?;
    let expected = cx.api("/api/inequality/iod25_income_rate?district=E09000001")?;
    let slope = slope.as_str().unwrap_or_default();
    assert!(slope.starts_with("Slope index of inequality across City of London for Income deprivation: "), "{slope}");
    assert!(
        expected["sii"]["value"].as_f64().is_some_and(|v| slope.contains(&format!("{:.1}", v))),
        "{slope} {expected}"
    );
    // The district's own similar districts, and the caution that they are not close.
    let named = cx.js("return document.querySelector('#similar-districts')?.textContent;")?;
    assert!(named.as_str().unwrap_or("").contains("City of London's 15 statistical neighbours"), "{named}");
    let caution = cx.js("return document.querySelector('#similar-caution')?.textContent;")?;
    assert!(
        caution.as_str().unwrap_or("").starts_with("Caution: City of London is unlike every other English district"),
        "{caution}"
    );
    cx.screenshot("14-england-district")?;
    // An LSOA names its district, and says nothing of localities the atlas does not have.
    let lsoa = cx.api(&format!("/api/localities/{}/profile", "E06000017"))?["lsoas"][0]["code"].clone();
    cx.open(&format!("#lsoa={}", lsoa.as_str().unwrap()))?;
    cx.wait_for("document.querySelector('#lsoa-places')", 15)?;
    let places = cx.js("return document.querySelector('#lsoa-places').textContent;")?;
    assert!(places.as_str().unwrap().contains("District: Rutland."), "{places}");
    assert!(!places.as_str().unwrap().contains("locality"), "{places}");
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn zoomed_out_over_a_city_the_map_shows_the_classes_not_the_outlines() -> Result<()> {
    let cx = setup_fixture("england_sample")?;
    cx.open("")?;
    let intro = cx.js("return document.querySelector('header.top p').textContent;")?;
    assert!(
        intro.as_str().unwrap().starts_with(
            "Neighbourhood (LSOA) indicators for every district of England, each LSOA compared with its district and England."
        ),
        "{intro}"
    );
    let benchmarks = cx.js("return document.querySelector('#lsoa-benchmarks').textContent;")?;
    assert_eq!(benchmarks, "its district and England");
    // At zoom 9 the City of London's LSOAs are a few pixels across: outlines of LSOAs and wards
    // drawn there would cover them (inner London read as pale). Every pixel over the City is its
    // class colour, or the background beyond it.
    let city = cx.api("/api/districts")?["districts"][1].clone();
    assert_eq!(city["name"], "City of London");
    let b = &city["bounds"];
    let (west, south, east, north) =
        (b[0].as_f64().unwrap(), b[1].as_f64().unwrap(), b[2].as_f64().unwrap(), b[3].as_f64().unwrap());
    cx.js(&format!(
        "atlas.map.jumpTo({{ center: [{}, {}], zoom: 9 }});
         await new Promise(r => {{ atlas.map.once('idle', r); atlas.map.triggerRepaint(); }}); return 1;",
        (west + east) / 2.0,
        (south + north) / 2.0
    ))?;
    let pixels = cx.js(&format!(
        "const c = atlas.map.getCanvas(); const s = c.width / c.clientWidth;
         const a = atlas.map.project([{west}, {north}]), z = atlas.map.project([{east}, {south}]);
         const o = document.createElement('canvas'); o.width = c.width; o.height = c.height;
         const g = o.getContext('2d'); g.drawImage(c, 0, 0);
         const x = Math.floor(a.x * s), y = Math.floor(a.y * s);
         const d = g.getImageData(x, y, Math.ceil(z.x * s) - x + 1, Math.ceil(z.y * s) - y + 1).data;
         const out = []; for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]); return out;"
    ))?;
    let classes = cx.js("return atlas.classes;")?;
    let colours: Vec<[i64; 3]> =
        classes["classes"].as_array().unwrap().iter().map(|c| hex(c["colour"].as_str().unwrap())).collect();
    let background = hex("#e9edf1");
    let (mut coloured, mut other) = (0, Vec::new());
    for p in pixels.as_array().unwrap() {
        let p = [p[0].as_i64().unwrap(), p[1].as_i64().unwrap(), p[2].as_i64().unwrap()];
        if colours.iter().any(|&c| close(p, c, 4)) {
            coloured += 1;
        } else if !close(p, background, 4) {
            other.push(p);
        }
    }
    assert!(coloured >= 10, "{coloured} pixels in a class colour over the City");
    assert!(
        other.is_empty(),
        "{} of {} pixels are neither a class colour nor the background: {:?}",
        other.len(),
        coloured + other.len(),
        &other[..other.len().min(8)]
    );
    // An LSOA is read against its own district, named as such, and England.
    let lsoa = cx.api("/api/localities/E09000001/profile")?["lsoas"][0]["code"].clone();
    cx.open(&format!("#lsoa={}", lsoa.as_str().unwrap()))?;
    cx.wait_for("document.querySelectorAll('#lsoa-current-value ~ dt').length >= 2", 15)?;
    let terms = cx.js("return [...document.querySelectorAll('#pane-lsoa dl.summary dt')].map(t => t.textContent);")?;
    assert!(terms.as_array().unwrap().contains(&json!("Compared with City of London")), "{terms}");
    assert!(terms.as_array().unwrap().contains(&json!("Compared with England")), "{terms}");
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn a_district_of_one_lsoa_says_on_the_page_what_it_cannot_compute() -> Result<()> {
    let cx = setup_fixture("districts/scilly")?;
    cx.open("#locality=st-marys")?;
    cx.wait_for("document.querySelector('#pane-locality table.profile')", 20)?;
    // One LSOA is one class: the map colours it with that class's colour (a step needs two).
    let classes = cx.api("/api/indicators/iod25_imd_score/classes")?;
    assert_eq!(classes["method"], "1 class by quantiles of 1 LSOA value; class j holds lower < value <= upper");
    let fill = cx.js("return atlas.map.getPaintProperty('lsoa-fill', 'fill-color');")?;
    assert_eq!(fill[2], classes["classes"][0]["colour"], "{fill}");
    // The hidden-pocket search needs four LSOAs with neighbours: each indicator says so, and no
    // "no LSOA worse than its neighbours" is claimed of a search that did not run.
    let pockets = cx
        .js("return [...document.querySelectorAll('#hidden-pockets li')].map(li => [li.className, li.textContent]);")?;
    let pockets = pockets.as_array().unwrap();
    assert_eq!(pockets.len(), 3, "{pockets:?}");
    for item in pockets {
        assert_eq!(item[0], "unsearched", "{item}");
        assert!(
            item[1]
                .as_str()
                .unwrap()
                .ends_with(": not searched: no area has a value and a neighbour with a value; at least 4 are needed."),
            "{item}"
        );
    }
    let slope = cx.js("return document.querySelector('#slope-index')?.textContent;")?;
    assert!(
        slope.as_str().unwrap_or("").contains("not computed: Isles of Scilly's LSOAs lie in 1 national IMD decile"),
        "{slope}"
    );
    // Its locality is its ward, drawn from ONS's best-fit lookup, not a candidate definition.
    let note = cx.js("return document.querySelector('#locality-note').textContent;")?;
    assert!(
        note.as_str().unwrap().starts_with("Localities are electoral wards (2024), each made of the LSOAs"),
        "{note}"
    );
    cx.assert_no_errors();
    Ok(())
}

#[test]
fn a_standardised_ratio_sets_lsoas_against_englands_100_and_says_why_an_area_has_no_ratio() -> Result<()> {
    let cx = setup()?;
    cx.open("#indicator=iod25_cidr&locality=canley-tile-hill")?;
    cx.wait_for("document.querySelector('#pane-locality table.profile tr[data-indicator=iod25_cidr]')", 20)?;
    let row = cx
        .js("const r = document.querySelector('#pane-locality table.profile tr[data-indicator=iod25_cidr]');
         return [...r.querySelectorAll('td')].map(td => td.textContent);")?;
    assert_eq!(row[0], "No area ratio (see reading)", "{row}");
    assert!(row.as_array().unwrap().iter().any(|c| c.as_str().unwrap().starts_with("100 ")), "England 100: {row}");
    // The gradient has no group ratio to draw, and the page gives the server's reason.
    let reason = "document.querySelector('#pane-locality figure.chart[data-kind=gradient] .na')?.textContent || ''";
    cx.wait_for(&format!("({reason}).includes('no group of LSOAs has a standardised ratio')"), 20)?;
    // The legend places England's 100 among the classes of LSOA ratios.
    let england = cx.js("return document.querySelector('#legend-england')?.textContent;")?;
    assert!(england.as_str().unwrap_or("").starts_with("England: 100, in the class "), "{england}");
    // The ranked LSOAs are drawn against England's 100, the benchmark a ratio has.
    cx.wait_for("document.querySelector('#pane-locality figure.chart[data-kind=ranked] img')?.naturalWidth > 0", 20)?;
    let errors = cx.errors.lock().unwrap().clone();
    assert!(errors.iter().all(|e| e.contains("422") && e.contains("/charts/gradient.svg")), "{errors:?}");
    Ok(())
}

#[test]
fn keyboard_reaches_every_control_in_order() -> Result<()> {
    let cx = setup()?;
    cx.open("")?;
    cx.js("document.activeElement?.blur(); window.scrollTo(0, 0); return 1;")?;
    let mut seen: Vec<String> = Vec::new();
    for i in 0..45 {
        cx.tab.press_key("Tab")?;
        let id = cx.js("const a = document.activeElement; return a.id || a.getAttribute('aria-label') || a.className || a.tagName;")?;
        let id = id.as_str().unwrap_or_default().to_string();
        if i == 4 {
            cx.screenshot("12-focus")?;
        }
        seen.push(id);
    }
    let want = [
        "indicator-search",
        "indicator",
        "scheme",
        "k",
        "palette",
        "locality",
        "lsoa-find",
        "lsoa-show",
        "lsoa-add",
        "Choropleth map of Coventry LSOAs",
        "tab-lsoa",
    ];
    let mut at = 0;
    for w in want {
        let pos = seen[at..].iter().position(|s| s == w).map(|p| p + at);
        assert!(pos.is_some(), "{w} not reached in order; focus went: {seen:?}");
        at = pos.unwrap() + 1;
    }
    // The focused control has a visible outline.
    let outline = cx.js("document.querySelector('#indicator').focus(); return getComputedStyle(document.querySelector('#indicator')).outlineStyle;")?;
    assert_ne!(outline, "none");
    cx.assert_no_errors();
    Ok(())
}

/// What the browser fetched, as the DevTools protocol reports it: each request's URL, status and
/// `Content-Encoding`, and the bytes it took on the wire (`encodedDataLength`: headers and body),
/// from the page and from its workers (MapLibre fetches the tiles in a worker, whose requests the
/// page's own events leave out).
#[derive(Default)]
struct Network {
    responses: HashMap<String, (String, u32, String)>,
    finished: Vec<(String, f64)>,
    /// Network events so far: the page has settled when this stops growing.
    events: usize,
}

impl Network {
    /// Records the tab's network events, and its workers', from now on.
    fn record(tab: &Arc<Tab>) -> Result<Arc<Mutex<Network>>> {
        use headless_chrome::protocol::cdp::{Network as N, Target as T};
        tab.call_method(N::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })?;
        let network = Arc::new(Mutex::new(Network::default()));
        let sink = network.clone();
        // Each worker is held at its start until its network events are on.
        let (attached, workers) = std::sync::mpsc::channel::<String>();
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let (session, method, params) = match event {
                Event::NetworkRequestWillBeSent(e) => ("page".to_owned(), "Network.requestWillBeSent", json!(e.params)),
                Event::NetworkResponseReceived(e) => ("page".to_owned(), "Network.responseReceived", json!(e.params)),
                Event::NetworkLoadingFinished(e) => ("page".to_owned(), "Network.loadingFinished", json!(e.params)),
                Event::AttachedToTarget(e) => {
                    let _ = attached.send(e.params.session_id.clone());
                    return;
                }
                Event::ReceivedMessageFromTarget(e) => {
                    let Ok(message) = serde_json::from_str::<Value>(&e.params.message) else { return };
                    let Some(method) = message["method"].as_str() else { return };
                    let method = match method {
                        "Network.requestWillBeSent" => "Network.requestWillBeSent",
                        "Network.responseReceived" => "Network.responseReceived",
                        "Network.loadingFinished" => "Network.loadingFinished",
                        _ => return,
                    };
                    (e.params.session_id.clone(), method, message["params"].clone())
                }
                _ => return,
            };
            let id = format!("{session}/{}", params["requestId"].as_str().unwrap_or_default());
            let mut n = sink.lock().unwrap();
            n.events += 1;
            match method {
                "Network.responseReceived" => {
                    let r = &params["response"];
                    let headers = r["headers"].as_object().cloned().unwrap_or_default();
                    let encoding = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"));
                    let encoding = encoding.and_then(|(_, v)| v.as_str()).unwrap_or("").to_owned();
                    let url = r["url"].as_str().unwrap_or_default().to_owned();
                    n.responses.insert(id, (url, r["status"].as_u64().unwrap_or(0) as u32, encoding));
                }
                "Network.loadingFinished" => {
                    let bytes = params["encodedDataLength"].as_f64().unwrap_or(0.0);
                    n.finished.push((id, bytes));
                }
                _ => {}
            }
        }))?;
        let page = tab.clone();
        std::thread::spawn(move || {
            let mut id = 0;
            let mut send = |session: &str, method: &str| {
                id += 1;
                page.call_method(T::SendMessageToTarget {
                    message: json!({ "id": id, "method": method, "params": {} }).to_string(),
                    session_id: Some(session.to_owned()),
                    target_id: None,
                })
            };
            // Ends when the tab's listeners are dropped, or after two idle minutes.
            while let Ok(session) = workers.recv_timeout(Duration::from_secs(120)) {
                let _ = send(&session, "Network.enable");
                let _ = send(&session, "Runtime.runIfWaitingForDebugger");
            }
        });
        tab.call_method(T::SetAutoAttach {
            auto_attach: true,
            wait_for_debugger_on_start: true,
            flatten: Some(false),
            filter: None,
        })?;
        Ok(network)
    }

    /// Waits until the network has been quiet for 1.5 s (at most 30 s), then hands over what was
    /// recorded as (path, status, encoding, bytes), and starts afresh.
    ///
    /// The protocol counts only the headers of a dedicated worker's own script (MapLibre's); the
    /// page's Resource Timing has its `transferSize`, so a response is counted at the larger of the two.
    fn settle(network: &Mutex<Network>, cx: &Ctx) -> Result<Vec<(String, u32, String, f64)>> {
        let started = Instant::now();
        let mut quiet_since = Instant::now();
        let mut seen = 0;
        while quiet_since.elapsed() < Duration::from_millis(1500) {
            if started.elapsed() > Duration::from_secs(30) {
                bail!("the page kept loading for 30 s");
            }
            let n = network.lock().unwrap();
            if n.events != seen {
                seen = n.events;
                quiet_since = Instant::now();
            }
            drop(n);
            std::thread::sleep(Duration::from_millis(100));
        }
        let timing = cx.js(
            "return performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname + new URL(e.name).search, e.transferSize]);",
        )?;
        let timing: HashMap<String, f64> = timing
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e[0].as_str().unwrap().to_owned(), e[1].as_f64().unwrap()))
            .collect();
        let taken = std::mem::take(&mut *network.lock().unwrap());
        Ok(taken
            .finished
            .iter()
            .map(|(id, bytes)| {
                let (url, status, encoding) = taken.responses.get(id).cloned().unwrap_or_default();
                let path = url.split_once("//").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()));
                let path = path.unwrap_or(url);
                let bytes = timing.get(&path).map_or(*bytes, |t| t.max(*bytes));
                (path, status, encoding, bytes)
            })
            .collect())
    }
}

/// The page's own files: each is revalidated on a repeat visit.
const PAGE_FILES: [&str; 9] = [
    "/",
    "/app.js",
    "/map.js",
    "/panels.js",
    "/util.js",
    "/style.css",
    "/vendor/maplibre-gl/maplibre-gl-csp.js",
    "/vendor/maplibre-gl/maplibre-gl-csp-worker.js",
    "/vendor/maplibre-gl/maplibre-gl.css",
];

/// The `Content-Encoding` the server answers a browser's request for `path` with, read over a
/// plain connection (not the browser's, whose cache must stay empty).
fn served_encoding(base: &str, path: &str) -> Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(base.trim_start_matches("http://"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "HEAD {path} HTTP/1.1\r\nHost: {base}\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = String::new();
    stream.read_to_string(&mut head)?;
    let encoding = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-encoding:").map(|v| v.trim().to_owned()));
    Ok(encoding.unwrap_or_default())
}

#[test]
fn a_first_visit_and_a_reload_transfer_within_their_budgets() -> Result<()> {
    let cx = setup()?;
    // The server gzips its files at once and adds brotli in the background, the licence last: the
    // visit is measured once brotli is there, as every visit after the server's first seconds is.
    let started = Instant::now();
    while served_encoding(&cx.base, "/vendor/maplibre-gl/LICENSE.txt")? != "br" {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("the server did not add brotli within 120 s");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let network = Network::record(&cx.tab)?;
    cx.open("")?;
    let first = Network::settle(&network, &cx)?;
    cx.tab.reload(false, None)?.wait_until_navigated()?;
    cx.wait_drawn()?;
    let repeat = Network::settle(&network, &cx)?;
    let total = |visit: &[(String, u32, String, f64)]| visit.iter().map(|r| r.3).sum::<f64>();
    let (first_bytes, repeat_bytes) = (total(&first), total(&repeat));
    let listing = |visit: &[(String, u32, String, f64)]| {
        visit.iter().map(|(p, s, e, b)| format!("  {s} {e:4} {b:>8.0} {p}")).collect::<Vec<_>>().join("\n")
    };
    eprintln!(
        "first visit {first_bytes:.0} bytes in {} responses:\n{}\nreload {repeat_bytes:.0} bytes in {} responses:\n{}",
        first.len(),
        listing(&first),
        repeat.len(),
        listing(&repeat)
    );
    // The count is complete: the worker's tile requests and the page's own files are in it.
    assert!(first.iter().any(|r| r.0.contains(".mvt") && r.3 > 0.0), "no vector tile among the responses");
    for file in PAGE_FILES {
        let response = first.iter().find(|r| r.0 == file).ok_or_else(|| anyhow!("{file} was not fetched"))?;
        assert_eq!((response.1, response.2.as_str()), (200, "br"), "{file} on the first visit");
        let again = repeat.iter().find(|r| r.0 == file).ok_or_else(|| anyhow!("{file} was not revalidated"))?;
        // Revalidated, so no body came again: a 304 of headers only.
        assert!(again.3 < 1000.0, "{file} on the reload: {again:?}");
    }
    // The protocol reports the document's and the worker's 304 as the 200 each confirms.
    let not_modified = repeat.iter().filter(|r| r.1 == 304).count();
    assert!(not_modified >= PAGE_FILES.len() - 2, "{not_modified} answers 304");
    assert!(first_bytes <= 600_000.0, "first visit: {first_bytes} bytes");
    assert!(repeat_bytes <= 60_000.0, "reload: {repeat_bytes} bytes");
    cx.assert_no_errors();
    Ok(())
}

/// A tile server on 127.0.0.1 for the basemap: one green 256-pixel PNG for every
/// `/tiles/{z}/{x}/{y}.png`, and `/style.json`, a MapLibre style of those tiles over a green
/// background. It lists the paths asked for, and stops when dropped.
struct TileServer {
    origin: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

const BASEMAP_GREEN: [i64; 3] = [60, 179, 113];

impl TileServer {
    fn start() -> Result<TileServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, 256, 256);
            encoder.set_color(png::ColorType::Rgb);
            let pixel = BASEMAP_GREEN.map(|c| c as u8);
            encoder.write_header()?.write_image_data(&pixel.repeat(256 * 256))?;
        }
        let style = json!({
            "version": 8,
            "sources": { "test-base": { "type": "raster", "tiles": [format!("{origin}/tiles/{{z}}/{{x}}/{{y}}.png")], "tileSize": 256 } },
            "layers": [
                { "id": "test-background", "type": "background", "paint": { "background-color": "#3cb371" } },
                { "id": "test-base", "type": "raster", "source": "test-base" },
            ],
        })
        .to_string();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen, stopped) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(path) = answer_tile_request(stream, &png, &style) {
                            seen.lock().unwrap().push(path);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    Err(_) => break,
                }
            }
        });
        Ok(TileServer { origin, requests, stop, thread: Some(thread) })
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request and answers it (closing the connection); returns the path asked for.
fn answer_tile_request(mut stream: std::net::TcpStream, png: &[u8], style: &str) -> Option<String> {
    use std::io::{Read, Write};
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1)?.to_owned();
    let (status, kind, body) = if path.starts_with("/tiles/") && path.ends_with(".png") {
        ("200 OK", "image/png", png)
    } else if path == "/style.json" {
        ("200 OK", "application/json", style.as_bytes())
    } else {
        ("404 Not Found", "text/plain", b"not found".as_slice())
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    Some(path)
}

#[test]
fn a_basemap_is_drawn_beneath_the_choropleth_from_its_one_origin() -> Result<()> {
    let tiles = TileServer::start()?;
    let template = format!("{}/tiles/{{z}}/{{x}}/{{y}}.png", tiles.origin);
    let style = format!("{}/style.json", tiles.origin);
    for (url, screen) in [(template, "17-basemap-raster"), (style, "18-basemap-style")] {
        tiles.requests.lock().unwrap().clear();
        let cx = setup_with(&["--basemap", &url, "--basemap-attribution", "Test basemap tiles"])?;
        cx.open("")?;
        let asked = tiles.requests.lock().unwrap().clone();
        assert!(asked.iter().any(|p| p.starts_with("/tiles/")), "{url}: no basemap tile was asked for: {asked:?}");
        if url.ends_with("style.json") {
            assert!(asked.contains(&"/style.json".to_owned()), "{asked:?}");
        }
        // The policy admits the basemap's origin, and no other.
        let policy = cx.js("return (await fetch('/')).headers.get('content-security-policy');")?;
        let policy = policy.as_str().unwrap();
        let sources: Vec<&str> = policy.split(';').flat_map(|d| d.split_whitespace().skip(1)).collect();
        let foreign: BTreeSet<&str> =
            sources.iter().copied().filter(|s| !["'self'", "'none'", "data:", "blob:"].contains(s)).collect();
        assert_eq!(foreign, BTreeSet::from([tiles.origin.as_str()]), "{policy}");
        assert!(policy.contains(&format!("connect-src 'self' {};", tiles.origin)), "{policy}");
        // Beneath the choropleth: outside the city the basemap shows; inside, the class colours are laid
        // over it, letting it through.
        let shares = cx.js(&format!(
            "const c = atlas.map.getCanvas(); const o = document.createElement('canvas'); o.width = c.width; o.height = c.height;
             const g = o.getContext('2d', {{ willReadFrequently: true }}); g.drawImage(c, 0, 0); const s = c.width / c.clientWidth;
             const green = {green:?}; const near = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 6);
             const colours = atlas.classes.classes.map(k => [1, 3, 5].map(i => parseInt(k.colour.slice(i, i + 2), 16)));
             const opacity = atlas.map.getPaintProperty('lsoa-fill', 'fill-opacity');
             let out = 0, outGreen = 0, inside = 0, blended = 0;
             for (let y = 0.05; y < 0.95; y += 0.03) for (let x = 0.05; x < 0.95; x += 0.03) {{
               const px = x * c.clientWidth, py = y * c.clientHeight;
               const d = [...g.getImageData(Math.round(px * s), Math.round(py * s), 1, 1).data].slice(0, 3);
               if (atlas.map.queryRenderedFeatures([px, py], {{ layers: ['lsoa-fill'] }}).length) {{
                 inside++; if (colours.some(k => near(d, k.map((v, i) => v * opacity + green[i] * (1 - opacity))))) blended++;
               }} else {{ out++; if (near(d, green)) outGreen++; }}
             }}
             return {{ out, outGreen, inside, blended, opacity }};",
            green = BASEMAP_GREEN
        ))?;
        let share = |a: &str, b: &str| shares[a].as_f64().unwrap() / shares[b].as_f64().unwrap().max(1.0);
        assert!(shares["out"].as_f64().unwrap() >= 20.0 && shares["inside"].as_f64().unwrap() >= 100.0, "{shares}");
        assert!(share("outGreen", "out") > 0.9, "{url}: outside the city {shares}");
        assert!(share("blended", "inside") > 0.5, "{url}: inside the city {shares}");
        let attribution = cx.js("return document.querySelector('.maplibregl-ctrl-attrib').textContent;")?;
        assert!(attribution.as_str().unwrap().contains("Test basemap tiles"), "{attribution}");
        assert!(attribution.as_str().unwrap().contains("Open Government Licence v3.0"), "{attribution}");
        cx.screenshot(screen)?;
        cx.assert_no_errors();
    }
    Ok(())
}

#[test]
fn wards_and_localities_are_labelled_on_the_map() -> Result<()> {
    let cx = setup()?;
    cx.open("#map=12.00/52.41000/-1.50000")?;
    let names = |layer: &str| -> Result<BTreeSet<String>> {
        let found = cx.js(&format!(
            "return [...new Set(atlas.map.queryRenderedFeatures({{ layers: [{layer:?}] }}).map(f => f.properties.name))];"
        ))?;
        Ok(found.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect())
    };
    // Placed symbols only: a label is drawn, its glyphs made in the browser from nothing but the page.
    let wards = names("labels-wards")?;
    let localities = names("labels-localities")?;
    assert!(wards.len() >= 5, "ward labels drawn at zoom 12: {wards:?}");
    assert!(localities.contains("Wood End/Henley Green"), "{localities:?}");
    cx.js("atlas.map.jumpTo({ zoom: 10.5 }); await new Promise(r => { atlas.map.once('idle', r); atlas.map.triggerRepaint(); }); return 1;")?;
    assert!(names("labels-wards")?.is_empty(), "no ward labels below zoom 11");
    assert!(!names("labels-localities")?.is_empty(), "locality labels at every zoom");
    cx.js("atlas.map.jumpTo({ zoom: 12 }); await new Promise(r => { atlas.map.once('idle', r); atlas.map.triggerRepaint(); }); return 1;")?;
    cx.screenshot("19-labels")?;
    cx.assert_no_errors();
    Ok(())
}
