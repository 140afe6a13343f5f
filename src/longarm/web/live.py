"""The data a running server shows, and the version its cached pages are keyed by.

The version is (the statement database file's identity, the app database's
data version, the redaction mode): a `longarm build` renames a new file over
the database, which changes its inode and mtime; a review decision bumps the
app database's counter. Asking costs a stat() and, only when SQLite's
``PRAGMA data_version`` says another connection wrote, one small SELECT, so it
is done on every request. A changed version opens the store again (with the
reviewed statements laid over it), reads a new ``Catalog`` and renders from a new ``Site``; each
server worker does this for itself. An edition's search index is rebuilt when it is next searched
(``longarm.web.search``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from longarm.catalog import Catalog
from longarm.catalog.queue import QueueData
from longarm.ledger.errors import EditionNotFound
from longarm.ledger.reviewdb import AppDB
from longarm.ledger.store import Store
from longarm.publish.site import Site


@dataclass
class Snapshot:
    """One data version as the server shows it: the store, its catalog, and the site rendered from it."""

    key: str
    store: Store
    catalog: Catalog
    site: Site

    @cached_property
    def review_data(self) -> QueueData:
        """What the review queue offers and decisions are checked against, read once per data version
        (a decision that makes statements changes the version, and so the snapshot)."""
        return QueueData(self.store)


class LiveData:
    def __init__(
        self, db_path: Path, app: AppDB, include_sensitive: bool = False, archive_dir: Path | None = None
    ) -> None:
        self.db_path = db_path
        self.app = app
        self.include_sensitive = include_sensitive
        self.archive_dir = archive_dir
        self._seen_change: tuple[int, int] | None = None
        self._data_version = 0
        self._key: str | None = None
        self._store: Store | None = None
        self._snapshots: dict[str | None, Snapshot] = {}  # edition (None: the default) -> its data

    def key(self) -> str:
        stat = os.stat(self.db_path)
        changed = self.app.changed()
        if changed != self._seen_change:
            self._seen_change = changed
            self._data_version = self.app.data_version()
        mode = "sensitive" if self.include_sensitive else "redacted"
        captures = self._captures_version()
        return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}:{self._data_version}:{captures}:{mode}"

    def _captures_version(self) -> str:
        """Captures made while the server runs change which citations link an archived copy."""
        from longarm.archive import default_archive_dir
        from longarm.archive.index import INDEX_NAME

        try:
            stat = os.stat((self.archive_dir or default_archive_dir(self.db_path)) / INDEX_NAME)
        except FileNotFoundError:
            return "none"
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def snapshot(self, edition: str | None = None) -> Snapshot:
        """The data of one edition (by default the latest released one) at the current version.
        ``EditionNotFound`` for a name that is no edition."""
        key = self.key()
        if key != self._key:
            old = self._snapshots
            self._key, self._snapshots, self._store = key, {}, Store(self.db_path, overlay=self.app.path)
            for snapshot in old.values():
                snapshot.catalog.store.close()
            if old:
                next(iter(old.values())).store.close()
        if edition not in self._snapshots:
            self._snapshots[edition] = self._load(key, edition)
        return self._snapshots[edition]

    def public(self, edition: str | None = None) -> Snapshot:
        """A released edition (the latest by default): what public pages and the API show. The working
        edition, accepted but not released, is for reviewers only (the review pages)."""
        shown = self.snapshot()
        if not edition:
            return shown
        released = [e.id for e in shown.catalog.editions.released]
        if edition not in released:
            raise EditionNotFound(f"no released edition '{edition}' (released: {', '.join(released)})")
        return self.snapshot(edition)

    def _load(self, key: str, edition: str | None) -> Snapshot:
        assert self._store is not None
        catalog = Catalog(self._store, self.include_sensitive, edition)
        site = Site(catalog, live=True, captures=self._captures(self._store))
        return Snapshot(key, self._store, catalog, site)

    def _captures(self, store: Store) -> dict[str, Any]:
        from longarm.archive import latest_captures

        return dict(latest_captures(store, self.archive_dir))
