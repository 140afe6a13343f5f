"""The review queue as its pages read it: candidates, their decisions and judgements, proposals.

The write side (imports, decisions, judgements, reversals) is ``longarm.ledger.review``; this is
what a reviewer sees of it, and what the form offers for a candidate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from longarm.catalog.known import StationIndex
from longarm.ledger.review import SPAN_FIELDS, DecisionBasis, trim_quote
from longarm.ledger.reviewdb import AppDB
from longarm.ledger.store import Store

# A candidate's status from the action of its standing decision (None: no decision stands).
STATUS_OF_ACTION = {None: "pending", "accept": "accepted", "reject": "rejected", "same": "same"}


def status_of(db: AppDB, candidate_id: str) -> tuple[str, dict[str, Any] | None]:
    """pending / accepted / rejected / same, and the standing decision if any."""
    row = db.con.execute(
        "SELECT * FROM decision WHERE candidate_id = ? AND reversed_at IS NULL ORDER BY id DESC LIMIT 1",
        (candidate_id,),
    ).fetchone()
    if row is None:
        return STATUS_OF_ACTION[None], None
    return STATUS_OF_ACTION[row["action"]], dict(row)


def candidates(
    db: AppDB, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    standing = (
        "(SELECT action FROM decision d WHERE d.candidate_id = c.id AND d.reversed_at IS NULL "
        "ORDER BY d.id DESC LIMIT 1)"
    )
    states = {"pending": "IS NULL", "accepted": "= 'accept'", "rejected": "= 'reject'", "same": "= 'same'"}
    where = f"WHERE {standing} {states[status]}" if status in states else ""
    total = int(db.con.execute(f"SELECT COUNT(*) FROM candidate c {where}").fetchone()[0])
    rows = db.con.execute(
        f"SELECT c.id, c.sentence, c.claim, c.added_at, c.document_id, d.url, d.title, d.origin, {standing} AS action "
        f"FROM candidate c JOIN document d ON d.id = c.document_id {where} "
        "ORDER BY c.added_at DESC, c.document_id, c.seq LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    result = []
    for r in rows:
        item = dict(r)
        item["claim"] = json.loads(item["claim"])
        item["status"] = STATUS_OF_ACTION[r["action"]]
        result.append(item)
    return result, total


def candidate(db: AppDB, candidate_id: str) -> dict[str, Any] | None:
    row = db.con.execute("SELECT * FROM candidate WHERE id = ?", (candidate_id,)).fetchone()
    if row is None:
        return None
    item = dict(row)
    item["claim"] = json.loads(item["claim"])
    item["document"] = dict(db.con.execute("SELECT * FROM document WHERE id = ?", (row["document_id"],)).fetchone())
    first = db.con.execute(
        "SELECT sentence FROM candidate WHERE document_id = ? ORDER BY seq LIMIT 1", (row["document_id"],)
    ).fetchone()
    item["first_sentence"] = first[0]
    item["status"], item["decision"] = status_of(db, candidate_id)
    item["decisions"] = [
        dict(d) for d in db.con.execute("SELECT * FROM decision WHERE candidate_id = ? ORDER BY id", (candidate_id,))
    ]
    for d in item["decisions"]:
        d["fields"] = json.loads(d["fields"])
        d["statements"] = [
            dict(s)
            for s in db.con.execute(
                "SELECT kind, entity_id, prop, value, source_id FROM reviewed_statement WHERE decision_id = ?",
                (d["id"],),
            )
        ]
    item["judgements"] = [
        dict(j)
        for j in db.con.execute(
            "SELECT j.*, d.reversed_at AS decision_reversed_at FROM judgement j "
            "LEFT JOIN decision d ON d.id = j.decision_id WHERE j.candidate_id = ? ORDER BY j.id",
            (candidate_id,),
        )
    ]
    item["segments"] = segments(item["sentence"], item["claim"])
    return item


def judged_not_same(item: dict[str, Any]) -> list[str]:
    """The stations standing judgements say this candidate is not."""
    return [j["target"] for j in item["judgements"] if j["verdict"] == "not-same" and j["reversed_at"] is None]


def segments(sentence: str, claim: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The sentence cut into (text, what) pieces; ``what`` names the span kind, None for plain text.

    The template escapes every piece; only the <mark> around it is markup.
    """
    spans = []
    for name in SPAN_FIELDS:
        for item in claim.get(name, []):
            if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
                spans.append((item["start"], item["end"], name))
    spans.sort(key=lambda s: (s[0], -s[1]))
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, name in spans:
        if start < at or end > len(sentence):
            continue
        if start > at:
            pieces.append((sentence[at:start], None))
        pieces.append((sentence[start:end], name))
        at = end
    if at < len(sentence):
        pieces.append((sentence[at:], None))
    return pieces


def audit_log(db: AppDB, limit: int = 200, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    total = int(db.con.execute("SELECT COUNT(*) FROM audit").fetchone()[0])
    rows = db.con.execute(
        "SELECT a.*, d.reversed_at FROM audit a LEFT JOIN decision d ON d.id = a.decision_id "
        "ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [dict(r) for r in rows], total


class QueueData:
    """What the queue's pages offer beside a candidate: the dataset's jurisdictions, stations and places,
    and the known-station index the proposal resolves names with. Read once per data version."""

    def __init__(self, store: Store) -> None:
        self.index = StationIndex(store)
        self.jurisdictions = self.index.jurisdictions
        self.stations = {s["id"]: s for s in self.index.stations}
        self.places = store.places()
        self.basis = DecisionBasis(store, self.jurisdictions, self.stations, self.places, store.source_urls())

    def place_for(self, name: str | None, country: str | None) -> str | None:
        if not name:
            return None
        wanted = name.casefold()
        for place_id, names in self.index.place_names.items():
            if wanted in names and (country is None or self.places[place_id]["country"] == country):
                return place_id
        return None

    def running(self) -> list[tuple[str, str]]:
        """(id, name) of jurisdictions, those that run stations first."""
        rows = sorted(
            self.jurisdictions.values(), key=lambda j: (j.get("runs_stations") != "true", j["name"].casefold())
        )
        return [(j["id"], j["name"]) for j in rows]


def proposal(candidate: dict[str, Any], data: QueueData) -> dict[str, str]:
    """The station a candidate suggests, as editable form fields (all strings)."""
    claim = candidate["claim"]
    jurisdiction = ""
    for j in claim.get("jurisdictions", []):
        found = data.index.running_jurisdiction(j.get("name"), j.get("name_zh"))
        if found:
            jurisdiction = found
            break
    cities = claim.get("cities", [])
    countries = [c.get("code") for c in claim.get("countries", []) if c.get("code")]
    country = str(cities[0].get("country") or "") if cities else (countries[0] if countries else "")
    city = str(cities[0].get("name") or "") if cities else ""
    place = data.place_for(city, country or None) or ""
    dates = [d.get("value") for d in claim.get("dates", []) if d.get("value")]
    return {
        "jurisdiction": jurisdiction,
        "country": country,
        "place": place,
        "locality": "" if place else city,
        "opened": str(dates[0]) if dates else "",
        "quote": trim_quote(candidate["sentence"]),
    }


def suggestions(fields: dict[str, str], data: QueueData, judged_not_same: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Documented stations the candidate may be: same country, then same jurisdiction, then same place;
    never one a standing judgement says it is not."""
    excluded = set(judged_not_same)
    scored = []
    for s in data.stations.values():
        if s["country"] != fields.get("country") or s["id"] in excluded:
            continue
        score = (
            1
            + (s["jurisdiction"] == fields.get("jurisdiction"))
            + 2 * (bool(s["place"]) and s["place"] == fields.get("place"))
        )
        scored.append((-score, s["id"], s))
    return [s for _, _, s in sorted(scored)[:12]]
