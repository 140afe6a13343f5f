"""A whole document -> its claims and a summary, streamed in bounded chunks.

The pre-filter automaton runs over each block of text; only the sentences
around a station term are normalised and read. A block ends at the last
sentence boundary in it, and what follows is carried into the next block
(at most CARRY characters: past that it is cut at a space), so memory stays
one chunk whatever the input size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from longarm.extract.matcher import prefilter_hits
from longarm.extract.rules import Claim, DocumentContext, analyse_sentence
from longarm.extract.sentences import last_boundary, sentence_around

CARRY = 4096
MAX_CLAIMS = 10_000  # per document, in the detail; the summary still sees them all


def pub_year_of(pub_date: str | None) -> int | None:
    if not pub_date:
        return None
    match = re.match(r"\s*((?:19|20)\d{2})", str(pub_date))
    return int(match.group(1)) if match else None


def iter_claims(chunks: Iterable[str], pub_date: str | None = None) -> Iterator[Claim]:
    """Claims of a document given as text chunks, in order; spans are document offsets."""
    pub_year = pub_year_of(pub_date)
    context = DocumentContext()
    buffer = ""
    base = 0
    for chunk in chunks:
        buffer += chunk
        cut = last_boundary(buffer)
        if cut is None:
            if len(buffer) <= CARRY:
                continue
            space = buffer.rfind(" ", len(buffer) - CARRY)
            cut = space + 1 if space > 0 else len(buffer) - CARRY // 2
        yield from _block_claims(buffer[:cut], base, pub_year, context)
        base += cut
        buffer = buffer[cut:]
    if buffer:
        yield from _block_claims(buffer, base, pub_year, context)


def _block_claims(block: str, base: int, pub_year: int | None, context: DocumentContext) -> Iterator[Claim]:
    done = -1
    for start, _end in prefilter_hits(block):
        if start < done:
            continue
        sentence_start, sentence_end = sentence_around(block, start)
        done = sentence_end
        claim = analyse_sentence(block[sentence_start:sentence_end], base + sentence_start, pub_year, context)
        if claim is not None:
            yield claim


@dataclass
class Summary:
    """What a document claims, all sentences together."""

    countries: list[str] = field(default_factory=list)
    cities: list[dict[str, str]] = field(default_factory=list)
    jurisdictions: list[dict[str, str]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)

    def _add(self, items: list[Any], item: Any) -> None:
        key = repr(item)
        if key not in self._seen:
            self._seen.add(key)
            items.append(item)

    def add(self, claim: Claim) -> None:
        for country in claim.countries:
            self._add(self.countries, country["code"])
        for entry in (*claim.cities, *claim.regions):
            self._add(self.countries, entry["country"])
        for city in claim.cities:
            self._add(self.cities, {"name": city["name"], "country": city["country"]})
        for jurisdiction in claim.jurisdictions:
            self._add(self.jurisdictions, {"name": jurisdiction["name"], "name_zh": jurisdiction["name_zh"]})
        for count in claim.counts:
            self._add(self.counts, {k: count[k] for k in ("what", "value", "qualifier")})
        for date in claim.dates:
            self._add(self.dates, date["value"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "countries": self.countries,
            "cities": self.cities,
            "jurisdictions": self.jurisdictions,
            "counts": self.counts,
            "dates": sorted(self.dates),
        }


def _append_new(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


@dataclass
class Extraction:
    """The result for one document: the summary and the per-sentence claims."""

    summary: Summary
    claims: list[Claim]
    claims_truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"summary": self.summary.as_dict(), "claims": [c.as_dict() for c in self.claims]}
        if self.claims_truncated:
            result["claims_truncated"] = True
        return result

    def stations(self) -> list[dict[str, Any]]:
        """(jurisdiction, country, city) candidates: each host of a claim with its jurisdiction.

        A claim that names no jurisdiction takes the document's, when the
        document names exactly one (in all its claims, the summary's, not only
        those kept in ``claims`` past MAX_CLAIMS).
        """
        document_jurisdictions = {j["name"] for j in self.summary.jurisdictions}
        fallback = next(iter(document_jurisdictions)) if len(document_jurisdictions) == 1 else None
        rows: list[dict[str, Any]] = []
        for claim in self.claims:
            names = [j["name"] for j in claim.jurisdictions] or [fallback]
            city_countries = {c["country"] for c in claim.cities}
            places = [(c["country"], c["name"]) for c in claim.cities]
            places += [(c["code"], None) for c in claim.countries if c["code"] not in city_countries]
            places += [(r["country"], None) for r in claim.regions if r["country"] not in city_countries]
            for jurisdiction in names:
                for country, city in places:
                    _append_new(rows, {"jurisdiction": jurisdiction, "country": country, "city": city})
        return rows


def extract_chunks(chunks: Iterable[str], pub_date: str | None = None) -> Extraction:
    summary = Summary()
    claims: list[Claim] = []
    truncated = False
    for claim in iter_claims(chunks, pub_date):
        summary.add(claim)
        if len(claims) < MAX_CLAIMS:
            claims.append(claim)
        else:
            truncated = True
    return Extraction(summary, claims, truncated)
