"""Loads an England folder's LSOAs into PostGIS as the table `lsoa`, for Martin to serve the same
layer the load test asks of locality-atlas: code, name, ward and the IMD 2025 score, the boundaries in
Web Mercator (EPSG:3857, so no transform on request) under a GiST index.

    python3 benches/postgis_england.py ENGLAND_DIR PSQL_CONNINFO

PSQL_CONNINFO is what psql takes, e.g. "host=127.0.0.1 port=55432 user=postgres dbname=atlas"; the
database needs the postgis extension. The table is dropped and made afresh.
"""
import csv
import io
import json
import subprocess
import sys

folder, conninfo = sys.argv[1:3]
scores = {}
with open(f"{folder}/data/indicators.csv", newline="") as f:
    for row in csv.DictReader(f):
        if row["indicator_id"] == "iod25_imd_score" and row["value"]:
            scores[row["lsoa21_code"]] = row["value"]
with open(f"{folder}/boundaries/lsoa21.geojson") as f:
    features = json.load(f)["features"]

rows = io.StringIO()
writer = csv.writer(rows, lineterminator="\n")
for feature in features:
    p = feature["properties"]
    writer.writerow([p["code"], p["name"], p["ward_name"], scores.get(p["code"], ""), json.dumps(feature["geometry"])])

sql = f"""
drop table if exists lsoa_load;
drop table if exists lsoa;
create table lsoa_load (code text, name text, ward text, iod25_imd_score double precision, geojson text);
\\copy lsoa_load from stdin with (format csv)
{rows.getvalue()}\\.
create table lsoa as
    select code, name, ward, iod25_imd_score,
           st_multi(st_transform(st_setsrid(st_geomfromgeojson(geojson), 4326), 3857))::geometry(MultiPolygon, 3857) as geom
    from lsoa_load;
drop table lsoa_load;
create index lsoa_geom on lsoa using gist (geom);
alter table lsoa add primary key (code);
analyze lsoa;
select count(*) as lsoas from lsoa;
"""
subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", conninfo], input=sql, text=True, check=True)
print(f"{len(features)} LSOAs loaded, {len(scores)} with an IMD 2025 score", file=sys.stderr)
