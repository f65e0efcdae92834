//! The disclosure scan: every endpoint and export, for every indicator, locality and LSOA, served
//! with a strict threshold of 30 so that hundreds of LSOA counts (and some locality totals) are
//! withheld, checked for any count below the threshold or any value derived from one.
//!
//! What is checked where:
//! - JSON (indicators, values, classes, inequality, localities, profiles, attention lists, every
//!   LSOA, custom areas): every `numerator` shown is at least the threshold, and every object
//!   marked `suppressed` shows no value, count or interval.
//! - CSV behind every chart kind, for every indicator and area: the same, by column, and the rows
//!   of withheld LSOAs have empty values.
//! - GeoJSON export and every vector tile from zoom 10 to 14 over the city: a withheld LSOA value
//!   is absent from its feature's properties; every value present is the published one.
//! - SVG charts: a ranked chart that names a withheld LSOA does not print its value; the PNG of a
//!   chart is exactly the raster of the SVG checked.
//! - The HTML report of each locality: a withheld locality total is reported as suppressed, and
//!   its value is not printed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use locality_atlas::analysis::{Area, Disclosure, profile};
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{Atlas, embedded_files, load};
use locality_atlas::charts::{Size, png};
use locality_atlas::figures::{FigureKind, format_value};
use serde_json::Value;
use tower::ServiceExt;

const THRESHOLD: f64 = 30.0;

struct Scan {
    app: Router,
    atlas: Atlas,
    /// (indicator, LSOA code) of every withheld LSOA value.
    withheld: HashSet<(String, String)>,
    requests: usize,
}

impl Scan {
    fn new() -> Scan {
        let atlas = load(&embedded_files()).unwrap();
        let state = Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure { threshold: THRESHOLD }, 0));
        let disclosure = Disclosure { threshold: THRESHOLD };
        let mut withheld = HashSet::new();
        for indicator in atlas.catalogue() {
            for lsoa in atlas.lsoas() {
                if let Some(o) = atlas.observation(&indicator.id, &lsoa.code)
                    && o.value.is_some()
                    && disclosure.publish(indicator, &o).value.is_none()
                {
                    withheld.insert((indicator.id.clone(), lsoa.code.clone()));
                }
            }
        }
        Scan { app: router(state), atlas, withheld, requests: 0 }
    }

    async fn fetch(&mut self, request: Request<Body>) -> (String, Vec<u8>) {
        let uri = request.uri().to_string();
        let (status, content_type, body) = self.answer(request).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::NO_CONTENT,
            "{uri}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        (content_type, body)
    }

    async fn answer(&mut self, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        self.requests += 1;
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        (status, content_type, response.into_body().collect().await.unwrap().to_bytes().to_vec())
    }

    async fn get(&mut self, uri: &str) -> (String, Vec<u8>) {
        self.fetch(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    async fn json(&mut self, uri: &str) -> Value {
        let (_, body) = self.get(uri).await;
        let json: Value = serde_json::from_slice(&body).unwrap();
        check_json(&json, uri);
        json
    }

    fn is_withheld(&self, indicator: &str, code: &str) -> bool {
        self.withheld.contains(&(indicator.to_owned(), code.to_owned()))
    }
}

/// Every `numerator` at least the threshold; nothing beside a `suppressed` reason.
fn check_json(value: &Value, at: &str) {
    match value {
        Value::Object(object) => {
            if let Some(n) = object.get("numerator").and_then(Value::as_f64) {
                assert!(n >= THRESHOLD, "{at}: numerator {n} in {value}");
            }
            if object.get("suppressed").is_some_and(|s| s.is_string()) {
                for key in ["value", "numerator", "ci95", "ci998", "lower_95", "upper_95"] {
                    assert!(object.get(key).is_none_or(Value::is_null), "{at}: {key} beside a suppression in {value}");
                }
            }
            object.values().for_each(|v| check_json(v, at));
        }
        Value::Array(items) => items.iter().for_each(|v| check_json(v, at)),
        _ => {}
    }
}

fn csv_rows(csv: &str) -> Vec<HashMap<String, String>> {
    let mut lines = csv.lines().filter(|l| !l.starts_with('#') && !l.is_empty());
    let Some(header) = lines.next() else { return Vec::new() };
    let header: Vec<String> = split_csv(header);
    lines.map(|l| header.iter().cloned().zip(split_csv(l)).collect()).collect()
}

/// Splits one CSV line, with quoted fields.
fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The requests of one figure kind for an indicator: (query) over every area it takes.
fn figure_queries(kind: &str, indicator: &str, areas: &[String]) -> Vec<String> {
    match kind {
        "ranked" | "map" => areas.iter().map(|a| format!("indicator={indicator}&area={a}")).collect(),
        "spine" => areas[1..].iter().map(|a| format!("locality={a}")).collect(),
        "gradient" => std::iter::once(format!("indicator={indicator}"))
            .chain(areas[1..].iter().map(|a| format!("indicator={indicator}&locality={a}")))
            .collect(),
        "scatter" => vec![format!("x={indicator}&y=iod25_imd_score"), format!("x=iod25_imd_score&y={indicator}")],
        _ => vec![format!("indicator={indicator}")],
    }
}

#[tokio::test]
async fn no_count_below_the_threshold_appears_in_any_endpoint_or_export() {
    let mut scan = Scan::new();
    assert!(scan.withheld.len() > 300, "the strict threshold withholds many LSOA values: {}", scan.withheld.len());
    let indicators: Vec<String> = scan.atlas.catalogue().iter().map(|i| i.id.clone()).collect();
    let mut areas = vec!["coventry".to_owned()];
    areas.extend(scan.atlas.localities().iter().filter(|l| !l.is_context()).map(|l| l.id.clone()));

    // JSON: the catalogue, every indicator's values, classes and inequality.
    scan.json("/api/indicators").await;
    for id in &indicators {
        scan.json(&format!("/api/indicators/{id}")).await;
        let values = scan.json(&format!("/api/indicators/{id}/values")).await;
        for row in values["values"].as_array().unwrap() {
            if scan.is_withheld(id, row["code"].as_str().unwrap_or_default()) {
                assert!(row["value"].is_null(), "{id}: {row}");
            }
        }
        // A scheme may be refused for an indicator (too few distinct values, not deciles), and a
        // district figure has no map at all.
        for scheme in ["quantile", "equal", "jenks", "decile"] {
            let uri = format!("/api/indicators/{id}/classes?scheme={scheme}");
            let (status, _, body) = scan.answer(Request::get(&uri).body(Body::empty()).unwrap()).await;
            let mapped = scan.atlas.indicator(id).is_some_and(|i| i.mapped());
            let refusal = if mapped { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            assert!(status == StatusCode::OK || status == refusal, "{uri}: {status}");
            check_json(&serde_json::from_slice(&body).unwrap(), &uri);
        }
        scan.json(&format!("/api/inequality/{id}")).await;
    }
    // Localities: profiles, attention lists, and each as a custom area.
    scan.json("/api/localities").await;
    let strict = Disclosure { threshold: THRESHOLD };
    for locality in scan.atlas.localities().iter().filter(|l| !l.is_context()).cloned().collect::<Vec<_>>() {
        scan.json(&format!("/api/localities/{}/profile", locality.id)).await;
        scan.json(&format!("/api/localities/{}/attention", locality.id)).await;
        let codes: Vec<&str> = locality.members.iter().map(|m| m.lsoa21_code.as_str()).collect();
        let body = serde_json::json!({ "lsoas": codes }).to_string();
        let request = Request::post("/api/custom-area").header(header::CONTENT_TYPE, "application/json");
        let (_, response) = scan.fetch(request.body(Body::from(body)).unwrap()).await;
        check_json(&serde_json::from_slice(&response).unwrap(), "custom area");

        // The report: a withheld locality total is said to be suppressed and not printed.
        let area = Area::locality(&scan.atlas, &locality.id).unwrap();
        let shown = profile(&scan.atlas, &area, &strict);
        let open = profile(&scan.atlas, &area, &Disclosure { threshold: 0.0 });
        let (_, report) = scan.get(&format!("/api/localities/{}/report.html", locality.id)).await;
        let report = String::from_utf8(report).unwrap();
        for (row, unsuppressed) in shown.indicators.iter().zip(&open.indicators) {
            if row.area.suppressed.is_none() {
                continue;
            }
            let name = &scan.atlas.indicator(&row.id).unwrap().name;
            let table_row = report.split("<tr").find(|r| r.contains(name.as_str())).unwrap_or_else(|| panic!("{name}"));
            assert!(table_row.to_lowercase().contains("suppressed"), "{}: {name} row: {table_row}", locality.id);
            if let Some(value) = unsuppressed.area.value {
                let unit = &scan.atlas.indicator(&row.id).unwrap().unit;
                assert!(!table_row.contains(&format_value(value, unit)), "{}: {name} printed", locality.id);
            }
        }
    }
    // Every LSOA.
    for code in scan.atlas.lsoas().iter().map(|l| l.code.clone()).collect::<Vec<_>>() {
        let lsoa = scan.json(&format!("/api/lsoa/{code}")).await;
        // The indicator figures (the rank moves beside them are national deciles, not counts).
        let text = lsoa["indicators"].to_string();
        for id in &indicators {
            if scan.is_withheld(id, &code) {
                let value = scan.atlas.observation(id, &code).unwrap().value.unwrap();
                assert!(!text.contains(&format!(":{value},")), "{code} {id} value {value} in {text}");
            }
        }
    }

    // CSV and SVG behind every chart kind, every indicator, every area.
    for id in &indicators {
        let has_counterpart = scan.atlas.indicator(id).unwrap().counterpart.is_some();
        for kind in FigureKind::ALL.map(FigureKind::as_str).into_iter().filter(|k| *k != "change" || has_counterpart) {
            for query in figure_queries(kind, id, &areas) {
                // A figure may be refused for an indicator it cannot show (422), as ranks in a ranked chart.
                let uri = format!("/export/{kind}.csv?{query}");
                let (status, _, csv) = scan.answer(Request::get(&uri).body(Body::empty()).unwrap()).await;
                if status == StatusCode::UNPROCESSABLE_ENTITY {
                    check_json(&serde_json::from_slice(&csv).unwrap(), &uri);
                    continue;
                }
                assert_eq!(status, StatusCode::OK, "{uri}");
                for row in csv_rows(&String::from_utf8(csv).unwrap()) {
                    if let Some(n) = row.get("numerator").filter(|n| !n.is_empty()) {
                        assert!(n.parse::<f64>().unwrap() >= THRESHOLD, "{kind}?{query}: numerator {n}");
                    }
                    let Some(code) = row.get("lsoa_code").or_else(|| row.get("area_code")) else { continue };
                    for (column, indicator) in [("value", id.as_str()), ("x_value", id), ("y_value", id)] {
                        let shown = row.get(column).is_some_and(|v| !v.is_empty());
                        let about = kind != "scatter" || query.starts_with(&format!("{}={id}", &column[..1]));
                        assert!(
                            !(shown && about && scan.is_withheld(indicator, code)),
                            "{kind}?{query}: {column} of {code}"
                        );
                    }
                }
                if kind == "ranked" {
                    let (_, svg) = scan.get(&format!("/charts/ranked.svg?{query}")).await;
                    let texts = svg_texts(&String::from_utf8(svg).unwrap());
                    // A withheld LSOA's row carries the suppression note where its value would be.
                    for (_, code) in scan.withheld.iter().filter(|(i, _)| i == id) {
                        if let Some(at) = texts.iter().position(|t| t.starts_with(code.as_str())) {
                            let next = texts.get(at + 1).map(String::as_str).unwrap_or_default();
                            assert!(next.contains("suppressed"), "{query}: {code} is followed by {next:?}");
                        }
                    }
                }
            }
        }
        // The GeoJSON export.
        let (_, geojson) = scan.get(&format!("/export/lsoa.geojson?indicator={id}")).await;
        let geojson: Value = serde_json::from_slice(&geojson).unwrap();
        for feature in geojson["features"].as_array().unwrap() {
            let code = feature["properties"]["code"].as_str().unwrap();
            if scan.is_withheld(id, code) {
                assert!(feature["properties"].get(id.as_str()).is_none_or(Value::is_null), "{id} {code} in GeoJSON");
            }
        }
    }

    // The PNG of a chart is the raster of the SVG checked above, so it shows the same text.
    for (kind, query) in [
        ("ranked", "indicator=census21_overcrowded&area=coventry"),
        ("map", "indicator=census21_overcrowded&area=canley-tile-hill"),
        ("spine", "locality=wood-end-henley-green"),
    ] {
        let (_, svg) = scan.get(&format!("/charts/{kind}.svg?{query}")).await;
        let (_, served) = scan.get(&format!("/charts/{kind}.png?{query}")).await;
        assert_eq!(png(&String::from_utf8(svg).unwrap(), Size::Screen).unwrap(), served, "{kind}?{query}");
    }

    // Every vector tile from zoom 10 to 14 over the city.
    let published: HashMap<(String, String), f64> = {
        let strict = Disclosure { threshold: THRESHOLD };
        let mut map = HashMap::new();
        for indicator in scan.atlas.catalogue() {
            for lsoa in scan.atlas.lsoas() {
                if let Some(value) =
                    scan.atlas.observation(&indicator.id, &lsoa.code).and_then(|o| strict.publish(indicator, &o).value)
                {
                    map.insert((indicator.id.clone(), lsoa.code.clone()), value);
                }
            }
        }
        map
    };
    let bounds = scan.atlas.bounds().unwrap();
    let mut features_seen = 0;
    for z in 10..=14u32 {
        let n = f64::from(1u32 << z);
        let column = |lon: f64| ((lon + 180.0) / 360.0 * n).floor() as u32;
        let row = |lat: f64| {
            let r = lat.to_radians();
            ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32
        };
        for x in column(bounds.min().x)..=column(bounds.max().x) {
            for y in row(bounds.max().y)..=row(bounds.min().y) {
                let (_, body) = scan.get(&format!("/tiles/lsoa/{z}/{x}/{y}.mvt")).await;
                if body.is_empty() {
                    continue;
                }
                let reader = mvt_reader::Reader::new(body).unwrap();
                for feature in reader.get_features(0).unwrap() {
                    let properties = feature.properties.unwrap();
                    let Some(mvt_reader::feature::Value::String(code)) = properties.get("code") else { panic!() };
                    features_seen += 1;
                    for id in &indicators {
                        let value = properties.get(id.as_str());
                        if !scan.atlas.indicator(id).is_some_and(|i| i.mapped()) {
                            assert!(
                                value.is_none(),
                                "{z}/{x}/{y}: {code} {id} is a district figure, not a tile property"
                            );
                            continue;
                        }
                        match published.get(&(id.clone(), code.clone())) {
                            Some(expected) => {
                                assert_eq!(
                                    value,
                                    Some(&mvt_reader::feature::Value::Double(*expected)),
                                    "{z}/{x}/{y} {code} {id}"
                                )
                            }
                            None => assert!(value.is_none(), "{z}/{x}/{y}: {code} {id} withheld but in the tile"),
                        }
                    }
                }
            }
        }
    }
    assert!(features_seen > 1000, "{features_seen}");
    eprintln!(
        "disclosure scan: {} requests, {} withheld LSOA values, {features_seen} tile features",
        scan.requests,
        scan.withheld.len()
    );
}
