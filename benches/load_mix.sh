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
cargo build --release --quiet --bin locality-atlas
target="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$work/mix.lua" <<'PY'
import json, math, sys
def tile(lon, lat, z):
    n = 2 ** z
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
west, south, east, north = -1.615, 52.363, -1.424, 52.465
paths = []
for z in (10, 11, 12, 13, 14):
    x0, y0 = tile(west, north, z)
    x1, y1 = tile(east, south, z)
    paths += [f"/tiles/lsoa/{z}/{x}/{y}.mvt" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
localities = ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"]
indicators = ["iod25_income_rate", "iod25_employment_rate", "census21_disabled", "iod25_imd_score"]
for l in localities:
    paths += [f"/api/localities/{l}/profile", f"/api/localities/{l}/attention", f"/charts/spine.svg?locality={l}"]
    paths += [f"/charts/ranked.svg?indicator={i}&area={l}" for i in indicators]
for i in indicators:
    paths += [f"/api/indicators/{i}/classes?scheme={s}" for s in ("quantile", "jenks")]
    paths += [f"/charts/localities.png?indicator={i}", f"/tiles/{i}/12/2030/1343.png"]
with open(sys.argv[1], "w") as f:
    f.write("local paths = " + json.dumps(paths).replace("[", "{").replace("]", "}") + "\n")
    f.write("local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
print(f"{len(paths)} paths in the mix", file=sys.stderr)
PY

"$target/locality-atlas" serve --port 18184 >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 200); do curl -sf http://127.0.0.1:18184/api/health >/dev/null 2>&1 && break; sleep 0.05; done
rss() { awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$pid/status"; }
echo "RSS before: $(rss)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/mix.lua" http://127.0.0.1:18184
echo "RSS after: $(rss)"
