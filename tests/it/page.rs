//! The dashboard page as served: its files, their types, the security headers, and its weight.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use std::io::Read;

use axum::http::{HeaderMap, HeaderName, Request, StatusCode, header};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use tower::ServiceExt;

async fn fetch(uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    fetch_with(uri, &[]).await
}

async fn fetch_with(uri: &str, headers: &[(HeaderName, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    // As `serve` does at start-up: every encoding of the page's files is made before they are asked for.
    locality_atlas::api::precompress().await.unwrap();
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    let state =
        STATE.get_or_init(|| Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0)));
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = router(state.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn the_page_and_its_files_are_served_with_their_types_and_a_strict_policy() {
    let own = [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/map.js", "text/javascript"),
        ("/panels.js", "text/javascript"),
        ("/util.js", "text/javascript"),
        ("/style.css", "text/css"),
    ];
    let mut weight = 0;
    for (path, kind) in own {
        let (status, headers, body) = fetch(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with(kind), "{path}");
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        weight += body.len();
    }
    // Uncompressed, unminified and commented: 102 KB with the similar-districts column, 31 KB gzipped
    // (the transfer budget in `browser.rs` counts what goes over the wire).
    assert!(weight < 110_000, "the page's own files weigh {weight} bytes");

    let (_, _, html) = fetch("/").await;
    let html = String::from_utf8(html).unwrap();
    // Every script is a file of the app, named relative to the page (so that a static copy works
    // from any folder of a host): no inline code for the policy to have to allow.
    for script in html.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(
            tag.contains("src=\"") && !tag.contains("src=\"/") && !tag.contains("//"),
            "inline or foreign script: <script{tag}>"
        );
    }
    assert!(html.contains(r#"<meta name="atlas-mode" content="server">"#), "the server's page is not the static copy");
    let handlers = html.match_indices(" on").filter(|(i, _)| {
        let rest = &html[i + 3..];
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert_eq!(handlers.count(), 0, "inline event handlers");
    assert!(html.contains("Open Government Licence v3.0"));

    for path in ["/vendor/maplibre-gl/maplibre-gl-csp.js", "/vendor/maplibre-gl/maplibre-gl-csp-worker.js"] {
        let (status, headers, body) = fetch(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
        assert!(body.len() > 100_000, "{path} is MapLibre");
    }
    let (status, _, licence) = fetch("/vendor/maplibre-gl/LICENSE.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(licence).unwrap().contains("MapLibre"));
}

#[tokio::test]
async fn paths_outside_the_page_are_not_served() {
    for path in ["/../Cargo.toml", "/vendor/../../Cargo.toml", "/%2e%2e/Cargo.toml", "/web/index.html", "/etc/passwd"] {
        let (status, headers, _) = fetch(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
    }
}

/// What a browser sends.
const BROWSER: &str = "gzip, deflate, br, zstd";

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body).read_to_end(&mut out).unwrap();
    out
}

#[tokio::test]
async fn each_file_comes_in_the_encoding_asked_for_with_its_own_tag_and_revalidates_to_304() {
    for path in ["/", "/app.js", "/style.css", "/vendor/maplibre-gl/maplibre-gl-csp.js"] {
        let (_, plain_headers, plain) = fetch(path).await;
        assert!(plain_headers.get(header::CONTENT_ENCODING).is_none(), "{path}");
        let (status, br_headers, br) = fetch_with(path, &[(header::ACCEPT_ENCODING, BROWSER)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(br_headers[header::CONTENT_ENCODING], "br", "{path}");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, plain, "{path}: brotli");
        let (_, gz_headers, gz) = fetch_with(path, &[(header::ACCEPT_ENCODING, "gzip, deflate")]).await;
        assert_eq!(gz_headers[header::CONTENT_ENCODING], "gzip", "{path}");
        assert_eq!(gunzip(&gz), plain, "{path}: gzip");
        assert!(
            br.len() < gz.len() && gz.len() < plain.len() / 2,
            "{path}: {} < {} < {}",
            br.len(),
            gz.len(),
            plain.len()
        );

        let tags = [&plain_headers, &br_headers, &gz_headers].map(|h| h[header::ETAG].to_str().unwrap().to_owned());
        assert!(tags.iter().all(|t| t.starts_with('"') && t.ends_with('"')), "strong tags: {tags:?}");
        assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2], "{path}: {tags:?}");
        for headers in [&plain_headers, &br_headers, &gz_headers] {
            assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}: always revalidated");
            assert_eq!(headers[header::VARY], "accept-encoding", "{path}");
        }
        // A repeat visit: the browser's tag for what it holds is answered 304, with no body.
        let (status, headers, body) =
            fetch_with(path, &[(header::ACCEPT_ENCODING, BROWSER), (header::IF_NONE_MATCH, &tags[1])]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(body.is_empty());
        assert_eq!(headers[header::ETAG].to_str().unwrap(), tags[1]);
        assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("script-src 'self'"));
        // A tag of another encoding is another representation: the body is sent.
        let (status, _, _) =
            fetch_with(path, &[(header::ACCEPT_ENCODING, BROWSER), (header::IF_NONE_MATCH, &tags[2])]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_default_policy_admits_no_other_origin() {
    for path in ["/", "/app.js", "/map.js", "/vendor/maplibre-gl/maplibre-gl-csp-worker.js"] {
        let (_, headers, _) = fetch(path).await;
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let sources: Vec<&str> = policy.split(';').flat_map(|d| d.split_whitespace().skip(1)).collect();
        let foreign: Vec<&&str> =
            sources.iter().filter(|s| !["'self'", "'none'", "data:", "blob:"].contains(s)).collect();
        assert!(foreign.is_empty(), "{path}: {foreign:?} in {policy}");
    }
}

#[tokio::test]
async fn json_and_geojson_answers_are_compressed_and_tiles_keep_their_own_encoding() {
    for path in ["/api/indicators", "/export/lsoa.geojson?indicator=iod25_imd_score", "/tiles/lsoa.json"] {
        let (_, _, plain) = fetch(path).await;
        let (status, headers, body) = fetch_with(path, &[(header::ACCEPT_ENCODING, BROWSER)]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip", "{path}");
        assert!(headers[header::VARY].to_str().unwrap().contains("accept-encoding"), "{path}");
        let decoded = gunzip(&body);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&decoded).unwrap(),
            serde_json::from_slice::<serde_json::Value>(&plain).unwrap(),
            "{path}"
        );
        assert!(body.len() * 3 < plain.len(), "{path}: {} of {} bytes", body.len(), plain.len());
    }
    // Below the threshold the encoding would cost more than it saves.
    let (_, headers, body) = fetch_with("/api/health", &[(header::ACCEPT_ENCODING, BROWSER)]).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none() && body.len() < 1024);
    // A vector tile is compressed once, by the tile path (in zstd for this browser): its body
    // decompresses straight to the tile.
    let tile = "/tiles/lsoa/12/2030/1345.mvt";
    let (status, headers, body) = fetch_with(tile, &[(header::ACCEPT_ENCODING, BROWSER)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
    let (_, _, plain) = fetch(tile).await;
    assert_eq!(zstd::decode_all(&body[..]).unwrap(), plain);
    assert!(mvt_reader::Reader::new(plain).unwrap().get_layer_names().unwrap().contains(&"lsoa".to_owned()));
    let (_, headers, png) =
        fetch_with("/tiles/iod25_imd_score/12/2030/1345.png", &[(header::ACCEPT_ENCODING, BROWSER)]).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert!(png.starts_with(b"\x89PNG"));
}
