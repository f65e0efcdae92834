#!/usr/bin/env bash
# Cache-off vector tiles over England, locality-atlas beside Martin + PostGIS, in one run on loopback,
# each as a share of the axum fixed-body baseline (1 KiB) measured in the same run:
#
#   - the same random tiles over England (benches/england_paths.py: z6-z12 mixed, then each zoom
#     alone), at 32 connections with wrk;
#   - locality-atlas: `serve --data-dir ENGLAND --tile-cache-mb 0`, the page's tile
#     (`?fields=iod25_imd_score`: the lsoa layer with code, name, ward and the score, and the wards,
#     MSOA, locality and label layers);
#   - Martin: its table source over the `lsoa` table that benches/postgis_england.py loads (code,
#     name, ward and the score; Web Mercator under a GiST index), its tile cache off.
#
#   MARTIN=/path/to/martin PG=postgres://user@127.0.0.1:PORT/DB ENGLAND=/path/to/england \
#       bash benches/martin_england.sh [seconds per run, default 10]
#
# PostgreSQL with PostGIS must be running on loopback with the table loaded; Martin is not built by
# this project (e.g. `cargo install martin --version 1.14.0 --no-default-features --features postgres`).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
zooms="${ZOOMS:-6 7 8 9 10 11 12}"
: "${MARTIN:?set MARTIN to the martin binary}" "${PG:?set PG to the PostGIS connection string}" "${ENGLAND:?set ENGLAND to an England folder}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}/release"
[ "${BUILD:-1}" = 0 ] || cargo build --release --quiet --bin locality-atlas --example fixed_body
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
wait_for() { until curl -sf -o /dev/null "$1"; do sleep 0.1; done; }

"$target/examples/fixed_body" 18281 >/dev/null 2>&1 & pids+=($!)
"$target/locality-atlas" serve --port 18283 --data-dir "$ENGLAND" --tile-cache-mb 0 >/dev/null 2>&1 & pids+=($!)
"$MARTIN" --listen-addresses 127.0.0.1:18284 --cache-size 0 --workers 2 "$PG" >"$work/martin.log" 2>&1 & pids+=($!)
wait_for http://127.0.0.1:18281/
wait_for http://127.0.0.1:18283/api/health
wait_for http://127.0.0.1:18284/catalog
curl -sf http://127.0.0.1:18284/catalog | grep -q '"lsoa"' || { echo "Martin does not list the lsoa table" >&2; exit 1; }

load() { # url script: "req/s p99 errors"
    local out errors
    out=$(wrk -t2 -c32 -d"${duration}s" --latency ${2:+-s "$2"} "$1")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr ' ' '_' | tr '\n' ';')
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out") ${errors:-none}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
# The same paths for both servers: locality-atlas's /tiles/lsoa/z/x/y.mvt?fields=..., Martin's /lsoa/z/x/y.
paths() { # out zoom...
    local out=$1; shift
    python3 benches/england_paths.py http://127.0.0.1:18283 "$out.atlas.lua" "$@" --per-zoom 3000 --fields iod25_imd_score 2>/dev/null
    sed -e 's#/tiles/lsoa/#/lsoa/#g' -e 's#\.mvt?fields=iod25_imd_score##g' "$out.atlas.lua" >"$out.martin.lua"
}

printf '%-34s %12s %10s %8s   %s\n' "run" "req/s" "p99" "share" "errors"
read -r base_rps base_p99 base_err < <(load http://127.0.0.1:18281/)
printf '%-34s %12s %10s %8s   %s\n' "fixed 1 KiB body (baseline)" "$base_rps" "$base_p99" "1.0000" "$base_err"
runs=("mixed:$zooms")
for z in $zooms; do runs+=("z$z:$z"); done
for run in "${runs[@]}"; do
    name=${run%%:*}
    # shellcheck disable=SC2086
    paths "$work/$name" ${run#*:}
    for server in atlas martin; do
        url=http://127.0.0.1:18283; [ "$server" = martin ] && url=http://127.0.0.1:18284
        # A first pass warms each server (locality-atlas's simplified geometry per zoom, PostgreSQL's buffers).
        [ "$name" = mixed ] && wrk -t2 -c32 -d"${duration}s" -s "$work/$name.$server.lua" "$url" >/dev/null
        read -r rps p99 err < <(load "$url" "$work/$name.$server.lua")
        printf '%-34s %12s %10s %8s   %s\n' "$name, $server" "$rps" "$p99" "$(ratio "$rps" "$base_rps")" "$err"
    done
done
