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


# The locales whose country names a reader may type: English, Chinese in both scripts, and the
# languages of the countries with the most stations (Italia, España, Frankreich ...).
NAME_LOCALES = ("en", "zh", "zh_Hant", "it", "es", "fr", "de", "pt", "nl")


@cache
def _codes_by_name() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if name:
                names.setdefault(name.casefold(), code)
        for locale in NAME_LOCALES:
            local = _territories(locale).get(code)
            if local:
                names.setdefault(local.casefold(), code)
    return names


def country_code_for(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a reader means by a code or a name in English, Chinese or a few
    local languages ('it', 'Italy', '意大利', '義大利', 'Italia'); None if no country has it."""
    import pycountry

    wanted = text.strip()
    if len(wanted) == 2 and wanted.isalpha() and pycountry.countries.get(alpha_2=wanted.upper()) is not None:
        return wanted.upper()
    return _codes_by_name().get(wanted.casefold())
