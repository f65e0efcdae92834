//! The PMTiles export opens with a PMTiles reader and holds the server's own tile bytes.

use crate::common;

use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::tiles::archive::tiles_over_city;
use pmtiles::{AsyncPmTilesReader, TileCoord};
use tower::ServiceExt;

#[tokio::test]
async fn the_exported_archive_returns_the_same_tiles_as_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coventry.pmtiles");
    let output = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["export", "tiles", "--max-zoom", "13", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("tiles of"));

    let reader = AsyncPmTilesReader::new_with_path(&path).await.expect("a valid PMTiles v3 archive");
    let header = reader.get_header();
    assert_eq!(header.max_zoom, 13);
    let metadata = reader.get_metadata().await.unwrap();
    assert!(metadata.contains("Open Government Licence"));
    assert_metadata_lists_the_layers_fields_as_the_tilejson_does(&metadata).await;

    let state = Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0));
    let atlas = common::atlas();
    let mut compared = 0;
    for tile in tiles_over_city(atlas, 0, 13).into_iter().step_by(2) {
        let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
        let response = router(state.clone()).oneshot(Request::get(&uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let served = response.into_body().collect().await.unwrap().to_bytes();
        let archived = reader.get_tile_decompressed(TileCoord::new(tile.z, tile.x, tile.y).unwrap()).await.unwrap();
        match (status, archived) {
            (StatusCode::OK, Some(bytes)) => assert_eq!(bytes.as_ref(), served.as_ref(), "{uri}"),
            (StatusCode::NO_CONTENT, None) => {}
            (status, archived) => panic!("{uri}: server {status}, archive {:?}", archived.map(|b| b.len())),
        }
        compared += 1;
    }
    assert!(compared > 20, "compared {compared} tiles");
}

/// The archive's `vector_layers` are the TileJSON's layers, each field with its type instead of its
/// description, and zooms cut to the archive's 13.
async fn assert_metadata_lists_the_layers_fields_as_the_tilejson_does(metadata: &str) {
    let metadata: serde_json::Value = serde_json::from_str(metadata).expect("JSON metadata");
    let (_, tilejson) = common::get("/tiles/lsoa.json").await;
    let archived = metadata["vector_layers"].as_array().expect("vector_layers");
    let served = tilejson["vector_layers"].as_array().unwrap();
    let ids =
        |layers: &[serde_json::Value]| layers.iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(archived), ids(served));
    assert_eq!(ids(archived), ["lsoa", "localities", "wards", "msoa", "gp_practices", "labels"]);
    for (archived, served) in archived.iter().zip(served) {
        let fields = archived["fields"].as_object().unwrap();
        let served_fields = served["fields"].as_object().unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), served_fields.keys().collect::<Vec<_>>(), "{}", archived["id"]);
        assert!(fields.values().all(|t| t == "String" || t == "Number"), "{archived}");
        assert_eq!(archived["minzoom"], served["minzoom"]);
        assert_eq!(archived["maxzoom"], 13);
    }
    assert_eq!(archived[0]["fields"]["code"], "String");
    assert_eq!(archived[0]["fields"]["iod25_income_rate"], "Number");
    assert_eq!(archived[3]["fields"]["covid19_deaths_2020_21"], "Number");
    assert_eq!(archived[4]["minzoom"], 11);
}
