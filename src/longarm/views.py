"""Read-side shapes of the dataset (rows, details, Table 1) and their terminal rendering.

The CLI prints these; `--json` prints the same rows, so the two never drift.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from longarm.geo import country_name
from longarm.model import kinds
from longarm.reconcile import jurisdiction_names, latest_edition
from longarm.redact import redact_record, redactor
from longarm.store import Store

CHECK_MARK = "✓"
NEW_MARK = "*"


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


def print_stations(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(
        "id", "country", "jurisdiction", "place", "precision", "opened", "status", title=f"{len(rows)} stations"
    )
    for r in rows:
        table.add_row(
            r["id"],
            r["country_name"],
            r["jurisdiction"],
            r["place_name"] or "—",
            r["location_precision"],
            r["opened"] or "unknown",
            r["status"] or "",
        )
    console.print(table)


@dataclass(frozen=True)
class DetailLookups:
    """What every entity detail looks up besides its own statements: read once, shared by many details."""

    sources: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    edition: dict[str, Any] | None

    @classmethod
    def of(cls, store: Store) -> DetailLookups:
        return cls({s["id"]: s for s in store.entities("source")}, store.places(), latest_edition(store))


def entity_detail(
    store: Store, entity_id: str, redact: Callable[[str], str], lookups: DetailLookups | None = None
) -> dict[str, Any] | None:
    statements = store.statements(entity_id=entity_id)
    if not statements:
        return None
    kind = statements[0]["kind"]
    entity = store.entity(kind, entity_id) or {}
    return detail_of(entity_id, kind, entity, statements, lookups or DetailLookups.of(store), redact)


def detail_of(
    entity_id: str,
    kind: str,
    entity: dict[str, Any],
    statements: list[dict[str, Any]],
    lookups: DetailLookups,
    redact: Callable[[str], str],
) -> dict[str, Any]:
    """One entity with every statement, its source and quote; no database access, so a site can make thousands."""
    from longarm.reconcile import revelation_status

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
        detail["status"] = revelation_status(entity, lookups.edition)
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
                "origin": st["origin"],
                "note": redact(st["note"]) if st["note"] else None,
                "first_seen": st["first_seen"],
                "last_seen": st["last_seen"],
            }
        )
    detail["properties"] = redact_record(detail["properties"], redact)
    return detail


def print_detail(console: Console, detail: dict[str, Any]) -> None:
    console.print(f"{detail['label']} {detail['id']}", style="bold")
    for key, value in detail["properties"].items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"  {key}: {shown}")
    if detail["kind"] == "station":
        place = detail.get("place")
        where = (
            f"{place['name']} ({place['lat']}, {place['lon']})"
            if place and place["lat"] is not None
            else (
                f"{place['name']} (no coordinates)"
                if place
                else f"somewhere in {detail['country_name']} (exact location unknown)"
            )
        )
        console.print(f"  location: {where}; precision {detail['properties'].get('location_precision')}")
        console.print(f"  revealed: {detail['status']}")
    # One block per (source, quote): a table cell backs several properties at once.
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for st in detail["statements"]:
        evidence[(st["source_id"], st["quote"])].append(st)
    console.print(f"evidence ({len(detail['statements'])} statements from {len(evidence)} citations):")
    for (source_id, quote), statements in evidence.items():
        first = statements[0]
        console.print(f"  [{source_id}] {first['source']}", style="bold")
        console.print(f"    “{quote}” ({first['lang']})")
        supported = "; ".join(
            f"{st['prop']} = {st['value']}" + (f" ({st['precision']})" if st["precision"] else "") for st in statements
        )
        console.print(f"    supports: {supported}")
        notes = {st["note"] for st in statements if st["note"]}
        for note in notes:
            console.print(f"    note: {note}")


def table_grid(store: Store) -> dict[str, Any]:
    """Table 1 regenerated from the statements: country rows x jurisdiction columns.

    Each row has, per column, the cell labels and, in parallel lists, the
    station ids and their revelation status (the report coloured new ones red).
    """
    from longarm.reconcile import stations_with_status

    names = jurisdiction_names(store)
    places = store.places()
    stations = sorted(stations_with_status(store), key=lambda s: s["id"])
    columns = [name for jid, name in names.items() if any(s["jurisdiction"] == jid for s in stations)]
    edition = latest_edition(store)
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


def print_sources(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("id", "date", "publisher", "title", "lang", "statements", title=f"{len(rows)} sources")
    for r in rows:
        table.add_row(
            r["id"], r["date"] or "undated", r["publisher"], r["title"] or "", r["lang"], str(r["statements"])
        )
    console.print(table)


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


def print_events(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("date", "type", "event", "where", "by", title=f"{len(rows)} events")
    for r in rows:
        where = ", ".join(country_name(c) for c in r["country"])
        table.add_row(r["date"] or "undated", r["type"], r["title"], where, ", ".join(r["jurisdiction_names"]))
    console.print(table)


def print_claims(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(
        "date", "jurisdiction", "system", "claimed", "documented", "coverage", "source", title="official count claims"
    )
    for r in rows:
        claimed = ", ".join(
            f"{_qualified(r, r[what])} {what}" for what in ("stations", "countries", "cities") if r[what] is not None
        )
        documented = (
            ", ".join(f"{r['documented'][w]} {w}" for w in ("stations", "countries", "cities") if r[w] is not None)
            if r["documented"]
            else "not comparable"
        )
        coverage = ", ".join(f"{w} {v:.0%}" for w, v in (r["coverage"] or {}).items())
        table.add_row(
            r["date"],
            r["jurisdiction_name"] or "—",
            r["system"],
            claimed,
            documented,
            coverage,
            ", ".join(r["sources"]),
        )
    console.print(table)


def _qualified(claim: dict[str, Any], value: str) -> str:
    prefix = {"at_least": "≥", "more_than": ">", "about": "~"}.get(claim["qualifier"] or "exact", "")
    return f"{prefix}{value}"


def print_stats(console: Console, stats: dict[str, Any]) -> None:
    console.print(f"{stats['stations']} stations in {stats['countries']} countries ({stats['edition']})", style="bold")
    table = Table("jurisdiction", "stations", "new", "earlier", "unknown", "stated")
    for name, count in stats["by_jurisdiction"].items():
        computed = stats["computed"]["by_jurisdiction"][name]
        stated = stats["stated"]["by_jurisdiction"].get(name, {})
        said = ", ".join(f"{k} {v}" for k, v in stated.items())
        table.add_row(name, str(count), str(computed["new"]), str(computed["earlier"]), str(computed["unknown"]), said)
    console.print(table)
    console.print("by precision: " + ", ".join(f"{k} {v}" for k, v in stats["by_precision"].items()))
    console.print(
        "by country: "
        + ", ".join(f"{country_name(k)} {v}" for k, v in sorted(stats["by_country"].items(), key=lambda kv: -kv[1]))
    )
    print_findings(console, stats["findings"])


def print_findings(console: Console, findings: list[dict[str, Any]]) -> None:
    if not findings:
        console.print("no findings: stated totals match the documented data")
        return
    console.print(f"{len(findings)} findings (stated vs computed):", style="bold")
    for f in findings:
        console.print(f"  • [{f['check']}] {f['message']}")


def print_check(console: Console, problems: list[dict[str, Any]], stats: dict[str, Any]) -> None:
    if problems:
        console.print(f"{len(problems)} integrity problems:", style="bold red")
        for p in problems:
            where = f"{p['file']}:{p['line']}: " if p["file"] else ""
            console.print(f"  ✗ {where}{p['message']}")
    else:
        console.print("integrity: ok (schema, references, every station sourced)")
    print_findings(console, stats["findings"])


def print_report(
    console: Console, store: Store, stats: dict[str, Any], claims: list[dict[str, Any]], events: list[dict[str, Any]]
) -> None:
    computed = stats["computed"]
    stated = stats["stated"]
    console.rule(f"longarm report — {stats['edition']}")
    console.print(
        f"Documented: {stats['stations']} stations in {stats['countries']} countries, "
        f"run by {len(stats['by_jurisdiction'])} jurisdictions "
        f"({', '.join(f'{k} {v}' for k, v in stats['by_jurisdiction'].items())})."
    )
    if stated:
        console.print(
            f"The report states: {stated.get('stations', '?')} stations in {stated.get('countries', '?')} countries "
            f"({stated.get('earlier', '?')} earlier + {stated.get('new', '?')} newly revealed)."
        )
    console.print(
        f"Computed by diffing editions: {computed['new']} newly revealed, {computed['earlier']} earlier, "
        f"{computed['unknown']} not attributable from the text."
    )
    precision = stats["by_precision"]
    console.print(
        f"Location precision: {precision.get('city', 0)} city, {precision.get('region', 0)} region, "
        f"{precision.get('country', 0)} country only (exact location unknown)."
    )
    top = sorted(stats["by_country"].items(), key=lambda kv: -kv[1])[:8]
    console.print("Most stations: " + ", ".join(f"{country_name(k)} {v}" for k, v in top) + ".")
    console.print()
    print_findings(console, stats["findings"])
    console.print()
    print_claims(console, claims)
    recent = [
        e for e in events if e["type"] in ("persuasion-to-return", "opening", "licence-ceremony", "host-response")
    ]
    if recent:
        print_events(console, recent)
    counts = Counter(st["kind"] for st in store.iter_statements())
    console.print(
        "Statements: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f". Built {store.meta.get('built_at')}. Names of sensitive persons are redacted."
    )
