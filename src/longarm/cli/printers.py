"""How the data commands print: rich tables and plain lines over the catalog's rows.

A listing (stations, sources, events, claims) is described once, as columns, and printed
from that description in every format: a rich table in a terminal, tab-separated rows when
stdout is a pipe or a file, CSV, or the rows themselves as JSON. Ids and dates are whole in
every one of them: in a table their columns never wrap nor shrink (the other columns wrap),
so `longarm stations | cat` and an 80-column terminal show ``fuzhou-ca-toronto-2`` and
``2017-06-13``, never ``fuzhou-ca…``.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from longarm.catalog import Catalog
from longarm.geo import country_name

FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class Column:
    """One column of a listing: its header, the text of a row's cell (None: unknown), and whether
    the text is an id or a date (``whole``: never wrapped or cut; several ids go one per line)."""

    header: str
    cell: Callable[[dict[str, Any]], str | list[str] | None]
    whole: bool = False
    unknown: str = ""  # what a table shows for None; plain formats leave the cell empty


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[name]


def _text(value: str | list[str] | None, separator: str) -> str | None:
    return separator.join(value) if isinstance(value, list) else value


NARROWEST_WRAPPED = 8  # a wrapped column narrower than this reads as a column of letters: print records instead


def rich_table(columns: Sequence[Column], rows: list[dict[str, Any]], title: str | None = None) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for column in columns:
        # fold is the last resort for a terminal narrower than the ids themselves: wrapped, never "…"
        table.add_column(column.header, no_wrap=column.whole, overflow="fold")
    for row in rows:
        table.add_row(*(_shown(column, row) for column in columns))
    return table


def _shown(column: Column, row: dict[str, Any]) -> str:
    text = _text(column.cell(row), "\n" if column.whole else ", ")
    return text if text not in (None, "") else column.unknown


def print_table(console: Console, columns: Sequence[Column], rows: list[dict[str, Any]], title: str) -> None:
    """A table whose ids and dates are whole and whose other columns wrap; where the terminal is too
    narrow for that, one block per row (its ids and dates on the first line, then a line per column)."""
    whole = [c for c in columns if c.whole]

    def widest(c: Column) -> int:
        return max([len(c.header)] + [console.measure(line).maximum for r in rows for line in _shown(c, r).split("\n")])

    needed = sum(widest(c) if c.whole else min(NARROWEST_WRAPPED, widest(c)) for c in columns) + 2 * len(columns)
    if needed <= console.width:
        console.print(rich_table(columns, rows, title))
        return
    console.print(title, style="italic")
    for row in rows:
        console.print("  ".join(_shown(c, row).replace("\n", ", ") for c in whole), style="bold")
        for c in columns:
            if not c.whole:
                console.print(f"    {c.header}: {_shown(c, row)}")


def write_delimited(stream: TextIO, columns: Sequence[Column], rows: list[dict[str, Any]], fmt: str) -> None:
    """A header and one line per row: CSV (quoted where needed) or TSV (a tab or line break inside a
    cell becomes a space, so every row is one line); several values in a cell are '; '-separated."""
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow([_text(c.cell(row), "; ") or "" for c in columns])
        return
    stream.write("\t".join(c.header for c in columns) + "\n")
    for row in rows:
        cells = (_text(c.cell(row), "; ") or "" for c in columns)
        stream.write("\t".join(" ".join(cell.split()) for cell in cells) + "\n")


def print_listing(
    console: Console, fmt: str, columns: Sequence[Column], rows: list[dict[str, Any]], title: str
) -> None:
    """A listing in ``fmt`` ('table', 'csv' or 'tsv'; JSON is the rows themselves, see support.show_rows)."""
    if fmt == "table":
        print_table(console, columns, rows, title)
    else:
        write_delimited(sys.stdout, columns, rows, fmt)


STATION_COLUMNS = (
    Column("id", _key("id"), whole=True),
    Column("country", _key("country_name")),
    Column("jurisdiction", _key("jurisdiction")),
    Column("place", _key("place_name"), unknown="—"),
    Column("precision", _key("location_precision")),
    Column("opened", _key("opened"), whole=True, unknown="unknown"),
    Column("status", _key("status")),
    Column("now", _key("status_now")),
)

SOURCE_COLUMNS = (
    Column("id", _key("id"), whole=True),
    Column("date", _key("date"), whole=True, unknown="undated"),
    Column("publisher", _key("publisher")),
    Column("title", _key("title")),
    Column("lang", _key("lang")),
    Column("statements", lambda r: str(r["statements"])),
)

EVENT_COLUMNS = (
    Column("id", _key("id"), whole=True),
    Column("date", _key("date"), whole=True, unknown="undated"),
    Column("type", _key("type")),
    Column("event", _key("title")),
    Column("where", lambda r: [country_name(c) for c in r["country"]]),
    Column("by", _key("jurisdiction_names")),
)

CAPTURE_COLUMNS = (
    Column("id", _key("id"), whole=True),
    Column("captured (UTC)", lambda r: r["fetched_at"][:19].replace("T", " "), whole=True),
    Column("HTTP", lambda r: str(r["status"])),
    Column("url", lambda r: r["url"] + (f" → {r['final_url']}" if r["final_url"] != r["url"] else "")),
    Column("source", _key("source_id"), whole=True, unknown="—"),
    Column("cited by", lambda r: f"{r['citing_statements']} statements" if r["source_id"] else None, unknown="—"),
)


def _qualified(claim: dict[str, Any], value: str) -> str:
    prefix = {"at_least": "≥", "more_than": ">", "about": "~"}.get(claim["qualifier"] or "exact", "")
    return f"{prefix}{value}"


def _claimed(r: dict[str, Any]) -> str:
    return ", ".join(
        f"{_qualified(r, r[what])} {what}" for what in ("stations", "countries", "cities") if r[what] is not None
    )


def _documented(r: dict[str, Any]) -> str:
    if not r["documented"]:
        return "not comparable"
    return ", ".join(f"{r['documented'][w]} {w}" for w in ("stations", "countries", "cities") if r[w] is not None)


CLAIM_COLUMNS = (
    Column("id", _key("id"), whole=True),
    Column("date", _key("date"), whole=True, unknown="undated"),
    Column("jurisdiction", _key("jurisdiction_name"), unknown="—"),
    Column("system", _key("system")),
    Column("claimed", _claimed),
    Column("documented", _documented),
    Column("coverage", lambda r: ", ".join(f"{w} {v:.0%}" for w, v in (r["coverage"] or {}).items())),
    Column("source", _key("sources"), whole=True),
)


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
        if detail.get("status_now"):
            when = f" ({detail['status_now_date'] or 'undated'}, event {detail['status_now_event']})"
            console.print(f"  now: {detail['status_now']}" + (when if detail["status_now_event"] else ""))
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


# The events a report lists: what happened at stations and to people, and what hosts did about it.
REPORT_EVENT_TYPES = ("persuasion-to-return", "opening", "licence-ceremony", "host-response")


def report_contents(catalog: Catalog) -> dict[str, Any]:
    """Everything `longarm report` shows, as data: `report --json` prints this, the text report reads it."""
    return {
        "edition": catalog.stats["edition"],
        "stats": catalog.stats,
        "claims": catalog.claims,
        "events": [e for e in catalog.events if e["type"] in REPORT_EVENT_TYPES],
        "statements": dict(sorted(catalog.statement_counts().items())),
        "built_at": catalog.meta.get("built_at"),
        "redacted": not catalog.include_sensitive,
    }


def print_report(console: Console, contents: dict[str, Any]) -> None:
    stats, claims, events = contents["stats"], contents["claims"], contents["events"]
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
    print_table(console, CLAIM_COLUMNS, claims, "official count claims")
    if events:
        print_table(console, EVENT_COLUMNS, events, f"{len(events)} events")
    redacted = " Names of sensitive persons are redacted." if contents["redacted"] else ""
    console.print(
        "Statements: "
        + ", ".join(f"{k} {v}" for k, v in contents["statements"].items())
        + f". Built {contents['built_at']}.{redacted}"
    )
