"""Writes a wrk Lua script that cycles through request paths over Coventry, for the load scripts.

    python3 benches/wrk_paths.py OUT.lua ZOOM [ZOOM ...] [--mix]

Paths: every vector tile over the city's bounds at the given zooms; with --mix, also profiles,
attention lists, charts, map classes and PNG tiles (a busy day's mix).
"""
import json
import math
import sys


def tile(lon, lat, z):
    n = 2 ** z
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


out, *rest = sys.argv[1:]
mix = "--mix" in rest
zooms = [int(z) for z in rest if z != "--mix"]
west, south, east, north = -1.615, 52.363, -1.424, 52.465
paths = []
for z in zooms:
    x0, y0 = tile(west, north, z)
    x1, y1 = tile(east, south, z)
    paths += [f"/tiles/lsoa/{z}/{x}/{y}.mvt" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
if mix:
    localities = ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"]
    indicators = ["iod25_income_rate", "iod25_employment_rate", "census21_disabled", "iod25_imd_score"]
    for l in localities:
        paths += [f"/api/localities/{l}/profile", f"/api/localities/{l}/attention", f"/charts/spine.svg?locality={l}"]
        paths += [f"/charts/ranked.svg?indicator={i}&area={l}" for i in indicators]
    for i in indicators:
        paths += [f"/api/indicators/{i}/classes?scheme={s}" for s in ("quantile", "jenks")]
        paths += [f"/charts/localities.png?indicator={i}", f"/tiles/{i}/12/2030/1343.png"]
with open(out, "w") as f:
    f.write("local paths = " + json.dumps(paths).replace("[", "{").replace("]", "}") + "\n")
    f.write("local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
print(f"{len(paths)} paths", file=sys.stderr)
