//! The dashboard page as served: its files, their types, the security headers, and its weight.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use tower::ServiceExt;

async fn fetch(uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    let state =
        STATE.get_or_init(|| Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0)));
    let response = router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
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
    assert!(weight < 100_000, "the page's own files weigh {weight} bytes");

    let (_, _, html) = fetch("/").await;
    let html = String::from_utf8(html).unwrap();
    // Every script is a file of the app: no inline code for the policy to have to allow.
    for script in html.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains("src=\"/"), "inline or foreign script: <script{tag}>");
    }
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
