//! Reloading the data while serving: a broken folder is refused and the last good data stays up; a
//! good one is swapped in; requests running all the while never fail.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;

use common::Server;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn start(data_dir: &std::path::Path, watch: bool) -> Server {
    let dir = data_dir.display().to_string();
    let mut args = vec!["--data-dir", dir.as_str()];
    if watch {
        args.push("--watch");
    }
    common::start_server(&args)
}

/// GET over raw HTTP: status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

fn version(port: u16) -> String {
    let (status, body) = get(port, "/api/health");
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["data_version"].as_str().unwrap().to_owned()
}

/// Requests a mix of endpoints in a loop until stopped; counts requests and failures.
fn load(
    port: u16,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let paths = [
            "/api/health",
            "/api/localities/wood-end-henley-green/profile",
            "/tiles/lsoa/12/2031/1345.mvt",
            "/api/indicators/iod25_income_rate/classes",
        ];
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            let (status, _) = get(port, paths[i % paths.len()]);
            sent.fetch_add(1, Ordering::Relaxed);
            if status != 200 {
                failed.fetch_add(1, Ordering::Relaxed);
            }
            i += 1;
        }
    })
}

fn hang_up(server: &Server) {
    let status = Command::new("kill").args(["-HUP", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_broken_folder_is_refused_and_a_good_one_swapped_in_on_sighup_with_no_failed_request() {
    let dir = common::data_copy();
    let server = start(dir.path(), false);
    let original = version(server.port);
    let (stop, sent, failed) =
        (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..4).map(|_| load(server.port, stop.clone(), sent.clone(), failed.clone())).collect();

    // Broken: a value that is not a number. The server keeps its data.
    common::edit(dir.path(), "data/indicators.csv", |text| {
        text.replacen("\n", "\nE01009577,iod25_imd_score,IoD2025,,,not-a-number\n", 1)
    });
    hang_up(&server);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(version(server.port), original, "the broken folder must be refused");

    // Fixed, with a real change (a comparator's basis reworded): swapped in.
    common::edit(dir.path(), "data/indicators.csv", |text| {
        text.replace("E01009577,iod25_imd_score,IoD2025,,,not-a-number\n", "")
    });
    common::edit(dir.path(), "data/comparators.csv", |text| {
        text.replacen("(local authority district summaries)", "(district summaries)", 1)
    });
    hang_up(&server);
    let started = Instant::now();
    while version(server.port) == original {
        assert!(started.elapsed() < Duration::from_secs(20), "the good folder was never swapped in");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let (sent, failed) = (sent.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    eprintln!("{sent} requests across the refused and the accepted reload, {failed} failed");
    assert!(sent > 100, "only {sent} requests ran across the reloads");
    assert_eq!(failed, 0);
}

#[test]
fn watch_reloads_a_changed_folder_even_one_changed_as_the_server_starts() {
    let dir = common::data_copy();
    let server = start(dir.path(), true);
    // Changed as soon as the port opens, while the server may still be preparing its state.
    common::edit(dir.path(), "data/comparators.csv", |text| {
        text.replacen("(local authority district summaries)", "(district summaries)", 1)
    });
    let started = Instant::now();
    loop {
        let (_, body) = get(server.port, "/api/indicators/iod25_imd_score");
        if body.contains("(district summaries)") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "--watch never reloaded");
        std::thread::sleep(Duration::from_millis(100));
    }
}
