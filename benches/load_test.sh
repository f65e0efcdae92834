#!/usr/bin/env bash
# Load test of the tile server on loopback, as ratios against axum serving a fixed 1 KiB body.
#
# Builds the release binary and the `fixed_body` example, then runs wrk (Debian package `wrk`)
# cycling every z12-z14 vector tile over Coventry, at 32 and 256 connections, with the tile
# cache off and on. Everything binds to 127.0.0.1 and every run is bounded in time.
#
# Besides throughput and latency it reports the server's CPU time per request (user and system,
# from /proc), which varies much less from run to run than throughput on a busy machine.
#
#   bash benches/load_test.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet --bin locality-atlas --example fixed_body
target="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The tile paths: every z12-z14 tile over the city's bounds.
python3 benches/wrk_paths.py "$work/paths.lua" 12 13 14

wait_for() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

"$target/examples/fixed_body" 18181 >/dev/null & pids+=($!); baseline=$!
"$target/locality-atlas" serve --port 18182 --tile-cache-mb 0 >/dev/null 2>&1 & pids+=($!); uncached=$!
"$target/locality-atlas" serve --port 18183 --tile-cache-mb 256 --prewarm >/dev/null 2>&1 & pids+=($!); cached=$!
wait_for http://127.0.0.1:18181/
wait_for http://127.0.0.1:18182/api/health
wait_for http://127.0.0.1:18183/api/health

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

run() { # name pid url connections [script]
    local out before after
    before=$(cpu_ticks "$2")
    if [ -n "${5:-}" ]; then
        out=$(wrk -t2 -c"$4" -d"${duration}s" --latency -s "$5" "$3")
    else
        out=$(wrk -t2 -c"$4" -d"${duration}s" --latency "$3")
    fi
    after=$(cpu_ticks "$2")
    local rps p50 p99 errors requests cpu
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    echo "$1|$4|$rps|$p50|$p99|$cpu|${errors:-none}"
}

results=()
for c in 32 256; do
    results+=("$(run "baseline: axum fixed 1 KiB" "$baseline" http://127.0.0.1:18181/ "$c")")
    results+=("$(run "tiles, cache off" "$uncached" http://127.0.0.1:18182 "$c" "$work/paths.lua")")
    results+=("$(run "tiles, cache on" "$cached" http://127.0.0.1:18183 "$c" "$work/paths.lua")")
done

printf '%-28s %6s %12s %10s %10s %8s %12s  %s\n' "server" "conns" "req/s" "p50" "p99" "ratio" "CPU us/req" "errors"
for line in "${results[@]}"; do
    IFS='|' read -r name c rps p50 p99 cpu errors <<<"$line"
    base=$(printf '%s\n' "${results[@]}" | awk -F'|' -v c="$c" '$1 ~ /baseline/ && $2 == c {print $3}')
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.3f", a / b }')
    printf '%-28s %6s %12s %10s %10s %8s %12s  %s\n' "$name" "$c" "$rps" "$p50" "$p99" "$ratio" "$cpu" "$errors"
done
