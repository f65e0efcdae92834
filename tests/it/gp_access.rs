//! Access to GP practices: each LSOA's distance to the nearest open practice agrees with an
//! independent recomputation of the documented method, the practices come in the vector tiles and on
//! the static map, and a bad practice file is refused by line and field.

use crate::common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use geo::{Coord, Geometry, MultiPolygon};
use locality_atlas::atlas::{self, ComparatorRole, DataFiles, load};
use locality_atlas::tiles::TileId;
use mvt_reader::Reader;
use mvt_reader::feature::Value;
use proj4rs::proj::Proj;

/// British National Grid with the OSGB36 Helmert shift, as the catalogue notes state.
const BNG: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy \
                   +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";

/// The method of the catalogue notes, written out afresh: the boundary's vertices projected to
/// British National Grid, the centres of the national grid's 50 m squares strictly inside it (by
/// even-odd ray crossing), and for each the distance to the nearest open practice and the number within
/// 1 km. Returns (mean km, mean count, points).
fn recompute(boundary: &MultiPolygon<f64>, practices: &[(f64, f64)]) -> (f64, f64, usize) {
    let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").unwrap();
    let bng = Proj::from_proj_string(BNG).unwrap();
    let project = |c: &Coord<f64>| {
        let mut p = (c.x.to_radians(), c.y.to_radians(), 0.0);
        proj4rs::transform::transform(&wgs84, &bng, &mut p).unwrap();
        (p.0, p.1)
    };
    let rings: Vec<Vec<(f64, f64)>> = boundary
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.coords().map(project).collect())
        .collect();
    let inside = |x: f64, y: f64| {
        let mut crossings = 0;
        for ring in &rings {
            for pair in ring.windows(2) {
                let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                if (y0 > y) != (y1 > y) && x < x0 + (y - y0) / (y1 - y0) * (x1 - x0) {
                    crossings += 1;
                }
            }
        }
        crossings % 2 == 1
    };
    let all = rings.iter().flatten();
    let (west, east) = all.clone().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (south, north) = all.fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let (mut km, mut near, mut points) = (0.0, 0.0, 0usize);
    let mut y = (south / 50.0).floor() * 50.0 + 25.0;
    while y <= north {
        let mut x = (west / 50.0).floor() * 50.0 + 25.0;
        while x <= east {
            if inside(x, y) {
                let distances: Vec<f64> =
                    practices.iter().map(|(e, n)| ((e - x).powi(2) + (n - y).powi(2)).sqrt()).collect();
                km += distances.iter().copied().fold(f64::INFINITY, f64::min) / 1000.0;
                near += distances.iter().filter(|&&d| d <= 1000.0).count() as f64;
                points += 1;
            }
            x += 50.0;
        }
        y += 50.0;
    }
    (km / points as f64, near / points as f64, points)
}

/// An indicator's value for an LSOA as `/api/lsoa/{code}` publishes it.
async fn published(code: &str, id: &str) -> f64 {
    let (status, body) = common::get(&format!("/api/lsoa/{code}")).await;
    assert_eq!(status, StatusCode::OK, "{code}");
    let indicators = body["indicators"].as_array().unwrap();
    let found = indicators.iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("{code} has no {id}"));
    found["value"].as_f64().unwrap()
}

#[tokio::test]
async fn the_distance_to_the_nearest_open_practice_is_the_documented_method_recomputed() {
    let atlas = common::atlas();
    let open: Vec<(f64, f64)> =
        atlas.gp_practices().iter().filter(|p| p.is_open()).map(|p| (p.grid.x(), p.grid.y())).collect();
    assert_eq!(open.len(), 50);
    assert_eq!(atlas.gp_practices().len(), 70);
    // The nearest LSOA to a practice, the farthest (on the city's northern edge), and one of Wood End.
    for code in ["E01009570", "E01009523", "E01009577"] {
        let (km, near, points) = recompute(&atlas.lsoa(code).unwrap().geometry, &open);
        assert!(points >= 20, "{code}: {points} points");
        let distance = published(code, "gp_distance_km").await;
        let within = published(code, "gp_practices_within_1km").await;
        assert!((distance - km).abs() < 1e-6, "{code}: published {distance} km, recomputed {km}");
        assert!((within - near).abs() < 1e-6, "{code}: published {within}, recomputed {near}");
    }
    // Pinned, so that a change of method shows: the nearest and the farthest LSOA.
    assert_eq!(published("E01009570", "gp_distance_km").await, 0.166549);
    assert_eq!(published("E01009523", "gp_distance_km").await, 2.202726);
}

#[test]
fn coventry_is_benchmarked_as_a_population_weighted_mean_and_england_not_at_all() {
    let atlas = common::atlas();
    let residents = atlas.observations("census21_population").unwrap();
    for id in ["gp_distance_km", "gp_practices_within_1km"] {
        let indicator = atlas.indicator(id).unwrap();
        assert_eq!(indicator.theme, atlas::Theme::AccessToServices);
        assert_eq!(indicator.value_type, atlas::ValueType::Score);
        assert!(indicator.notes.contains("50 m squares") && indicator.notes.contains("straight line"), "{id}");
        let values = atlas.observations(id).unwrap();
        let (mut weighted, mut people) = (0.0, 0.0);
        for (value, population) in values.iter().zip(residents) {
            let (value, population) = (value.unwrap().value.unwrap(), population.unwrap().value.unwrap());
            weighted += value * population;
            people += population;
        }
        let coventry = atlas.comparator(id, "E08000026", ComparatorRole::Benchmark).unwrap();
        assert!(
            (coventry.value - weighted / people).abs() < 1e-6,
            "{id}: {} against {}",
            coventry.value,
            weighted / people
        );
        assert!(atlas.comparator(id, "E92000001", ComparatorRole::Benchmark).is_none(), "{id} has no England row");
    }
    assert_eq!(atlas.comparator("gp_distance_km", "E08000026", ComparatorRole::Benchmark).unwrap().value, 0.62318);
}

#[tokio::test]
async fn a_z14_tile_of_the_city_centre_carries_the_practices_inside_it_as_points() {
    let atlas = common::atlas();
    let tile = TileId::containing(14, geo::coord! { x: -1.512, y: 52.408 }).unwrap();
    let (status, body) = common::get_bytes(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y)).await;
    assert_eq!(status, StatusCode::OK);
    let reader = Reader::new(body).unwrap();
    let names = reader.get_layer_names().unwrap();
    let index = names.iter().position(|n| n == "gp_practices").expect("a gp_practices layer");
    let features = reader.get_features(index).unwrap();

    // Every practice whose point lies in the tile or its 64-unit buffer, at its own place.
    let mut expected = BTreeSet::new();
    for practice in atlas.gp_practices() {
        let at = tile.project(practice.location.0, 4096.0);
        if (-64.0..=4160.0).contains(&at.x) && (-64.0..=4160.0).contains(&at.y) {
            expected.insert((practice.code.clone(), practice.status.as_str().to_owned()));
        }
    }
    let mut found = BTreeSet::new();
    for feature in &features {
        let Geometry::MultiPoint(points) = &feature.geometry else { panic!("{:?} is not a point", feature.geometry) };
        assert_eq!(points.0.len(), 1);
        let properties = feature.properties.as_ref().unwrap();
        let text = |key: &str| match properties.get(key) {
            Some(Value::String(s)) => s.clone(),
            other => panic!("{key}: {other:?}"),
        };
        let practice = atlas.gp_practices().iter().find(|p| p.code == text("code")).expect("a known practice");
        assert_eq!(text("name"), practice.name);
        assert!(text("address").ends_with(&practice.postcode), "{}", text("address"));
        let at = tile.project(practice.location.0, 4096.0);
        assert!((f64::from(points.0[0].x()) - at.x).abs() <= 0.5 && (f64::from(points.0[0].y()) - at.y).abs() <= 0.5);
        found.insert((text("code"), text("status")));
    }
    assert_eq!(found, expected);
    let open: Vec<&str> = found.iter().filter(|(_, s)| s == "open").map(|(c, _)| c.as_str()).collect();
    assert_eq!(open, ["M86005", "M86012", "M86617", "Y00060", "Y00996"], "the open practices of the city centre");

    // Below zoom 11 the layer is left out.
    let tile = TileId::containing(10, geo::coord! { x: -1.512, y: 52.408 }).unwrap();
    let (_, body) = common::get_bytes(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y)).await;
    assert!(!Reader::new(body).unwrap().get_layer_names().unwrap().contains(&"gp_practices".to_owned()));
}

#[tokio::test]
async fn the_tilejson_lists_the_practice_layer_with_its_fields_and_attribution() {
    let (status, json) = common::get("/tiles/lsoa.json").await;
    assert_eq!(status, StatusCode::OK);
    let layer = json["vector_layers"].as_array().unwrap().iter().find(|l| l["id"] == "gp_practices").unwrap();
    assert_eq!(layer["minzoom"], 11);
    for field in ["code", "name", "address", "status"] {
        assert!(layer["fields"][field].is_string(), "{field}");
    }
    assert!(json["attribution"].as_str().unwrap().contains("Contains NHS data (NHS England, ODS), OGL v3.0"));
    assert!(json["attribution"].as_str().unwrap().contains("Code-Point Open"));
}

#[tokio::test]
async fn the_static_map_draws_the_open_practices_when_asked() {
    let uri = "/charts/map.svg?indicator=gp_distance_km";
    let (status, plain) = common::get_text(uri).await;
    assert_eq!(status, StatusCode::OK);
    // The distances are computed from the practices, so their source names NHS England; the points
    // and their legend entry appear only when asked for.
    assert!(!plain.contains("GP practice (open)"));
    let (_, imd) = common::get_text("/charts/map.svg?indicator=iod25_imd_score").await;
    assert!(!imd.contains("NHS England"), "no NHS data on a map without it");
    let (status, svg) = common::get_text(&format!("{uri}&practices=1")).await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).map(str::trim).collect();
    assert!(texts.contains(&"GP practice (open) (50)"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("Contains NHS data (NHS England, ODS)")), "{texts:?}");
    // 50 dots on the map and one in the legend.
    let dots = doc.descendants().filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some("#7B3294"));
    assert_eq!(dots.count(), 51);
    // A locality map holds only the practices within its extent.
    let (_, local) = common::get_text(&format!("{uri}&practices=1&area=wood-end-henley-green")).await;
    assert!(local.contains("GP practice (open) (") && !local.contains("GP practice (open) (50)"));
    let (status, error) = common::get(&format!("{uri}&practices=yes")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("practices"), "{error}");
}

/// Loads a copy of the committed data with the practices file edited; the problems in words.
fn problems_with(edit: impl FnOnce(String) -> String) -> Vec<String> {
    let dir = common::data_copy();
    common::edit(dir.path(), "data/gp_practices.csv", edit);
    let files = DataFiles::read_dir(dir.path()).unwrap();
    match load(&files) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_bad_practice_file_is_refused_by_line_and_field() {
    // Line 2 is M84012, Park Leys: easting 431974, status open.
    let missing = problems_with(|t| t.replacen(",431974,", ",,", 1));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].ends_with("data/gp_practices.csv: line 2, field `easting`: is empty; a number is required"),
        "{missing:?}"
    );
    let text = problems_with(|t| t.replacen(",282328,", ",N/K,", 1));
    assert!(text[0].ends_with("line 2, field `northing`: expected a number, found \"N/K\""), "{text:?}");
    let status = problems_with(|t| t.replacen(",open,", ",active,", 1));
    assert!(status[0].ends_with("line 2, field `status`: \"active\" is neither \"open\" nor \"closed\""), "{status:?}");
    let twice = problems_with(|t| {
        let second = t.lines().nth(1).unwrap().to_owned();
        format!("{t}{second}\n")
    });
    assert!(twice[0].ends_with("line 72, field `code`: duplicate practice M84012"), "{twice:?}");
}

/// Evaluates a JS expression in the page and returns its JSON value.
fn js(tab: &headless_chrome::Tab, expression: &str) -> serde_json::Value {
    let wrapped = format!("(async () => JSON.stringify(await (async () => {{ {expression} }})()))()");
    let result = tab.evaluate(&wrapped, true).expect("the page evaluates");
    match result.value {
        Some(serde_json::Value::String(text)) => serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        _ => serde_json::Value::Null,
    }
}

/// Waits until a JS expression is true.
fn wait_for(tab: &headless_chrome::Tab, expression: &str) {
    let started = std::time::Instant::now();
    while js(tab, &format!("return Boolean({expression});")) != serde_json::Value::Bool(true) {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "timed out waiting for {expression}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn the_page_shows_the_open_practices_over_the_map_and_opens_one_from_the_keyboard_list() {
    use headless_chrome::{Browser, LaunchOptions};

    let chrome = std::path::PathBuf::from(std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    assert!(
        chrome.exists(),
        "no Chromium at {}: install it (apt-get install -y chromium) or set CHROME",
        chrome.display()
    );
    let server = common::start_server(&[]);
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        enable_gpu: false,
        window_size: Some((1280, 800)),
        path: Some(chrome),
        args: vec![std::ffi::OsStr::new("--enable-unsafe-swiftshader")],
        idle_browser_timeout: std::time::Duration::from_secs(300),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts");
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(std::time::Duration::from_secs(30));
    let url = format!("http://127.0.0.1:{}/#indicator=gp_distance_km&map=14.00/52.40800/-1.51200", server.port);
    tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "window.atlas && document.body.dataset.mapReady === 'true'");

    // The open practices of the city centre are drawn as circles; the closed ones only when asked.
    wait_for(&tab, "document.querySelectorAll('#practice-list button').length > 0");
    let drawn = js(
        &tab,
        "return [...new Set(atlas.map.queryRenderedFeatures({ layers: ['gp-practices'] }).map((f) => f.properties.code))].sort();",
    );
    for code in ["M86005", "M86012", "Y00060"] {
        assert!(drawn.as_array().unwrap().iter().any(|c| c == code), "{code} is not drawn: {drawn}");
    }
    assert_eq!(js(&tab, "return atlas.map.queryRenderedFeatures({ layers: ['gp-practices-closed'] }).length;"), 0);
    assert_eq!(js(&tab, "return atlas.map.getLayer('gp-practices').type;"), "circle");
    let legend = js(&tab, "return document.querySelector('#practices').textContent;");
    assert!(legend.as_str().unwrap().contains("GP practice (open)"), "{legend}");
    let footer = js(&tab, "return document.querySelector('footer').textContent;");
    assert!(footer.as_str().unwrap().contains("Contains NHS data (NHS England, ODS), OGL v3.0"), "{footer}");

    // The list of practices in view opens a practice's popup, with its name, address and status.
    let name = js(
        &tab,
        "const b = [...document.querySelectorAll('#practice-list button')].find((b) => b.textContent.startsWith('THE ANCHOR CENTRE')); \
         b.focus(); b.click(); return b.textContent;",
    );
    assert_eq!(name, "THE ANCHOR CENTRE");
    wait_for(&tab, "document.querySelector('.maplibregl-popup .practice-name')");
    let popup = js(&tab, "return document.querySelector('.maplibregl-popup').textContent;");
    let popup = popup.as_str().unwrap();
    assert!(popup.contains("THE ANCHOR CENTRE") && popup.contains("Open GP practice"), "{popup}");
    let postcode = &common::atlas().gp_practices().iter().find(|p| p.code == "Y00060").unwrap().postcode;
    assert!(popup.contains(postcode.as_str()), "{popup}");

    // Closed practices appear when their box is ticked.
    js(&tab, "const c = document.querySelector('#practices-closed'); c.click(); return true;");
    wait_for(&tab, "atlas.map.queryRenderedFeatures({ layers: ['gp-practices-closed'] }).length > 0");
    let closed = js(
        &tab,
        "return atlas.map.queryRenderedFeatures({ layers: ['gp-practices-closed'] }).map((f) => f.properties.status);",
    );
    assert!(closed.as_array().unwrap().iter().all(|s| s == "closed"), "{closed}");
}
