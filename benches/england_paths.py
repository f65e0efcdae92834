"""Random vector tiles over England from a running server of an England atlas, for the load test
and for the sizes of low-zoom tiles.

    python3 benches/england_paths.py URL OUT.lua ZOOM [ZOOM ...] [--per-zoom N] [--seed S] [--fields ID]
    python3 benches/england_paths.py URL --sizes ZOOM [ZOOM ...] [--fields ID]

Tiles are drawn from /api/districts: a district weighted by its LSOAs, a point in its bounds, the
tile holding it at the zoom, so every tile meets England and busy (urban) areas are drawn as often as
they hold LSOAs; with --fields ID each asks for that indicator alone, as the page does. With --sizes every tile of each zoom over England's bounds is fetched (the full tile,
or with ?fields=ID the tile the page asks for) and the bytes on the wire (gzip) are summarised.
"""
import gzip
import json
import math
import random
import sys
import urllib.request


def tile(lon, lat, z):
    n = 2 ** z
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i : i + 2]
        return value
    return default


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read()


args = sys.argv[1:]
per_zoom = int(option(args, "--per-zoom", "2000"))
seed = int(option(args, "--seed", "12345"))
fields = option(args, "--fields", None)
server, *rest = args
status, body = fetch(server + "/api/districts")
districts = json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)["districts"]
if not districts:
    sys.exit(f"{server} serves no districts: start it on a folder made by prepare --lad all")

if rest[0] == "--sizes":
    west = min(d["bounds"][0] for d in districts)
    south = min(d["bounds"][1] for d in districts)
    east = max(d["bounds"][2] for d in districts)
    north = max(d["bounds"][3] for d in districts)
    query = f"?fields={fields}" if fields else ""
    print(f"{'zoom':>4} {'tiles':>6} {'with data':>9} {'median KB':>10} {'largest KB':>10} {'total KB':>9}  (gzip, {'?fields=' + fields if fields else 'every field'})")
    for z in [int(z) for z in rest[1:]]:
        x0, y0 = tile(west, north, z)
        x1, y1 = tile(east, south, z)
        sizes = []
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                status, data = fetch(f"{server}/tiles/lsoa/{z}/{x}/{y}.mvt{query}")
                if status == 200:
                    sizes.append(len(data))
        sizes.sort()
        count = (x1 - x0 + 1) * (y1 - y0 + 1)
        median = sizes[len(sizes) // 2] / 1024 if sizes else 0
        print(f"{z:>4} {count:>6} {len(sizes):>9} {median:>10.1f} {(sizes[-1] if sizes else 0) / 1024:>10.1f} {sum(sizes) / 1024:>9.0f}")
    sys.exit(0)

out, *zooms = rest
rng = random.Random(seed)
weights = [d["lsoa_count"] for d in districts]
paths = []
for z in [int(z) for z in zooms]:
    for _ in range(per_zoom):
        d = rng.choices(districts, weights)[0]
        w, s, e, n = d["bounds"]
        x, y = tile(rng.uniform(w, e), rng.uniform(s, n), z)
        paths.append(f"/tiles/lsoa/{z}/{x}/{y}.mvt" + (f"?fields={fields}" if fields else ""))
rng.shuffle(paths)
with open(out, "w") as f:
    f.write("local paths = " + json.dumps(paths).replace("[", "{").replace("]", "}") + "\n")
    f.write("local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
print(f"{len(paths)} paths over England at zooms {', '.join(zooms)}", file=sys.stderr)
