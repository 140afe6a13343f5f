"""Editions: which statements a published edition is made of, and `longarm release`.

An edition is computed, never typed, from where each statement comes from:

- a report's own edition (``editions.yaml`` with a ``report``: *110 Overseas*, *Patrol and
  Persuade*) holds the stations whose ``in_edition`` names it (and whose ``not_in_edition`` does
  not: a disputed station follows the report that marks it absent), the events and claims whose
  ``edition`` names it or an earlier edition, and the reference entities (sources, jurisdictions,
  persons); an event or claim with no ``edition`` belongs to the latest report's edition;
- an update of the dataset (``editions.yaml`` without a ``report``, such as the first edition after
  the report; or a release of reviewed decisions) carries everything of the edition before it and
  adds what names it: curated events with ``edition: <it>``, the statements of the decisions it
  released;
- the **working edition** follows the last released one: reviewed statements whose decision no
  release lists yet. Reviewers see it; the public pages and the API show the latest released edition.

``release`` freezes the working edition under a name (a row of the review database's append-only
``release`` table with its label, date, who released it and the decisions it holds); a released
decision cannot be reversed (``longarm.ledger.review.reverse``), so a released edition never
changes. Curated editions change only with the data files, in git.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from longarm.ledger.errors import EditionNotFound, ReviewError
from longarm.ledger.reviewdb import AppDB, now_iso
from longarm.ledger.store import Store

WORKING = "working"
CURATED = "curated"  # the one edition of a dataset whose data files declare none
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_REVIEW_FILE = re.compile(r"review:(\d+)")


@dataclass(frozen=True)
class Edition:
    id: str
    label: str
    date: str | None
    previous: str | None
    report: str | None = None  # the source a report's own edition is; None for an update
    released: bool = True
    released_by: str | None = None
    released_at: str | None = None
    decisions: tuple[int, ...] = ()
    table_country: tuple[str, ...] = ()
    note: str | None = None
    origin: str = "data"  # data (editions.yaml), release (the review database) or working

    @property
    def is_report(self) -> bool:
        return self.report is not None

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["decisions"] = list(self.decisions)
        row["table_country"] = list(self.table_country)
        row["kind"] = "report" if self.is_report else ("working" if self.id == WORKING else "update")
        return row


@dataclass
class Editions:
    """Every edition of a store in order: the curated ones by date, then releases, then the working one."""

    chain: list[Edition]
    decision_edition: dict[int, str] = field(default_factory=dict)
    _placed: tuple[Store, _Placement] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, store: Store) -> Editions:
        curated = sorted(store.entities("edition"), key=lambda e: (str(e["date"]), e["id"]))
        chain = [
            Edition(
                id=e["id"], label=e["label"], date=e["date"], previous=e["previous"], report=e["report"],
                table_country=tuple(e["table_country"]), note=e["note"],
            )
            for e in curated
        ]  # fmt: skip
        if not chain:  # a dataset that declares no edition: its curated statements are one released edition
            chain.append(Edition(id=CURATED, label="Curated data", date=None, previous=None))
        decision_edition: dict[int, str] = {}
        for row in _releases(store):
            decisions = tuple(int(d) for d in json.loads(row["decisions"]))
            chain.append(
                Edition(
                    id=row["name"], label=row["label"], date=row["date"], previous=row["previous"],
                    released_by=row["released_by"], released_at=row["released_at"], decisions=decisions,
                    origin="release",
                )
            )  # fmt: skip
            decision_edition.update(dict.fromkeys(decisions, row["name"]))
        last = chain[-1].id if chain else None
        chain.append(
            Edition(id=WORKING, label="Working edition (not released)", date=None, previous=last, released=False,
                    origin="working")
        )  # fmt: skip
        return cls(chain, decision_edition)

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.chain]

    def get(self, edition_id: str) -> Edition:
        for edition in self.chain:
            if edition.id == edition_id:
                return edition
        raise EditionNotFound(f"no edition '{edition_id}' (editions: {', '.join(self.ids)})")

    @property
    def latest_released(self) -> Edition:
        released = self.released
        return released[-1] if released else self.chain[-1]

    @property
    def working(self) -> Edition:
        return self.chain[-1]

    @property
    def released(self) -> list[Edition]:
        return [e for e in self.chain if e.released]

    def position(self, edition_id: str) -> int:
        return self.ids.index(edition_id)

    def report_of(self, edition: Edition) -> Edition | None:
        """The report edition an edition is, or the latest one before it (whose Table 1 it shows)."""
        reports = [e for e in self.chain[: self.position(edition.id) + 1] if e.is_report]
        return reports[-1] if reports else None

    def base_report(self) -> str | None:
        """The edition of a curated event or claim that names none: the latest report's."""
        reports = [e for e in self.chain if e.is_report]
        return reports[-1].id if reports else None

    def statement_edition(self, statement: dict[str, Any], entity_edition: dict[str, str]) -> str:
        """The edition a statement first appears in (see the module's docstring)."""
        match = _REVIEW_FILE.fullmatch(statement.get("data_file") or "")
        if match:
            return self.decision_edition.get(int(match.group(1)), WORKING)
        return entity_edition.get(statement["entity_id"], self.chain[0].id)

    def statement_ids(self, store: Store, edition_id: str) -> set[str]:
        """The ids of the statements (curated and reviewed) edition ``edition_id`` is made of."""
        edition = self.get(edition_id)
        upto = self.position(edition_id)
        placement = self._placement(store)

        def holds_station(station_id: str) -> bool:
            station = placement.stations.get(station_id)
            if station is None:
                return False
            if edition.is_report:
                return edition_id in station["in_edition"] and edition_id not in station["not_in_edition"]
            return placement.first_seen_in.get(station_id, len(self.chain)) <= upto

        return {
            statement_id
            for statement_id, kind, entity_id, position in placement.statements
            if position <= upto and (kind != "station" or holds_station(entity_id))
        }

    def _placement(self, store: Store) -> _Placement:
        """Where each statement and station of the store first appears: read once, for every edition asked
        about (a catalog of an update asks for its own edition and its report's)."""
        if self._placed is not None and self._placed[0] is store:
            return self._placed[1]
        base = self.base_report()
        entity_edition: dict[str, str] = {e["id"]: e["id"] for e in store.entities("edition")}
        for kind in ("event", "claim"):
            for row in store.entities(kind):
                named = row["edition"] if row["edition"] in self.ids else base
                if named:
                    entity_edition[row["id"]] = named
        statements = [
            (st["id"], st["kind"], st["entity_id"], self.position(self.statement_edition(st, entity_edition)))
            for st in store.iter_statements()
        ]
        stations = {s["id"]: s for s in store.entities("station")}
        first_seen_in: dict[str, int] = {}  # station -> position of the first edition holding it
        for station in stations.values():
            held = [
                self.position(e) for e in station["in_edition"] if e in self.ids and e not in station["not_in_edition"]
            ]
            if held:
                first_seen_in[station["id"]] = min(held)
        placed = set(first_seen_in)
        for _id, kind, entity_id, position in statements:  # a station no edition names: from its first statement's
            if kind == "station" and entity_id in stations and entity_id not in placed:
                first_seen_in[entity_id] = min(first_seen_in.get(entity_id, position), position)
        placement = _Placement(statements, stations, first_seen_in)
        self._placed = (store, placement)
        return placement


@dataclass
class _Placement:
    """A store's statements as (id, kind, entity, position of the edition it first appears in), its stations,
    and the position of the first edition holding each station."""

    statements: list[tuple[str, str, str, int]]
    stations: dict[str, dict[str, Any]]
    first_seen_in: dict[str, int]


def _releases(store: Store) -> list[dict[str, Any]]:
    """The review database's releases, oldest first (none without a review database)."""
    if store.overlay is None:
        return []
    try:
        return store.rows("SELECT * FROM overlay.release ORDER BY seq")
    except sqlite3.OperationalError:  # a review database made before releases existed
        return []


def unreleased_decisions(db: AppDB) -> list[int]:
    """The standing decisions that made statements and that no release lists yet: the working edition."""
    released: set[int] = set()
    for (decisions,) in db.con.execute("SELECT decisions FROM release"):
        released.update(int(d) for d in json.loads(decisions))
    rows = db.con.execute(
        "SELECT DISTINCT d.id FROM decision d JOIN reviewed_statement s ON s.decision_id = d.id "
        "WHERE d.reversed_at IS NULL ORDER BY d.id"
    ).fetchall()
    return [int(r[0]) for r in rows if int(r[0]) not in released]


def release(
    db: AppDB, editions: Editions, name: str, released_by: str, label: str | None = None, date: str | None = None
) -> dict[str, Any]:
    """Freeze the working edition as edition ``name``; ReviewError (nothing written) if it cannot be."""
    if not NAME.fullmatch(name):
        raise ReviewError(f"name: '{name}' is not an edition name (lower-case letters, digits and '-')")
    if name in editions.ids:
        raise ReviewError(f"name: an edition '{name}' exists already")
    day = date or datetime.now(UTC).date().isoformat()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", day):
        raise ReviewError(f"date: '{day}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    previous = editions.latest_released
    with db.transaction() as con:
        decisions = unreleased_decisions(db)
        if not decisions:
            raise ReviewError("nothing to release: the working edition holds no accepted decision")
        con.execute(
            "INSERT INTO release (name, label, date, previous, released_by, released_at, decisions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, label or f"{name}, {day}", day, previous.id, released_by, now_iso(), json.dumps(decisions)),
        )
        db.audit(con, released_by, "release", json.dumps({"edition": name, "decisions": decisions}))
        db.bump_data_version(con)
    return {"edition": name, "label": label or f"{name}, {day}", "date": day, "previous": previous.id,
            "released_by": released_by, "decisions": decisions}  # fmt: skip
