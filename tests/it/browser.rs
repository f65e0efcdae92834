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

/// LSOAs used for pixel checks: one in each locality.
const LSOAS: [&str; 3] = ["E01009577", "E01009674", "E01009548"];

// One test at a time (software WebGL on a small machine, and timings); each has its own Chromium,
// closed when the test ends.
static LOCK: Mutex<()> = Mutex::new(());

struct Ctx {
    tab: Arc<Tab>,
    _browser: Browser,
    server: Child,
    _guard: MutexGuard<'static, ()>,
    base: String,
    errors: Arc<Mutex<Vec<String>>>,
}

/// Starts the test build of the server on a free loopback port and waits for its health check.
fn start_server() -> Result<(Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string()])
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
    Ok((server, base))
}

fn setup() -> Result<Ctx> {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = PathBuf::from(std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if !path.exists() {
        bail!("no Chromium at {}: install it (apt-get install -y chromium) or set CHROME", path.display());
    }
    let (server, base) = start_server()?;
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
    Ok(Ctx { tab, _browser: browser, server, _guard: guard, base, errors })
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
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl Ctx {
    /// Evaluates an async JS function body and returns its JSON result.
    fn js(&self, body: &str) -> Result<Value> {
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

    fn api(&self, path: &str) -> Result<Value> {
        self.js(&format!(
            "const r = await fetch({path:?}); if (!r.ok) throw new Error('HTTP ' + r.status); return r.json();"
        ))
    }

    fn open(&self, hash: &str) -> Result<f64> {
        let url = format!("{}/{}", self.base, hash);
        // A full load each time (a hash-only change would be a same-document navigation).
        self.tab.navigate_to("about:blank")?.wait_until_navigated()?;
        self.tab.navigate_to(&url)?.wait_until_navigated()?;
        self.wait_drawn()?;
        let ready = self.js("return await atlas.ready;")?;
        ready.as_f64().ok_or_else(|| anyhow!("atlas.ready gave {ready}"))
    }

    /// Waits until the map shows the current choropleth (the page's test hook).
    fn wait_drawn(&self) -> Result<()> {
        self.wait_for("window.atlas && document.body.dataset.mapReady === 'true'", 20)?;
        self.js("await atlas.whenDrawn(); return true;")?;
        Ok(())
    }

    fn wait_for(&self, cond: &str, secs: u64) -> Result<()> {
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
    fn project(&self, lonlat: &Value) -> Result<(f64, f64)> {
        let v = self.js(&format!(
            "const p = atlas.map.project({lonlat}); const r = atlas.map.getCanvas().getBoundingClientRect();
             return [p.x + r.left, p.y + r.top, p.x, p.y];"
        ))?;
        Ok((v[0].as_f64().unwrap(), v[1].as_f64().unwrap()))
    }

    /// RGB of the map canvas at a lon/lat (needs preserveDrawingBuffer).
    fn pixel(&self, lonlat: &Value) -> Result<[i64; 3]> {
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

    fn screenshot(&self, name: &str) -> Result<()> {
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

    fn click(&self, at: (f64, f64), clicks: u32, shift: bool) -> Result<()> {
        use Input::DispatchMouseEventTypeOption as M;
        self.mouse(M::MouseMoved, at, 0, false)?;
        for n in 1..=clicks {
            self.mouse(M::MousePressed, at, n, shift)?;
            self.mouse(M::MouseReleased, at, n, shift)?;
        }
        Ok(())
    }

    fn assert_no_errors(&self) {
        let errors = self.errors.lock().unwrap();
        assert!(errors.is_empty(), "console errors or warnings:\n{}", errors.join("\n"));
    }

    /// Sets a <select> as a user would and fires `change`.
    fn choose(&self, select: &str, value: &str) -> Result<()> {
        self.js(&format!(
            "const s = document.querySelector({select:?}); s.value = {value:?};
             if (s.value !== {value:?}) throw new Error('no option ' + {value:?});
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        ))?;
        Ok(())
    }
}

fn close(a: [i64; 3], b: [i64; 3], tol: i64) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() <= tol)
}

fn hex(c: &str) -> [i64; 3] {
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

fn lsoa_value(lsoa: &Value, indicator: &str) -> Option<f64> {
    lsoa["indicators"].as_array().unwrap().iter().find(|i| i["id"] == indicator).and_then(|i| i["value"].as_f64())
}

/// Every test LSOA's pixel has its class colour for the indicator drawn now.
fn check_pixels(cx: &Ctx, indicator: &str) -> Result<Vec<[i64; 3]>> {
    let classes = cx.js("return atlas.classes;")?;
    assert_eq!(classes["indicator"], indicator);
    let mut seen = Vec::new();
    for code in LSOAS {
        let lsoa = cx.api(&format!("/api/lsoa/{code}"))?;
        let point = &lsoa["interior_point"];
        // Zoom in on the LSOA so its outline and the locality casing are well away from the point.
        cx.js(&format!(
            "atlas.map.jumpTo({{ center: {point}, zoom: 14 }});
            await new Promise(r => {{ atlas.map.once('idle', r); atlas.map.triggerRepaint(); }}); return 1;"
        ))?;
        let want = class_colour(&classes, lsoa_value(&lsoa, indicator));
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
        for (key, text, api) in [("cov", "covText", &ind["coventry"]), ("eng", "engText", &ind["england"])] {
            let c = api["comparison"].as_str().unwrap_or("not_compared");
            assert_eq!(row[key], c, "{} {key}", ind["id"]);
            assert_eq!(row[text], api["label"], "{} {key} label", ind["id"]);
            judged += usize::from(c != "not_compared");
        }
    }
    assert!(judged > 0);
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

#[test]
fn narrow_screen_and_keyboard() -> Result<()> {
    let cx = setup()?;
    set_viewport(&cx.tab, 400, 860, true)?;
    cx.open("")?;
    // Panel below the map.
    let pos = cx.js("return [document.querySelector('#map-wrap').getBoundingClientRect().bottom, document.querySelector('#panel').getBoundingClientRect().top];")?;
    assert!(pos[1].as_f64().unwrap() >= pos[0].as_f64().unwrap() - 1.0, "panel not below map: {pos}");
    cx.screenshot("08-narrow")?;
    // Keyboard: find an LSOA by typing and Enter.
    cx.js("const i = document.querySelector('#lsoa-find'); i.focus(); return 1;")?;
    cx.tab.send_character("E01009548")?;
    cx.tab.press_key("Enter")?;
    cx.wait_for("document.querySelector('#lsoa-title')?.textContent.includes('E01009548')", 10)?;
    assert_eq!(cx.js("return document.activeElement.id;")?, "lsoa-title");
    cx.js("document.querySelector('#panel').scrollIntoView(); return 1;")?;
    cx.screenshot("09-narrow-lsoa")?;
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
