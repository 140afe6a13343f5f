"""Read-side shapes of the dataset: station rows, entity details, Table 1, sources, events.

The catalog builds them once; the CLI prints them (``longarm.cli.printers``) and `--json` prints
the same rows, so the two never drift.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from longarm.catalog.reconcile import jurisdiction_names, stations_with_status
from longarm.catalog.redact import redact_record, redactor
from longarm.geo import country_name
from longarm.ledger.store import Store
from longarm.model import kinds

CHECK_MARK = "✓"
NEW_MARK = "*"


def station_title(row: dict[str, Any]) -> str:
    """A station row in words: 'Wenzhou station — Milan, Italy'; 'Nantong station — Angola (location unknown)'."""
    if row["place_name"]:
        return f"{row['jurisdiction']} station — {row['place_name']}, {row['country_name']}"
    return f"{row['jurisdiction']} station — {row['country_name']} (location unknown)"


def station_rows(store: Store, stations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {j["id"]: j["name"] for j in store.entities("jurisdiction")}
    places = store.places()
    rows = []
    for s in stations:
        place = places.get(s["place"] or "")
        rows.append(
            {
                "id": s["id"],
                "jurisdiction": names.get(s["jurisdiction"], s["jurisdiction"]),
                "jurisdiction_id": s["jurisdiction"],
                "country": s["country"],
                "country_name": country_name(s["country"]),
                "place": s["place"],
                "place_name": place["name"] if place else None,
                "location_precision": s["location_precision"],
                "lat": place["lat"] if place else None,
                "lon": place["lon"] if place else None,
                "table_cell": s["table_cell"],
                "opened": s["opened"],
                "opened_precision": s["opened_precision"],
                "status": s.get("status"),
                "sources": s["sources"],
            }
        )
    return sorted(rows, key=lambda r: (r["country_name"], r["jurisdiction"], r["id"]))


@dataclass(frozen=True)
class DetailLookups:
    """What every entity detail looks up besides its own statements: read once, shared by many details."""

    sources: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    statuses: dict[str, str]  # station id -> new / earlier / unknown in the catalog's edition


def detail_of(
    entity_id: str,
    kind: str,
    entity: dict[str, Any],
    statements: list[dict[str, Any]],
    lookups: DetailLookups,
    redact: Callable[[str], str],
) -> dict[str, Any]:
    """One entity with every statement, its source and quote; no database access, so a site can make thousands."""
    detail: dict[str, Any] = {
        "id": entity_id,
        "kind": kind,
        "label": kinds()[kind].label,
        "properties": {},
        "statements": [],
    }
    for prop in kinds()[kind].properties.values():
        value = entity.get(prop.name)
        if value not in (None, []):
            detail["properties"][prop.name] = value
    if kind == "station":
        detail["place"] = lookups.places.get(entity.get("place") or "")
        detail["country_name"] = country_name(entity["country"])
        detail["status"] = lookups.statuses.get(entity_id, "unknown")
    for st in statements:
        source = lookups.sources.get(st["source_id"], {})
        detail["statements"].append(
            {
                "prop": st["prop"],
                "value": redact(st["value"]),
                "precision": st["precision"],
                "source_id": st["source_id"],
                "source": redact(
                    " — ".join(x for x in (source.get("publisher"), source.get("title"), source.get("date")) if x)
                ),
                "quote": redact(st["quote"]),
                "lang": st["lang"],
                "gloss": redact(st["gloss"]) if st.get("gloss") else None,
                "origin": st["origin"],
                "note": redact(st["note"]) if st["note"] else None,
                "first_seen": st["first_seen"],
                "last_seen": st["last_seen"],
            }
        )
    detail["properties"] = redact_record(detail["properties"], redact)
    return detail


def table_grid(store: Store, edition: dict[str, Any] | None, statuses: dict[str, str]) -> dict[str, Any]:
    """Table 1 of a report's edition regenerated from its statements: country rows x jurisdiction columns.

    Each row has, per column, the cell labels and, in parallel lists, the
    station ids and their revelation status (the report coloured new ones red).
    """
    names = jurisdiction_names(store)
    places = store.places()
    stations = sorted(stations_with_status(store, statuses), key=lambda s: s["id"])
    columns = [name for jid, name in names.items() if any(s["jurisdiction"] == jid for s in stations)]
    countries = set(edition["table_country"]) if edition else set()
    countries |= {s["country"] for s in stations}
    per_place = Counter((s["jurisdiction"], s["place"]) for s in stations if s["place"])
    numbering: dict[tuple[str, str], int] = defaultdict(int)
    cells: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for s in stations:
        column = names.get(s["jurisdiction"], s["jurisdiction"])
        label = CHECK_MARK
        if s["place"]:
            label = places[s["place"]]["name"]
            if per_place[(s["jurisdiction"], s["place"])] > 1:
                numbering[(s["jurisdiction"], s["place"])] += 1
                label = f"{label} {numbering[(s['jurisdiction'], s['place'])]}"
        cells[(s["country"], column)].append((label, s["id"], s["status"]))
    rows = []
    for code in countries:
        row_cells = [cells.get((code, col), []) for col in columns]
        rows.append(
            {
                "country": code,
                "country_name": country_name(code),
                "cells": [[label for label, _, _ in cell] for cell in row_cells],
                "station_ids": [[sid for _, sid, _ in cell] for cell in row_cells],
                "statuses": [[status for _, _, status in cell] for cell in row_cells],
            }
        )
    rows.sort(key=lambda r: r["country_name"])
    return {
        "title": f"Table 1 — {edition['label'] if edition else 'stations'}: {len(stations)} stations, "
        f"{len({s['country'] for s in stations})} countries with an entry, {len(rows)} country rows",
        "jurisdictions": columns,
        "rows": rows,
        "legend": f"{CHECK_MARK} = exact location unknown (country precision); "
        f"{NEW_MARK} = newly revealed (computed by diffing editions)",
    }


def source_rows(
    store: Store,
    redact: Callable[[str], str] | None = None,
    statements: Iterable[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Sources in date order with the statements and entities each backs, every text field passed
    through ``redact`` (by default the store's redactor: sensitive names blanked). ``statements``
    (the current ones) spares a scan of the store where the caller holds them already."""
    blank = redact or redactor(store)
    counts: Counter[str] = Counter()
    entities: dict[str, set[str]] = defaultdict(set)
    for st in store.iter_statements() if statements is None else statements:
        counts[st["source_id"]] += 1
        entities[st["source_id"]].add(st["entity_id"])
    rows = []
    for s in store.entities("source"):
        row = {
            "id": s["id"],
            "publisher": s["publisher"],
            "title": s["title"],
            "date": s["date"],
            "lang": s["lang"],
            "medium": s["medium"],
            "availability": s["availability"] or "unknown",
            "statements": counts[s["id"]],
            "entities": len(entities[s["id"]]),
        }
        rows.append(redact_record(row, blank))
    return sorted(rows, key=lambda r: (r["date"] or "9999", r["id"]))


def event_rows(store: Store, redact: Callable[[str], str]) -> list[dict[str, Any]]:
    """Events in date order with person and jurisdiction names, every text field passed through ``redact``."""
    persons = {p["id"]: p for p in store.entities("person")}
    jurisdictions = {j["id"]: j["name"] for j in store.entities("jurisdiction")}
    rows = []
    for e in store.entities("event"):
        row = dict(e)
        row["person_names"] = [persons[p]["name"] for p in e["person"] if p in persons]
        row["jurisdiction_names"] = [jurisdictions.get(j, j) for j in e["jurisdiction"]]
        rows.append(redact_record(row, redact))
    return sorted(rows, key=lambda r: (r["date"] or "9999", r["id"]))
