#!/usr/bin/env bash
# A busy day on loopback: a realistic mix of tiles at several zooms, profiles, charts and classes at
# 256 connections for 60 seconds (wrk, Debian package `wrk`). Prints requests/s, latency percentiles,
# errors and the server's resident memory before and after. Everything binds to 127.0.0.1.
#
#   bash benches/load_mix.sh [seconds, default 60] [connections, default 256]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
connections="${2:-256}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
# Built as load_test.sh builds it (with the example, whose dev-dependencies change some crates'
# features), so that the two scripts share one release build rather than each needing its own.
cargo build --release --quiet --bin locality-atlas --example fixed_body
target="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 benches/wrk_paths.py "$work/mix.lua" 10 11 12 13 14 --mix

"$target/locality-atlas" serve --port 18184 >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 200); do curl -sf http://127.0.0.1:18184/api/health >/dev/null 2>&1 && break; sleep 0.05; done
rss() { awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$pid/status"; }
echo "RSS before: $(rss)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/mix.lua" http://127.0.0.1:18184
echo "RSS after: $(rss)"
