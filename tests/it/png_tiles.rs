//! PNG choropleth tiles: each LSOA is painted in its class colour, outside Coventry is transparent.

use crate::common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use geo::{Distance, Euclidean, MapCoords, Point};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::classify::Scheme;
use locality_atlas::classify::choropleth::{ChoroplethOptions, NO_DATA_COLOUR, choropleth};
use locality_atlas::tiles::TileId;
use tower::ServiceExt;

async fn fetch(uri: &str) -> (StatusCode, Vec<u8>) {
    static STATE: std::sync::OnceLock<Arc<AppState>> = std::sync::OnceLock::new();
    let state =
        STATE.get_or_init(|| Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0)));
    let response = router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// Decodes a PNG into (width, RGBA bytes).
fn decode(bytes: &[u8]) -> (u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    (info.width, buffer)
}

async fn check_interior_colours(indicator: &str, query: &str, options: ChoroplethOptions, z: u8, retina: bool) {
    let atlas = common::atlas();
    let map = choropleth(atlas, atlas.indicator(indicator).unwrap(), &Disclosure::default(), &options).unwrap();
    let size = if retina { 512.0 } else { 256.0 };
    let mut checked = 0;
    for (i, lsoa) in atlas.lsoas().iter().enumerate().step_by(7) {
        let tile = TileId::containing(z, lsoa.interior.0).unwrap();
        let pixel = tile.project(lsoa.interior.0, size);
        // Only points well inside the LSOA: borders and anti-aliasing change the edge pixels.
        let outline = lsoa.geometry.map_coords(|c| tile.project(c, size));
        let clearance = outline
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| Euclidean.distance(&Point::from(pixel), ring))
            .fold(f64::INFINITY, f64::min);
        if clearance < 4.0 || pixel.x < 0.0 || pixel.y < 0.0 || pixel.x >= size || pixel.y >= size {
            continue;
        }
        let suffix = if retina { "@2x" } else { "" };
        let (status, body) =
            fetch(&format!("/tiles/{indicator}/{}/{}/{}{suffix}.png{query}", tile.z, tile.x, tile.y)).await;
        assert_eq!(status, StatusCode::OK);
        let (width, rgba) = decode(&body);
        assert_eq!(f64::from(width), size);
        let at = ((pixel.y as usize) * width as usize + pixel.x as usize) * 4;
        let expected = map.colour_of(i);
        if expected == NO_DATA_COLOUR {
            continue; // hatched
        }
        assert_eq!(&rgba[at..at + 4], &[expected[0], expected[1], expected[2], 255], "{} in {indicator}", lsoa.code);
        checked += 1;
    }
    assert!(checked >= 10, "checked {checked} LSOAs");
}

#[tokio::test]
async fn each_lsoa_interior_has_its_class_colour() {
    check_interior_colours("iod25_income_rate", "", ChoroplethOptions::default(), 13, false).await;
}

#[tokio::test]
async fn the_scheme_k_and_palette_parameters_change_the_colours_and_retina_doubles_the_size() {
    let options = ChoroplethOptions { scheme: Some(Scheme::FisherJenks), k: Some(7), palette: Some("Blues".into()) };
    check_interior_colours("census21_disabled", "?scheme=jenks&k=7&palette=Blues", options, 14, true).await;
}

#[tokio::test]
async fn outside_coventry_is_transparent_and_far_tiles_are_empty() {
    let atlas = common::atlas();
    // At zoom 10 a tile is about 25 km across, the city about 15 km: the tile's corners are outside it.
    let centre = atlas.lsoa("E01009683").unwrap().interior;
    let tile = TileId::containing(10, centre.0).unwrap();
    let (status, body) = fetch(&format!("/tiles/iod25_imd_score/{}/{}/{}.png", tile.z, tile.x, tile.y)).await;
    assert_eq!(status, StatusCode::OK);
    let (width, rgba) = decode(&body);
    let w = width as usize;
    for corner in [0, w - 1, (w - 1) * w, w * w - 1] {
        assert_eq!(rgba[corner * 4 + 3], 0, "corner pixel {corner} is transparent");
    }
    assert!(rgba.chunks(4).any(|p| p[3] == 255), "the city is drawn");

    // Far from the city: a transparent 256 px PNG with 200, which raster clients accept.
    let (status, body) = fetch("/tiles/iod25_imd_score/10/0/0.png").await;
    assert_eq!(status, StatusCode::OK);
    let (width, rgba) = decode(&body);
    assert_eq!(width, 256);
    assert!(rgba.chunks(4).all(|p| p[3] == 0), "nothing is drawn");
    let (status, _) = fetch("/tiles/no_such_indicator/12/2030/1345.png").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = fetch("/tiles/iod25_imd_score/12/2030/1345.png?k=2").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_classes_endpoint_gives_breaks_counts_colours_and_labels() {
    let (status, body) = common::get("/api/indicators/iod25_income_rate/classes?scheme=jenks&k=5").await;
    assert_eq!(status, StatusCode::OK);
    let classes = body["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 5);
    assert_eq!(classes.iter().map(|c| c["count"].as_u64().unwrap()).sum::<u64>(), 203);
    assert!(classes.iter().all(|c| c["colour"].as_str().unwrap().starts_with('#') && c["label"].is_string()));
    assert_eq!(body["colour_blind_safe"], true);
    assert!(body["method"].as_str().unwrap().contains("Fisher-Jenks"));

    let (_, deciles) = common::get("/api/indicators/iod25_imd_decile/classes").await;
    assert_eq!(deciles["scheme"], "decile");
    assert_eq!(deciles["classes"][0]["count"], 36);

    for bad in ["scheme=kmeans", "k=10", "palette=Rainbow"] {
        let (status, body) = common::get(&format!("/api/indicators/iod25_income_rate/classes?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}
