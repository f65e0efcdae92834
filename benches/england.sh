#!/usr/bin/env bash
# All of England in one server, measured on loopback with the release build, every figure beside a
# baseline measured in the same run:
#
#   1. prepare --lad all (wall time and peak memory, GNU time -v), beside the Coventry prepare;
#   2. start-up of `serve --data-dir` on the England folder (process start to /api/health 200),
#      beside the axum fixed-body example's start-up and the compiled-in Coventry atlas's;
#   3. cache-off vector tiles over England at z6-z12 (random tiles meeting England, all zooms mixed,
#      then each zoom alone; the page's tile with one indicator, then the full tile; then the page's
#      tiles compressed as a browser asks for them) at 32 connections with wrk, as a share of the
#      axum fixed-body baseline (1 KiB) run just before; then the server's peak and current
#      resident memory (VmHWM, VmRSS); then the same page tiles from the tile cache, the ceiling for
#      any server that has to send them;
#   4. export tiles of England z0-z12 to PMTiles: time, size and peak memory.
#
#   bash benches/england.sh [seconds per load run, default 10]
# environment: RAW (default ../shared/data/raw), ENGLAND (the England folder; made by step 1, kept
#   when given), ZOOMS (default "6 7 8 9 10 11 12"), MAX_ZOOM (export, default 12), BUILD=0 to use
#   the release binaries as they are
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
raw="${RAW:-../shared/data/raw}"
zooms="${ZOOMS:-6 7 8 9 10 11 12}"
max_zoom="${MAX_ZOOM:-12}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }
[ -d "$raw/national" ] || { echo "no national files under $raw" >&2; exit 1; }
[ "${BUILD:-1}" = 0 ] || cargo build --release --quiet --bin locality-atlas --example fixed_body
target="${CARGO_TARGET_DIR:-target}/release"
bin="$target/locality-atlas"
work=$(mktemp -d)
england="${ENGLAND:-$work/england}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
rows=()
# What Chromium sends with every request.
browser_accepts="gzip, deflate, br, zstd"
row() { rows+=("$(printf '%-58s %16s %16s %8s' "$1" "$2" "$3" "$4")"); }

# GNU time's wall clock (m:ss.ss or h:mm:ss) in seconds, and its peak resident set in MB.
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s}'; }
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

echo "== 1. prepare" >&2
/usr/bin/time -v -o "$work/time-coventry" "$bin" prepare --raw "$raw" --out "$work/coventry" >/dev/null
if [ -z "${ENGLAND:-}" ] || [ ! -d "$england/data" ]; then
    /usr/bin/time -v -o "$work/time-england" "$bin" prepare --raw "$raw" --lad all --out "$england" >/dev/null
    row "prepare --lad all (England, 33,755 LSOAs): s / peak MB" "$(wall "$work/time-england")" "$(peak "$work/time-england")" \
        "$(ratio "$(wall "$work/time-england")" "$(wall "$work/time-coventry")")"
fi
row "prepare (Coventry, baseline): s / peak MB" "$(wall "$work/time-coventry")" "$(peak "$work/time-coventry")" "1.000"

echo "== 2. start-up" >&2
# Seconds from process start to the first 200 of URL; the process is left running (its pid in $started).
start_ms() {
    local url=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 &
    started=$!
    pids+=("$started")
    until curl -sf -o /dev/null "$url"; do
        kill -0 "$started" 2>/dev/null || { echo "$* exited before answering" >&2; exit 1; }
        sleep 0.01
    done
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
base_ms=$(for _ in 1 2 3; do start_ms http://127.0.0.1:18281/ "$target/examples/fixed_body" 18281; stop "$started"; done | median)
cov_ms=$(for _ in 1 2 3; do start_ms http://127.0.0.1:18282/api/health "$bin" serve --port 18282; stop "$started"; done | median)
eng_ms=$(for _ in 1 2 3; do start_ms http://127.0.0.1:18283/api/health "$bin" serve --port 18283 --data-dir "$england" --tile-cache-mb 0; stop "$started"; done | median)
row "start-up to 200, fixed-body baseline: ms" "$base_ms" "" "1.000"
row "start-up to /api/health 200, Coventry (compiled in): ms" "$cov_ms" "" "$(ratio "$cov_ms" "$base_ms")"
row "start-up to /api/health 200, England: ms" "$eng_ms" "" "$(ratio "$eng_ms" "$base_ms")"

echo "== 3. tiles over England, cache off, 32 connections" >&2
"$target/examples/fixed_body" 18281 >/dev/null 2>&1 & pids+=($!)
start_ms http://127.0.0.1:18283/api/health "$bin" serve --port 18283 --data-dir "$england" --tile-cache-mb 0 >/dev/null
server=$started
until curl -sf -o /dev/null http://127.0.0.1:18281/; do sleep 0.05; done
# shellcheck disable=SC2086
python3 benches/england_paths.py http://127.0.0.1:18283 "$work/mixed.lua" $zooms --per-zoom 3000
load() { # url [script [request header]]: "req/s p50 p99 errors"
    local out
    local header=()
    [ -n "${3:-}" ] && header=(-H "$3")
    if [ -n "${2:-}" ]; then out=$(wrk -t2 -c32 -d"${duration}s" --latency "${header[@]}" -s "$2" "$1"); else out=$(wrk -t2 -c32 -d"${duration}s" --latency "$1"); fi
    local errors
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr ' ' '_' | tr '\n' ';')
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "50%" {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out") ${errors:-none}"
}
read -r base_rps base_p50 base_p99 base_err < <(load http://127.0.0.1:18281/)
row "fixed 1 KiB body (baseline): req/s / p99" "$base_rps" "$base_p99" "1.000"
# The first pass makes each zoom's simplified geometry, once per process; the runs measure after it.
wrk -t2 -c32 -d"${duration}s" -s "$work/mixed.lua" http://127.0.0.1:18283 >/dev/null
# Each zoom alone and all mixed, the tile the page asks for (one indicator) and the full tile.
for tile in page full; do
    fields=(); [ "$tile" = page ] && fields=(--fields iod25_imd_score)
    # shellcheck disable=SC2086
    python3 benches/england_paths.py http://127.0.0.1:18283 "$work/$tile.lua" $zooms --per-zoom 3000 "${fields[@]}" 2>/dev/null
    read -r rps p50 p99 err < <(load http://127.0.0.1:18283 "$work/$tile.lua")
    row "$tile tiles z${zooms// /,} mixed, cache off: req/s / p99 ($err)" "$rps" "$p99" "$(ratio "$rps" "$base_rps")"
    for z in $zooms; do
        python3 benches/england_paths.py http://127.0.0.1:18283 "$work/z$z.lua" "$z" --per-zoom 3000 "${fields[@]}" 2>/dev/null
        read -r rps p50 p99 err < <(load http://127.0.0.1:18283 "$work/z$z.lua")
        row "$tile tiles z$z, cache off: req/s / p99 ($err)" "$rps" "$p99" "$(ratio "$rps" "$base_rps")"
    done
done
# The page's tiles as a browser asks for them: compressed for the wire, on every request with the
# cache off.
read -r rps p50 p99 err < <(load http://127.0.0.1:18283 "$work/page.lua" "Accept-Encoding: $browser_accepts")
row "page tiles mixed, as a browser asks (compressed): req/s / p99 ($err)" "$rps" "$p99" "$(ratio "$rps" "$base_rps")"
hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
row "England server after the load: VmHWM / VmRSS MB" "$hwm" "$rss" ""
python3 benches/england_paths.py http://127.0.0.1:18283 --sizes 5 6 7 8 --fields iod25_imd_score > "$work/sizes-one"
python3 benches/england_paths.py http://127.0.0.1:18283 --sizes 5 6 7 8 > "$work/sizes-all"
stop "$server"

# The ceiling for the same requests: the page's tiles served from the tile cache, made once and then
# only sent. What no engine cutting tiles on request can beat on this machine at 32 connections.
start_ms http://127.0.0.1:18284/api/health "$bin" serve --port 18284 --data-dir "$england" --tile-cache-mb 2048 >/dev/null
cached=$started
wrk -t2 -c32 -d"${duration}s" -s "$work/page.lua" http://127.0.0.1:18284 >/dev/null
read -r rps p50 p99 err < <(load http://127.0.0.1:18284 "$work/page.lua")
row "ceiling: page tiles mixed, from the cache: req/s / p99 ($err)" "$rps" "$p99" "$(ratio "$rps" "$base_rps")"
for z in $zooms; do
    python3 benches/england_paths.py http://127.0.0.1:18284 "$work/z$z.lua" "$z" --per-zoom 3000 --fields iod25_imd_score 2>/dev/null
    wrk -t2 -c32 -d3s -s "$work/z$z.lua" http://127.0.0.1:18284 >/dev/null
    read -r rps p50 p99 err < <(load http://127.0.0.1:18284 "$work/z$z.lua")
    row "ceiling: page tiles z$z, from the cache: req/s / p99 ($err)" "$rps" "$p99" "$(ratio "$rps" "$base_rps")"
done
stop "$cached"

echo "== 4. export tiles z0-z$max_zoom" >&2
/usr/bin/time -v -o "$work/time-export" "$bin" export tiles --data-dir "$england" --max-zoom "$max_zoom" --out "$work/england.pmtiles" >/dev/null 2>&1
size=$(du -m "$work/england.pmtiles" | cut -f1)
row "export tiles z0-z$max_zoom: s / peak MB ($size MB archive)" "$(wall "$work/time-export")" "$(peak "$work/time-export")" ""

echo
printf '%-58s %16s %16s %8s\n' "measure" "value" "second value" "ratio"
printf '%s\n' "${rows[@]}"
echo
echo "Low-zoom tiles over England, the page's tile (one indicator):"
cat "$work/sizes-one"
echo "and the full tile (every indicator):"
cat "$work/sizes-all"
