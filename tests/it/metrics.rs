//! `/metrics` is Prometheus text that counts the requests sent, by route template and status, with
//! their latencies and the tile cache's hits and misses.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use prometheus_parse::{Sample, Scrape, Value};
use tower::ServiceExt;

async fn status(app: &Router, uri: &str) -> StatusCode {
    let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    response.into_body().collect().await.unwrap();
    status
}

async fn scrape(app: &Router) -> Scrape {
    let response = app.clone().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format")
}

/// The value of the sample `metric` whose labels include `labels`.
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let matches = |s: &&Sample| s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v));
    scrape.samples.iter().find(matches).map(|s| match &s.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
        other => panic!("{metric} is {other:?}"),
    })
}

#[tokio::test]
async fn metrics_count_the_requests_sent_by_route_and_status() {
    let state = Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 16 << 20));
    let app = router(state);
    let sent = [
        ("/api/health", StatusCode::OK),
        ("/api/health", StatusCode::OK),
        ("/api/health", StatusCode::OK),
        ("/api/indicators/iod25_income_rate", StatusCode::OK),
        ("/api/indicators/nothing", StatusCode::NOT_FOUND),
        ("/api/indicators/nothing", StatusCode::NOT_FOUND),
        ("/tiles/lsoa/12/2030/1345.mvt", StatusCode::OK),
        ("/tiles/lsoa/12/2030/1345.mvt", StatusCode::OK),
        ("/tiles/lsoa/12/2030/1345.mvt", StatusCode::OK),
        ("/tiles/lsoa/12/2030/1345.pbf", StatusCode::BAD_REQUEST),
        ("/tiles/iod25_income_rate/12/2030/1345.png", StatusCode::OK),
        ("/no/such/route", StatusCode::NOT_FOUND),
    ];
    for (uri, expected) in sent {
        assert_eq!(status(&app, uri).await, expected, "{uri}");
    }
    let scrape = scrape(&app).await;
    let requests = |route: &str, status: &str| {
        value(&scrape, "locality_atlas_http_requests_total", &[("route", route), ("status", status)])
    };
    assert_eq!(requests("/api/health", "200"), Some(3.0));
    assert_eq!(requests("/api/indicators/{id}", "200"), Some(1.0));
    assert_eq!(requests("/api/indicators/{id}", "404"), Some(2.0));
    assert_eq!(requests("/tiles/lsoa/{z}/{x}/{file}", "200"), Some(3.0));
    assert_eq!(requests("/tiles/lsoa/{z}/{x}/{file}", "400"), Some(1.0));
    assert_eq!(requests("/tiles/{indicator}/{z}/{x}/{file}", "200"), Some(1.0));
    assert_eq!(requests("unmatched", "404"), Some(1.0));
    assert_eq!(requests("/api/localities", "200"), None, "a route not asked for has no sample");

    // Each request is in its route's latency histogram: the `+Inf` bucket and the count agree.
    let histogram = scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == "locality_atlas_http_request_duration_seconds" && s.labels.get("route") == Some("/api/health")
        })
        .expect("the latency histogram of /api/health");
    let Value::Histogram(buckets) = &histogram.value else { panic!("{:?}", histogram.value) };
    assert_eq!(buckets.last().map(|b| (b.less_than, b.count)), Some((f64::INFINITY, 3.0)));
    assert!(buckets.windows(2).all(|w| w[0].count <= w[1].count), "cumulative: {buckets:?}");
    let count = value(&scrape, "locality_atlas_http_request_duration_seconds_count", &[("route", "/api/health")]);
    assert_eq!(count, Some(3.0));

    // The first tile was rendered and cached, the next two came from the cache.
    let tiles = |name: &str, kind: &str| value(&scrape, name, &[("kind", kind)]);
    assert_eq!(tiles("locality_atlas_tile_cache_misses_total", "vector"), Some(1.0));
    assert_eq!(tiles("locality_atlas_tile_cache_hits_total", "vector"), Some(2.0));
    assert_eq!(tiles("locality_atlas_tile_cache_misses_total", "png"), Some(1.0));
    assert_eq!(tiles("locality_atlas_tile_render_seconds_count", "vector"), Some(1.0));
    assert!(value(&scrape, "locality_atlas_tile_cache_bytes", &[]).is_some_and(|bytes| bytes > 1000.0));

    // Every metric has its help text, and the scrape itself is counted the next time.
    let documented: HashMap<_, _> = scrape.docs.iter().collect();
    for name in [
        "locality_atlas_http_requests_total",
        "locality_atlas_tile_cache_hits_total",
        "locality_atlas_tile_render_seconds",
    ] {
        assert!(documented.contains_key(&name.to_owned()), "{name}");
    }
    let again = self::scrape(&app).await;
    assert_eq!(
        value(&again, "locality_atlas_http_requests_total", &[("route", "/metrics"), ("status", "200")]),
        Some(1.0)
    );
}
