//! Vector tiles decoded by an independent decoder (`mvt-reader`): the right LSOAs, the API's
//! values, valid polygons inside the buffered extent, and correct HTTP behaviour.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use geo::{Area, Geometry, Intersects, MultiPolygon, Polygon, Validation};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::tiles::TileId;
use mvt_reader::Reader;
use mvt_reader::feature::Value;
use tower::ServiceExt;

async fn fetch(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    static STATE: std::sync::OnceLock<Arc<AppState>> = std::sync::OnceLock::new();
    let state = STATE
        .get_or_init(|| Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 16 << 20)));
    let mut request = Request::get(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = router(state.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

/// The tile containing a WGS84 point at a zoom.
fn tile_at(lon: f64, lat: f64, z: u32) -> TileId {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    TileId::new(z, x, y).unwrap()
}

fn polygons(geometry: &Geometry<f32>) -> Vec<Polygon<f64>> {
    let convert = |p: &Polygon<f32>| {
        let ring = |l: &geo::LineString<f32>| {
            geo::LineString::from(l.0.iter().map(|c| (f64::from(c.x), f64::from(c.y))).collect::<Vec<_>>())
        };
        Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
    };
    match geometry {
        Geometry::Polygon(p) => vec![convert(p)],
        Geometry::MultiPolygon(m) => m.0.iter().map(convert).collect(),
        other => panic!("expected polygons, got {other:?}"),
    }
}

#[tokio::test]
async fn sample_tiles_hold_exactly_the_lsoas_that_intersect_them_with_the_api_values() {
    let atlas = common::atlas();
    let samples = [
        ("E01009577", 10),
        ("E01009577", 13),
        ("E01009577", 16),
        ("E01009651", 13),
        ("E01009683", 16),
        ("E01009522", 13),
    ];
    for (code, z) in samples {
        let lsoa = atlas.lsoa(code).unwrap();
        let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), z);
        let (status, headers, body) = fetch(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y), &[]).await;
        assert_eq!(status, StatusCode::OK, "{code} z{z}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/vnd.mapbox-vector-tile");

        let reader = Reader::new(body).expect("an independent decoder reads the tile");
        let names = reader.get_layer_names().unwrap();
        let index = names.iter().position(|n| n == "lsoa").expect("an lsoa layer");
        let features = reader.get_features(index).unwrap();

        let window = tile.bounds().to_polygon();
        let expected: BTreeSet<&str> =
            atlas.lsoas().iter().filter(|l| l.geometry.intersects(&window)).map(|l| l.code.as_str()).collect();
        let mut found = BTreeSet::new();
        for feature in &features {
            let properties = feature.properties.as_ref().unwrap();
            let Some(Value::String(code)) = properties.get("code") else { panic!("no code") };
            found.insert(code.clone());
            // District figures are one value for the whole city: not a tile property.
            for indicator in atlas.catalogue().iter().filter(|i| i.mapped()) {
                let published =
                    atlas.observation(&indicator.id, code).map(|o| Disclosure::default().publish(indicator, &o));
                match (published.and_then(|p| p.value), properties.get(&indicator.id)) {
                    (Some(v), Some(Value::Double(t))) => assert_eq!(v, *t, "{code} {}", indicator.id),
                    (None, None) => {}
                    (v, t) => panic!("{code} {}: api {v:?}, tile {t:?}", indicator.id),
                }
            }
            for polygon in polygons(&feature.geometry) {
                let multi = MultiPolygon(vec![polygon.clone()]);
                assert!(multi.is_valid(), "{code} z{z}: {:?}", multi.validation_errors());
                assert!(polygon.unsigned_area() > 0.0);
                for c in polygon.exterior().0.iter().chain(polygon.interiors().iter().flat_map(|r| r.0.iter())) {
                    assert!((-64.0..=4160.0).contains(&c.x) && (-64.0..=4160.0).contains(&c.y), "{code} z{z}: {c:?}");
                }
            }
        }
        let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
        assert_eq!(found, expected, "{code} z{z}");
    }
}

#[tokio::test]
async fn locality_and_ward_layers_come_with_the_lsoas() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 12);
    let (_, _, body) = fetch(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y), &[]).await;
    let reader = Reader::new(body).unwrap();
    let names = reader.get_layer_names().unwrap();
    assert_eq!(names, vec!["lsoa", "localities", "wards", "msoa", "gp_practices"]);
    let localities = reader.get_features(1).unwrap();
    assert!(
        localities
            .iter()
            .any(|f| f.properties.as_ref().unwrap().get("id") == Some(&Value::String("wood-end-henley-green".into())))
    );
}

#[tokio::test]
async fn lsoa_names_come_from_zoom_8_and_codes_at_every_zoom() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    for z in [5, 7, 8, 10] {
        let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), z);
        let (status, _, body) = fetch(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y), &[]).await;
        assert_eq!(status, StatusCode::OK, "z{z}");
        let features = Reader::new(body).unwrap().get_features(0).unwrap();
        assert!(!features.is_empty(), "z{z}");
        for feature in &features {
            let properties = feature.properties.as_ref().unwrap();
            assert!(matches!(properties.get("code"), Some(Value::String(_))), "z{z}");
            assert_eq!(properties.contains_key("name"), z >= 8, "z{z}: {properties:?}");
        }
    }
    let (_, _, tilejson) = fetch("/tiles/lsoa.json", &[]).await;
    let tilejson: serde_json::Value = serde_json::from_slice(&tilejson).unwrap();
    assert_eq!(tilejson["vector_layers"][0]["fields"]["name"], "LSOA name (from zoom 8)");
}

#[tokio::test]
async fn empty_tiles_are_204_and_bad_addresses_400() {
    let (status, _, body) = fetch("/tiles/lsoa/10/0/0.mvt", &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
    for uri in [
        "/tiles/lsoa/23/0/0.mvt",
        "/tiles/lsoa/3/8/0.mvt",
        "/tiles/lsoa/3/0/-1.mvt",
        "/tiles/lsoa/a/0/0.mvt",
        "/tiles/lsoa/3/0/0.png",
        "/tiles/lsoa/3/0/99999999999.mvt",
    ] {
        let (status, _, body) = fetch(uri, &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(json["error"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn tiles_are_gzipped_on_request_and_conditional_on_their_etag() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 13);
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (_, plain_headers, plain) = fetch(&uri, &[]).await;
    let (_, headers, gzipped) = fetch(&uri, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gzipped.as_slice()), &mut decoded).unwrap();
    assert_eq!(decoded, plain);

    let etag = plain_headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.contains(&atlas.version), "{etag}");
    assert!(plain_headers[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    let (status, _, body) = fetch(&uri, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn tilejson_describes_the_layers() {
    let (status, _, body) = fetch("/tiles/lsoa.json", &[("host", "127.0.0.1:9999")]).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["tilejson"], "3.0.0");
    assert_eq!(json["tiles"][0], "http://127.0.0.1:9999/tiles/lsoa/{z}/{x}/{y}.mvt");
    assert_eq!(json["maxzoom"], 16);
    let bounds: Vec<f64> = json["bounds"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!(bounds[0] < -1.6 && bounds[2] > -1.43 && bounds[1] < 52.37 && bounds[3] > 52.46, "{bounds:?}");
    let layers: Vec<&str> =
        json["vector_layers"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(layers, ["lsoa", "localities", "wards", "msoa", "gp_practices"]);
    assert!(json["vector_layers"][0]["fields"]["iod25_income_rate"].is_string());
    assert!(json["attribution"].as_str().unwrap().contains("Open Government Licence"));
}

#[tokio::test]
async fn every_tile_over_coventry_at_z9_z12_and_z14_is_valid_and_complete() {
    let atlas = common::atlas();
    let bounds = atlas.bounds().unwrap();
    let mut checked = 0;
    for z in [9, 12, 14] {
        let top_left = tile_at(bounds.min().x, bounds.max().y, z);
        let bottom_right = tile_at(bounds.max().x, bounds.min().y, z);
        for x in top_left.x..=bottom_right.x {
            for y in top_left.y..=bottom_right.y {
                let tile = TileId::new(z, x, y).unwrap();
                let (status, _, body) = fetch(&format!("/tiles/lsoa/{z}/{x}/{y}.mvt"), &[]).await;
                let window = tile.bounds().to_polygon();
                let expected: BTreeSet<String> =
                    atlas.lsoas().iter().filter(|l| l.geometry.intersects(&window)).map(|l| l.code.clone()).collect();
                if status == StatusCode::NO_CONTENT {
                    assert!(expected.is_empty(), "{z}/{x}/{y} is empty but {expected:?} intersect it");
                    continue;
                }
                let reader = Reader::new(body).unwrap();
                let mut found = BTreeSet::new();
                for feature in reader.get_features(0).unwrap() {
                    let Some(Value::String(code)) = feature.properties.as_ref().unwrap().get("code") else { panic!() };
                    for polygon in polygons(&feature.geometry) {
                        let multi = MultiPolygon(vec![polygon]);
                        assert!(multi.is_valid(), "{code} in {z}/{x}/{y}: {:?}", multi.validation_errors());
                    }
                    found.insert(code.clone());
                }
                assert_eq!(found, expected, "{z}/{x}/{y}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked} tiles");
}

#[tokio::test]
async fn tiles_are_open_to_other_sites() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 12);
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (status, headers, _) = fetch(&uri, &[("origin", "https://maps.example.org")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let (_, headers, _) = fetch("/tiles/lsoa.json", &[("origin", "https://maps.example.org")]).await;
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test]
async fn gzip_and_plain_tiles_have_their_own_validators() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 13);
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (_, gzip, _) = fetch(&uri, &[("accept-encoding", "gzip")]).await;
    let (_, plain, _) = fetch(&uri, &[]).await;
    let (gzip, plain) = (gzip[header::ETAG].to_str().unwrap(), plain[header::ETAG].to_str().unwrap());
    assert_ne!(gzip, plain, "two encodings, two representations");
    // A cache holding the plain body must not be told its validator still fits the gzip one.
    let (status, _, body) = fetch(&uri, &[("accept-encoding", "gzip"), ("if-none-match", plain)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.is_empty());
    let (status, _, _) = fetch(&uri, &[("accept-encoding", "gzip"), ("if-none-match", gzip)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[test]
fn prewarming_fills_the_cache_with_both_encodings() {
    let state = AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 16 << 20);
    let count = locality_atlas::api::prewarm(&state, 12, 12).unwrap();
    assert!(count > 0);
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 12);
    for gzip in [true, false] {
        let key = locality_atlas::tiles::TileKey::Vector { tile, gzip };
        assert!(state.tiles.get(&key).is_some_and(|b| b.is_some()), "gzip {gzip}: browsers ask for gzip");
    }
}
