"""The review queue as its pages read it: candidates, their decisions and judgements, proposals.

The write side (imports, decisions, judgements, reversals) is ``longarm.ledger.review``; this is
what a reviewer sees of it, and what the form offers for a candidate.
"""

from __future__ import annotations

import datetime
import json
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from longarm.catalog.known import StationIndex
from longarm.catalog.reconcile import running_root
from longarm.ledger.groups import station_key
from longarm.ledger.review import (
    MAX_STATIONS,
    NEW_JURISDICTION,
    SPAN_FIELDS,
    STANDING,
    DecisionBasis,
    dataset_jurisdiction,
    gazetteer_jurisdiction,
    trim_quote,
)
from longarm.ledger.reviewdb import AppDB
from longarm.ledger.store import Store

# A candidate's status from the action of its standing decision (None: no decision stands).
STATUS_OF_ACTION = {None: "pending", "accept": "accepted", "reject": "rejected", "same": "same"}


def status_of(db: AppDB, candidate_id: str) -> tuple[str, dict[str, Any] | None]:
    """pending / accepted / rejected / same, and the standing decision if any (its own, or its group's)."""
    row = db.con.execute(
        "SELECT d.* FROM decision_member m JOIN decision d ON d.id = m.decision_id "
        "WHERE m.candidate_id = ? AND d.reversed_at IS NULL ORDER BY d.id DESC LIMIT 1",
        (candidate_id,),
    ).fetchone()
    if row is None:
        return STATUS_OF_ACTION[None], None
    return STATUS_OF_ACTION[row["action"]], dict(row)


@dataclass(frozen=True)
class Triage:
    """What the queue page filters and sorts by (its URL parameters); empty means any."""

    status: str | None = "pending"
    known: str = ""  # "new" | "known"
    jurisdiction: str = ""
    country: str = ""
    date: str = ""  # a prefix of the document's date: 2023, 2023-01
    source: str = ""  # the document's host
    engine: str = ""
    sort: str = "added"


SORTS = ("added", "date", "-date", "jurisdiction", "country", "source", "size")
_LISTING = (
    "SELECT c.id, c.sentence, c.claim, c.added_at, c.document_id, c.seq, c.engine AS c_engine, d.url, d.title, "
    "d.origin, d.date, f.group_id, f.station_key, f.jurisdiction, f.jurisdiction_zh, f.country, f.city, f.doc_date, "
    "f.host, (SELECT dd.action FROM decision_member m JOIN decision dd ON dd.id = m.decision_id "
    "WHERE m.candidate_id = c.id AND dd.reversed_at IS NULL ORDER BY dd.id DESC LIMIT 1) AS action "
    "FROM candidate c JOIN document d ON d.id = c.document_id LEFT JOIN candidate_facet f ON f.candidate_id = c.id"
)


def _facets(row: dict[str, Any]) -> dict[str, Any]:
    """A listing row with its facets; a candidate imported before facets existed gets them from its claim."""
    if row["group_id"] is None:
        claim = json.loads(row["claim"])
        keys = station_key(claim)
        row["group_id"] = row["id"]
        row["station_key"] = json.dumps(keys, ensure_ascii=False)
        jurisdictions = claim.get("jurisdictions", [])
        row["jurisdiction"] = keys[0][0] or None
        row["jurisdiction_zh"] = jurisdictions[0].get("name_zh") if jurisdictions else None
        row["country"], row["city"] = keys[0][1] or None, keys[0][2] or None
        row["doc_date"] = (row["date"] or "")[:10] or None
        row["host"] = None
    row["status"] = STATUS_OF_ACTION[row["action"]]
    return row


def _sort_key(sort: str) -> Any:
    if sort in ("date", "-date"):
        return lambda r: (r["doc_date"] or "9999", r["added_at"])
    if sort == "jurisdiction":
        return lambda r: ((r["jurisdiction"] or "~").casefold(), r["country"] or "", r["city"] or "")
    if sort == "country":
        return lambda r: (r["country"] or "~", r["city"] or "", (r["jurisdiction"] or "").casefold())
    if sort == "source":
        return lambda r: (r["host"] or "~", r["doc_date"] or "")
    if sort == "size":
        return lambda r: (-r["members"], r["doc_date"] or "")
    return lambda r: (r["added_at"], r["document_id"], r["seq"])


def candidates(
    db: AppDB, status: str | None = "pending", limit: int = 50, offset: int = 0, data: QueueData | None = None,
    triage: Triage | None = None,
) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """One row per group of near-identical candidates (its earliest member that passes the filters, with the
    group's size), filtered and sorted as ``triage`` says, and the number of such rows."""
    triage = triage or Triage(status=status)
    wanted_status = STATUS_OF_ACTION.get(None) if triage.status == "pending" else triage.status
    shown = []
    for members in _groups(db):
        passing = [r for r in members if _passes(r, triage, wanted_status, data)]
        if not passing:
            continue
        head = dict(passing[0])
        head["members"] = len(members)
        head["members_passing"] = len(passing)
        shown.append(head)
    shown.sort(key=_sort_key(triage.sort), reverse=triage.sort in ("-date", "added"))
    page = shown[offset : offset + limit]
    for item in page:
        item["claim"] = json.loads(item["claim"]) if isinstance(item["claim"], str) else item["claim"]
        item["station"] = data.known_station(item) if data else None
    return page, len(shown)


# The queue's listing, grouped, per review-database connection, until anything commits to the database
# (``AppDB.changed``, one PRAGMA): every request of a busy queue reads it, few change it.
_LISTINGS: weakref.WeakKeyDictionary[AppDB, tuple[tuple[int, int], list[list[dict[str, Any]]]]] = (
    weakref.WeakKeyDictionary()
)


def _groups(db: AppDB) -> list[list[dict[str, Any]]]:
    """Every candidate with its facets and status, in groups, each group's earliest document first."""
    changed = db.changed()
    cached = _LISTINGS.get(db)
    if cached is not None and cached[0] == changed:
        return cached[1]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in db.con.execute(_LISTING):
        row = _facets(dict(r))
        groups.setdefault(row["group_id"], []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: (r["doc_date"] or "9999", r["added_at"], r["document_id"], r["seq"]))
    listing = list(groups.values())
    _LISTINGS[db] = (db.changed(), listing)
    return listing


def _passes(row: dict[str, Any], triage: Triage, status: str | None, data: QueueData | None) -> bool:
    if status and row["status"] != status:
        return False
    if triage.jurisdiction and (row["jurisdiction"] or "").casefold() != triage.jurisdiction.casefold():
        return False
    if triage.country and (row["country"] or "") != triage.country.upper():
        return False
    if triage.date and not (row["doc_date"] or "").startswith(triage.date):
        return False
    if triage.source and (row["host"] or "") != triage.source.casefold():
        return False
    if triage.engine and row["c_engine"] != triage.engine:
        return False
    if triage.known and data is not None:
        return (data.known_station(row) is not None) == (triage.known == "known")
    return True


def facet_values(db: AppDB) -> dict[str, list[str]]:
    """The values the queue's select filters offer: the countries and engines found (jurisdictions and sources,
    which a crawl has by the thousand, are typed)."""
    values: dict[str, list[str]] = {}
    for column in ("country", "engine"):
        values[column] = [
            r[0] for r in db.con.execute(
                f"SELECT DISTINCT {column} FROM candidate_facet WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 500"
            )
        ]  # fmt: skip
    return values


def group_of(db: AppDB, candidate_id: str) -> list[dict[str, Any]]:
    """The members of a candidate's group (itself included), the earliest document first, each with its status."""
    row = db.con.execute("SELECT group_id FROM candidate_facet WHERE candidate_id = ?", (candidate_id,)).fetchone()
    if row is None:
        return []
    members = [
        dict(r)
        for r in db.con.execute(
            "SELECT c.id, c.sentence, d.url, d.title, d.publisher, d.date, d.origin, f.doc_date FROM candidate_facet f "
            "JOIN candidate c ON c.id = f.candidate_id JOIN document d ON d.id = c.document_id WHERE f.group_id = ?",
            (row[0],),
        )
    ]
    for m in members:
        m["status"] = "pending" if db.con.execute(STANDING, (m["id"],)).fetchone() is None else "decided"
    members.sort(key=lambda m: (m["doc_date"] or "9999", m["id"]))
    return members


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
    item["claim"]["dates"] = dates_at_precision(item["sentence"], item["claim"].get("dates", []))
    item["segments"] = segments(item["sentence"], item["claim"])
    item["group"] = group_of(db, candidate_id)
    return item


MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                     "dec"), 1)}  # fmt: skip
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"[0-3]?[0-9](?:st|nd|rd|th)?"
DATE_FORMS = re.compile(
    r"(?P<zy>(?:19|20)[0-9]{2})\s*年\s*(?P<zm>1[0-2]|0?[1-9])\s*月\s*(?P<zd>[0-3]?[0-9])\s*[日号]"
    r"|(?P<iy>(?:19|20)[0-9]{2})-(?P<im>[01][0-9])-(?P<id>[0-3][0-9])\b"
    rf"|\b(?P<ed>{_DAY})\s+(?:of\s+)?(?P<em>{_MONTH})\s*,?\s+(?P<ey>(?:19|20)[0-9]{{2}})\b"
    rf"|\b(?P<am>{_MONTH})\s+(?P<ad>{_DAY}),?\s+(?P<ay>(?:19|20)[0-9]{{2}})\b",
    re.IGNORECASE,
)


def _day_value(match: re.Match[str]) -> str | None:
    """YYYY-MM-DD from a full date form, or None if it is not a real day."""
    for y, m, d in (("zy", "zm", "zd"), ("iy", "im", "id"), ("ey", "em", "ed"), ("ay", "am", "ad")):
        if match.group(y):
            month_text = match.group(m)
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text[:3].casefold()]
            day = int(re.sub(r"\D", "", match.group(d)))
            try:
                return datetime.date(int(match.group(y)), month, day).isoformat()
            except ValueError:
                return None
    return None


def dates_at_precision(sentence: str, dates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The extractor's dates kept at the precision the sentence gives: a month it read from "12 January 2023"
    or 2023年3月15日 becomes that day (its span widened to the whole date), and every full date the extractor
    did not keep is added as a mark (``"seen": true``) so that all date forms are highlighted."""
    result = [dict(d) for d in dates]
    for match in DATE_FORMS.finditer(sentence):
        day = _day_value(match)
        if day is None:
            continue
        start, end = match.span()
        overlapping = [
            d for d in result
            if isinstance(d.get("start"), int) and d["start"] < end and start < d.get("end", -1)
        ]  # fmt: skip
        if not overlapping:
            result.append({"value": day, "text": match.group(0), "start": start, "end": end, "seen": True})
        for d in overlapping:
            if day.startswith(str(d.get("value", ""))):  # the same date, read at a coarser precision
                d.update(value=day, text=match.group(0), start=min(start, d["start"]), end=max(end, d["end"]))
    return sorted(result, key=lambda d: d.get("start", 0))


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


def audit_log(
    db: AppDB, limit: int = 200, offset: int = 0, logins_of: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Newest first; with ``logins_of``, of the login rows only that user's (what a non-admin sees)."""
    where, params = ("WHERE a.action != 'login' OR a.actor = ?", [logins_of]) if logins_of is not None else ("", [])
    total = int(db.con.execute(f"SELECT COUNT(*) FROM audit a {where}", params).fetchone()[0])
    rows = db.con.execute(
        f"SELECT a.*, d.reversed_at FROM audit a LEFT JOIN decision d ON d.id = a.decision_id {where} "
        "ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
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
        self._known: dict[tuple[str, str | None], str | None] = {}

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

    def known_station(self, row: dict[str, Any]) -> str | None:
        """The one documented station every (jurisdiction, country, city) of a listing row matches, or None
        (new, or several stations). Cached per station key: this data version's answer does not change."""
        cache_key = (row["station_key"], row.get("jurisdiction_zh"))
        if cache_key not in self._known:
            found = {
                self.index.match(j or None, c, city or None, row.get("jurisdiction_zh"))
                for j, c, city in json.loads(row["station_key"])
            }
            self._known[cache_key] = found.pop() if len(found) == 1 and None not in found else None
        return self._known[cache_key]

    def direct_jurisdiction(self, name: str | None, name_zh: str | None) -> str | None:
        """The dataset jurisdiction the extractor's reading names, by its Chinese name first."""
        if name_zh:
            found = dataset_jurisdiction(name_zh, self.jurisdictions)
            if found:
                return running_root(self.jurisdictions, found) or found
            if gazetteer_jurisdiction(name_zh) is not None:
                return None  # a gazetteer unit the dataset lacks: not the dataset's namesake
        return self.index.running_jurisdiction(name, name_zh)


def _jurisdiction_label(row: dict[str, Any]) -> str:
    zh = row.get("name_zh") or []
    return f"{row['name']} ({', '.join(zh) if isinstance(zh, list) else zh})" if zh else str(row["name"])


def new_jurisdictions(candidate: dict[str, Any], data: QueueData) -> list[dict[str, str]]:
    """Running jurisdictions the extractor found that the dataset lacks, as the gazetteer describes them:
    what the form offers to create ("new:福清市")."""
    offered: dict[str, dict[str, str]] = {}
    for j in candidate["claim"].get("jurisdictions", []):
        name_zh = str(j.get("name_zh") or "")
        entry = gazetteer_jurisdiction(name_zh) if name_zh else None
        if entry is None or dataset_jurisdiction(entry.name_zh, data.jurisdictions):
            continue
        parent = dataset_jurisdiction(entry.parent_zh, data.jurisdictions) if entry.parent_zh else None
        offered[entry.name_zh] = {
            "value": NEW_JURISDICTION + entry.name_zh,
            "name": entry.name,
            "name_zh": entry.name_zh,
            "level": entry.level,
            "parent_zh": entry.parent_zh,
            "parent": parent or "",
            "label": f"New: {entry.name} ({entry.name_zh}, {entry.level} level, under {entry.parent_zh}"
            + (f" [{parent}]" if parent else ", not in the dataset")
            + ")",
        }
    return list(offered.values())


def mismatches(candidate: dict[str, Any], fields: dict[str, str], data: QueueData) -> list[str]:
    """Where the form's pre-selected jurisdiction is not what the extractor resolved the name to."""
    notes = []
    chosen = fields.get("jurisdiction", "")
    for j in candidate["claim"].get("jurisdictions", []):
        name, name_zh = j.get("name"), j.get("name_zh")
        if not name_zh or not chosen or chosen.startswith(NEW_JURISDICTION):
            continue
        resolved = data.direct_jurisdiction(name, name_zh)
        if resolved == chosen:
            continue
        entry = gazetteer_jurisdiction(str(name_zh))
        where = f" ({entry.level} level, under {entry.parent_zh})" if entry and entry.parent_zh else ""
        picked = data.jurisdictions.get(chosen)
        notes.append(
            f"The extractor read “{j.get('text') or name}” as {name_zh}{where}; the form pre-selects the dataset's "
            f"{_jurisdiction_label(picked) if picked else chosen}, which is not that body. Check which one the text "
            "means."
        )
    return notes


def proposal(candidate: dict[str, Any], data: QueueData) -> dict[str, str]:
    """The stations a candidate suggests, as editable form fields (all strings): the first station in the
    plain fields, each further city of the sentence in "s<n>-" fields (see ``ledger.review.station_rows``)."""
    claim = candidate["claim"]
    jurisdiction = ""
    for j in claim.get("jurisdictions", []):
        found = data.index.running_jurisdiction(j.get("name"), j.get("name_zh"))
        if found:
            jurisdiction = found
            break
    if not jurisdiction:
        new = new_jurisdictions(candidate, data)
        jurisdiction = new[0]["value"] if new else ""
    places: list[tuple[str, str]] = [(str(c.get("country") or ""), str(c.get("name") or "")) for c in
                                     claim.get("cities", [])]  # fmt: skip
    with_city = {country for country, _ in places}
    places += [(str(c["code"]), "") for c in claim.get("countries", []) if c.get("code") and c["code"] not in with_city]
    places = list(dict.fromkeys(places))[:MAX_STATIONS] or [("", "")]
    dates = dates_at_precision(candidate["sentence"], claim.get("dates", []))
    kept = [str(d["value"]) for d in dates if d.get("value") and not d.get("seen")]
    fields = {"jurisdiction": jurisdiction, "quote": trim_quote(candidate["sentence"])}
    for n, (country, city) in enumerate(places):
        prefix = "" if n == 0 else f"s{n}-"
        place = data.place_for(city, country or None) or ""
        fields.update({
            f"{prefix}country": country, f"{prefix}place": place, f"{prefix}locality": "" if place else city,
            f"{prefix}opened": kept[0] if kept else "",
        })  # fmt: skip
        fields[f"{prefix}city"] = city  # the name as the text gives it, for the row's heading
    return fields


def station_rows(fields: dict[str, str]) -> list[dict[str, str]]:
    """The form's station rows from a proposal (row 0: plain names; row n: "s<n>-")."""
    rows = []
    for n in range(MAX_STATIONS):
        prefix = "" if n == 0 else f"s{n}-"
        if n and f"{prefix}country" not in fields:
            break
        rows.append({"prefix": prefix, "n": str(n), **{k: fields.get(f"{prefix}{k}", "") for k in
                     ("country", "place", "locality", "opened", "city")}})  # fmt: skip
    return rows


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
