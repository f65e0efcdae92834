//! Inputs the fuzz targets (`fuzz/`) found to fail, kept as tests: each is now a clear error.

use locality_atlas::analysis::parse_request;
use locality_atlas::ingest::read_geojson_str;

/// Found by the `custom_area` target: a position with one coordinate made the GeoJSON conversion
/// index past its end and panic.
#[test]
fn a_custom_area_position_with_one_coordinate_is_refused() {
    let body = br#"{"geometry": {"type": "Polygon", "coordinates": [[[-1.49, 52.41], [-1.48, 52,41], [-42], [-1.49, 52.41]]]}}"#;
    let error = parse_request(body).unwrap_err().to_string();
    assert!(error.contains("position 3 has 1 coordinate"), "{error}");
}

/// Found by the `geojson` target, in the ward boundaries: the same short position (a whole number
/// alone, which the GeoJSON reader lets through) in a boundary file, and in every other geometry
/// type the conversion would meet.
#[test]
fn a_boundary_position_with_one_coordinate_names_the_feature() {
    for geometry in [
        r#"{"type": "Polygon", "coordinates": [[[-1.5, 52.4], [-140314], [-1.4, 52.5], [-1.5, 52.4]]]}"#,
        r#"{"type": "MultiPolygon", "coordinates": [[[[-1.5, 52.4], [-1.4, 52.4], [-1.4, 52.5], [7]]]]}"#,
        r#"{"type": "Point", "coordinates": [7]}"#,
        r#"{"type": "LineString", "coordinates": [[-1.5, 52.4], [7]]}"#,
        r#"{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [7]}]}"#,
    ] {
        let text = format!(
            r#"{{"type": "FeatureCollection", "features": [
                {{"type": "Feature", "properties": {{}}, "geometry": {{"type": "Polygon", "coordinates": [[[-1.5, 52.4], [-1.4, 52.4], [-1.4, 52.5], [-1.5, 52.4]]]}}}},
                {{"type": "Feature", "properties": {{}}, "geometry": {geometry}}}]}}"#
        );
        // The reader refuses some of these itself; either way the error names the file and says why.
        let error = read_geojson_str("wards.geojson", &text).unwrap_err().to_string();
        for part in ["wards.geojson", "position"] {
            assert!(error.contains(part), "{part:?} not in {error}");
        }
    }
}

/// The input the `geojson` target found, as it found it: the committed ward boundaries with one
/// position cut to a single whole number, which the GeoJSON reader accepted.
#[test]
fn the_found_ward_file_is_refused_at_its_feature() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/wards_short_position.geojson");
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let error = read_geojson_str("wards.geojson", &text).unwrap_err().to_string();
    for part in ["wards.geojson", "feature 6", "geometry", "position 2 has 1 coordinate"] {
        assert!(error.contains(part), "{part:?} not in {error}");
    }
}

/// The same body through the server: a JSON 400, not a dropped connection.
#[tokio::test]
async fn the_server_answers_a_short_position_with_a_json_error() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let atlas = locality_atlas::atlas::load(&locality_atlas::atlas::embedded_files()).unwrap();
    let state = std::sync::Arc::new(locality_atlas::api::AppState::new(atlas, Default::default(), 0));
    let body = r#"{"type": "Polygon", "coordinates": [[[-1.49, 52.41], [-1.48], [-1.48, 52.42], [-1.49, 52.41]]]}"#;
    let request = Request::post("/api/custom-area").header(header::CONTENT_TYPE, "application/json");
    let response = locality_atlas::api::router(state).oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let json: serde_json::Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(json["detail"].as_str().unwrap().contains("position 2"), "{json}");
}
