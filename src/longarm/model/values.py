"""One validator per value type: a raw value in, the stored text and its precision out.

Dates go through the standard library's calendar, so ``2023-02-30`` and
``0000`` are refused; countries through pycountry (ISO 3166-1), the one table
every country check in longarm uses.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from enum import StrEnum

import pycountry

from longarm.model.schema import Property

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


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


def date_precision(value: str) -> DatePrecision:
    """The precision a date's form gives (year, month or day), once the date is a real one."""
    match = DATE_PATTERN.match(value)
    if not match:
        raise InvalidValue(f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not year:
        raise InvalidValue(f"'{value}' has no year 0")
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(f"'{value}' has no month {month:02d}")
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise InvalidValue(f"'{value}' has no day {day:02d}") from None
    if day is not None:
        return DatePrecision.DAY
    if month is not None:
        return DatePrecision.MONTH
    return DatePrecision.YEAR


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code as given (upper case); InvalidValue for anything else."""
    if value != value.upper() or len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
        raise InvalidValue(f"unknown country code '{value}' (ISO 3166-1 alpha-2 expected)")
    return value


def _date(prop: Property, value: str) -> tuple[str, str | None]:
    return value, date_precision(value).value


def _int(prop: Property, value: str) -> tuple[str, str | None]:
    if not re.fullmatch(r"-?\d{1,18}", value):
        raise InvalidValue(f"'{value}' is not a whole number")
    return str(int(value)), None


def _bool(prop: Property, value: str) -> tuple[str, str | None]:
    if value.lower() not in ("true", "false"):
        raise InvalidValue(f"'{value}' is not true or false")
    return value.lower(), None


def _country(prop: Property, value: str) -> tuple[str, str | None]:
    return country_code(value), None


def _lang(prop: Property, value: str) -> tuple[str, str | None]:
    if not LANG_PATTERN.match(value):
        raise InvalidValue(f"'{value}' is not a language code")
    return value, None


def _enum(prop: Property, value: str) -> tuple[str, str | None]:
    if value not in prop.values:
        raise InvalidValue(f"'{value}' is not one of {', '.join(prop.values)}")
    return value, None


def _ref(prop: Property, value: str) -> tuple[str, str | None]:
    # Whether the target exists is known only once every data file has been read (ledger.integrity).
    if not ID_PATTERN.match(value):
        raise InvalidValue(f"'{value}' is not an id")
    return value, None


def _text(prop: Property, value: str) -> tuple[str, str | None]:
    return value, None


VALIDATORS: dict[str, Callable[[Property, str], tuple[str, str | None]]] = {
    "date": _date,
    "int": _int,
    "bool": _bool,
    "country": _country,
    "lang": _lang,
    "enum": _enum,
    "ref": _ref,
    "text": _text,
}


def normalise_value(prop: Property, raw: str) -> tuple[str, str | None]:
    """Check ``raw`` against the property's type; return the stored text and its precision."""
    value = raw.strip()
    if not value:
        raise InvalidValue(f"empty value for '{prop.name}'")
    return VALIDATORS[prop.type](prop, value)
