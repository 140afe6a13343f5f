"""The `longarm publish` command."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from longarm.cli.archive import archive_dir_option
from longarm.cli.support import Context, emit_json, fail, json_option, pass_context
from longarm.publish.output import PublishError


@click.command("publish")
@click.argument("out_dir", type=click.Path(path_type=Path))
@archive_dir_option
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be hosted (https://example.org/longarm/): pages then give an absolute "
    "'cite this page' address.",
)
@json_option
@pass_context
def publish_command(ctx: Context, out_dir: Path, archive_dir: Path | None, base_url: str | None, as_json: bool) -> None:
    """Publish an offline static site with maps, Table 1, timeline, evidence pages and data exports.

    The site opens from disk (file://) or any web host and makes no request to
    another host. Data exports go to OUT_DIR/data/: CSV per entity kind,
    JSON, GeoJSON, FollowTheMoney, a Frictionless data package and the SQLite
    file. Names of sensitive persons are redacted unless the global option
    --include-sensitive is given (never publish such a build).
    Each citation links to the source's original URL and, where `longarm
    archive` captured it, to an inert copy of the capture inside the site.

    OUT_DIR must be new, empty, or a site longarm published before; the new
    site is built beside it and swapped in, so a failed publish leaves the old
    one intact.

    \b
    Example:
      longarm publish site/
      xdg-open site/index.html
      longarm publish site/ --base-url https://example.org/longarm/
    """
    from longarm.model.urls import BadUrl, check_web_url
    from longarm.publish.publisher import publish

    if base_url is not None:
        try:
            base_url = check_web_url(base_url)
        except BadUrl as exc:
            fail(f"--base-url: {exc}")

    store = ctx.store()
    stderr = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=as_json or not stderr.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(f"writing {what}", total=total)
            bar.update(tasks[what], completed=done)

        try:
            result = publish(
                store, out_dir, ctx.include_sensitive, progress, archive_dir, base_url, edition=ctx.edition
            )
        except PublishError as exc:
            fail(str(exc))
    summary = {
        "out_dir": str(result.out_dir),
        "pages": result.pages,
        "data_files": result.data_files,
        "seconds": round(result.seconds, 2),
        "redacted": result.redacted,
        "index": str(result.out_dir / "index.html"),
    }
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"published {result.pages} pages and {len(result.data_files)} data files to {out_dir} "
        f"in {result.seconds:.1f} s; open {out_dir / 'index.html'}"
    )
    click.echo(
        "names of sensitive persons are redacted"
        if result.redacted
        else "WARNING: names of sensitive persons are included; do not publish this build"
    )
