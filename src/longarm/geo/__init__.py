"""The gazetteer: countries (CLDR names via babel) and the places the dataset names.

Places are curated in ``places.yaml``: the file says which real place a name
means; coordinates come from GeoNames (see scripts/refresh_places.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from babel import Locale


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    country: str
    kind: str  # city | region
    lat: float | None
    lon: float | None
    geonameid: int | None
    subdivision: str | None
    variants: tuple[str, ...]


@cache
def places() -> dict[str, Place]:
    text = resources.files("longarm.geo").joinpath("places.yaml").read_text(encoding="utf-8")
    result: dict[str, Place] = {}
    for row in yaml.safe_load(text):
        result[row["id"]] = Place(
            id=row["id"],
            name=row["name"],
            country=row["country"],
            kind=row["kind"],
            lat=row.get("lat"),
            lon=row.get("lon"),
            geonameid=row.get("geonameid"),
            subdivision=row.get("subdivision"),
            variants=tuple(row.get("variants", ())),
        )
    return result


@cache
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_name(iso2: str, locale: str = "en") -> str:
    """The CLDR name of a country, e.g. 'Italy' or '意大利'; the code itself if unknown."""
    return _territories(locale).get(iso2, iso2)
