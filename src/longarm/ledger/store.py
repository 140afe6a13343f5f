"""The working store: statements in SQLite, entity tables as views over them.

History is append-only across builds: a statement that disappears from the
data files is kept with its old ``last_seen``; one that stays keeps its
``first_seen``. The current dataset is the statements seen in the latest build.
A build writes a temporary file and renames it, so a failed build never leaves
a half-written database where the old one was.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from longarm import __version__
from longarm.geo import places
from longarm.ledger.datafiles import bundled_data_dir, data_files, load
from longarm.ledger.errors import StoreError
from longarm.model import STATEMENT_COLUMNS, Kind, Statement, kinds
from longarm.model.urls import url_key

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE statement (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    prop TEXT NOT NULL,
    value TEXT NOT NULL,
    precision TEXT,
    source_id TEXT NOT NULL,
    quote TEXT NOT NULL,
    lang TEXT NOT NULL,
    origin TEXT NOT NULL,
    note TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    data_file TEXT,
    data_line INTEGER,
    gloss TEXT,
    as_converted TEXT
);
CREATE INDEX statement_entity ON statement (kind, entity_id);
CREATE INDEX statement_source ON statement (source_id);
CREATE TABLE place (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL,
    lon REAL,
    geonameid INTEGER,
    subdivision TEXT,
    variants TEXT NOT NULL
);
CREATE VIEW current_statement AS
    SELECT * FROM statement
    WHERE last_seen = (SELECT value FROM meta WHERE key = 'built_at');
"""


def default_db_path() -> Path:
    return platformdirs.user_data_path("longarm") / "longarm.db"


def data_fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in data_files(data_dir, allow_empty=True):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _view_sql(kind: Kind) -> str:
    columns = ["entity_id AS id"]
    for prop in kind.properties.values():
        match = f"FILTER (WHERE prop = '{prop.name}')"
        if prop.multi:
            columns.append(f"json_group_array(DISTINCT value) {match} AS {prop.name}")
        else:
            columns.append(f"MIN(value) {match} AS {prop.name}")
        if prop.type == "date":
            columns.append(f"MIN(precision) {match} AS {prop.name}_precision")
    columns.append("json_group_array(DISTINCT source_id) AS sources")
    return (
        f"CREATE VIEW {kind.name} AS SELECT {', '.join(columns)} "
        f"FROM current_statement WHERE kind = '{kind.name}' GROUP BY entity_id"
    )


def build(
    db_path: Path, data_dir: Path | None = None, now: datetime | None = None, allow_empty: bool = False
) -> dict[str, int]:
    """Compile the data files into a fresh database at ``db_path``, keeping history; a folder with no
    statements only if ``allow_empty``."""
    folder = data_dir or bundled_data_dir()
    statements = load(folder, allow_empty)
    built_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_temporaries(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(tmp)) as con:
            con.executescript(SCHEMA)
            for kind in kinds().values():
                con.execute(_view_sql(kind))
            _insert_statements(con, statements, built_at)
            _insert_places(con)
            retired = _carry_history(con, db_path) if db_path.exists() else 0
            meta = {
                "schema_version": SCHEMA_VERSION,
                "built_at": built_at,
                "longarm_version": __version__,
                "data_dir": str(folder),
                "data_fingerprint": data_fingerprint(folder),
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.commit()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return {"statements": len(statements), "retired": retired}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_dead_temporaries(db_path: Path) -> list[Path]:
    """Delete what builds of ``db_path`` killed mid-way left (``.NAME.PID.tmp`` and its SQLite journal):
    only those whose process is gone, so a build running now keeps its file."""
    removed = []
    prefix = f".{db_path.name}."
    for leftover in db_path.parent.glob(f"{glob.escape(prefix)}*.tmp*"):
        pid, _, suffix = leftover.name.removeprefix(prefix).partition(".tmp")
        if pid.isdigit() and suffix in ("", "-journal", "-wal", "-shm") and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def _insert_statements(con: sqlite3.Connection, statements: Iterable[Statement], built_at: str) -> None:
    con.executemany(
        f"INSERT OR IGNORE INTO statement VALUES ({','.join('?' * len(STATEMENT_COLUMNS))})",
        (st.as_row(first_seen=built_at, last_seen=built_at) for st in statements),
    )


def _insert_places(con: sqlite3.Connection) -> None:
    con.executemany(
        "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?)",
        (
            (p.id, p.name, p.country, p.kind, p.lat, p.lon, p.geonameid, p.subdivision, json.dumps(p.variants))
            for p in places().values()
        ),
    )


def _carry_history(con: sqlite3.Connection, old_path: Path) -> int:
    """Copy first_seen of kept statements and every retired statement from the old database."""
    _check_is_store(old_path)
    con.execute("ATTACH DATABASE ? AS old", (f"file:{old_path}?mode=ro",))
    con.execute(
        "UPDATE statement SET first_seen = (SELECT o.first_seen FROM old.statement o WHERE o.id = statement.id) "
        "WHERE id IN (SELECT id FROM old.statement)"
    )
    # A database built before a column was added lacks it: carry the columns both have.
    old_columns = {row[1] for row in con.execute("PRAGMA old.table_info(statement)")}
    columns = ", ".join(c for c in STATEMENT_COLUMNS if c in old_columns)
    cursor = con.execute(
        f"INSERT INTO statement ({columns}) SELECT {columns} FROM old.statement "
        "WHERE id NOT IN (SELECT id FROM main.statement)"
    )
    retired = cursor.rowcount
    con.commit()
    con.execute("DETACH DATABASE old")
    return retired


def _check_is_store(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            damage = damaged(con) if row else None
    except sqlite3.DatabaseError as exc:
        row, damage = None, _damage_of(exc)
    if damage:
        raise StoreError(
            f"{path}: damaged ({damage}), so its history cannot be carried into a new build; "
            "move it aside (or restore a copy) and run `longarm build` again"
        )
    if row is None:
        raise StoreError(f"{path}: exists and is not a longarm database; refusing to replace it")


def damaged(con: sqlite3.Connection) -> str | None:
    """What SQLite's quick check finds wrong with a database (its first line), or None if it is sound."""
    try:
        first = con.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if first and first[0] == "ok":
        return None
    # quick_check says "*** in database main ***" on a line of its own before the problem
    lines = [line for line in str(first[0] if first else "no answer to a check").splitlines() if "***" not in line]
    return " ".join(lines) or "failed its check"


def _damage_of(exc: sqlite3.DatabaseError) -> str | None:
    """The error's text when it says the file is damaged rather than something else than a database."""
    text = str(exc)
    return text if "malformed" in text or "corrupt" in text else None


def damaged_message(path: Path, damage: str) -> str:
    return f"{path}: damaged ({damage}); rebuild with `longarm build`"


def ensure_default_db(db_path: Path) -> None:
    """Build the default database from the bundled dataset on first use or when it changed."""
    if db_path.exists():
        try:
            with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
                row = con.execute("SELECT value FROM meta WHERE key = 'data_fingerprint'").fetchone()
        except sqlite3.DatabaseError as exc:
            damage = _damage_of(exc)
            raise StoreError(
                damaged_message(db_path, damage) if damage else f"{db_path}: not a longarm database"
            ) from None
        if row and row[0] == data_fingerprint(bundled_data_dir()):
            return
    build(db_path)


class Store:
    """Read access to a built database, optionally with reviewed statements laid over it.

    ``overlay`` names a database with an ``overlay_statement`` view (columns as
    the statement table): the reviewed statements of `longarm serve`'s review
    queue, which live outside the built file because `longarm build` replaces
    that file. Temporary views of the same names as the built ones shadow them
    on this connection only, so every reader (entities, views, reconcile, the
    site) sees curated and reviewed statements as one dataset; the built file
    is never written.

    The data do not change while a Store is open (the built file is replaced,
    never written, and `longarm serve` opens a new Store when reviewed
    statements change), so ``entities`` and ``places`` are read once per Store
    however many readers ask.
    """

    def __init__(self, path: Path, overlay: Path | None = None, scope: Iterable[str] | None = None) -> None:
        """``scope``: the ids of the only statements this Store shows (an edition's, see
        ``longarm.ledger.editions``); every view and reader then sees that edition alone."""
        if not path.exists():
            raise StoreError(f"{path}: no such database (run 'longarm build' first)")
        self.path = path
        self.overlay = overlay
        self.scoped_to: frozenset[str] | None = None if scope is None else frozenset(scope)
        self._entities: dict[str, list[dict[str, Any]]] = {}
        self._places: dict[str, dict[str, Any]] | None = None
        try:
            self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            self.con.row_factory = sqlite3.Row
            self.meta = dict(self.con.execute("SELECT key, value FROM meta").fetchall())
            # A file whose header and meta read fine may still have damaged pages further on: every
            # reader would fail somewhere in the middle, so say it once, here, and how to recover.
            damage = damaged(self.con)
        except sqlite3.DatabaseError as exc:
            damage = _damage_of(exc)
            raise StoreError(damaged_message(path, damage) if damage else f"{path}: not a longarm database") from None
        if damage:
            self.con.close()
            raise StoreError(damaged_message(path, damage))
        if overlay is not None or self.scoped_to is not None:
            self._shadow(overlay, self.scoped_to)

    def scoped(self, statement_ids: Iterable[str]) -> Store:
        """The same database and overlay, showing only these statements (a new connection)."""
        return Store(self.path, self.overlay, scope=statement_ids)

    def _shadow(self, overlay: Path | None, scope: frozenset[str] | None) -> None:
        statements = "SELECT * FROM main.current_statement"
        try:
            if overlay is not None:
                self.con.execute("ATTACH DATABASE ? AS overlay", (f"file:{overlay}?mode=ro",))
                # An app database made before a statement column was added has no such column: NULL.
                present = {row[1] for row in self.con.execute("PRAGMA overlay.table_info(overlay_statement)")}
                columns = ", ".join(c if c in present else f"NULL AS {c}" for c in STATEMENT_COLUMNS)
                statements += f" UNION ALL SELECT {columns} FROM overlay.overlay_statement"
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{overlay}: not a longarm review database ({exc})") from None
        if scope is not None:
            self.con.execute("CREATE TEMP TABLE statement_scope (id TEXT PRIMARY KEY)")
            self.con.executemany("INSERT INTO statement_scope VALUES (?)", ((i,) for i in scope))
            statements = f"SELECT * FROM ({statements}) WHERE id IN (SELECT id FROM temp.statement_scope)"
        self.con.execute(f"CREATE TEMP VIEW current_statement AS {statements}")
        for kind in kinds().values():
            self.con.execute(_view_sql(kind).replace("CREATE VIEW", "CREATE TEMP VIEW", 1))

    def close(self) -> None:
        self.con.close()

    def backup_to(self, target: sqlite3.Connection) -> None:
        """Copy the built database file (not the overlay, an attached database) into ``target``."""
        self.con.backup(target)

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute(sql, tuple(params))]

    def entities(self, kind: str) -> list[dict[str, Any]]:
        """Every current entity of a kind, multi-valued properties decoded to lists. Read once per
        Store; each call returns copies of the rows, whose keys a caller may set (not the lists in them)."""
        if kind not in self._entities:
            kinds()[kind]  # an unknown kind is a KeyError here, never a name spliced into SQL
            self._entities[kind] = [self._decoded(kind, row) for row in self.rows(f"SELECT * FROM {kind} ORDER BY id")]
        return [dict(row) for row in self._entities[kind]]

    @staticmethod
    def _decoded(kind: str, row: dict[str, Any]) -> dict[str, Any]:
        for prop in kinds()[kind].properties.values():
            if prop.multi:
                row[prop.name] = json.loads(row[prop.name]) if row[prop.name] else []
        row["sources"] = json.loads(row["sources"])
        return row

    def entity(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        # Keyed query: SQLite pushes the id into the grouped view, so this stays fast on large stores.
        kinds()[kind]
        rows = self.rows(f"SELECT * FROM {kind} WHERE id = ?", (entity_id,))
        return self._decoded(kind, rows[0]) if rows else None

    def statements(self, entity_id: str | None = None, source_id: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        if source_id is not None:
            where.append("source_id = ?")
            params.append(source_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.rows(
            f"SELECT * FROM current_statement {clause} ORDER BY kind, entity_id, prop, value, source_id", params
        )

    def places(self) -> dict[str, dict[str, Any]]:
        if self._places is None:
            self._places = {row["id"]: row for row in self.rows("SELECT * FROM place")}
        return {key: dict(row) for key, row in self._places.items()}

    def source_urls(self) -> dict[str, str]:
        """Normalised URL -> source id, for every source that has a URL (how a page is matched to a source)."""
        return {url_key(s["url"]): s["id"] for s in self.entities("source") if s.get("url")}

    def iter_statements(self) -> Iterator[dict[str, Any]]:
        for row in self.con.execute("SELECT * FROM current_statement"):
            yield dict(row)


__all__ = ["STATEMENT_COLUMNS", "Store", "StoreError", "build", "default_db_path", "ensure_default_db"]
