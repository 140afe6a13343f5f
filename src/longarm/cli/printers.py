"""How the data commands print: rich tables and plain lines over the catalog's rows.

`--json` prints the same rows these print, so the two never drift.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from longarm.catalog import Catalog
from longarm.geo import country_name


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


def print_sources(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("id", "date", "publisher", "title", "lang", "statements", title=f"{len(rows)} sources")
    for r in rows:
        table.add_row(
            r["id"], r["date"] or "undated", r["publisher"], r["title"] or "", r["lang"], str(r["statements"])
        )
    console.print(table)


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


def print_report(console: Console, catalog: Catalog) -> None:
    stats, claims, events = catalog.stats, catalog.claims, catalog.events
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
    counts = catalog.statement_counts()
    console.print(
        "Statements: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f". Built {catalog.meta.get('built_at')}. Names of sensitive persons are redacted."
    )
