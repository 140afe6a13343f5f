"""Full-text search over stations, jurisdictions, countries, sources, events and quotes.

SQLite's default FTS tokenizer splits on spaces, and Chinese has none: 米兰 or
青田 inside 青田县公安局在米兰设立 would never be found. The index therefore
uses FTS5's ``trigram`` tokenizer, which finds any substring of three or more
characters in any script (and, case-insensitively, English words). A term of
one or two characters, which a trigram index cannot look up, is matched with
LIKE over the same rows instead, so 米兰 finds Milan's station, quotes and
events. Several terms must all match.

The index lives in the app database (the statement database is read-only and
replaced by every build), one set of rows per edition, so ``?edition=`` finds
what that edition's pages show. It is derived: rebuilt from the site's own redacted
rows when an edition is searched at a new data version, so a sensitive name that is redacted
on the pages is not searchable either. Every worker checks the version it was
built for before using it; the first to see a change rebuilds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from longarm.ledger.reviewdb import AppDB
from longarm.publish.search_index import documents

if TYPE_CHECKING:
    from longarm.publish.site import Site

MAX_TERMS = 8
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    href: str
    title: str
    snippet: Markup


def ensure_index(db: AppDB, site: Site, key: str) -> None:
    """Rebuild the site's edition's rows unless they were built for ``key`` (the data version and redaction
    mode)."""
    edition = site.catalog.edition["id"]
    meta_key = f"search_key:{edition}"
    if db.meta(meta_key) == key:
        return
    with db.transaction() as con:
        row = con.execute("SELECT value FROM app_meta WHERE key = ?", (meta_key,)).fetchone()
        if row and row[0] == key:
            return
        con.execute("DELETE FROM search_index WHERE edition = ?", (edition,))
        con.executemany(
            "INSERT INTO search_index (edition, kind, ref, href, title, body) VALUES (?, ?, ?, ?, ?, ?)",
            ((edition, *document) for document in documents(site)),
        )
        db.set_meta(con, meta_key, key)


# NUL ends a string inside FTS5's query parser ("unterminated string"); no control character is
# ever part of a searchable word, so each one separates terms like a space.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def terms(query: str) -> list[str]:
    return [t for t in CONTROL.sub(" ", query[:MAX_QUERY]).split() if t][:MAX_TERMS]


def _like(term: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"


def search(db: AppDB, edition: str, query: str, limit: int = 50, offset: int = 0) -> tuple[list[Hit], int]:
    """Hits in one edition for every term of ``query`` (all must match), best first, and how many there are."""
    wanted = terms(query)
    if not wanted:
        return [], 0
    long_terms = [t for t in wanted if len(t) >= 3]
    short_terms = [t for t in wanted if len(t) < 3]
    where, params = ["edition = ?"], [edition]
    if long_terms:
        # Each term a quoted phrase: FTS5 operators and quotes typed by a user are just text.
        where.append("search_index MATCH ?")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for t in short_terms:
        where.append("(title || ' ' || body) LIKE ? ESCAPE '\\'")
        params.append(_like(t))
    clause = " AND ".join(where)
    order = "bm25(search_index, 0, 0, 0, 0, 10.0, 1.0)" if long_terms else "length(body)"
    total = int(db.con.execute(f"SELECT COUNT(*) FROM search_index WHERE {clause}", params).fetchone()[0])
    rows = db.con.execute(
        f"SELECT kind, ref, href, title, body FROM search_index WHERE {clause} "
        f"ORDER BY CASE kind WHEN 'station' THEN 0 WHEN 'country' THEN 1 WHEN 'jurisdiction' THEN 2 "
        f"WHEN 'event' THEN 3 WHEN 'source' THEN 4 ELSE 5 END, {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [Hit(r["kind"], r["ref"], r["href"], r["title"], snippet(r["body"], wanted)) for r in rows], total


def snippet(text: str, wanted: list[str], width: int = 160) -> Markup:
    """Escaped text around the first match with every match in <mark>; nothing of ``text`` is markup."""
    low = text.casefold()
    positions = [low.find(t.casefold()) for t in wanted]
    first = min((p for p in positions if p >= 0), default=0)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    out = Markup("…") if start > 0 else Markup("")
    at = 0
    for match in pattern.finditer(piece):
        out += escape(piece[at : match.start()]) + Markup("<mark>") + escape(match.group()) + Markup("</mark>")
        at = match.end()
    out += escape(piece[at:])
    if end < len(text):
        out += Markup("…")
    return out
