//! The running server under hostile and careless requests: more than a thousand malformed requests
//! over raw HTTP on loopback. Every answer must be a 4xx (JSON where the API answers), none a 5xx,
//! the server must stay up, and its memory must stay bounded.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Resident memory of a process in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Sends one raw request and returns the status code and the Content-Type (empty when absent).
fn send(port: u16, method: &str, target: &str, body: &[u8], content_type: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server is up");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a huge body and close: a failed write is fine.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let content_type = text
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_owned()))
        .unwrap_or_default();
    (status, content_type)
}

/// A GeoJSON polygon body with `n` vertices on a circle around Coventry's centre.
fn circle(n: usize) -> Vec<u8> {
    let mut ring: Vec<String> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            format!("[{:.6},{:.6}]", -1.51 + 0.01 * a.cos(), 52.41 + 0.01 * a.sin())
        })
        .collect();
    ring.push(ring[0].clone());
    format!("{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}", ring.join(",")).into_bytes()
}

fn hostile_requests() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut requests: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    let get = |target: String| ("GET", target, Vec::new());
    // Tile addresses out of range, negative, overflowing, not numbers.
    let invalid = ["-1", "4294967296", "18446744073709551616", "1e3", "0x10", "", "%00", "NaN", "1.5", "+7", "%2e%2e"];
    for (z, beyond) in [("0", "1"), ("12", "4096"), ("16", "65536"), ("22", "4194304")] {
        for xy in invalid.iter().chain([&beyond]) {
            requests.push(get(format!("/tiles/lsoa/{z}/{xy}/0.mvt")));
            requests.push(get(format!("/tiles/lsoa/{z}/0/{xy}.mvt")));
            requests.push(get(format!("/tiles/iod25_income_rate/{z}/{xy}/{xy}.png")));
            requests.push(get(format!("/tiles/lsoa/{z}/{xy}/{xy}@2x.mvt")));
            requests.push(get(format!("/tiles/lsoa/{z}/{xy}/0.pbf")));
        }
    }
    for z in invalid.iter().chain(["23", "99", "256"].iter()) {
        for xy in ["0", "1"].iter().chain(invalid.iter()) {
            requests.push(get(format!("/tiles/lsoa/{z}/{xy}/{xy}.mvt")));
            requests.push(get(format!("/tiles/iod25_income_rate/{z}/{xy}/{xy}@2x.png")));
            requests.push(get(format!("/tiles/lsoa/{z}/{xy}/{xy}.png")));
        }
    }
    // Unknown ids everywhere.
    let long = "x".repeat(5000);
    for id in [
        "nope",
        "E01",
        "E0100957700",
        "%E2%80%AE",
        "..",
        "a%2fb",
        "%2e%2e%2f%2e%2e",
        "%3Cscript%3E",
        "'%20OR%201=1",
        &long,
        "null",
        "undefined",
        "%ff%fe",
        "E01009577%00",
        "%E2%80%AE1",
        "..%2f..%2fetc%2fpasswd",
        "CON",
        "*",
        "%25",
        "%20",
    ] {
        for path in [
            format!("/api/indicators/{id}"),
            format!("/api/indicators/{id}/values"),
            format!("/api/indicators/{id}/classes"),
            format!("/api/lsoa/{id}"),
            format!("/api/localities/{id}/profile"),
            format!("/api/localities/{id}/attention"),
            format!("/api/localities/{id}/report.html"),
            format!("/api/inequality/{id}"),
            format!("/charts/{id}.svg"),
            format!("/charts/ranked.svg?indicator={id}"),
            format!("/export/{id}.csv"),
            format!("/tiles/{id}/10/507/335.png"),
        ] {
            requests.push(get(path));
        }
    }
    // Bad parameters, each to an endpoint that takes it.
    let classes =
        ["scheme=magic", "k=2", "k=10", "k=-1", "k=99999999999999999999", "k=", "palette=NoSuchPalette", "palette=%00"];
    for query in classes {
        for path in [
            "/api/indicators/iod25_income_rate/classes",
            "/tiles/iod25_income_rate/12/2030/1340.png",
            "/charts/map.svg?indicator=iod25_income_rate",
        ] {
            let separator = if path.contains('?') { '&' } else { '?' };
            requests.push(get(format!("{path}{separator}{query}")));
        }
    }
    for query in ["level=galaxy", "level=", "level=city%00"] {
        requests.push(get(format!("/api/indicators/iod25_income_rate/values?{query}")));
        requests.push(get(format!("/api/localities/wood-end-henley-green/profile?{query}")));
    }
    for query in [
        "lon=abc&lat=52.4",
        "lon=200&lat=95",
        "lon=-1.5&lat=NaN",
        "lon=-1.5&lat=inf",
        "lon=-1.5",
        "lat=52.4",
        "lon=0&lat=0",
    ] {
        requests.push(get(format!("/api/lsoa/at?{query}")));
    }
    for query in ["size=huge", "size=", "comparator=mars", "area=atlantis"] {
        requests.push(get(format!("/charts/ranked.png?indicator=iod25_income_rate&{query}")));
    }
    // Path traversal and absolute paths on the page's files.
    for path in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/vendor/../../Cargo.toml",
        "/vendor/maplibre-gl/..%2f..%2f..%2fCargo.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/web/index.html",
        "/src/main.rs",
        "/data/indicators.csv",
        "/.git/config",
        "/app.js/../../Cargo.toml",
        "/%00",
        "/vendor/maplibre-gl/maplibre-gl-csp.js%00.txt",
    ] {
        requests.push(get(path.to_owned()));
    }
    // Huge query strings.
    for size in [10_000, 60_000] {
        requests.push(get(format!("/api/indicators?pad={}", "a".repeat(size))));
        requests.push(get(format!("/tiles/lsoa/12/2030/1340.mvt?{}", "k=1&".repeat(size / 4))));
    }
    // Wrong methods.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", "/api/health", "/api/indicators", "/tiles/lsoa/12/2030/1340.mvt", "/charts/spine.svg"] {
            requests.push((method, path.to_owned(), Vec::new()));
        }
    }
    requests.push(("GET", "/api/custom-area".to_owned(), Vec::new()));
    // Custom-area bodies: too large, not JSON, invalid shapes.
    let custom = |body: Vec<u8>| ("POST", "/api/custom-area".to_owned(), body);
    requests.push(custom(vec![b'{'; 10 * 1024 * 1024]));
    requests.push(custom(circle(1_000_000)));
    requests.push(custom(circle(20_000)));
    for body in [
        "",
        "{",
        "null",
        "[]",
        "\"polygon\"",
        "{\"lsoas\": []}",
        "{\"lsoas\": [1, 2]}",
        "{\"lsoas\": [\"E99999999\"]}",
        "{\"lsoas\": \"E01009577\"}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[-1.5,52.4],[-1.4,52.5],[-1.5,52.5],[-1.4,52.4],[-1.5,52.4]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[-1.5,52.4],[-1.4,52.4],[-1.4,52.5]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[-1.5,52.4],[-1.4,52.4],[-1.4,52.5],[-1.5,52.5]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",52.4],[-1.4,52.4],[-1.4,52.5],[-1.5,52.4]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[1e308,1e308],[-1e308,1e308],[0,-1e308],[1e308,1e308]]]}",
        "{\"type\":\"Point\",\"coordinates\":[-1.5,52.4]}",
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[]]}",
    ] {
        requests.push(custom(body.as_bytes().to_vec()));
    }
    requests
}

#[test]
fn a_thousand_hostile_requests_get_4xx_answers_and_the_server_stays_up_within_bounded_memory() {
    let server = common::start_server(&[]);
    let pid = server.child.id();
    let rss_before = rss_kib(pid);
    let requests = hostile_requests();
    assert!(requests.len() >= 1_000, "only {} requests", requests.len());
    let mut failures = Vec::new();
    for (method, target, body) in &requests {
        let (status, content_type) = send(server.port, method, target, body, "application/json");
        let shown = &target[..target.len().min(120)];
        if !(400..500).contains(&status) {
            failures.push(format!("{method} {shown}: {status}"));
        } else if !content_type.starts_with("application/json") {
            failures.push(format!("{method} {shown}: {status} as {content_type:?}, not a JSON error"));
        }
    }
    assert!(failures.is_empty(), "{} of {} requests failed:\n{}", failures.len(), requests.len(), failures.join("\n"));
    let (status, _) = send(server.port, "GET", "/api/health", b"", "text/plain");
    assert_eq!(status, 200, "the server is still up");
    let rss_after = rss_kib(pid);
    eprintln!(
        "{} hostile requests; RSS {} MiB before, {} MiB after",
        requests.len(),
        rss_before / 1024,
        rss_after / 1024
    );
    assert!(rss_after < rss_before + 256 * 1024, "memory grew from {rss_before} KiB to {rss_after} KiB");
}
