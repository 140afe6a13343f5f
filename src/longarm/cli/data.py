"""The data commands: build and check the dataset, and read it (stations, show, stats, table ...).

Every command has an example in its help, `--json` where its output is data,
and exits 2 with a one-line message on bad input.
"""

from __future__ import annotations

import difflib
import io
import operator
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from longarm.catalog.filters import EventFilter, FilterError, StationFilter
from longarm.catalog.rows import NEW_MARK
from longarm.cli import printers
from longarm.cli.support import (
    Context,
    console,
    emit_json,
    fail,
    format_option,
    json_option,
    pass_context,
    show,
    show_rows,
)
from longarm.ledger.errors import DataError, StoreError
from longarm.ledger.store import build
from longarm.model import LocationPrecision, enumeration


@click.command("build")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of YAML data files [default: the bundled Patrol and Persuade dataset].",
)
@click.option("--allow-empty", is_flag=True, help="Build even when the data files hold no statements.")
@pass_context
def build_command(ctx: Context, data_dir: Path | None, allow_empty: bool) -> None:
    """Compile the data files into the SQLite database.

    The database is written to a temporary file and renamed on success, so a
    failed build leaves the previous database untouched. Statements that left
    the data files stay in the database as history.

    \b
    Example:
      longarm build
      longarm --db my.db build --data ./my-data
    """
    if data_dir is not None and not data_dir.is_dir():
        fail(f"{data_dir}: data folder not found")
    try:
        counts = build(ctx.db, data_dir, allow_empty=allow_empty)
    except (DataError, StoreError) as exc:
        fail(str(exc))
    click.echo(f"built {ctx.db}: {counts['statements']} statements ({counts['retired']} kept as history)")


@click.command("check")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also validate this folder of data files before checking the database.",
)
@json_option
@pass_context
def check_command(ctx: Context, data_dir: Path | None, as_json: bool) -> None:
    """Validate the database and reconcile stated against computed totals.

    Integrity problems (a dangling reference, a station without a source)
    exit 1. Mismatches between what a report states and what its table adds up
    to are findings: printed with both numbers, exit 0.

    \b
    Example:
      longarm check
      longarm check --json
    """
    from longarm.ledger.integrity import integrity_problems

    if data_dir is not None:
        from longarm.ledger.datafiles import load

        try:
            load(data_dir)
        except DataError as exc:
            fail(str(exc))
    problems = integrity_problems(ctx.store().iter_statements())
    stats = ctx.catalog().stats
    if as_json:
        emit_json({"ok": not problems, "problems": problems, "findings": stats["findings"]})
    else:
        printers.print_check(console, problems, stats)
    sys.exit(1 if problems else 0)


def since_until_options(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--since` and `--until`: an inclusive range (YYYY, YYYY-MM or YYYY-MM-DD) on the date the rows are ``what``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("--until", help=f"Only those {what} on or before this date, e.g. 2019-06.")(func)
        return click.option("--since", help=f"Only those {what} on or after this date, e.g. 2018.")(func)

    return decorate


@click.command("stations")
@click.option("--country", help="Country: ISO 3166-1 code or name, e.g. IT, Italy, 意大利.")
@click.option("--jurisdiction", help="Running jurisdiction, English or Chinese, e.g. Wenzhou or 温州.")
@click.option("--precision", type=click.Choice([p.value for p in LocationPrecision]), help="Location precision.")
@click.option(
    "--status", type=click.Choice(enumeration("station_status").values), help="Newly revealed or earlier reported."
)
@click.option(
    "--status-now",
    type=click.Choice(enumeration("station_status_now").values),
    help="What the station is now, from host-government events (e.g. closed).",
)
@since_until_options("opened")
@format_option
@pass_context
def stations_command(
    ctx: Context,
    country: str | None,
    jurisdiction: str | None,
    precision: str | None,
    status: str | None,
    status_now: str | None,
    since: str | None,
    until: str | None,
    fmt: str | None,
) -> None:
    """List stations, filtered by country, jurisdiction, precision, status, status now or opening date.

    Ids and dates are printed whole; piped or redirected, the rows are tab-separated.

    \b
    Example:
      longarm stations --country Italy --jurisdiction 青田
      longarm stations --since 2018 --until 2019-06 --format csv > opened.csv
      longarm stations --precision country --json
      longarm stations --status-now closed
    """
    catalog = ctx.catalog()
    wanted = StationFilter(
        country=country, jurisdiction=jurisdiction, precision=precision, status=status, status_now=status_now,
        since=since, until=until,
    )  # fmt: skip
    try:
        rows = wanted.select(catalog.stations, catalog.entities["jurisdiction"])
    except FilterError as exc:
        fail(f"--{exc.param}: {exc.message}")
    show_rows(fmt, rows, printers.STATION_COLUMNS, f"{len(rows)} stations")


@click.command("show")
@click.argument("entity_id")
@json_option
@pass_context
def show_command(ctx: Context, entity_id: str, as_json: bool) -> None:
    """Show one station (or any entity) with every statement, its source and quote.

    \b
    Example:
      longarm show wenzhou-it-milan
      longarm show fuzhou-ca-toronto-2 --json
    """
    catalog = ctx.catalog()
    detail = catalog.detail(entity_id)
    if detail is None:
        near = near_ids(entity_id, [i for rows in catalog.entities.values() for i in rows])
        hint = f"did you mean {', '.join(near)}?" if near else "see `longarm stations`"
        fail(f"no station or other entity with id '{entity_id}'; {hint}")
    show(as_json, detail, printers.print_detail)


def near_ids(typed: str, ids: list[str], most: int = 5) -> list[str]:
    """The ids a mistyped one may mean: those containing it (milan: wenzhou-it-milan), shortest
    first, then those difflib finds close (wenzhou-it-milna: wenzhou-it-milan)."""
    wanted = typed.strip().casefold()
    containing = sorted((i for i in ids if wanted and wanted in i), key=lambda i: (len(i), i))
    close = difflib.get_close_matches(wanted, ids, n=most, cutoff=0.75)
    return list(dict.fromkeys([*containing, *close]))[:most]


@click.command("stats")
@json_option
@pass_context
def stats_command(ctx: Context, as_json: bool) -> None:
    """Counts by jurisdiction and country, stated totals, and findings.

    \b
    Example:
      longarm stats --json
    """
    show(as_json, ctx.catalog().stats, printers.print_stats)


@click.command("table")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "table", "markdown", "csv", "tsv", "json"]),
    default="text",
    show_default=True,
    help="Output format ('table' is 'text'; 'json' is --json).",
)
@json_option
@pass_context
def table_command(ctx: Context, fmt: str, as_json: bool) -> None:
    """Regenerate Table 1: countries by running jurisdiction.

    A check mark means the exact location is unknown (country precision); in
    text and Markdown a * marks a newly revealed station.

    \b
    Example:
      longarm table --format markdown
      longarm table --format csv > table1.csv
    """
    grid = ctx.catalog().grid
    if as_json or fmt == "json":
        emit_json(grid)
        return
    header = ["Country", *grid["jurisdictions"]]
    marked = fmt not in ("csv", "tsv")  # CSV and TSV stay plain data; status is in --json

    def cell_text(labels: list[str], statuses: list[str]) -> str:
        return "; ".join(
            label + (NEW_MARK if marked and status == "new" else "")
            for label, status in zip(labels, statuses, strict=True)
        )

    body = [
        [row["country_name"], *[cell_text(c, st) for c, st in zip(row["cells"], row["statuses"], strict=True)]]
        for row in grid["rows"]
    ]
    if fmt in ("csv", "tsv"):
        columns = [printers.Column(name, operator.itemgetter(name)) for name in header]
        buffer = io.StringIO()
        printers.write_delimited(buffer, columns, [dict(zip(header, line, strict=True)) for line in body], fmt)
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "markdown":
        click.echo("| " + " | ".join(header) + " |")
        click.echo("|" + "---|" * len(header))
        for line in body:
            click.echo("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
        click.echo(f"\n{grid['legend']}")
    else:
        table = Table(*header, title=grid["title"], caption=grid["legend"], show_lines=False)
        for line in body:
            table.add_row(*line)
        console.print(table)


@click.command("sources")
@format_option
@pass_context
def sources_command(ctx: Context, fmt: str | None) -> None:
    """List every cited source and how many statements it supports.

    \b
    Example:
      longarm sources --format csv > sources.csv
      longarm sources --json
    """
    rows = ctx.catalog().source_rows
    show_rows(fmt, rows, printers.SOURCE_COLUMNS, f"{len(rows)} sources")


@click.command("events")
@click.option("--country", help="Country: ISO 3166-1 code or name, e.g. IT, Italy, 意大利.")
@click.option("--type", "event_type", help="Only events of this type, e.g. joint-patrol.")
@click.option("--jurisdiction", help="Jurisdiction taking part, English or Chinese, e.g. Qingtian or 青田.")
@since_until_options("dated")
@format_option
@pass_context
def events_command(
    ctx: Context,
    country: str | None,
    event_type: str | None,
    jurisdiction: str | None,
    since: str | None,
    until: str | None,
    fmt: str | None,
) -> None:
    """List events in date order: openings, ceremonies, persuasion-to-return cases, agreements, patrols.

    \b
    Example:
      longarm events --country IT --type joint-patrol
      longarm events --jurisdiction 青田 --since 2018 --format tsv
    """
    catalog = ctx.catalog()
    wanted = EventFilter(country=country, type=event_type, jurisdiction=jurisdiction, since=since, until=until)
    try:
        rows = wanted.select(catalog.events, catalog.entities["jurisdiction"])
    except FilterError as exc:
        fail(f"--{exc.param}: {exc.message}")
    show_rows(fmt, rows, printers.EVENT_COLUMNS, f"{len(rows)} events")


@click.command("claims")
@format_option
@pass_context
def claims_command(ctx: Context, fmt: str | None) -> None:
    """Official count claims over time, beside what is documented (coverage ratio).

    \b
    Example:
      longarm claims
      longarm claims --json
    """
    show_rows(fmt, ctx.catalog().claims, printers.CLAIM_COLUMNS, "official count claims")


@click.command("report")
@json_option
@pass_context
def report_command(ctx: Context, as_json: bool) -> None:
    """A readable summary: headline figures, findings, jurisdictions, claims, recent events.

    \b
    Example:
      longarm report
    """
    contents = printers.report_contents(ctx.catalog())
    if as_json:
        emit_json(contents)
        return
    printers.print_report(console, contents)
