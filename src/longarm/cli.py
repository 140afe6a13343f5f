"""The `longarm` command: build, check and read the evidence dataset.

Every command has an example in its help, `--json` where its output is data,
and exits 2 with a one-line message on bad input.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from rich.table import Table

from longarm import __version__, views
from longarm.archive import commands as archive_commands
from longarm.cli_support import Context, console, emit_json, fail, json_option, pass_context, show
from longarm.dataset import DataError
from longarm.extract.command import extract_command
from longarm.geo import country_name
from longarm.model import LocationPrecision
from longarm.publish.command import publish_command
from longarm.reconcile import claims_ledger, stations_with_status, statistics
from longarm.scan.command import scan_command
from longarm.store import StoreError, build, default_db_path
from longarm.web import command as web_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"SQLite database to use [default: {default_db_path()}, built from the bundled dataset on first use].",
)
@click.option(
    "--include-sensitive", is_flag=True, help="Show names of persons flagged sensitive (redacted by default)."
)
@click.version_option(__version__, prog_name="longarm")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, include_sensitive: bool) -> None:
    """longarm: an evidence workbench for overseas police service stations.

    Every fact is a statement with a source, a quote in the original language
    and a precision. Start with `longarm report`.

    \b
    Example:
      longarm report
      longarm --db my.db build --data ./my-data
    """
    ctx.obj = Context(db, include_sensitive)


@cli.command("build")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of YAML data files [default: the bundled Patrol and Persuade dataset].",
)
@pass_context
def build_command(ctx: Context, data_dir: Path | None) -> None:
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
        counts = build(ctx.db, data_dir)
    except (DataError, StoreError) as exc:
        fail(str(exc))
    click.echo(f"built {ctx.db}: {counts['statements']} statements ({counts['retired']} kept as history)")


@cli.command("check")
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
    from longarm.integrity import integrity_problems

    if data_dir is not None:
        from longarm.dataset import load

        try:
            load(data_dir)
        except DataError as exc:
            fail(str(exc))
    store = ctx.store()
    problems = integrity_problems(store)
    stats = statistics(store)
    if as_json:
        emit_json({"ok": not problems, "problems": problems, "findings": stats["findings"]})
    else:
        views.print_check(console, problems, stats)
    sys.exit(1 if problems else 0)


@cli.command("stations")
@click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. IT.")
@click.option("--jurisdiction", help="Running jurisdiction, e.g. Wenzhou.")
@click.option("--precision", type=click.Choice([p.value for p in LocationPrecision]), help="Location precision.")
@click.option("--status", type=click.Choice(["new", "earlier", "unknown"]), help="Newly revealed or earlier reported.")
@json_option
@pass_context
def stations_command(
    ctx: Context,
    country: str | None,
    jurisdiction: str | None,
    precision: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """List stations, filtered by country, jurisdiction, precision or status.

    \b
    Example:
      longarm stations --country IT --jurisdiction Qingtian
      longarm stations --precision country --json
    """
    store = ctx.store()
    rows = all_rows = views.station_rows(store, stations_with_status(store))
    if country is not None:
        code = country.upper()
        if len(code) != 2 or country_name(code) == code:
            fail(f"--country: unknown country code '{country}' (ISO 3166-1 alpha-2, e.g. IT)")
        rows = [r for r in rows if r["country"] == code]
    if jurisdiction is not None:
        wanted = jurisdiction.casefold()
        known = {r["jurisdiction"].casefold() for r in all_rows} | {r["jurisdiction_id"] for r in all_rows}
        if wanted not in known:
            names = sorted({r["jurisdiction"] for r in all_rows})
            fail(f"--jurisdiction: no stations run by '{jurisdiction}' (one of {', '.join(names)})")
        rows = [r for r in rows if wanted in (r["jurisdiction"].casefold(), r["jurisdiction_id"])]
    if precision is not None:
        rows = [r for r in rows if r["location_precision"] == precision]
    if status is not None:
        rows = [r for r in rows if r["status"] == status]
    show(as_json, rows, views.print_stations)


@cli.command("show")
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
    store = ctx.store()
    detail = views.entity_detail(store, entity_id, ctx.redact())
    if detail is None:
        fail(f"no station or other entity with id '{entity_id}' (see `longarm stations`)")
    show(as_json, detail, views.print_detail)


@cli.command("stats")
@json_option
@pass_context
def stats_command(ctx: Context, as_json: bool) -> None:
    """Counts by jurisdiction and country, stated totals, and findings.

    \b
    Example:
      longarm stats --json
    """
    stats = statistics(ctx.store())
    show(as_json, stats, views.print_stats)


@cli.command("table")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
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
    store = ctx.store()
    grid = views.table_grid(store)
    if as_json:
        emit_json(grid)
        return
    header = ["Country", *grid["jurisdictions"]]
    marked = fmt != "csv"  # CSV stays plain data; status is in --json

    def cell_text(labels: list[str], statuses: list[str]) -> str:
        return "; ".join(
            label + (views.NEW_MARK if marked and status == "new" else "")
            for label, status in zip(labels, statuses, strict=True)
        )

    body = [
        [row["country_name"], *[cell_text(c, st) for c, st in zip(row["cells"], row["statuses"], strict=True)]]
        for row in grid["rows"]
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
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


@cli.command("sources")
@json_option
@pass_context
def sources_command(ctx: Context, as_json: bool) -> None:
    """List every cited source and how many statements it supports.

    \b
    Example:
      longarm sources --json
    """
    store = ctx.store()
    rows = views.source_rows(store, ctx.redact())
    show(as_json, rows, views.print_sources)


@cli.command("events")
@click.option("--country", help="Only events in this ISO2 country.")
@click.option("--type", "event_type", help="Only events of this type, e.g. joint-patrol.")
@json_option
@pass_context
def events_command(ctx: Context, country: str | None, event_type: str | None, as_json: bool) -> None:
    """List events in date order: openings, ceremonies, persuasion-to-return cases, agreements, patrols.

    \b
    Example:
      longarm events --country IT --type joint-patrol
    """
    from longarm.model import kinds

    store = ctx.store()
    types = kinds()["event"].properties["type"].values
    if event_type is not None and event_type not in types:
        fail(f"--type: unknown event type '{event_type}' (one of {', '.join(types)})")
    redact = ctx.redact()
    rows = views.event_rows(store, redact)
    if country is not None:
        rows = [r for r in rows if country.upper() in r["country"]]
    if event_type is not None:
        rows = [r for r in rows if r["type"] == event_type]
    show(as_json, rows, views.print_events)


@cli.command("claims")
@json_option
@pass_context
def claims_command(ctx: Context, as_json: bool) -> None:
    """Official count claims over time, beside what is documented (coverage ratio).

    \b
    Example:
      longarm claims
      longarm claims --json
    """
    rows = claims_ledger(ctx.store())
    show(as_json, rows, views.print_claims)


@cli.command("report")
@json_option
@pass_context
def report_command(ctx: Context, as_json: bool) -> None:
    """A readable summary: headline figures, findings, jurisdictions, claims, recent events.

    \b
    Example:
      longarm report
    """
    store = ctx.store()
    stats = statistics(store)
    if as_json:
        emit_json({"stats": stats, "claims": claims_ledger(store)})
        return
    redact = ctx.redact()
    views.print_report(console, store, stats, claims_ledger(store), views.event_rows(store, redact))


# Commands of other capabilities register here, each from its own module:
# cli.add_command(<module>.<command>)
cli.add_command(archive_commands.archive_command)
cli.add_command(archive_commands.verify_command)
cli.add_command(archive_commands.captures_command)
cli.add_command(publish_command)
cli.add_command(extract_command)
cli.add_command(web_commands.serve_command)
cli.add_command(web_commands.user_group)
cli.add_command(web_commands.review_group)
cli.add_command(scan_command)


def main() -> None:
    cli(prog_name="longarm")


if __name__ == "__main__":
    main()
