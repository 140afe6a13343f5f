"""The review database: what people do, kept beside the statement database (``<db>.app.db``).

Why a second file. ``longarm build`` compiles the YAML data files into a new
statement database and renames it over the old one: that file is a build
product, replaced whole on every build. What reviewers do is not: users,
sessions, imported candidates, decisions, judgements ("same station as X"),
the audit log and the statements that accepted candidates became are made by
people at a moment and cannot be rebuilt from the data files. So they live
here, in ``<db>.app.db`` beside ``<db>`` (``longarm.db`` -> ``longarm.app.db``),
and survive every rebuild (even ``rm longarm.db``) with no change to the build.

The read side merges them in: the ``overlay_statement`` view below lists the
statements of every decision not reversed, and ``longarm.ledger.store.Store(path, overlay=...)``
lays it over the built statements, so the pages, the API, the CLI and
``longarm publish`` all see curated and reviewed statements as one dataset.
A reviewed fact moves into the YAML files (and so into git) by a person
copying it there; until then it stays here, attributed to its reviewer.

Nothing here is deleted. The audit log refuses UPDATE and DELETE (triggers);
a decision is reversed by marking it reversed, which drops its statements from
the view and leaves every row in place. Derived data (the search index of `longarm serve`) lives
here too because it needs a writable file, but it is rebuilt from the dataset
whenever the data change and holds nothing of its own.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS user (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('reader', 'reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user (id),
    created_at TEXT NOT NULL,
    expires_at REAL NOT NULL,
    ended_at TEXT
);
CREATE TABLE IF NOT EXISTS login_attempt (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    client TEXT NOT NULL,
    username TEXT NOT NULL,
    ok INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempt_at ON login_attempt (at);

-- A text candidates came from: an imported `extract --json` / scan record, or pasted text.
CREATE TABLE IF NOT EXISTS document (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    external_id TEXT,
    url TEXT,
    title TEXT,
    publisher TEXT,
    date TEXT,
    lang TEXT,
    text TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
-- One claim sentence of a document, as the extractor found it (spans relative to the sentence).
CREATE TABLE IF NOT EXISTS candidate (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES document (id),
    seq INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    claim TEXT NOT NULL,
    engine TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS candidate_document ON candidate (document_id, seq);

-- A reviewer's decision on a candidate; 'same' comes with a judgement that it is station `target`.
-- Reversal marks the row; it is never deleted.
CREATE TABLE IF NOT EXISTS decision (
    id INTEGER PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidate (id),
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'same')),
    target TEXT,
    fields TEXT NOT NULL,
    reason TEXT,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    reversed_at TEXT,
    reversed_by TEXT,
    reversal_reason TEXT
);
CREATE INDEX IF NOT EXISTS decision_candidate ON decision (candidate_id);

-- The statements a decision made; live while the decision is not reversed.
CREATE TABLE IF NOT EXISTS reviewed_statement (
    decision_id INTEGER NOT NULL REFERENCES decision (id),
    id TEXT NOT NULL,
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
    reviewer TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (decision_id, id)
);

-- Append-only: every import, decision, reversal, login and user change, with who and when.
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    candidate_id TEXT,
    decision_id INTEGER,
    detail TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_are_kept BEFORE DELETE ON decision
    BEGIN SELECT RAISE(ABORT, 'decisions are reversed, never deleted'); END;
CREATE TRIGGER IF NOT EXISTS reviewed_statements_are_kept BEFORE DELETE ON reviewed_statement
    BEGIN SELECT RAISE(ABORT, 'reviewed statements are kept; reverse the decision instead'); END;
CREATE TRIGGER IF NOT EXISTS candidates_are_kept BEFORE DELETE ON candidate
    BEGIN SELECT RAISE(ABORT, 'candidates are kept'); END;
CREATE TRIGGER IF NOT EXISTS a_reversal_is_final BEFORE UPDATE ON decision WHEN OLD.reversed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a reversed decision stays reversed'); END;

-- A released edition: the working edition frozen under a name (longarm.ledger.editions). Append-only:
-- a release is never changed or removed, and the decisions it lists are never reversed.
CREATE TABLE IF NOT EXISTS release (
    seq INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    date TEXT NOT NULL,
    previous TEXT NOT NULL,
    released_by TEXT NOT NULL,
    released_at TEXT NOT NULL,
    decisions TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS releases_are_kept_update BEFORE UPDATE ON release
    BEGIN SELECT RAISE(ABORT, 'a released edition never changes'); END;
CREATE TRIGGER IF NOT EXISTS releases_are_kept_delete BEFORE DELETE ON release
    BEGIN SELECT RAISE(ABORT, 'a released edition never changes'); END;

-- Judgements in the manner of nomenklatura: the entity a decision made (`subject`) is the same
-- as, not the same as, or maybe the same as `target`. Stored apart from the statements and
-- resolved when read (the overlay below); nothing is copied onto the target. A judgement stands
-- while it is not reversed and, if a decision made it, while that decision stands.
CREATE TABLE IF NOT EXISTS judgement (
    id INTEGER PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidate (id),
    decision_id INTEGER REFERENCES decision (id),
    subject TEXT NOT NULL,
    target TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('same', 'not-same', 'unsure')),
    reviewer TEXT NOT NULL,
    judged_at TEXT NOT NULL,
    reversed_at TEXT,
    reversed_by TEXT
);
CREATE INDEX IF NOT EXISTS judgement_subject ON judgement (subject);
CREATE INDEX IF NOT EXISTS judgement_candidate ON judgement (candidate_id);
CREATE TRIGGER IF NOT EXISTS judgements_are_kept BEFORE DELETE ON judgement
    BEGIN SELECT RAISE(ABORT, 'judgements are reversed, never deleted'); END;

-- The candidates a decision covers: its own, and every member of a group decided at once (each member's
-- document is cited by the decision's statements). A candidate is decided while one of its rows here
-- belongs to a decision not reversed.
CREATE TABLE IF NOT EXISTS decision_member (
    decision_id INTEGER NOT NULL REFERENCES decision (id),
    candidate_id TEXT NOT NULL REFERENCES candidate (id),
    PRIMARY KEY (decision_id, candidate_id)
);
CREATE INDEX IF NOT EXISTS decision_member_candidate ON decision_member (candidate_id);

-- Computed at import (longarm.ledger.groups): what a candidate claims, for triage, and the group of
-- near-identical claims (reprints, mirrors) it belongs to, with its MinHash signature.
CREATE TABLE IF NOT EXISTS candidate_facet (
    candidate_id TEXT PRIMARY KEY REFERENCES candidate (id),
    group_id TEXT NOT NULL,
    station_key TEXT NOT NULL,
    jurisdiction TEXT,
    jurisdiction_zh TEXT,
    country TEXT,
    city TEXT,
    doc_date TEXT,
    host TEXT,
    engine TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS candidate_facet_group ON candidate_facet (group_id);

-- Derived: the full-text index (see longarm.web.search), one set of rows per edition, rebuilt when
-- the data change.
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(
    edition UNINDEXED, kind UNINDEXED, ref UNINDEXED, href UNINDEXED, title, body, tokenize = 'trigram'
);
"""

# What the read side lays over the built statements (see longarm.ledger.store.Store): one row per
# statement id among the decisions still standing, its entity resolved through the standing 'same'
# judgements. Re-created at every open, so an older review database reads by today's rule.
OVERLAY_VIEW = """CREATE VIEW overlay_statement AS
    SELECT s.id, s.kind, COALESCE(MIN(j.target), s.entity_id) AS entity_id, s.prop, s.value, s.precision,
           s.source_id, s.quote, s.lang, s.origin, s.note, MIN(s.accepted_at) AS first_seen,
           MIN(s.accepted_at) AS last_seen, 'review:' || MIN(s.decision_id) AS data_file, NULL AS data_line,
           NULL AS gloss, NULL AS as_converted
    FROM reviewed_statement s JOIN decision d ON d.id = s.decision_id
    LEFT JOIN judgement j ON j.subject = s.entity_id AND j.verdict = 'same' AND j.reversed_at IS NULL
        AND (j.decision_id IS NULL OR j.decision_id IN (SELECT id FROM decision WHERE reversed_at IS NULL))
    WHERE d.reversed_at IS NULL
    GROUP BY s.id"""


def review_db_path(db_path: Path) -> Path:
    """Where users, the review queue and reviewed statements live: ``longarm.db`` -> ``longarm.app.db``,
    beside it (the overlay every reader lays over the built database)."""
    return db_path.with_name(f"{db_path.stem}.app.db")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AppDBError(Exception):
    """An app database that cannot be used; the message names the file."""


class AppDB:
    """One connection to the app database (WAL, so readers never wait for a writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commits = 0  # this connection's own commits: SQLite's data_version counts only other connections'
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            self.con.row_factory = sqlite3.Row
            self.con.execute("PRAGMA journal_mode = WAL")
            self.con.execute("PRAGMA synchronous = NORMAL")
            self.con.execute("PRAGMA foreign_keys = ON")
            self._drop_outdated_search_index()
            self.con.executescript(SCHEMA)  # idempotent; each statement runs under SQLite's write lock
            with self.transaction():
                self.con.execute("INSERT OR IGNORE INTO app_meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                self.con.execute("INSERT OR IGNORE INTO app_meta VALUES ('data_version', '0')")
                self.con.execute("INSERT OR IGNORE INTO app_meta VALUES ('secret', ?)", (secrets.token_hex(32),))
                self._ensure_overlay_view()
                # decisions written before decision_member existed cover their own candidate
                self.con.execute(
                    "INSERT OR IGNORE INTO decision_member (decision_id, candidate_id) SELECT id, candidate_id "
                    "FROM decision WHERE id NOT IN (SELECT decision_id FROM decision_member)"
                )
        except sqlite3.DatabaseError as exc:
            raise AppDBError(f"{path}: not a usable longarm app database ({exc})") from None

    def _drop_outdated_search_index(self) -> None:
        """The search index is derived: one of an older layout (without the edition column) is dropped,
        and the next search rebuilds it."""
        columns = {row[1] for row in self.con.execute("PRAGMA table_info(search_index)")}
        if columns and "edition" not in columns:
            self.con.execute("DROP TABLE search_index")
            self.con.execute("DELETE FROM app_meta WHERE key LIKE 'search_key%'")

    def _ensure_overlay_view(self) -> None:
        """(Re)create the overlay view when its definition is not today's, inside the caller's transaction
        so that no reader ever finds it missing."""
        row = self.con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'overlay_statement'"
        ).fetchone()
        if row is not None and row[0] == OVERLAY_VIEW:
            return
        self.con.execute("DROP VIEW IF EXISTS overlay_statement")
        self.con.execute(OVERLAY_VIEW)

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: one writer at a time across server workers and CLI commands."""
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        self.commits += 1

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM app_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, con: sqlite3.Connection, key: str, value: str) -> None:
        con.execute("INSERT OR REPLACE INTO app_meta VALUES (?, ?)", (key, value))

    @property
    def secret(self) -> bytes:
        return bytes.fromhex(self.meta("secret") or "")

    def data_version(self) -> int:
        """Bumped by every decision and reversal: what cached pages are keyed by."""
        return int(self.meta("data_version") or 0)

    def bump_data_version(self, con: sqlite3.Connection) -> None:
        con.execute("UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")

    def changed(self) -> tuple[int, int]:
        """Changes whenever anything commits to the database (cheap enough to ask on every request):
        SQLite's data_version for other connections, our own count for this one."""
        return int(self.con.execute("PRAGMA data_version").fetchone()[0]), self.commits

    def audit(
        self,
        con: sqlite3.Connection,
        actor: str,
        action: str,
        detail: str,
        candidate_id: str | None = None,
        decision_id: int | None = None,
    ) -> None:
        con.execute(
            "INSERT INTO audit (at, actor, action, candidate_id, decision_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now_iso(), actor, action, candidate_id, decision_id, detail),
        )
