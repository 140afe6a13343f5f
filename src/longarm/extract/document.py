"""A whole document -> its claims and a summary, streamed in bounded chunks.

The document model (docs/extraction.md): the pre-filter finds the station
terms; each sentence holding one is a *term sentence*. A document is about
overseas stations once one term sentence shows it (a specific term, or a
generic one with a sign that it is abroad and Chinese-run); from then on a
generic term sentence counts without that sign, and the sentences around
each term sentence (WINDOW_BEFORE before, WINDOW_AFTER after) are read as
*reference sentences* when they refer back to the stations ("such
stations", "two in Markham", 其中, 该站). Every claim keeps the sentences
that gave its values. Only those sentences are normalised and read.

A block ends at the last sentence boundary in it, and what follows is
carried into the next block (at most CARRY characters: past that it is cut
at a space), so memory stays one chunk whatever the input size; a window
does not reach across blocks.
"""

from __future__ import annotations

import gc
import re
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from longarm.extract import memo
from longarm.extract.lookalike_model import lookalike_model
from longarm.extract.matcher import fold, prefilter_hits
from longarm.extract.memo import read_sentence
from longarm.extract.rules import (
    DOCUMENT_SIGNAL,
    Claim,
    DocumentContext,
    analyse_sentence,
    names_an_overseas_station,
    short_names,
)
from longarm.extract.sentences import SentenceIndex, end_of_sentence, last_boundary, sentence_around
from longarm.extract.terms import AGENCIES

CARRY = 4096
BLOCK = 1 << 16  # text gathered before a block is read (memory stays a block and a chunk)
MAX_CLAIMS = 10_000  # per document, in the detail; the summary still sees them all
MAX_EVIDENCE = 20  # sentences kept per summary value
WINDOW_BEFORE = 2  # sentences before a term sentence read as reference sentences
WINDOW_AFTER = 3  # and after it
DENSE_SPACING = 2000  # a block with a station term every 2,000 characters or closer: all boundaries at once


def publication_of(pub_date: str | None) -> tuple[int, int] | None:
    """(year, month) of a publication date (month 0 where it gives none)."""
    if not pub_date:
        return None
    match = re.match(r"\s*((?:19|20)\d{2})(?:-(\d{1,2}))?", str(pub_date))
    if not match:
        return None
    month = int(match.group(2)) if match.group(2) else 0
    return int(match.group(1)), month if 1 <= month <= 12 else 0


def iter_claims(chunks: Iterable[str], pub_date: str | None = None) -> Iterator[Claim]:
    """Claims of a document given as text chunks, in order; spans are document offsets."""
    pub_year = publication_of(pub_date)
    context = DocumentContext()
    buffer = ""
    base = 0
    for chunk in chunks:
        buffer += chunk
        if len(buffer) < BLOCK:
            continue  # a document shorter than a block is read whole, so windows see all of it
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


def _block_claims(block: str, base: int, pub: tuple[int, int] | None, context: DocumentContext) -> Iterator[Claim]:
    with _collector_paused():
        claims = _read_block(block, base, pub, context)
    for start in sorted(claims):
        yield claims[start]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a block is read, where this is the only thread.

    A block's claims (up to a megabyte of text: thousands of objects) live until the block is read. The
    collector, run every few hundred allocations, finds them alive, moves them to its oldest generation, and
    then traverses everything there (the claims kept, the memo, the gazetteer) again and again: on claim-dense
    text that took a tenth of the time (sentences read afresh) to a quarter (read from the memo).
    ``gc.freeze()`` after the gazetteer loads buys nothing (measured): fewer objects to traverse, but full
    collections as many more times as often, since they are triggered by the objects promoted. Reading creates
    no reference cycles (what it drops is freed by reference counting, as ever), so there is nothing for the
    collector to find until the block is done. No claim is yielded while it is paused.

    The switch is the whole process's: with another thread running (a web server, a Dask worker) it would stop
    that thread's collections too, and a thread saving and restoring the switch around our pause could leave
    it off for good. So the collector is paused only while no other thread runs, and then nothing else can see
    or change it; with threads it stays on (slower on claim-dense text, never different)."""
    if not gc.isenabled() or threading.active_count() > 1:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read_block(block: str, base: int, pub: tuple[int, int] | None, context: DocumentContext) -> dict[int, Claim]:
    """The claims of a block, by sentence start."""
    hits = prefilter_hits(block)
    if not hits:
        return {}
    context.block, context.block_base, context.nearby_countries = block, base, {}
    # claim-dense text: every boundary of the block at once; otherwise only around each hit
    dense = len(hits) * DENSE_SPACING > len(block)
    index: SentenceIndex | _LocalSentences = SentenceIndex(block) if dense else _LocalSentences(block)
    term_sentences: list[tuple[int, int]] = []
    # hits of a station word proper, not only of a police agency (AGENCIES): a sentence with an agency and no
    # facility opened is no term sentence, and may be read as a reference sentence in another's window
    station_hits = [start for start, end in hits if fold(block[start:end]) not in AGENCIES]
    agency_only: set[int] = set()
    done = -1
    for start, _end in hits:
        if start < done:
            continue
        span = _strip(block, index.around(start))
        done = span[1]
        term_sentences.append(span)
    if not context.about_stations and any(DOCUMENT_SIGNAL.search(block[a:b].lower()) for a, b in term_sentences):
        context.about_stations = True  # "Safeguard Defenders", 海外110, 劝返: the document is about stations
    claims: dict[int, Claim] = {}
    rejected: list[tuple[int, int]] = []
    anchors: list[tuple[int, int]] = []  # term sentences with a station term that is not a look-alike
    was_about = context.about_stations
    for sentence_start, sentence_end in term_sentences:
        sentence = block[sentence_start:sentence_end]
        claim = read_sentence(sentence, base + sentence_start, pub, context)
        if context.last_had_terms:
            anchors.append((sentence_start, sentence_end))
        if claim is None and not context.about_stations:
            # the sign that the stations are abroad and Chinese-run may be in the sentence before
            previous = _window(block, index, sentence_start, sentence_end, before=1, after=0)
            if previous:
                lead = block[previous[0][0] : previous[0][1]]
                claim = analyse_sentence(sentence, base + sentence_start, pub, context, before=lead)
        if claim is not None:
            claims[sentence_start] = claim
        else:
            first = bisect_left(station_hits, sentence_start)
            if not context.last_had_terms and (first == len(station_hits) or station_hits[first] >= sentence_end):
                agency_only.add(sentence_start)
                continue
            if not context.about_stations:
                rejected.append((sentence_start, sentence_end))
    if context.about_stations and not was_about:
        # generic term sentences read before the sign that the document is about stations: read again
        for sentence_start, sentence_end in rejected:
            claim = read_sentence(block[sentence_start:sentence_end], base + sentence_start, pub, context)
            if claim is not None:
                claims[sentence_start] = claim
    if context.about_stations:
        read = {start for start, _end in term_sentences} - agency_only
        term_starts = sorted(read)
        for sentence_start, sentence_end in anchors:
            # a term sentence anchors its window even where it names nothing itself ("such stations ...")
            term_claim = claims.get(sentence_start)
            anchor = {
                "start": base + sentence_start,
                "end": base + sentence_end,
                "jurisdictions": [j["name"] for j in term_claim.jurisdictions] if term_claim else [],
            }
            # a window ends where the next term sentence begins: what follows is that sentence's window
            following = bisect_right(term_starts, sentence_start)
            stop = term_starts[following] if following < len(term_starts) else len(block)
            window = _window(block, index, sentence_start, sentence_end)
            # the sentences right before and after the term sentence are read for places at least (a window
            # lists the sentences before it nearest first, then those after it)
            first_after = next((i for i, s in enumerate(window) if s[0] >= sentence_end), len(window))
            nearest = (window[0] if first_after else None, window[first_after] if first_after < len(window) else None)
            # not a stretch that holds a station word itself (a run without sentence ends, cut into pieces): that
            # is read as a term sentence of its own (a police agency's name alone makes none)
            adjacent = {s for s in nearest if s is not None and not _holds_a_term(station_hits, s)}
            for span in window:
                if span[0] >= stop:
                    break
                if span[0] in read:
                    continue
                read.add(span[0])
                claim = read_sentence(
                    block[span[0] : span[1]], base + span[0], pub, context, anchor=anchor, adjacent=span in adjacent
                )
                if claim is not None:
                    claims[span[0]] = claim
        _read_short_names(block, base, pub, context, index, claims, {start for start, _end in term_sentences})
    return claims


def _holds_a_term(hit_starts: list[int], span: tuple[int, int]) -> bool:
    first = bisect_left(hit_starts, span[0])
    return first < len(hit_starts) and hit_starts[first] < span[1]


def _read_short_names(
    block: str,
    base: int,
    pub: tuple[int, int] | None,
    context: DocumentContext,
    index: SentenceIndex | _LocalSentences,
    claims: dict[int, Claim],
    term_starts: set[int],
) -> None:
    """Sentences anywhere in the document that use a short name a term sentence gave a station ("The CCSCC was
    launched on 4 July, 2016"), read as reference sentences to that term sentence."""
    for start in sorted(claims):
        claim = claims[start]
        if claim.basis == "term" and ("(" in claim.sentence or "（" in claim.sentence):
            for name in short_names(claim):
                anchor = {
                    "start": claim.start,
                    "end": claim.end,
                    "jurisdictions": [j["name"] for j in claim.jurisdictions],
                    "short_name": name,
                }
                context.short_names.setdefault(name, anchor)
    # a window sentence read for its places only is read again, in full, where it uses a short name
    done = {start for start, claim in claims.items() if claim.basis != "nearby"} | term_starts
    for name, anchor in context.short_names.items():
        found = block.find(name)
        while found != -1:
            after = found + len(name)
            # "CCSCC" as a word, not inside "CCSCCs" or "X-CCSCC"; a Chinese short name wherever it stands
            if not name.isascii() or (_word_edge(block, found - 1) and _word_edge(block, after)):
                span = _strip(block, index.around(found))
                if span[0] not in done:
                    done.add(span[0])
                    reading = read_sentence(block[span[0] : span[1]], base + span[0], pub, context, anchor=anchor)
                    if reading is not None:
                        claims[span[0]] = reading
            found = block.find(name, after)


def _word_edge(text: str, position: int) -> bool:
    return not (0 <= position < len(text)) or not (text[position].isalnum() or text[position] in "_-")


class _LocalSentences:
    """Sentences found around a position only (``sentence_around``): for a block with few station terms."""

    def __init__(self, text: str) -> None:
        self.text = text

    def around(self, position: int) -> tuple[int, int]:
        return sentence_around(self.text, position)

    def end_of(self, start: int) -> int:
        return end_of_sentence(self.text, start)


def _window(
    block: str,
    index: SentenceIndex | _LocalSentences,
    start: int,
    end: int,
    before: int = WINDOW_BEFORE,
    after: int = WINDOW_AFTER,
) -> list[tuple[int, int]]:
    """The sentences around the sentence block[start:end]: ``before`` before it, ``after`` after it."""
    if isinstance(index, SentenceIndex):
        return index.window(start, end, before, after)
    spans: list[tuple[int, int]] = []
    position = start
    for _ in range(before):
        while position > 0 and block[position - 1].isspace():
            position -= 1
        if position <= 0:
            break
        span = _strip(block, index.around(position - 1))
        if span[0] >= position:
            break
        spans.append(span)
        position = span[0]
    position = end
    for _ in range(after):
        while position < len(block) and block[position].isspace():
            position += 1
        if position >= len(block):
            break
        # the next sentence begins here: only its end is searched
        following = index.end_of(position)
        if following <= position:
            break
        spans.append((position, following))
        position = following
    return spans


def _strip(block: str, span: tuple[int, int]) -> tuple[int, int]:
    """A sentence span without the white space it starts with (one sentence, one start, however found)."""
    start, end = span
    while start < end and block[start].isspace():
        start += 1
    return start, end


@dataclass
class Summary:
    """What a document claims, all sentences together."""

    countries: list[str] = field(default_factory=list)
    cities: list[dict[str, str]] = field(default_factory=list)
    jurisdictions: list[dict[str, str]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    # per summary value, the sentences (document offsets) that gave it: the review queue shows them
    evidence: list[dict[str, Any]] = field(default_factory=list)
    _seen: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def _record(self, key: tuple[Any, ...], items: list[Any], item: Any) -> dict[str, Any]:
        """The evidence record of a value not seen before (``key``: its field and what tells it apart)."""
        items.append(item)
        record = {"field": key[0], "value": item, "sentences": []}
        self._seen[key] = record
        self.evidence.append(record)
        return record

    def add(self, claim: Claim) -> None:
        # each value's key is built from the claim's item; the summary's own item only for a new value
        seen = self._seen
        records: list[dict[str, Any]] = []
        for country in claim.countries:
            key: tuple[Any, ...] = ("countries", country["code"])
            records.append(seen.get(key) or self._record(key, self.countries, country["code"]))
        for entry in (*claim.cities, *claim.regions):
            key = ("countries", entry["country"])
            records.append(seen.get(key) or self._record(key, self.countries, entry["country"]))
        for city in claim.cities:
            key = ("cities", city["name"], city["country"])
            records.append(
                seen.get(key) or self._record(key, self.cities, {"name": city["name"], "country": city["country"]})
            )
        for jurisdiction in claim.jurisdictions:
            key = ("jurisdictions", jurisdiction["name"], jurisdiction["name_zh"])
            records.append(
                seen.get(key)
                or self._record(
                    key, self.jurisdictions, {"name": jurisdiction["name"], "name_zh": jurisdiction["name_zh"]}
                )
            )
        for count in claim.counts:
            key = ("counts", count["what"], count["value"], count["qualifier"])
            records.append(
                seen.get(key) or self._record(key, self.counts, {k: count[k] for k in ("what", "value", "qualifier")})
            )
        for date in claim.dates:
            key = ("dates", date["value"])
            records.append(seen.get(key) or self._record(key, self.dates, date["value"]))
        evidence = claim.evidence()
        for record in records:
            if len(record["sentences"]) < MAX_EVIDENCE:
                for sentence in evidence:
                    if sentence not in record["sentences"]:
                        record["sentences"].append(sentence)

    def as_dict(self) -> dict[str, Any]:
        return {
            "countries": self.countries,
            "cities": self.cities,
            "jurisdictions": self.jurisdictions,
            "counts": self.counts,
            "dates": sorted(self.dates),
            "evidence": self.evidence,
        }


def _append_new(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


@dataclass
class SetAside:
    """Claims the look-alike model set aside: the document reads as a look-alike of station text."""

    probability: float
    threshold: float
    sentences: list[str]  # the claim sentences it read (the first MAX_EVIDENCE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": "look-alike",
            "probability": round(self.probability, 3),
            "threshold": self.threshold,
            "sentences": self.sentences,
        }


@dataclass
class Extraction:
    """The result for one document: the summary and the per-sentence claims (none where the look-alike model
    set them aside: ``set_aside`` says so, and which sentences it read)."""

    summary: Summary
    claims: list[Claim]
    claims_truncated: bool = False
    set_aside: SetAside | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"summary": self.summary.as_dict(), "claims": [c.as_dict() for c in self.claims]}
        if self.claims_truncated:
            result["claims_truncated"] = True
        if self.set_aside is not None:
            result["set_aside"] = self.set_aside.as_dict()
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
            inherited = claim.anchor["jurisdictions"] if claim.anchor else []
            names = [j["name"] for j in claim.jurisdictions] or inherited or [fallback]
            city_countries = {c["country"] for c in claim.cities}
            places = [(c["country"], c["name"]) for c in claim.cities]
            places += [(c["code"], None) for c in claim.countries if c["code"] not in city_countries]
            places += [(r["country"], None) for r in claim.regions if r["country"] not in city_countries]
            for jurisdiction in names:
                for country, city in places:
                    _append_new(rows, {"jurisdiction": jurisdiction, "country": country, "city": city})
        return rows


def extract_chunks(chunks: Iterable[str], pub_date: str | None = None, *, lookalikes: bool = False) -> Extraction:
    """A document's claims and summary. Where no claim has a specific term, the look-alike model reads the
    claim sentences and may set the claims aside; with ``lookalikes`` it is not asked."""
    summary = Summary()
    claims: list[Claim] = []
    truncated = False
    for claim in iter_claims(chunks, pub_date):
        summary.add(claim)
        if len(claims) < MAX_CLAIMS:
            claims.append(claim)
        else:
            truncated = True
    # a specific term (警侨驿站, "overseas police service station") names an overseas station by itself, and so does a
    # generic one said to be overseas (海外警务联络站): the model judges documents whose claims rest on bare generic
    # terms (警察局, "police station") and references only
    if claims and not lookalikes and not any(names_an_overseas_station(claim) for claim in claims):
        set_aside = _lookalike_verdict(tuple(dict.fromkeys(claim.sentence for claim in claims)))
        if set_aside is not None:
            return Extraction(Summary(), [], set_aside=set_aside)
    return Extraction(summary, claims, truncated)


_verdicts: OrderedDict[tuple[str, ...], SetAside | None] = OrderedDict()


def _lookalike_verdict(sentences: tuple[str, ...]) -> SetAside | None:
    """Whether the look-alike model sets aside the claims of these sentences: remembered like the sentences'
    readings (as many as memo.MEMO_SIZE; none where it is 0, as when text is read as never seen)."""
    if sentences in _verdicts:
        _verdicts.move_to_end(sentences)
        return _verdicts[sentences]
    model = lookalike_model()
    probability = model.probability(" ".join(sentences))
    verdict = (
        SetAside(probability, model.threshold, list(sentences[:MAX_EVIDENCE]))
        if probability > model.threshold
        else None
    )
    if memo.MEMO_SIZE:
        _verdicts[sentences] = verdict
        if len(_verdicts) > memo.MEMO_SIZE:
            _verdicts.popitem(last=False)
    return verdict
