"""The capture index: one row per capture, in ``captures.db`` inside the archive folder.

Why a file of its own beside the WARCs, and not a table in the statement
database: ``longarm build`` compiles the data files into a new database and
renames it over the old one, so the database is a build product; captures are
primary evidence, made once at one moment and never re-creatable. Kept apart,
they survive every rebuild (even ``rm longarm.db``), never race a concurrent
build's rename, and need no change to the build. The archive folder is then
self-contained: copy it and you have the WARCs, their hashes and the index
that links them to sources. Readers reach it from a Store through
``default_archive_dir`` (``<db dir>/captures``) or an explicit folder.

A capture is linked to a source by ``source_id`` when it is made and, at read
time, by the normalised URL of the source (``url_key``), so a page captured
before anyone added its URL to a source is still found for that source.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from longarm.archive import manifest, pending

INDEX_NAME = "captures.db"
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS archive_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS capture (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    final_url TEXT NOT NULL,
    final_url_key TEXT NOT NULL,
    redirect_chain TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    content_type TEXT,
    charset TEXT,
    charset_from TEXT,
    payload_length INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    warc_path TEXT NOT NULL,
    warc_member TEXT,
    warc_sha256 TEXT NOT NULL,
    record_offset INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    source_id TEXT,
    origin TEXT NOT NULL,
    tsa_url TEXT,
    timestamp_path TEXT,
    timestamp_sha256 TEXT,
    timestamped_at TEXT,
    UNIQUE (warc_sha256, record_offset)
);
CREATE INDEX IF NOT EXISTS capture_url ON capture (url_key);
CREATE INDEX IF NOT EXISTS capture_final_url ON capture (final_url_key);
CREATE INDEX IF NOT EXISTS capture_source ON capture (source_id);
"""


class CaptureIndexError(Exception):
    """An archive index that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Capture:
    """One preserved response: where its bytes are, their hashes, when, and which source it backs.

    ``payload_sha256`` is over the body as a browser gets it (transfer and
    content encoding undone), so two captures of an unchanged page share it
    whatever the server's compression; ``warc_sha256`` is over the WARC file
    byte for byte, so any change to the stored evidence shows.
    """

    id: str
    url: str
    url_key: str
    final_url: str
    final_url_key: str
    redirect_chain: list[dict[str, Any]]
    status: int
    fetched_at: str
    content_type: str | None
    charset: str | None
    charset_from: str | None
    payload_length: int
    payload_sha256: str
    warc_path: str
    warc_member: str | None
    warc_sha256: str
    record_offset: int
    record_id: str
    title: str | None
    text: str
    source_id: str | None
    origin: str
    tsa_url: str | None = None
    timestamp_path: str | None = None
    timestamp_sha256: str | None = None
    timestamped_at: str | None = None

    @property
    def ok(self) -> bool:
        """A copy of the page itself (2xx), not a record of its absence (404, 410, 5xx)."""
        return 200 <= self.status < 300

    def summary(self) -> dict[str, Any]:
        """Everything but the text, for listings and JSON."""
        row = asdict(self)
        row["text_length"] = len(row.pop("text"))
        return row


COLUMNS = [f.name for f in fields(Capture)]


class CaptureIndex:
    """Read and append captures; rows are never updated or deleted."""

    def __init__(self, archive_dir: Path, writable: bool = False) -> None:
        """Open the index of ``archive_dir``; read-only unless ``writable`` (which creates it if absent).

        A missing index read-only is an archive with no captures, not an error: most
        databases have never had a page captured.
        """
        self.archive_dir = archive_dir
        self.path = archive_dir / INDEX_NAME
        self.writable = writable
        self.con: sqlite3.Connection | None = None
        if not writable and not self.path.exists():
            return
        try:
            if writable:
                archive_dir.mkdir(parents=True, exist_ok=True)
                self.con = sqlite3.connect(self.path)
                self.con.executescript(SCHEMA)
                self.con.execute("INSERT OR IGNORE INTO archive_meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                self.con.commit()
                self.con.row_factory = sqlite3.Row
                self._finish_interrupted_writes()
            else:
                self.con = sqlite3.connect(f"file:{self.path}?mode={_reading_mode(self.path)}", uri=True)
                tables = self.con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
                if not tables:  # made by a writer killed before its schema was committed: no captures
                    self.close()
                    return
                self.con.execute("SELECT id FROM capture LIMIT 1").fetchall()
            self.con.row_factory = sqlite3.Row
        except sqlite3.DatabaseError:
            self.close()
            raise CaptureIndexError(f"{self.path}: not a longarm capture index") from None

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self) -> CaptureIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        if self.con is None or not self.writable:
            raise CaptureIndexError(f"{self.path}: opened read-only")
        with self.con:
            yield self.con

    def add(self, captures: Iterable[Capture]) -> None:
        """Add captures in one transaction: all of them or, on any error, none; then their manifest
        lines (a new archive's first capture creates the manifest), and their files stop being pending."""
        added = list(captures)
        with manifest.locked(self.archive_dir):
            new_archive = self.con is not None and self.con.execute("SELECT count(*) FROM capture").fetchone()[0] == 0
            with self.transaction() as con:
                con.executemany(
                    f"INSERT INTO capture ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                    (_to_row(c) for c in added),
                )
            manifest.append(self.archive_dir, added, create=new_archive)
        for warc_path in {c.warc_path for c in added}:
            pending.clear(self.archive_dir / warc_path)

    def _finish_interrupted_writes(self) -> None:
        """What a writer killed on the way left: temporary files (deleted), captures committed without
        their manifest lines (appended), pending markers of files now indexed or never placed (cleared)."""
        with manifest.locked(self.archive_dir):
            pending.remove_dead_temporaries(self.archive_dir)
            captures = self.all()
            manifest.append(self.archive_dir, captures, create=False)
            indexed = {c.warc_path for c in captures}
            for path in list(pending.marked_files(self.archive_dir)):
                never_placed = not path.exists() and not pending.writer_alive(path)
                if never_placed or path.relative_to(self.archive_dir).as_posix() in indexed:
                    pending.clear(path)

    def _select(self, where: str = "", params: Iterable[Any] = ()) -> list[Capture]:
        if self.con is None:
            return []
        with closing(self.con.execute(f"SELECT * FROM capture {where} ORDER BY fetched_at, id", tuple(params))) as cur:
            return [_from_row(dict(row)) for row in cur]

    def all(self) -> list[Capture]:
        return self._select()

    def get(self, capture_id: str) -> Capture | None:
        found = self._select("WHERE id = ?", (capture_id,))
        return found[0] if found else None

    def known_records(self) -> set[tuple[str, int]]:
        if self.con is None:
            return set()
        return {(r[0], r[1]) for r in self.con.execute("SELECT warc_sha256, record_offset FROM capture")}


def _reading_mode(path: Path) -> str:
    """``ro``, or ``rw`` where a writer killed mid-transaction left a hot journal: a read-only connection
    cannot roll it back ("attempt to write a readonly database"), a read-write one does on its first
    read (SQLite's own crash recovery, back to the last commit), and is then only read from."""
    journal = path.with_name(path.name + "-journal")
    try:
        return "rw" if journal.stat().st_size > 0 and os.access(path, os.W_OK) else "ro"
    except OSError:
        return "ro"


def _to_row(capture: Capture) -> list[Any]:
    row = asdict(capture)
    row["redirect_chain"] = json.dumps(capture.redirect_chain, ensure_ascii=False)
    return [row[name] for name in COLUMNS]


def _from_row(row: dict[str, Any]) -> Capture:
    row["redirect_chain"] = json.loads(row["redirect_chain"])
    return Capture(**{name: row[name] for name in COLUMNS})
