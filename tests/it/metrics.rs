//! `/metrics` is Prometheus text that counts the requests sent, by route template and status, with
//! their latencies and the tile cache's hits and misses.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use tower::ServiceExt;

/// One sample line: `name{label="value",...} number`.
#[derive(Debug)]
struct Sample {
    metric: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A scrape: the samples, and each metric family's type from its `# TYPE` line.
struct Scrape {
    samples: Vec<Sample>,
    types: HashMap<String, String>,
}

/// Parses the Prometheus text format (0.0.4) strictly: metric and label names, quoted label values
/// with their escapes, a number; `# HELP` and `# TYPE` lines, each family typed before its samples.
fn parse(text: &str) -> Scrape {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .enumerate()
                .all(|(i, c)| c == '_' || c == ':' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()))
    };
    let mut scrape = Scrape { samples: Vec::new(), types: HashMap::new() };
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
                    assert!(scrape.types.insert(name.to_owned(), kind.to_owned()).is_none(), "typed twice: {line}");
                }
                (Some("HELP"), Some(name), Some(help)) => assert!(name_ok(name) && !help.is_empty(), "{line}"),
                _ => panic!("not a HELP or TYPE line: {line}"),
            }
            continue;
        }
        let (metric, rest) = line.split_at(line.find(['{', ' ']).unwrap_or_else(|| panic!("{line}")));
        assert!(name_ok(metric), "{line}");
        let (labels, rest) = match rest.strip_prefix('{') {
            Some(inner) => parse_labels(inner, line, name_ok),
            None => (BTreeMap::new(), rest),
        };
        let value = rest.strip_prefix(' ').unwrap_or_else(|| panic!("{line}"));
        let value = match value {
            "+Inf" => f64::INFINITY,
            number => number.parse().unwrap_or_else(|_| panic!("not a number: {line}")),
        };
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| metric.strip_suffix(s))
            .filter(|f| scrape.types.get(*f).is_some_and(|t| t == "histogram"));
        assert!(scrape.types.contains_key(family.unwrap_or(metric)), "sample before its TYPE: {line}");
        scrape.samples.push(Sample { metric: metric.to_owned(), labels, value });
    }
    scrape
}

/// The labels after `{` up to the closing `}`, and what follows it.
fn parse_labels<'a>(inner: &'a str, line: &str, name_ok: impl Fn(&str) -> bool) -> (BTreeMap<String, String>, &'a str) {
    let mut labels = BTreeMap::new();
    let mut rest = inner;
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return (labels, after);
        }
        let (name, quoted) = rest.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
        assert!(name_ok(name), "{line}");
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, c @ ('\\' | '"'))) => value.push(c),
                    other => panic!("bad escape {other:?} in {line}"),
                },
                Some((i, '"')) => break i + 1,
                Some((_, c)) => value.push(c),
                None => panic!("unterminated label value in {line}"),
            }
        };
        labels.insert(name.to_owned(), value);
        rest = &quoted[end..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

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
    parse(&text)
}

/// The value of the sample `metric` whose labels include `labels`.
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let matches = |s: &&Sample| {
        s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
    };
    scrape.samples.iter().find(matches).map(|s| s.value)
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

    // Each request is in its route's latency histogram: cumulative buckets, `+Inf` and the count agree.
    let buckets: Vec<&Sample> = scrape
        .samples
        .iter()
        .filter(|s| {
            s.metric == "locality_atlas_http_request_duration_seconds_bucket"
                && s.labels.get("route").map(String::as_str) == Some("/api/health")
        })
        .collect();
    assert_eq!(buckets.len(), 18);
    assert!(buckets.windows(2).all(|w| w[0].value <= w[1].value), "cumulative: {buckets:?}");
    assert_eq!(buckets.last().map(|b| (b.labels["le"].as_str(), b.value)), Some(("+Inf", 3.0)));
    assert_eq!(scrape.types["locality_atlas_http_request_duration_seconds"], "histogram");
    let count = value(&scrape, "locality_atlas_http_request_duration_seconds_count", &[("route", "/api/health")]);
    assert_eq!(count, Some(3.0));

    // The first tile was rendered and cached, the next two came from the cache.
    let tiles = |name: &str, kind: &str| value(&scrape, name, &[("kind", kind)]);
    assert_eq!(tiles("locality_atlas_tile_cache_misses_total", "vector"), Some(1.0));
    assert_eq!(tiles("locality_atlas_tile_cache_hits_total", "vector"), Some(2.0));
    assert_eq!(tiles("locality_atlas_tile_cache_misses_total", "png"), Some(1.0));
    assert_eq!(tiles("locality_atlas_tile_render_seconds_count", "vector"), Some(1.0));
    assert!(value(&scrape, "locality_atlas_tile_cache_bytes", &[]).is_some_and(|bytes| bytes > 1000.0));

    // Every family is typed, and the scrape itself is counted the next time.
    for (name, kind) in [
        ("locality_atlas_http_requests_total", "counter"),
        ("locality_atlas_tile_cache_hits_total", "counter"),
        ("locality_atlas_tile_cache_bytes", "gauge"),
        ("locality_atlas_tile_render_seconds", "histogram"),
    ] {
        assert_eq!(scrape.types.get(name).map(String::as_str), Some(kind), "{name}");
    }
    let again = self::scrape(&app).await;
    assert_eq!(
        value(&again, "locality_atlas_http_requests_total", &[("route", "/metrics"), ("status", "200")]),
        Some(1.0)
    );
}
