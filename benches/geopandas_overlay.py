"""Times geopandas doing the custom-area overlay of `benches/analysis.rs`, for the side-by-side ratio.

For each default locality: the union of its LSOA polygons (from boundaries/), reprojected to
EPSG:27700, overlaid with all England and Wales LSOAs (also in EPSG:27700, prepared once, not timed),
then each LSOA's share of area inside. Prints the median time per locality.

    pip install geopandas
    python3 benches/geopandas_overlay.py ../shared/data/national/ew_lsoa11_bsc.geojson.gz
"""

import csv
import gzip
import statistics
import sys
import time

import geopandas as gpd

national_path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/national/ew_lsoa11_bsc.geojson.gz"
with gzip.open(national_path, "rb") as f:
    national = gpd.read_file(f).to_crs(27700)
national["lsoa_area"] = national.geometry.area
print(f"national layer: {len(national)} LSOAs")

lsoas = gpd.read_file("boundaries/lsoa21.geojson").set_index("code")
members = {}
with open("boundaries/localities.csv", newline="") as f:
    for row in csv.DictReader(f):
        members.setdefault(row["locality_id"], []).append(row["lsoa21_code"])

for locality in ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"]:
    union = lsoas.loc[members[locality]].geometry.union_all()
    area = gpd.GeoDataFrame({"locality": [locality]}, geometry=[union], crs=4326)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        overlaid = gpd.overlay(national, area.to_crs(27700), how="intersection")
        shares = overlaid.geometry.area / overlaid["lsoa_area"]
        times.append(time.perf_counter() - start)
    print(f"{locality}: {len(overlaid)} overlapping LSOAs, median {statistics.median(times) * 1000:.2f} ms")
