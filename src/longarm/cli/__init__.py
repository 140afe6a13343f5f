"""The `longarm` command: every click command and terminal printer lives in this package.

The only package that imports click or rich. Each module registers the commands of one
capability; they read through ``longarm.catalog``, write through ``longarm.ledger``, and turn
the errors those raise into a one-line message and exit code 2 (``support.fail``).
"""

from __future__ import annotations

from pathlib import Path

import click

from longarm import __version__
from longarm.cli import archive, data, editions, extract, publish, scan, serve
from longarm.cli.support import Context
from longarm.ledger.store import default_db_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"SQLite database to use [default: {default_db_path()}, built from the bundled dataset on first use].",
)
@click.option(
    "--include-sensitive", is_flag=True, help="Show names of persons flagged sensitive (redacted by default)."
)
@click.option(
    "--edition",
    metavar="NAME",
    help="The edition to read (see `longarm editions`; `working` = accepted, not yet released) "
    "[default: the latest released edition].",
)
@click.version_option(__version__, prog_name="longarm")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, include_sensitive: bool, edition: str | None) -> None:
    """longarm: an evidence workbench for overseas police service stations.

    Every fact is a statement with a source, a quote in the original language
    and a precision. Start with `longarm report`.

    \b
    Example:
      longarm report
      longarm --db my.db build --data ./my-data
    """
    ctx.obj = Context(db, include_sensitive, edition)


for command in (
    data.build_command,
    data.check_command,
    data.stations_command,
    data.show_command,
    data.stats_command,
    data.table_command,
    data.sources_command,
    data.events_command,
    data.claims_command,
    data.report_command,
    archive.archive_command,
    archive.verify_command,
    archive.captures_command,
    publish.publish_command,
    extract.extract_command,
    serve.serve_command,
    serve.user_group,
    serve.review_group,
    scan.scan_command,
    editions.editions_command,
    editions.release_command,
    editions.diff_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="longarm")
