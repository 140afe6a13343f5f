"""The filters every presenter offers over stations and events, in one place.

`longarm stations --country Italy`, `/api/stations?country=IT` and the site's
filters all resolve what a reader typed here: a country by code or name (English,
Chinese or a local name), a jurisdiction by id, English or Chinese name, a status
and a precision from the model's enumerations, and dates as a range. A value
that names nothing is a ``FilterError`` naming the parameter, never an empty
answer that looks like "no stations".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from longarm.geo import country_code_for
from longarm.model import InvalidValue, date_precision, enumeration


class FilterError(ValueError):
    """A filter value that names nothing; ``param`` is the option or query parameter at fault."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def country(text: str, param: str = "country") -> str:
    code = country_code_for(text)
    if code is None:
        raise FilterError(param, f"unknown country code '{text}', nor a country's name (e.g. IT, Italy or 意大利)")
    return code


def jurisdiction(text: str, jurisdictions: dict[str, dict[str, Any]], param: str = "jurisdiction") -> str:
    """The id of the jurisdiction a reader means: its id, English name, or a Chinese name or its core
    (温州 for 温州市公安局)."""
    wanted = text.strip().casefold()
    for jid, row in jurisdictions.items():
        if wanted in (jid, str(row.get("name") or "").casefold()):
            return jid
    for jid, row in jurisdictions.items():
        zh_names = row.get("name_zh") or []
        if any(wanted == z or (len(wanted) >= 2 and z.startswith(wanted)) for z in zh_names):
            return jid
    names = sorted({str(row["name"]) for row in jurisdictions.values() if row.get("runs_stations") == "true"})
    raise FilterError(param, f"no stations run by '{text}' (one of {', '.join(names)}, or a Chinese name)")


def _jurisdiction_or_none(text: str, jurisdictions: dict[str, dict[str, Any]], strict: bool) -> str | None:
    try:
        return jurisdiction(text, jurisdictions)
    except FilterError:
        if strict:
            raise
        return None


def enumerated(name: str, text: str, param: str) -> str:
    values = enumeration(name).values
    if text not in values:
        what = name.replace("_", " ")
        raise FilterError(param, f"unknown {what} '{text}' (one of {', '.join(values)})")
    return text


def date_bound(text: str, param: str) -> str:
    try:
        date_precision(text)
    except InvalidValue as exc:
        raise FilterError(param, str(exc)) from None
    return text


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a date (of any precision) may fall in [since, until]: a date known to the year
    counts as in the range when its year overlaps it; an unknown date is never in a range."""
    if since is None and until is None:
        return True
    if not date:
        return False
    # Compare on the common prefix, so "2018" overlaps "2018-06" and "2018-06-01" ≤ "2018".
    if since is not None and date < since[: len(date)]:
        return False
    return not (until is not None and date[: len(until)] > until)


def _dated(rows: list[dict[str, Any]], key: str, since: str | None, until: str | None) -> list[dict[str, Any]]:
    """The rows whose ``key`` date may fall in [since, until] (either may be open)."""
    if since is None and until is None:
        return rows
    low = date_bound(since, "since") if since else None
    high = date_bound(until, "until") if until else None
    return [r for r in rows if in_range(r[key], low, high)]


@dataclass(frozen=True)
class StationFilter:
    """What a reader asked for; ``None`` means any. Values are raw text until ``select`` resolves them."""

    country: str | None = None
    jurisdiction: str | None = None
    precision: str | None = None
    status: str | None = None
    status_now: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None

    def select(
        self, stations: list[dict[str, Any]], jurisdictions: dict[str, dict[str, Any]], strict: bool = True
    ) -> list[dict[str, Any]]:
        """The stations that pass; a jurisdiction that names nothing is a FilterError, or (``strict=False``,
        the API's habit for a free-text filter) matches no station."""
        rows = stations
        if self.country is not None:
            code = country(self.country)
            rows = [r for r in rows if r["country"] == code]
        if self.jurisdiction is not None:
            jid = _jurisdiction_or_none(self.jurisdiction, jurisdictions, strict)
            rows = [r for r in rows if r["jurisdiction_id"] == jid]
        if self.precision is not None:
            wanted = enumerated("location_precision", self.precision, "precision")
            rows = [r for r in rows if r["location_precision"] == wanted]
        if self.status is not None:
            wanted = enumerated("station_status", self.status, "status")
            rows = [r for r in rows if r["status"] == wanted]
        if self.status_now is not None:
            wanted = enumerated("station_status_now", self.status_now, "status-now")
            rows = [r for r in rows if r["status_now"] == wanted]
        if self.place is not None:
            rows = [r for r in rows if r["place"] == self.place]
        return _dated(rows, "opened", self.since, self.until)


@dataclass(frozen=True)
class EventFilter:
    country: str | None = None
    type: str | None = None
    jurisdiction: str | None = None
    station: str | None = None
    since: str | None = None
    until: str | None = None

    def select(
        self, events: list[dict[str, Any]], jurisdictions: dict[str, dict[str, Any]], strict: bool = True
    ) -> list[dict[str, Any]]:
        rows = events
        if self.country is not None:
            code = country(self.country)
            rows = [r for r in rows if code in r["country"]]
        if self.type is not None:
            wanted = enumerated("event_type", self.type, "type")
            rows = [r for r in rows if r["type"] == wanted]
        if self.jurisdiction is not None:
            jid = _jurisdiction_or_none(self.jurisdiction, jurisdictions, strict)
            rows = [r for r in rows if jid in r["jurisdiction"]]
        if self.station is not None:
            rows = [r for r in rows if self.station in r["station"]]
        return _dated(rows, "date", self.since, self.until)
