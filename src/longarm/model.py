"""The evidence data model: entity kinds, statements and precision.

The kinds and their properties are declared as data in ``model.yaml`` (as
FollowTheMoney does), so the loader, the SQLite views and the checks all read
one declaration instead of each keeping its own list of columns.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

import pycountry
import yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")

CURATED = "curated"


class LocationPrecision(StrEnum):
    """How exactly a station's location is known; Table 1's check mark is `country`."""

    POINT = "point"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class InvalidValue(ValueError):
    """A value that does not fit its property's type; the message names the problem."""


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool = False
    multi: bool = False
    range: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    file: str
    properties: dict[str, Property] = field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    """One value of one property of one entity, as one source supports it."""

    kind: str
    entity_id: str
    prop: str
    value: str
    source_id: str
    quote: str
    lang: str
    origin: str = CURATED
    precision: str | None = None
    note: str | None = None
    data_file: str | None = None
    data_line: int | None = None
    # Our own short English rendering of a non-English quote, and the text a converted (OCR'd) copy
    # showed where it differs from the source as it reads; neither is part of the statement's identity.
    gloss: str | None = None
    as_converted: str | None = None

    @property
    def id(self) -> str:
        """A stable id: the same claim from the same source keeps its id across builds."""
        key = "\x1f".join((self.kind, self.entity_id, self.prop, self.value, self.source_id, self.quote))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


@cache
def kinds() -> dict[str, Kind]:
    text = resources.files("longarm").joinpath("model.yaml").read_text(encoding="utf-8")
    declared = yaml.safe_load(text)["kinds"]
    result: dict[str, Kind] = {}
    for name, spec in declared.items():
        props = {
            prop: Property(
                name=prop,
                type=p["type"],
                required=bool(p.get("required", False)),
                multi=bool(p.get("multi", False)),
                range=p.get("range"),
                values=tuple(p.get("values", ())),
            )
            for prop, p in spec["properties"].items()
        }
        result[name] = Kind(name=name, label=spec["label"], file=spec["file"], properties=props)
    return result


def date_precision(value: str) -> DatePrecision:
    match = DATE_PATTERN.match(value)
    if not match:
        raise InvalidValue(f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if match.group(3):
        return DatePrecision.DAY
    if match.group(2):
        return DatePrecision.MONTH
    return DatePrecision.YEAR


def normalise_value(prop: Property, raw: str) -> tuple[str, str | None]:
    """Check ``raw`` against the property's type; return the stored text and its precision.

    References are only checked for form here: whether the target exists is
    known only once every data file has been read.
    """
    value = raw.strip()
    if not value:
        raise InvalidValue(f"empty value for '{prop.name}'")
    if prop.type == "date":
        precision = date_precision(value)
        _year, month, day = ([*value.split("-"), None, None])[:3]
        if month is not None and not 1 <= int(month) <= 12:
            raise InvalidValue(f"'{value}' has no month {month}")
        if day is not None and not 1 <= int(day) <= 31:
            raise InvalidValue(f"'{value}' has no day {day}")
        return value, precision.value
    if prop.type == "int":
        if not re.fullmatch(r"-?\d+", value):
            raise InvalidValue(f"'{value}' is not a whole number")
        return str(int(value)), None
    if prop.type == "bool":
        if value.lower() not in ("true", "false"):
            raise InvalidValue(f"'{value}' is not true or false")
        return value.lower(), None
    if prop.type == "country":
        if pycountry.countries.get(alpha_2=value.upper()) is None or value != value.upper():
            raise InvalidValue(f"unknown country code '{value}' (ISO 3166-1 alpha-2 expected)")
        return value, None
    if prop.type == "lang":
        if not LANG_PATTERN.match(value):
            raise InvalidValue(f"'{value}' is not a language code")
        return value, None
    if prop.type == "enum":
        if value not in prop.values:
            raise InvalidValue(f"'{value}' is not one of {', '.join(prop.values)}")
        return value, None
    if prop.type == "ref":
        if not ID_PATTERN.match(value):
            raise InvalidValue(f"'{value}' is not an id")
        return value, None
    return value, None
