"""What every `longarm` subcommand shares: the database context, errors, JSON output.

Subcommands live in the module of their capability and import from here; the
package's ``__init__`` only lists them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console

from longarm.catalog import Catalog
from longarm.cli import printers
from longarm.ledger.editions import Editions
from longarm.ledger.errors import DataError, EditionNotFound, StoreError
from longarm.ledger.reviewdb import review_db_path
from longarm.ledger.store import Store, default_db_path, ensure_default_db

# markup off: quotes and titles from sources may contain [brackets] that are not styling
console = Console(highlight=False, markup=False)


class Context:
    def __init__(self, db: Path | None, include_sensitive: bool, edition: str | None = None) -> None:
        self.db_given = db is not None
        self.db = db or default_db_path()
        self.include_sensitive = include_sensitive
        self.edition = edition  # None: the latest released edition
        self._store: Store | None = None
        self._catalog: Catalog | None = None

    def store(self) -> Store:
        if self._store is None:
            try:
                if not self.db_given:
                    ensure_default_db(self.db)
                self._store = Store(self.db, overlay=self.review_overlay())
            except (StoreError, DataError) as exc:
                fail(str(exc))
        return self._store

    def review_overlay(self) -> Path | None:
        """The review database beside the database, if there is one: its reviewed statements are
        part of the dataset every command reads (see longarm.ledger.reviewdb)."""
        path = review_db_path(self.db)
        return path if path.exists() else None

    def catalog(self) -> Catalog:
        """The read model every data command prints, redacted unless --include-sensitive."""
        if self._catalog is None:
            self._catalog = self.catalog_of(self.edition)
        return self._catalog

    def catalog_of(self, edition: str | None) -> Catalog:
        """The read model of one edition (``--edition``, or by default the latest released one)."""
        try:
            return Catalog(self.store(), self.include_sensitive, edition)
        except EditionNotFound as exc:
            fail(str(exc))

    def editions(self) -> Editions:
        return Editions.of(self.store())


pass_context = click.make_pass_decorator(Context)


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def show(as_json: bool, data: Any, printer: Callable[[Console, Any], None]) -> None:
    """Print data as JSON, or through its terminal printer: the same rows either way."""
    if as_json:
        emit_json(data)
    else:
        printer(console, data)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "": 1,
    "k": 10**3,
    "m": 10**6,
    "g": 10**9,
    "t": 10**12,
    "ki": 2**10,
    "mi": 2**20,
    "gi": 2**30,
    "ti": 2**40,
}


def parse_size(text: str) -> int:
    """A size option: '32MB' and '1g' are decimal, '64MiB' binary, '500000' bytes; ValueError otherwise."""
    match = _SIZE.match(text)
    unit = match.group(2).lower().rstrip("b") if match else None
    if match is None or unit not in _SIZE_UNITS or float(match.group(1)) <= 0:
        raise ValueError(text)
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--format table|csv|tsv|json` and `--json` (the same as `--format json`), into the parameter ``fmt``;
    None when neither is given: a table in a terminal, tab-separated rows otherwise (see ``show_rows``)."""
    func = click.option("--json", "fmt", flag_value="json", help="The same as --format json.")(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(printers.FORMATS),
        help="Output format [default: table in a terminal, tsv when piped or redirected].",
    )(func)


def show_rows(fmt: str | None, rows: list[dict[str, Any]], columns: Sequence[printers.Column], title: str) -> None:
    """A listing: its rows as JSON (every field, as the API gives them), or its columns as a table or delimited."""
    if fmt is None:
        fmt = "table" if sys.stdout.isatty() else "tsv"
    if fmt == "json":
        emit_json(rows)
    else:
        printers.print_listing(console, fmt, columns, rows, title)
