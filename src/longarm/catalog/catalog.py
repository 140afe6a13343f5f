"""The catalog: one redacted, indexed read model of a database, built once, that every presenter reads.

The CLI's tables, the static site's pages and exports, the live app's pages, its
JSON API and its search index all read the rows here, so none of them can
disagree with another. Sensitive names are redacted once, when the catalog is
built (unless ``include_sensitive``); no presenter sees an unredacted row.

The rows are plain dicts (what templates, JSON and CSV writers take); their
shapes are made in ``rows`` and ``reconcile``, their filters in ``filters``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import Any

from longarm.catalog import rows
from longarm.catalog.reconcile import (
    claims_ledger,
    jurisdiction_names,
    station_statuses,
    stations_with_status,
    statistics,
)
from longarm.catalog.redact import redact_record, redacted_entity, redacted_statement, redactor
from longarm.geo import country_name
from longarm.ledger.editions import Edition, Editions
from longarm.ledger.store import Store
from longarm.model import enumeration, kinds


def _index(
    rows: Iterable[dict[str, Any]], keys: Callable[[dict[str, Any]], Iterable[str | None]]
) -> dict[str, list[dict[str, Any]]]:
    """key -> the rows that have it among their ``keys`` (each row once per key, in order)."""
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for key in dict.fromkeys(keys(row)):
            if key:
                index[key].append(row)
    return index


def _redacted_already(text: str) -> str:
    """The redactor of rows the catalog has redacted already."""
    return text


# The stage of a station each kind of host-government event shows; later stages win.
STAGE_OF_EVENT = {
    "investigation": "under-investigation",
    "arrest": "under-investigation",
    "charges": "under-investigation",
    "conviction": "under-investigation",
    "closure-order": "ordered-closed",
    "closure": "closed",
}


def status_now(station_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """A station's status now, derived from the events that name it: the furthest stage reached (by the
    order of the ``station_status_now`` enumeration), with the date and id of the event that shows it."""
    stages = list(enumeration("station_status_now").values)
    best: dict[str, Any] = {"status_now": "reported", "status_now_date": None, "status_now_event": None}
    for event in events:
        stage = STAGE_OF_EVENT.get(event["type"])
        if stage is None or station_id not in event["station"]:
            continue
        rank, best_rank = stages.index(stage), stages.index(best["status_now"])
        later = (event["date"] or "") > (best["status_now_date"] or "")
        if rank > best_rank or (rank == best_rank and later):
            best = {"status_now": stage, "status_now_date": event["date"], "status_now_event": event["id"]}
    return best


class Catalog:
    """Every row a presenter shows, redacted and indexed once per database (and review state)."""

    def __init__(
        self,
        store: Store,
        include_sensitive: bool = False,
        edition: str | None = None,
    ) -> None:
        """``edition``: the edition to read (its statements alone, see ``longarm.ledger.editions``);
        by default the latest released one. ``working`` is what reviewers see before a release."""
        self.editions = Editions.of(store)
        self.shown: Edition = self.editions.get(edition) if edition else self.editions.latest_released
        self.full_store = store
        store = store.scoped(self.editions.statement_ids(store, self.shown.id))
        self.store = store
        self.include_sensitive = include_sensitive
        self.meta: dict[str, str] = dict(store.meta)
        # For the few texts that come from elsewhere (archived captures); every row below is redacted
        # once, here, and the pages, exports, FtM, the API, search and the CLI only read these rows.
        # Names flagged sensitive anywhere (any edition, a review not yet released) are blanked in every
        # edition: a flag added later must not leave an older edition showing the name.
        self.redact: Callable[[str], str] = redactor(self.full_store, include_sensitive)
        self.edition: dict[str, Any] = self.shown.as_dict()
        report = self.editions.report_of(self.shown)
        self.report_edition: dict[str, Any] | None = report.as_dict() if report else None
        # An update shows its report's Table 1 and findings, computed from the report's edition alone,
        # so that no review, release or later edition can change them.
        if report is None or report.id == self.shown.id:
            self.statuses = station_statuses(store, self.edition if report else None)
            self.stats = statistics(store, self.report_edition, self.statuses)
            self.grid = rows.table_grid(store, self.report_edition, self.statuses)
        else:
            report_store = store.scoped(self.editions.statement_ids(self.full_store, report.id))
            report_statuses = station_statuses(report_store, self.report_edition)
            report_stats = statistics(report_store, self.report_edition, report_statuses)
            self.statuses = station_statuses(store, self.edition, report_statuses)
            self.stats = statistics(store, self.edition, self.statuses, report_stats)
            self.grid = rows.table_grid(report_store, self.report_edition, report_statuses)
            report_store.close()
        self.entities = {
            kind: {e["id"]: redacted_entity(kind, e, self.redact, include_sensitive) for e in store.entities(kind)}
            for kind in kinds()
        }
        stations = stations_with_status(store, self.statuses)
        self.stations = [redact_record(s, self.redact) for s in rows.station_rows(store, stations)]
        self.station_by_id = {s["id"]: s for s in self.stations}
        self.events = rows.event_rows(store, self.redact)
        for station in self.stations:
            station.update(status_now(station["id"], self.events_by_station.get(station["id"], [])))
        self.claims = [redact_record(c, self.redact) for c in claims_ledger(store)]
        self.places = store.places()
        self.lookups = rows.DetailLookups(self.entities["source"], self.places, self.statuses)
        self.running = jurisdiction_names(store)
        # Statements redacted by the exports' rule: a changed one gets a new id (see redacted_statement).
        # ``statement_by_original_id`` is for matching the database's rows; its keys are never shown.
        self.statement_by_original_id: dict[str, dict[str, Any]] = {}
        self.statements_by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.statements_by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for original in store.statements():
            st = redacted_statement(original, self.redact)
            self.statement_by_original_id[original["id"]] = st
            self.statements_by_entity[st["entity_id"]].append(st)
            self.statements_by_source[st["source_id"]].append(st)
        self.source_rows = rows.source_rows(store, self.redact, self.statement_by_original_id.values())
        self._details: dict[str, dict[str, Any] | None] = {}
        self._citations: dict[str, list[dict[str, Any]]] = {}

    def of_edition(self, edition: str) -> Catalog:
        """Another edition of the same store, read the same way (redacted alike)."""
        return Catalog(self.full_store, self.include_sensitive, edition)

    @cached_property
    def since_report(self) -> dict[str, Any] | None:
        """What changed from the report this edition follows (from the edition before it, for a report's
        own edition) to this one: ``longarm.catalog.diff``'s rows; None for the first edition."""
        from longarm.catalog.diff import diff

        report = self.editions.report_of(self.shown)
        base = report.id if report and report.id != self.shown.id else self.shown.previous
        if not base:
            return None
        return diff(self.of_edition(base), self)

    @cached_property
    def claim_by_id(self) -> dict[str, dict[str, Any]]:
        """The claims ledger's rows (official count claims) by id."""
        return {c["id"]: c for c in self.claims}

    @cached_property
    def event_by_id(self) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in self.events}

    @cached_property
    def events_by_station(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["station"])

    @cached_property
    def stations_by_country(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.stations, lambda s: [s["country"]])

    @cached_property
    def events_by_country(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["country"])

    @cached_property
    def stations_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        """The stations a jurisdiction runs, or one of its units does (a unit's page lists them too)."""
        return _index(self.stations, lambda s: [s["jurisdiction_id"], self._unit_of(s["id"])])

    @cached_property
    def units_by_parent(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.entities["jurisdiction"].values(), lambda j: [j["parent"]])

    @cached_property
    def claims_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.claims, lambda c: [c["jurisdiction"]])

    @cached_property
    def events_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["jurisdiction"])

    @cached_property
    def table_countries(self) -> set[str]:
        """The countries with a row in Table 1."""
        return {row["country"] for row in self.grid["rows"]}

    @cached_property
    def country_rows(self) -> list[dict[str, Any]]:
        """One row per country the dataset names: the Countries page, ``/api/countries`` and search read them."""
        rows = []
        for code in self.country_codes:
            stations = self.stations_by_country.get(code, [])
            rows.append(
                {
                    "code": code,
                    "name": country_name(code),
                    "name_zh": country_name(code, "zh"),
                    "stations": len(stations),
                    "jurisdictions": sorted({s["jurisdiction_id"] for s in stations}),
                    "jurisdiction_names": sorted({s["jurisdiction"] for s in stations}),
                    "status": Counter(s["status"] for s in stations),
                    "events": len(self.events_by_country.get(code, [])),
                }
            )
        return rows

    @cached_property
    def country_codes(self) -> list[str]:
        """Every country the dataset names: with stations, as Table 1 rows, or where events happened."""
        codes = {s["country"] for s in self.stations} | self.table_countries
        codes |= {c for e in self.events for c in e["country"]}
        return sorted(codes, key=country_name)

    def _unit_of(self, station_id: str) -> str | None:
        unit = self.entities["station"].get(station_id, {}).get("unit")
        return str(unit) if unit else None

    def citations(self, entity_id: str) -> list[dict[str, Any]]:
        """An entity's evidence, one entry per (source, quote) with the statements it backs.

        Made once per entity (an event's are on four kinds of page); callers read it, never change it.
        """
        if entity_id not in self._citations:
            self._citations[entity_id] = self._grouped_citations(entity_id)
        return self._citations[entity_id]

    def _grouped_citations(self, entity_id: str) -> list[dict[str, Any]]:
        detail = self.detail(entity_id)
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for st in detail["statements"] if detail else []:
            entry = grouped.setdefault(
                (st["source_id"], st["quote"]),
                {"source_id": st["source_id"], "source": st["source"], "quote": st["quote"], "lang": st["lang"]}
                | {"gloss": None, "statements": [], "notes": []},
            )
            entry["gloss"] = entry["gloss"] or st.get("gloss")
            entry["statements"].append(st)
            if st["note"] and st["note"] not in entry["notes"]:
                entry["notes"].append(st["note"])
        return list(grouped.values())

    def detail(self, entity_id: str) -> dict[str, Any] | None:
        """One entity with every statement (``rows.detail_of``), made once per entity; read-only."""
        if entity_id not in self._details:
            statements = self.statements_by_entity.get(entity_id)
            detail = None
            if statements:
                kind = statements[0]["kind"]
                entity = self.entities[kind].get(entity_id, {})
                detail = rows.detail_of(entity_id, kind, entity, statements, self.lookups, _redacted_already)
                if entity_id in self.station_by_id:
                    detail.update(status_now(entity_id, self.events_by_station.get(entity_id, [])))
            self._details[entity_id] = detail
        return self._details[entity_id]

    # --- what the CLI and the API ask besides rows ---------------------------------------------

    def statements(self) -> Iterator[dict[str, Any]]:
        """Every current statement, redacted, grouped by entity."""
        for statements in self.statements_by_entity.values():
            yield from statements

    def statement_counts(self) -> Counter[str]:
        """Current statements per entity kind."""
        return Counter(st["kind"] for st in self.statements())

    def kind_of(self, entity_id: str) -> str | None:
        statements = self.statements_by_entity.get(entity_id)
        return str(statements[0]["kind"]) if statements else None

    def copy_built_database(self, target: sqlite3.Connection) -> None:
        """The built database as it is (unredacted: the caller redacts the copy), for the SQLite export."""
        self.store.backup_to(target)
