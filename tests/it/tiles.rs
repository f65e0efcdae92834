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

/// Every tile of a zoom that meets the district's bounds.
fn tiles_over_district(z: u32) -> impl Iterator<Item = TileId> {
    let bounds = common::atlas().bounds().unwrap();
    let top_left = tile_at(bounds.min().x, bounds.max().y, z);
    let bottom_right = tile_at(bounds.max().x, bounds.min().y, z);
    (top_left.x..=bottom_right.x)
        .flat_map(move |x| (top_left.y..=bottom_right.y).map(move |y| TileId::new(z, x, y).unwrap()))
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
    assert_eq!(names, vec!["lsoa", "localities", "wards", "msoa", "gp_practices", "labels"]);
    let localities = reader.get_features(1).unwrap();
    assert!(
        localities
            .iter()
            .any(|f| f.properties.as_ref().unwrap().get("id") == Some(&Value::String("wood-end-henley-green".into())))
    );
}

#[tokio::test]
async fn lsoa_names_come_from_zoom_10_ward_codes_from_8_and_codes_at_every_zoom() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    for z in [5, 7, 8, 9, 10, 12] {
        let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), z);
        let (status, _, body) = fetch(&format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y), &[]).await;
        assert_eq!(status, StatusCode::OK, "z{z}");
        let features = Reader::new(body).unwrap().get_features(0).unwrap();
        assert!(!features.is_empty(), "z{z}");
        for feature in &features {
            let properties = feature.properties.as_ref().unwrap();
            assert!(matches!(properties.get("code"), Some(Value::String(_))), "z{z}");
            assert_eq!(properties.contains_key("name"), z >= 10, "z{z}: {properties:?}");
            assert_eq!(properties.contains_key("ward"), z >= 8, "z{z}: {properties:?}");
        }
    }
    let (_, _, tilejson) = fetch("/tiles/lsoa.json", &[]).await;
    let tilejson: serde_json::Value = serde_json::from_slice(&tilejson).unwrap();
    assert_eq!(tilejson["vector_layers"][0]["fields"]["name"], "LSOA name (from zoom 10)");
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
async fn tiles_are_compressed_on_request_and_conditional_on_their_etag() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 13);
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (_, plain_headers, plain) = fetch(&uri, &[]).await;
    assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
    // Safari asks for gzip; Chromium and Firefox take zstd.
    let (_, headers, gzipped) = fetch(&uri, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gzipped.as_slice()), &mut decoded).unwrap();
    assert_eq!(decoded, plain);
    let (_, headers, zstd) = fetch(&uri, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
    assert_eq!(zstd::decode_all(zstd.as_slice()).unwrap(), plain);

    let etag = plain_headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.contains(&atlas.version), "{etag}");
    assert!(plain_headers[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    let (status, _, body) = fetch(&uri, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn the_labels_layer_names_every_ward_and_each_locality_at_a_point_inside_it() {
    let atlas = common::atlas();
    let z = 10;
    let (north_west, south_east) = (tile_at(-1.62, 52.47, z), tile_at(-1.42, 52.36, z));
    let mut labels = std::collections::BTreeMap::new();
    for x in north_west.x..=south_east.x {
        for y in north_west.y..=south_east.y {
            let (status, _, body) = fetch(&format!("/tiles/lsoa/{z}/{x}/{y}.mvt"), &[]).await;
            if status == StatusCode::NO_CONTENT {
                continue;
            }
            let reader = Reader::new(body).unwrap();
            let Some(layer) = reader.get_layer_names().unwrap().iter().position(|n| n == "labels") else { continue };
            for feature in reader.get_features(layer).unwrap() {
                let properties = feature.properties.unwrap();
                let text = |key: &str| match properties.get(key) {
                    Some(Value::String(s)) => s.clone(),
                    other => panic!("{key}: {other:?}"),
                };
                // The decoder gives a point feature as a multipoint of one.
                let Geometry::MultiPoint(points) = feature.geometry else { panic!("a label is a point") };
                assert_eq!(points.0.len(), 1);
                let point = points.0[0];
                // Tile units back to WGS84.
                let n = f64::from(1u32 << z);
                let (wx, wy) =
                    (f64::from(x) + f64::from(point.x()) / 4096.0, f64::from(y) + f64::from(point.y()) / 4096.0);
                let lon = wx / n * 360.0 - 180.0;
                let lat = (std::f64::consts::PI * (1.0 - 2.0 * wy / n)).sinh().atan().to_degrees();
                labels.insert((text("kind"), text("code")), (text("name"), geo::Point::new(lon, lat)));
            }
        }
    }
    let wards: Vec<_> = labels.iter().filter(|((kind, _), _)| kind == "ward").collect();
    assert_eq!(wards.len(), atlas.wards().len(), "one label per ward");
    for ((_, code), (name, point)) in wards {
        let ward = atlas.ward(code).unwrap();
        assert_eq!(name, &ward.name);
        assert!(ward.geometry.intersects(point), "{name}'s label is outside it");
    }
    let localities: Vec<&str> =
        labels.iter().filter(|((kind, _), _)| kind == "locality").map(|(_, (name, _))| name.as_str()).collect();
    let expected: Vec<&str> = atlas
        .localities()
        .iter()
        .filter(|l| !l.is_context())
        .map(|l| l.name.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(localities.iter().copied().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>(), expected);
    assert!(localities.contains(&"Wood End/Henley Green"), "{localities:?}");
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
    assert_eq!(layers, ["lsoa", "localities", "wards", "msoa", "gp_practices", "labels"]);
    assert!(json["vector_layers"][0]["fields"]["iod25_income_rate"].is_string());
    assert!(json["attribution"].as_str().unwrap().contains("Open Government Licence"));
}

#[tokio::test]
async fn every_tile_over_coventry_at_z9_z12_and_z14_is_valid_and_complete() {
    let atlas = common::atlas();
    let mut checked = 0;
    for tile in [9, 12, 14].into_iter().flat_map(tiles_over_district) {
        let (z, x, y) = (tile.z, tile.x, tile.y);
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
async fn each_encoding_of_a_tile_has_its_own_validator() {
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 13);
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (_, gzip, _) = fetch(&uri, &[("accept-encoding", "gzip")]).await;
    let (_, zstd, _) = fetch(&uri, &[("accept-encoding", "zstd")]).await;
    let (_, plain, _) = fetch(&uri, &[]).await;
    let (gzip, plain) = (gzip[header::ETAG].to_str().unwrap(), plain[header::ETAG].to_str().unwrap());
    let zstd = zstd[header::ETAG].to_str().unwrap();
    assert_ne!(gzip, plain, "two encodings, two representations");
    assert!(zstd != gzip && zstd != plain, "{zstd}");
    // A cache holding the plain body must not be told its validator still fits the gzip one.
    let (status, _, body) = fetch(&uri, &[("accept-encoding", "gzip"), ("if-none-match", plain)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.is_empty());
    let (status, _, _) = fetch(&uri, &[("accept-encoding", "gzip"), ("if-none-match", gzip)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[test]
fn prewarming_fills_the_cache_with_each_encoding() {
    let state = AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 16 << 20);
    let count = locality_atlas::api::prewarm(&state, 12, 12).unwrap();
    assert!(count > 0);
    let atlas = common::atlas();
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 12);
    for encoding in [Some("zstd"), Some("gzip"), None] {
        let key = locality_atlas::tiles::TileKey::Vector { tile, encoding, fields: String::new() };
        assert!(state.tiles.get(&key).is_some_and(|b| b.is_some()), "{encoding:?}: browsers ask for zstd or gzip");
    }
}

#[tokio::test]
async fn the_overview_zooms_draw_every_lsoa_small_urban_ones_too() {
    // At zooms 6 and 7, where England or a region fills the screen, an urban LSOA is a pixel or two
    // across; left out, a city would show as a gap in the map. Every one of the district's LSOAs is
    // in the tiles over it.
    let atlas = common::atlas();
    let every: BTreeSet<String> = atlas.lsoas().iter().map(|l| l.code.clone()).collect();
    for z in [6, 7] {
        let mut found = BTreeSet::new();
        for TileId { x, y, .. } in tiles_over_district(z) {
            let (status, _, body) = fetch(&format!("/tiles/lsoa/{z}/{x}/{y}.mvt?fields=iod25_imd_score"), &[]).await;
            assert_eq!(status, StatusCode::OK, "{z}/{x}/{y}");
            for properties in layer_properties(body, "lsoa") {
                let Some(Value::String(code)) = properties.get("code") else { panic!("a feature without its code") };
                found.insert(code.clone());
            }
        }
        assert_eq!(found, every, "zoom {z}: {} of {} LSOAs drawn", found.len(), every.len());
    }
}

/// Every feature's properties in a layer of a tile, by code.
fn layer_properties(body: Vec<u8>, layer: &str) -> Vec<std::collections::HashMap<String, Value>> {
    let reader = Reader::new(body).unwrap();
    let names = reader.get_layer_names().unwrap();
    let Some(index) = names.iter().position(|n| n == layer) else { return Vec::new() };
    reader.get_features(index).unwrap().into_iter().map(|f| f.properties.unwrap()).collect()
}

#[tokio::test]
async fn a_tile_can_carry_only_the_indicators_it_is_asked_for() {
    let atlas = common::atlas();
    let (mut chosen_bytes, mut full_bytes, mut tiles) = (0, 0, 0);
    for tile in locality_atlas::tiles::archive::tiles_over_city(atlas, 11, 11) {
        let address = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
        let (status, _, full) = fetch(&address, &[]).await;
        let (chosen_status, _, chosen) = fetch(&format!("{address}?fields=iod25_income_rate"), &[]).await;
        assert_eq!(status, chosen_status, "{address}");
        if status != StatusCode::OK {
            continue;
        }
        // One indicator against all of them: at most a quarter of the bytes, tile by tile.
        assert!(chosen.len() * 4 <= full.len(), "{address}: {} of {} bytes", chosen.len(), full.len());
        (chosen_bytes, full_bytes, tiles) = (chosen_bytes + chosen.len(), full_bytes + full.len(), tiles + 1);
        let full_lsoas = layer_properties(full.clone(), "lsoa");
        let chosen_lsoas = layer_properties(chosen.clone(), "lsoa");
        assert_eq!(full_lsoas.len(), chosen_lsoas.len(), "{address}");
        for (all, only) in full_lsoas.iter().zip(&chosen_lsoas) {
            // The identifying fields and the one indicator, with the same values as the full tile.
            let mut expected: Vec<&String> = all
                .keys()
                .filter(|k| ["code", "name", "ward", "locality", "iod25_income_rate"].contains(&k.as_str()))
                .collect();
            let mut got: Vec<&String> = only.keys().collect();
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{address}");
            for key in got {
                assert_eq!(format!("{:?}", only[key]), format!("{:?}", all[key]), "{address} {key}");
            }
        }
        // The other layers are whole.
        for layer in ["localities", "wards", "msoa"] {
            assert_eq!(layer_properties(full.clone(), layer).len(), layer_properties(chosen.clone(), layer).len());
        }
    }
    assert!(tiles >= 3, "{tiles} tiles at z11");
    println!("z11 over Coventry: {chosen_bytes} bytes with one indicator, {full_bytes} with all, in {tiles} tiles");

    // MSOA indicators are chosen on the MSOA layer; the choice has its own validator.
    let lsoa = atlas.lsoa("E01009577").unwrap();
    let tile = tile_at(lsoa.interior.x(), lsoa.interior.y(), 12);
    let address = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let (_, msoa_headers, msoa_tile) = fetch(&format!("{address}?fields=covid19_deaths_2020_21"), &[]).await;
    let msoas = layer_properties(msoa_tile, "msoa");
    assert!(
        !msoas.is_empty() && msoas.iter().all(|m| m.contains_key("covid19_deaths_2020_21") && m.contains_key("code"))
    );
    assert!(
        layer_properties(fetch(&format!("{address}?fields=covid19_deaths_2020_21"), &[]).await.2, "lsoa")
            .iter()
            .all(|p| p.keys().all(|k| ["code", "name", "ward", "locality"].contains(&k.as_str())))
    );
    let (_, full_headers, _) = fetch(&address, &[]).await;
    assert_ne!(msoa_headers[header::ETAG], full_headers[header::ETAG]);

    // Names that are not mapped indicators are refused, by name.
    for (fields, named) in
        [("nonsense", "nonsense"), ("iod25_income_rate,lonely_cls2020_modelled", "lonely_cls2020_modelled")]
    {
        let (status, _, body) = fetch(&format!("{address}?fields={fields}"), &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{fields}");
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(error.to_string().contains(named), "{error}");
    }
}
