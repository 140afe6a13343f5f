"""Editions: `longarm editions`, `longarm release NAME` and `longarm diff A B`."""

from __future__ import annotations

import getpass
from typing import Any

import click
from rich.console import Console

from longarm.cli.serve import _app_db
from longarm.cli.support import Context, emit_json, fail, json_option, pass_context, show


@click.command("editions")
@json_option
@pass_context
def editions_command(ctx: Context, as_json: bool) -> None:
    """Every edition in order: the reports', the dataset's updates, releases and the working edition.

    \b
    Example:
      longarm editions --json
    """
    editions = ctx.editions()
    shown = ctx.catalog().shown.id
    rows = [e.as_dict() | {"shown": e.id == shown} for e in editions.chain]
    show(as_json, rows, _print_editions)


def _print_editions(console: Console, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        mark = "*" if row["shown"] else " "
        released = f"released by {row['released_by']}" if row["released_by"] else ""
        what = row["kind"] + (f", {len(row['decisions'])} decisions" if row["decisions"] else "")
        console.print(
            f"{mark} {row['id']:<22} {row['label']:<36} {row['date'] or '—':<11} {what} {released}".rstrip(),
            soft_wrap=True,
        )
    console.print("* the edition shown by default (or by --edition)")


@click.command("release")
@click.argument("name")
@click.option("--label", help="The edition's label [default: NAME, DATE].")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="The edition's date [default: today, UTC].")
@click.option(
    "--as-user",
    default=None,
    help="Who releases it, recorded with the edition [default: the local user; the CLI acts as the local admin].",
)
@json_option
@pass_context
def release_command(
    ctx: Context, name: str, label: str | None, date_: str | None, as_user: str | None, as_json: bool
) -> None:
    """Freeze the working edition (accepted, unreleased review decisions) as edition NAME.

    Public pages, `longarm stats` and the API show the latest released edition; what
    reviewers accept waits in the working edition until a release. A released edition
    never changes: its decisions can no longer be reversed.

    \b
    Example:
      longarm release 2027-01 --label "Update, January 2027"
      longarm diff after-the-report 2027-01
    """
    from longarm.ledger.editions import release
    from longarm.ledger.errors import ReviewError

    editions = ctx.editions()
    who = as_user or f"{getpass.getuser()} (local admin, CLI)"
    database = _app_db(ctx)
    try:
        released = release(database, editions, name, who, label, date_)
    except ReviewError as exc:
        fail(str(exc))
    finally:
        database.close()
    if as_json:
        emit_json(released)
        return
    click.echo(
        f"released {released['edition']} ({released['label']}) after {released['previous']}: "
        f"{len(released['decisions'])} decisions, by {released['released_by']}"
    )


@click.command("diff")
@click.argument("before")
@click.argument("after")
@json_option
@pass_context
def diff_command(ctx: Context, before: str, after: str, as_json: bool) -> None:
    """What is new since, no longer in, and changed between editions BEFORE and AFTER.

    Computed from the two editions' statements, never typed. `working` names the
    edition reviewers are building (accepted, not yet released).

    \b
    Example:
      longarm diff patrol-and-persuade after-the-report
      longarm diff 110-overseas patrol-and-persuade --json
    """
    from longarm.catalog.diff import diff

    show(as_json, diff(ctx.catalog_of(before), ctx.catalog_of(after)), _print_diff)


def _print_diff(console: Console, result: dict[str, Any]) -> None:
    console.print(f"{result['from']['label']} → {result['to']['label']}", style="bold")
    for key, heading in (("new", "new since"), ("gone", "no longer"), ("changed", "changed")):
        rows = result[key]
        console.print(f"{heading} {result['from']['label']}: {len(rows)}", style="bold")
        for row in rows:
            console.print(f"  {row['kind']:<12} {row['id']:<40} {row['title']}", soft_wrap=True)
            for change in row.get("changes", []):
                added = f" +{', '.join(change['added'])}" if change["added"] else ""
                removed = f" -{', '.join(change['removed'])}" if change["removed"] else ""
                console.print(f"      {change['prop']}:{added}{removed}")
