//! The load-test baseline: axum serving a fixed 1 KiB body on loopback, on the same runtime as
//! the real server, so throughput can be stated as a ratio of this ceiling.
//!
//! `cargo run --release --example fixed_body -- 18181 [bytes, default 1024]`

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(18181);
    let bytes: usize = std::env::args().nth(2).and_then(|b| b.parse().ok()).unwrap_or(1024);
    let body: &'static [u8] = Box::leak(vec![b'x'; bytes].into_boxed_slice());
    let app = Router::new().fallback(get(move || async move { body }));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("fixed {bytes}-byte body on http://127.0.0.1:{port}/");
    axum::serve(listener, app).await
}
