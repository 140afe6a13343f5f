"""Sentence readings, remembered: the same sentence in the same state is read once.

Real corpora repeat themselves: one agency story is printed by dozens of
sites, a site repeats its boilerplate on every page, a crawl holds the same
page several times. A reading (``rules.analyse_sentence``) depends on the
sentence, the publication date, whether it is a term or a reference
sentence, and whether the document is already known to be about stations;
those make the key. A reading that consulted more of the document (an
ambiguous name resolved by the places named earlier, a bare "Fuzhou" taken
as the unit a police word named before) is not kept. What a reading adds to
the document's state (the about-stations decision, the countries, provinces
and units it named) is kept with it and applied again on every use, so a
remembered reading leaves the document exactly as a fresh one would.

Claims are kept with offsets from the sentence's start and moved to where
the sentence stands in each document. The memo holds MEMO_SIZE readings per
process (least recently used out first), a few megabytes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from longarm.extract.rules import Claim, DocumentContext, analyse_sentence, pick_nearby, window_reading

MEMO_SIZE = 8192


class _Reading(NamedTuple):  # a named tuple: one is made for every sentence read afresh, cheaper than a dataclass
    claim: Claim | None  # offsets from the sentence's start
    probes: tuple[tuple[Any, ...], ...]  # what it looked up of the document's state, and found
    had_terms: bool  # the sentence held a station term (not a look-alike)
    about_stations: bool  # the reading decided the document is about stations
    countries: tuple[str, ...]  # counted once each time the reading is used
    provinces: frozenset[str]
    jurisdictions: frozenset[str]


_memo: OrderedDict[tuple[Any, ...], _Reading] = OrderedDict()


_LISTS = ("terms", "countries", "cities", "regions", "jurisdictions", "counts", "dates", "bystanders")


def _moved(claim: Claim, base: int, anchor: dict[str, Any] | None) -> Claim:
    """A copy of ``claim`` (offsets from its sentence's start) with offsets into the document."""
    # field by field as Claim(...) would set them, in the same order (as_dict gives them in that order), without
    # its keyword call: a remembered claim is copied for every sentence read from the memo
    fields = claim.__dict__.copy()
    fields["start"] += base
    fields["end"] += base
    for name in _LISTS:
        items = fields[name]
        shifted = []
        for item in items:
            item = item.copy()  # keys in the same order: only the offsets change
            item["start"] += base
            item["end"] += base
            shifted.append(item)
        fields[name] = shifted
    fields["anchor"] = dict(anchor) if anchor else None
    moved = object.__new__(Claim)
    moved.__dict__ = fields
    return moved


def _finds(doc: DocumentContext, probe: tuple[Any, ...], base: int) -> bool:
    """Whether a lookup a reading made finds the same in ``doc``, for the sentence at document offset ``base``."""
    kind = probe[0]
    if kind == "jurisdictions":
        return bool((probe[1] in doc.jurisdictions) == probe[2])
    if kind == "nearby":  # the country named around a place nothing earlier resolved
        return bool(pick_nearby(doc, probe[1], base + probe[3]) == probe[2])
    if kind == "countries":  # the country an ambiguous place was given: the one most named, then most populous
        named = [(doc.countries[code], population, code) for code, population in probe[1] if code in doc.countries]
        return bool((max(named)[2] if named else None) == probe[2])
    return all((prefix in doc.provinces) == found for prefix, found in probe[1])  # provinces


def read_sentence(
    sentence: str,
    base: int,
    pub: tuple[int, int] | None,
    doc: DocumentContext,
    anchor: dict[str, Any] | None = None,
    adjacent: bool = False,
) -> Claim | None:
    """``analyse_sentence(sentence, base, pub, doc, anchor)``, from the memo where the same reading was made."""
    by_short_name = anchor is not None and "short_name" in anchor
    if anchor is not None and not (doc.about_stations and (by_short_name or window_reading(sentence, adjacent))):
        return None  # most sentences near a term refer to nothing: no need to remember that
    key = (sentence, pub, anchor is not None, doc.about_stations, by_short_name, adjacent)
    reading = _memo.get(key)
    if reading is not None and reading.probes and not all(_finds(doc, probe, base) for probe in reading.probes):
        reading = None  # it looked up earlier names, and this document has named others
    if reading is None:
        before = (set(doc.provinces), set(doc.jurisdictions), doc.about_stations)
        doc.probes = []
        claim = analyse_sentence(sentence, 0, pub, doc, anchor=anchor, at=base, adjacent=adjacent)
        # what analyse_sentence counted: the host countries of the claim it made
        places = (*claim.countries, *claim.cities, *claim.regions) if claim is not None else ()
        countries = tuple(entry.get("code") or entry["country"] for entry in places)
        reading = _Reading(
            claim=claim,
            probes=tuple(doc.probes),
            had_terms=doc.last_had_terms,
            about_stations=doc.about_stations and not before[2],
            countries=countries,
            provinces=frozenset(doc.provinces - before[0]),
            jurisdictions=frozenset(doc.jurisdictions - before[1]),
        )
        _memo[key] = reading
        if len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
        doc.last_had_terms = reading.had_terms
        doc.about_stations = doc.about_stations or reading.about_stations
        for code in reading.countries:
            doc.countries[code] = doc.countries.get(code, 0) + 1
        if reading.provinces:
            doc.provinces |= reading.provinces
        if reading.jurisdictions:
            doc.jurisdictions |= reading.jurisdictions
    return _moved(reading.claim, base, anchor) if reading.claim is not None else None
