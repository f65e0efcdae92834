//! Every route's path and query parameters (tile numbers, indicator and locality ids, map classes,
//! chart and export options): any request line gets an answer that is not a server error;
//! never a panic.
//!
//! Input: the method's first letter, then the path and query as text.
#![no_main]

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use libfuzzer_sys::fuzz_target;
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use tower::ServiceExt;

fuzz_target!(|data: &[u8]| {
    let Some((&letter, rest)) = data.split_first() else { return };
    let method = match letter % 4 {
        0 => Method::GET,
        1 => Method::HEAD,
        2 => Method::POST,
        _ => Method::OPTIONS,
    };
    let Ok(target) = std::str::from_utf8(rest) else { return };
    let Ok(request) = Request::builder().method(method).uri(format!("/{target}")).body(Body::empty()) else { return };
    let (runtime, app) = server();
    let response = runtime.block_on(app.clone().oneshot(request)).expect("the router always answers");
    assert!(!response.status().is_server_error(), "/{target} answered {}", response.status());
});

fn server() -> &'static (tokio::runtime::Runtime, Router) {
    static SERVER: OnceLock<(tokio::runtime::Runtime, Router)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let atlas = load(&embedded_files()).expect("the committed atlas");
        // No tile cache, so that every request renders.
        let state = std::sync::Arc::new(AppState::new(atlas, Disclosure::default(), 0));
        (runtime, router(state))
    })
}
