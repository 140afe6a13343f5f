"""Groups of candidates that are one claim: reprints and mirrors of the same story, computed at import.

Two candidates fall in one group when they claim the same stations (the same (jurisdiction, country,
city) rows, as the extractor read them) from near-identical sentences: a Jaccard similarity of their
character shingles of at least ``THRESHOLD``, estimated by MinHash and found through an LSH index
(``datasketch``), so that an import never compares every pair. Shingles are taken from the sentence
case-folded and stripped of whitespace and punctuation, so a mirror that re-spaces or re-punctuates a
wire story still matches; Chinese and English text are shingled alike (characters, not words).

A group is named by its first member (the candidate that started it) and never merges or splits
afterwards: a later import only adds members. Each candidate's row here also keeps what triage
filters on (jurisdiction, country, city, the document's date and host, the engine).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.7
SHINGLE = 4
SEED = 1
# the permutation scheme pinned, so a datasketch upgrade that changes
# its default cannot make stored and new signatures incomparable
SCHEME = "affine32"


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def signature(sentence: str) -> MinHash:
    text = _normal(sentence)
    shingles = {text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash


def _from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype="<u8"))


def station_key(claim: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The (jurisdiction, country, city) rows a claim makes, sorted: what 'the same claim' compares."""
    names = [str(j.get("name") or "") for j in claim.get("jurisdictions", [])] or [""]
    cities = [(str(c.get("country") or ""), str(c.get("name") or "")) for c in claim.get("cities", [])]
    with_city = {country for country, _ in cities}
    cities += [(str(c.get("code") or ""), "") for c in claim.get("countries", []) if c.get("code") not in with_city]
    return sorted({(name, country, city) for name in names for country, city in cities or [("", "")]})


@dataclass
class NewCandidate:
    id: str
    sentence: str
    claim: dict[str, Any]
    date: str | None
    url: str | None
    engine: str


def _first(claim: dict[str, Any]) -> tuple[str | None, str | None, str | None, str | None]:
    jurisdictions = claim.get("jurisdictions", [])
    cities = claim.get("cities", [])
    countries = [c.get("code") for c in claim.get("countries", []) if c.get("code")]
    country = (cities[0].get("country") if cities else None) or (countries[0] if countries else None)
    return (
        jurisdictions[0].get("name") if jurisdictions else None,
        jurisdictions[0].get("name_zh") if jurisdictions else None,
        country,
        cities[0].get("name") if cities else None,
    )


def ungrouped(con: sqlite3.Connection) -> list[NewCandidate]:
    """Candidates not yet in a group (just imported, or imported before groups existed), earliest document
    first, so that a group is named after its earliest member."""
    rows = con.execute(
        "SELECT c.id, c.sentence, c.claim, d.date, d.url, c.engine FROM candidate c JOIN document d "
        "ON d.id = c.document_id WHERE c.id NOT IN (SELECT candidate_id FROM candidate_facet) "
        "ORDER BY d.date IS NULL, d.date, c.added_at, c.id"
    ).fetchall()
    return [NewCandidate(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]


def assign(con: sqlite3.Connection, new: Iterable[NewCandidate]) -> int:
    """Put each new candidate in the group of a near-identical one with the same stations, or start its own
    group; write its facet row. Returns how many joined an existing group."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    groups: dict[str, tuple[str, str]] = {}  # candidate id -> (group id, station key)
    for row in con.execute("SELECT candidate_id, group_id, station_key, signature FROM candidate_facet"):
        lsh.insert(row[0], _from_bytes(row[3]), check_duplication=False)
        groups[row[0]] = (row[1], row[2])
    joined = 0
    rows = []
    for item in new:
        if item.id in groups:
            continue
        key = json.dumps(station_key(item.claim), ensure_ascii=False)
        minhash = signature(item.sentence)
        group_id = item.id
        for other in sorted(lsh.query(minhash)):
            other_group, other_key = groups[other]
            if other_key == key:
                group_id = other_group
                joined += 1
                break
        lsh.insert(item.id, minhash, check_duplication=False)
        groups[item.id] = (group_id, key)
        jurisdiction, jurisdiction_zh, country, city = _first(item.claim)
        host = urlsplit(item.url).hostname if item.url else None
        rows.append(
            (item.id, group_id, key, jurisdiction, jurisdiction_zh, country, city, (item.date or "")[:10] or None,
             host, item.engine, minhash.hashvalues.astype("<u8").tobytes())
        )  # fmt: skip
    con.executemany(
        "INSERT OR IGNORE INTO candidate_facet (candidate_id, group_id, station_key, jurisdiction, jurisdiction_zh, "
        "country, city, doc_date, host, engine, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return joined
