//! The one layer around every route: request limits, CORS, JSON client errors, metrics and the
//! access log.
//!
//! It does in one step what a stack of general-purpose layers would do in six, because every
//! tile request passes through it: a cached tile costs a few microseconds, and each extra layer
//! costs about as much again.
//!
//! In order, for each request:
//! - a request target over [`MAX_URI_BYTES`] is answered 414;
//! - a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered at once;
//! - at most [`MAX_CONCURRENT_REQUESTS`] requests run at once; more wait their turn, so a burst
//!   cannot exhaust memory;
//! - a request still unanswered after [`REQUEST_TIMEOUT`] is answered 408;
//! - the framework's plain-text client errors (a path that is not UTF-8, a wrong method, a
//!   malformed query) become the API's JSON errors, keeping their status and message;
//! - every answer carries `Access-Control-Allow-Origin: *`, so tiles and the read-only API can be
//!   used from other sites and desktop GIS;
//! - every answer is counted in the [`Metrics`](super::metrics::Metrics) by route template, status
//!   and time taken, and logged at info level when the access log is on (at debug level otherwise).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::Semaphore;

use super::site::Site;

/// A request still unanswered after this long is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests handled at once; more wait their turn.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;

/// Longest request target accepted: far beyond any URL the page or a GIS client builds.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Methods other sites may use.
const ALLOWED_METHODS: &str = "GET,HEAD";

/// Wraps services in a [`Guard`]; every clone shares one pool of request permits.
#[derive(Clone)]
pub struct GuardLayer {
    permits: Arc<Semaphore>,
    timeout: Duration,
    site: Arc<Site>,
}

impl GuardLayer {
    /// The server's limits: [`MAX_CONCURRENT_REQUESTS`] at once, [`REQUEST_TIMEOUT`] each.
    pub fn new() -> GuardLayer {
        GuardLayer::with_limits(MAX_CONCURRENT_REQUESTS, REQUEST_TIMEOUT)
    }

    /// Other limits (for tests).
    pub fn with_limits(concurrent: usize, timeout: Duration) -> GuardLayer {
        GuardLayer { permits: Arc::new(Semaphore::new(concurrent)), timeout, site: Arc::new(Site::default()) }
    }

    /// The same limits, counting into `site`'s metrics and logging as it says.
    pub fn for_site(self, site: Arc<Site>) -> GuardLayer {
        GuardLayer { site, ..self }
    }
}

impl Default for GuardLayer {
    fn default() -> GuardLayer {
        GuardLayer::new()
    }
}

impl<S> tower::Layer<S> for GuardLayer {
    type Service = Guard<S>;

    fn layer(&self, inner: S) -> Guard<S> {
        Guard { inner, permits: self.permits.clone(), timeout: self.timeout, site: self.site.clone() }
    }
}

/// The service made by [`GuardLayer`].
#[derive(Clone)]
pub struct Guard<S> {
    inner: S,
    permits: Arc<Semaphore>,
    timeout: Duration,
    site: Arc<Site>,
}

impl<S> tower::Service<Request> for Guard<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone takes the place of the service that was made ready.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let permits = self.permits.clone();
        let timeout = self.timeout;
        let site = self.site.clone();
        Box::pin(async move {
            let started = Instant::now();
            // The router has matched the route before its layers run.
            let route = site.metrics.route(request.extensions().get::<MatchedPath>().map(MatchedPath::as_str));
            // What the log needs, copied only when it is on.
            let logged = (site.access_log || tracing::enabled!(tracing::Level::DEBUG))
                .then(|| (request.method().clone(), request.uri().path().to_owned()));
            let mut response = match refusal(&request) {
                Some(refused) => refused,
                None => {
                    // The clock runs from arrival, through any wait for a permit, so a queued request
                    // is answered within the limit too. The permit is held until the answer is made
                    // (the pool is never closed) and given back if the time runs out while waiting.
                    let answer = async move {
                        let _permit = permits.acquire_owned().await;
                        inner.call(request).await
                    };
                    match tokio::time::timeout(timeout, answer).await {
                        Ok(Ok(response)) => as_json_error(response).await,
                        Err(_) => {
                            error(StatusCode::REQUEST_TIMEOUT, format!("no answer within {} s", timeout.as_secs_f64()))
                        }
                    }
                }
            };
            response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            let status = response.status().as_u16();
            let elapsed = started.elapsed();
            site.metrics.record(route, status, elapsed);
            if let Some((method, target)) = logged {
                if site.access_log {
                    tracing::info!(%method, target, status, ?elapsed, "answered");
                } else {
                    tracing::debug!(%method, target, status, ?elapsed, "answered");
                }
            }
            Ok(response)
        })
    }
}

/// The answer to a request that is not passed on: a target too long, or a CORS preflight.
fn refusal(request: &Request) -> Option<Response> {
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length > MAX_URI_BYTES {
        let detail = format!("the request target is {length} bytes; at most {MAX_URI_BYTES} are accepted");
        return Some(error(StatusCode::URI_TOO_LONG, detail));
    }
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    preflight.then(|| {
        let mut response = StatusCode::OK.into_response();
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOWED_METHODS));
        headers.insert(
            header::VARY,
            HeaderValue::from_static("origin, access-control-request-method, access-control-request-headers"),
        );
        response
    })
}

/// A JSON error: `{ "error": the status's reason, "detail" }`.
fn error(status: StatusCode, detail: String) -> Response {
    let reason = status.canonical_reason().unwrap_or("client error").to_lowercase();
    (status, axum::Json(json!({ "error": reason, "detail": detail }))).into_response()
}

/// Turns a client error that is not JSON into a JSON one with the same status, message and
/// `Allow` header; every other response passes unchanged.
async fn as_json_error(response: Response) -> Response {
    let is_json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !response.status().is_client_error() || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned());
    let mut json = error(parts.status, text.unwrap_or_default());
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        json.headers_mut().insert(header::ALLOW, allow.clone());
    }
    json
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    fn app(layer: GuardLayer) -> Router {
        Router::new()
            .route("/fast", get(|| async { "ok" }))
            .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(3600)).await }))
            .route("/wait", get(|| async { tokio::time::sleep(Duration::from_millis(50)).await }))
            .layer(layer)
    }

    async fn answer(app: Router, request: Request) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
        let response = app.oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        (parts.status, parts.headers, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
    }

    fn get_request(target: &str) -> Request {
        Request::get(target).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn an_answer_carries_the_cors_header_and_passes_unchanged() {
        let (status, headers, _) = answer(app(GuardLayer::new()), get_request("/fast")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    }

    #[tokio::test]
    async fn a_preflight_is_answered_without_reaching_the_route() {
        let request = Request::builder()
            .method(Method::OPTIONS)
            .uri("/fast")
            .header(header::ORIGIN, "https://example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .unwrap();
        let (status, headers, _) = answer(app(GuardLayer::new()), request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_METHODS], "GET,HEAD");
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    }

    #[tokio::test]
    async fn a_target_over_the_limit_is_a_json_414() {
        let target = format!("/fast?q={}", "x".repeat(MAX_URI_BYTES));
        let (status, headers, body) = answer(app(GuardLayer::new()), get_request(&target)).await;
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(body["error"], "uri too long");
        assert!(body["detail"].as_str().unwrap().contains(&format!("at most {MAX_URI_BYTES}")));
        let (status, _, _) = answer(app(GuardLayer::new()), get_request(&target[..MAX_URI_BYTES])).await;
        assert_eq!(status, StatusCode::OK, "a target of exactly the limit is accepted");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_over_time_is_a_json_408() {
        let (status, _, body) = answer(app(GuardLayer::new()), get_request("/slow")).await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(body["error"], "request timeout");
        assert_eq!(body["detail"], "no answer within 30 s");
    }

    #[tokio::test]
    async fn a_wrong_method_becomes_a_json_405_that_keeps_its_allow_header() {
        let request = Request::post("/fast").body(Body::empty()).unwrap();
        let (status, headers, body) = answer(app(GuardLayer::new()), request).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(body["error"], "method not allowed");
        assert_eq!(headers[header::ALLOW], "GET,HEAD");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_waiting_for_a_permit_is_answered_within_the_limit_too() {
        let app = app(GuardLayer::with_limits(1, REQUEST_TIMEOUT));
        let started = tokio::time::Instant::now();
        let requests: Vec<_> = (0..2).map(|_| tokio::spawn(app.clone().oneshot(get_request("/slow")))).collect();
        for request in requests {
            assert_eq!(request.await.unwrap().unwrap().status(), StatusCode::REQUEST_TIMEOUT);
        }
        // Both clocks start on arrival: the second does not wait 30 s for the permit and 30 s more.
        assert_eq!(started.elapsed(), REQUEST_TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_beyond_the_limit_wait_for_a_permit() {
        let app = app(GuardLayer::with_limits(2, REQUEST_TIMEOUT));
        let started = tokio::time::Instant::now();
        let requests: Vec<_> = (0..6).map(|_| tokio::spawn(app.clone().oneshot(get_request("/wait")))).collect();
        for request in requests {
            assert_eq!(request.await.unwrap().unwrap().status(), StatusCode::OK);
        }
        // Six requests of 50 ms, two at a time: three rounds.
        assert_eq!(started.elapsed(), Duration::from_millis(150));
    }
}
