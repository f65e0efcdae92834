#!/usr/bin/env bash
# Serves a prepared district folder and checks that the health, catalogue, a locality profile, a
# vector tile, a chart and the board-pack report answer and name the district (never Coventry),
# and that its England benchmarks equal those of the compiled-in Coventry data.
# usage: bash .ci/district_smoke.sh DATA_DIR DISTRICT_NAME
set -euo pipefail
dir=$1
name=$2
bin=${CARGO_TARGET_DIR:-target}/debug/locality-atlas
port=$((20000 + RANDOM % 20000))
"$bin" serve --data-dir "$dir" --port "$port" --tile-cache-mb 0 >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"

fail() { echo "district smoke: $*" >&2; exit 1; }
names() { # URL: the answer must be 200, name the district and not Coventry
    local body
    body=$(curl -sf "$base$1") || fail "$1 did not answer 200"
    grep -q "$name" <<<"$body" || fail "$1 does not name $name"
    if grep -q Coventry <<<"$body"; then fail "$1 names Coventry"; fi
}

names /api/health
curl -sf "$base/api/indicators" | python3 -c "import json, sys; d = json.load(sys.stdin); assert d['place']['name'] == '$name', d['place']"
locality=$(curl -sf "$base/api/localities" | python3 -c "import json, sys; print(json.load(sys.stdin)['localities'][0]['id'])")
names "/api/localities/$locality/profile"
names "/charts/ranked.svg?indicator=iod25_income_rate&area=$locality&comparator=district"
names "/api/localities/$locality/report.html"
names /tiles/lsoa.json
tile=$(curl -sf "$base/api/localities/$locality/profile" | python3 -c "
import json, math, sys, urllib.request
code = json.load(sys.stdin)['lsoas'][0]['code']
lsoa = json.load(urllib.request.urlopen('$base/api/lsoa/' + code))
lon, lat = lsoa['interior_point']
z = 12
x = int((lon + 180) / 360 * 2 ** z)
y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * 2 ** z)
print(f'{z}/{x}/{y}')")
size=$(curl -sf -o /dev/null -w '%{size_download}' "$base/tiles/lsoa/$tile.mvt") || fail "tile $tile did not answer 200"
[ "$size" -gt 100 ] || fail "tile $tile over $name is empty"

# England benchmarks equal the compiled-in Coventry data's, indicator by indicator.
diff <(grep ',E92000001,England,' "$dir/data/comparators.csv" | grep ',benchmark$' | sort) \
     <(grep ',E92000001,England,' data/comparators.csv | grep ',benchmark$' | sort | \
       grep -E -f <(cut -d, -f1 "$dir/data/comparators.csv" | sort -u | sed 's/^/^/; s/$/,/')) ||
    fail "England benchmarks differ from the Coventry data's"
echo "ok: $name served: health, catalogue, profile, tile $tile, chart and report name it; England benchmarks as Coventry's"
