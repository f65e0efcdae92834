//! The binary is configured by environment variables as well as flags, links to its public URL or
//! to what a proxy in front says, and logs each request when asked.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The server process, killed when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` with these variables and arguments; returns the process and its address.
fn start(variables: &[(&str, &str)], args: &[&str]) -> (Server, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-atlas"));
    command.arg("serve").args(args).current_dir(std::env::temp_dir()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env("RUST_LOG", "locality_atlas=info");
    for (name, value) in variables {
        command.env(name, value);
    }
    let mut server = Server(command.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.split("http://").nth(1).and_then(|rest| rest.split('/').next()).expect("a URL").to_owned();
    (server, address)
}

/// A GET with extra header lines; the body of the answer.
fn get(address: &str, path: &str, headers: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned()
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn environment_variables_configure_the_server_and_links_use_the_public_url() {
    let (mut server, address) = start(
        &[
            ("LOCALITY_ATLAS_BIND", "127.0.0.1"),
            ("LOCALITY_ATLAS_PORT", "0"),
            ("LOCALITY_ATLAS_PUBLIC_URL", "https://atlas.example.org/base/"),
            ("LOCALITY_ATLAS_ACCESS_LOG", "true"),
            ("LOCALITY_ATLAS_SUPPRESS_BELOW", "10"),
        ],
        &[],
    );
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let tilejson = json(&get(&address, "/tiles/lsoa.json", "X-Forwarded-Host: ignored.example\r\n"));
    assert_eq!(tilejson["tiles"][0], "https://atlas.example.org/base/tiles/lsoa/{z}/{x}/{y}.mvt");
    let style = json(&get(&address, "/styles/iod25_income_rate.json", ""));
    assert_eq!(style["sources"]["locality-atlas"]["url"], "https://atlas.example.org/base/tiles/lsoa.json");
    let openapi = json(&get(&address, "/api/openapi.json", ""));
    assert_eq!(openapi["servers"][0]["url"], "https://atlas.example.org/base");
    let values = json(&get(&address, "/api/indicators/iod25_income_rate/values", ""));
    assert_eq!(values["suppression_threshold"], 10.0, "LOCALITY_ATLAS_SUPPRESS_BELOW");

    // The access log has a line per request, at info level.
    let _ = server.0.kill();
    let mut log = String::new();
    server.0.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let line = log.lines().find(|l| l.contains("/styles/iod25_income_rate.json")).unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains("INFO") && line.contains("status=200") && line.contains("method=GET"), "{line}");
}

#[test]
fn without_a_public_url_links_follow_the_proxy_headers_and_flags_win_over_variables() {
    let (_server, address) =
        start(&[("LOCALITY_ATLAS_PORT", "not-a-port"), ("LOCALITY_ATLAS_BIND", "127.0.0.1")], &["--port", "0"]);
    let proxied = "X-Forwarded-Proto: https\r\nX-Forwarded-Host: maps.example.org\r\n";
    let tilejson = json(&get(&address, "/tiles/lsoa.json", proxied));
    assert_eq!(tilejson["tiles"][0], "https://maps.example.org/tiles/lsoa/{z}/{x}/{y}.mvt");
    let tilejson = json(&get(&address, "/tiles/lsoa.json", ""));
    assert_eq!(tilejson["tiles"][0], format!("http://{address}/tiles/lsoa/{{z}}/{{x}}/{{y}}.mvt"));
}

#[test]
fn a_public_url_that_is_not_one_is_refused_at_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["serve", "--port", "0"])
        .env("LOCALITY_ATLAS_PUBLIC_URL", "atlas.example.org")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("does not start with http:// or https://"), "{message}");
}
