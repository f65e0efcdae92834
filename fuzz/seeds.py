"""Writes the seed inputs of each fuzz target from the project's own committed files.

    python3 fuzz/seeds.py      # writes fuzz/corpus/<target>/ (not committed; the fuzzer grows it)
"""
import json
import pathlib
import struct

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
# The LSOAs the tables target keeps (as in fuzz_targets/tables.rs).
keep = ["E01009577", "E01009579", "E01009580", "E01009581", "E01009582", "E01009583", "E01009522", "E01009523"]


def write(target, name, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def rows(path):
    lines = path.read_text().splitlines()
    return ("\n".join([lines[0]] + [l for l in lines[1:] if any(c in l for c in keep)]) + "\n").encode()


lsoas = json.loads((root / "boundaries/lsoa21.geojson").read_text())
lsoas["features"] = [f for f in lsoas["features"] if any(v in keep for v in f["properties"].values())]
write("geojson", "lsoa21_part.geojson", json.dumps(lsoas).encode())
write("geojson", "district.geojson", (root / "boundaries/district.geojson").read_bytes())
write("geojson", "wards.geojson", (root / "boundaries/wards.geojson").read_bytes())

stem = root / "tests/fixtures/shapefile/coventry_lsoa21_bgc_bng"
shp, shx, dbf, prj = (stem.with_suffix(s).read_bytes() for s in (".shp", ".shx", ".dbf", ".prj"))
write("shapefile", "coventry_lsoa21", struct.pack("<III", len(shp), len(shx), len(dbf)) + shp + shx + dbf + prj)

tables = ["data/catalogue.json", "data/indicators.csv", "data/comparators.csv", "data/england_ranges.csv",
          "boundaries/localities.csv"]
for choice, name in enumerate(tables):
    path = root / name
    contents = rows(path) if name in ("data/indicators.csv", "boundaries/localities.csv") else path.read_bytes()
    write("tables", path.name, bytes([choice]) + contents)

square = [[-1.49, 52.41], [-1.48, 52.41], [-1.48, 52.42], [-1.49, 52.42], [-1.49, 52.41]]
write("custom_area", "square.json", json.dumps({"geometry": {"type": "Polygon", "coordinates": [square]}}).encode())
write("custom_area", "lsoas.json", json.dumps({"lsoas": keep[:3]}).encode())

for n, target in enumerate([
    "tiles/lsoa/14/8117/5358.mvt", "tiles/iod25_income_rate/13/4058/2679.png?scheme=jenks&k=5",
    "api/indicators/iod25_income_rate/classes?scheme=quantile&k=7&palette=YlOrRd",
    "api/localities/wood-end-henley-green/profile", "api/lsoas/E01009577",
    "charts/ranked.svg?indicator=iod25_income_rate&locality=wood-end-henley-green",
    "export/spine.csv?locality=canley-tile-hill", "api/inequality/iod25_income_rate", "tiles/lsoa.json",
]):
    write("requests", f"request{n}", b"\x00" + target.encode())
# tile_cut: point counts, then points as signed bytes (x 8, + 128 in the window's units): a square
# across the window's top-left corner with a hole, and a U across its left edge.
def signed(points):
    return bytes(v & 0xFF for p in points for v in p)


write("tile_cut", "square_with_hole", bytes([4, 4]) + signed([(-20, -20), (5, -20), (5, 5), (-20, 5)])
      + signed([(-2, -2), (-2, 2), (2, 2), (2, -2)]))
write("tile_cut", "u", bytes([8, 0]) + signed([(-30, -10), (10, -10), (10, 10), (-30, 10), (-30, 5), (5, 5), (5, -5),
                                                (-30, -5)]))
print(f"seeds written under {corpus}")
