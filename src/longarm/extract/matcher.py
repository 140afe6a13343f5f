"""Multi-pattern matching with Aho-Corasick automata (ahocorasick-rs).

Three automata, each built once per process:
- the *terms* automaton: station terms in matching form (simplified Chinese,
  lower-case English, ASCII digits), read in a sentence's matching form;
- the *pre-filter* (``prefilter()``, a ``TermFinder``): the same terms, found
  in raw text wherever its folded view has them (``fold``: the same length,
  lower case, full-width letters and digits as ASCII, traditional characters
  simplified as the rules simplify them), so a document or block without a
  term is skipped at once, and any term the rules would find in a sentence
  is found there;
- the *gazetteer* automaton: every name in geo/gazetteer, case-sensitive,
  matched leftmost-longest so 新西兰 is not read as 西兰 and 执法国际 not as 法国.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import ahocorasick_rs

from longarm.extract import terms
from longarm.extract.normalise import FULLWIDTH, WRAP_MARK, chars_to_simplified, lower_same_length
from longarm.geo.gazetteer import Name, names


class Term(NamedTuple):  # a named tuple: built several times a sentence, cheaper than a dataclass
    start: int
    end: int
    text: str  # the term in matching form
    specific: bool


class Mention(NamedTuple):
    start: int
    end: int
    surface: str
    meanings: tuple[Name, ...]  # names()[surface]: what is known of a surface can be cached by the surface


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_"


class _Automaton:
    """Patterns, a leftmost-longest automaton over them, and a value per pattern."""

    def __init__(
        self, patterns: dict[str, object], implementation: ahocorasick_rs.Implementation | None = None
    ) -> None:
        self.patterns = list(patterns)
        self.values = list(patterns.values())
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, implementation=implementation
        )

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of each leftmost-longest, non-overlapping match."""
        found: list[tuple[int, int, int]] = self.automaton.find_matches_as_indexes(text)
        return found


@cache
def term_automaton() -> _Automaton:
    patterns: dict[str, object] = {}
    for specific, group in (
        (True, terms.SPECIFIC_ZH + terms.SPECIFIC_EN),
        (False, terms.GENERIC_ZH + terms.GENERIC_EN + terms.AGENCY_EN + terms.OPERATING_AGENCY_EN),
        (False, terms.OPERATING_AGENCY_ZH),
    ):
        for term in group:
            patterns.setdefault(term, specific)
    # a DFA: small for these few hundred terms, and a third faster on a sentence than the default NFA
    return _Automaton(patterns, ahocorasick_rs.Implementation.DFA)


def prefilter_terms() -> list[str]:
    """Every station term the pre-filter looks for, folded (as ``fold`` writes text), for filters over other views."""
    return list(term_automaton().patterns)


# the only characters outside ASCII whose lower case is ASCII: İ (i and a combining dot; see
# lower_same_length) and the Kelvin sign (k); tests/test_extract.py checks there are no others
_LOWER_TO_ASCII = ("\u0130", "\u212a")


@cache
def _fold_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """The characters that fold into a character of a station term, and what each folds into:
    full-width letters, digits and punctuation, the ideographic space, and traditional characters
    (and other variants) that the rules' t2s conversion turns into a term's character."""
    wanted = {c for term in term_automaton().patterns for c in term}
    table = {chr(wide).lower(): chr(narrow).lower() for wide, narrow in FULLWIDTH.items()}
    han = [chr(c) for r in (range(0x3400, 0xA000), range(0xF900, 0xFB00)) for c in r]
    table |= dict(zip(han, chars_to_simplified(han), strict=True))
    table = {c: folded for c, folded in table.items() if folded != c and folded in wanted}
    return re.compile("[" + re.escape("".join(sorted(table))) + "]"), table


def fold(text: str) -> str:
    """The pre-filter's view of ``text``: the same length, lower case, with full-width and traditional
    forms of the station terms' characters replaced by the forms the terms are written in."""
    folded = lower_same_length(text)
    pattern, table = _fold_table()
    if not folded.isascii() and pattern.search(folded):  # every character to replace is non-ASCII
        folded = pattern.sub(lambda m: table[m.group()], folded)
    return folded


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


class TermFinder:
    """Folded terms, found in raw text where ``fold(text)`` has them, without building that view.

    The common path reads the text's UTF-8 bytes lower-cased byte for byte (``bytes.lower``: ASCII
    only, and several times faster than ``str.lower`` and the fold). The automaton holds each term
    in every spelling that view leaves unfolded: the traditional forms of its Han characters, the
    ideographic space for a space, full-width digits and hyphen, İ for i and the Kelvin sign for k,
    in all combinations (a few hundred patterns). A full-width letter would multiply the spellings
    of every English term, so a text holding one is matched in ``fold(text)`` instead. Either way
    the spans are those of the terms in ``fold(text)``, in characters.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted(set(terms))
        _pattern, table = _fold_table()
        wanted = {c for term in self.terms for c in term}
        spellings: dict[str, list[str]] = {}
        triggers: set[str] = set()
        for char in sorted({*table, *(c.upper() for c in table), *_LOWER_TO_ASCII}):
            lowered = lower_same_length(char)
            folded = table.get(lowered, lowered)
            if folded == char or folded not in wanted:
                continue
            if "\uff01" <= char <= "\uff5e" and folded.isalpha():
                triggers.add(char)  # a full-width letter: spelled out, every term would have too many spellings
            else:
                spellings.setdefault(folded, []).append(char)  # İ, 僑, a full-width digit ...: spelled out
        patterns: list[bytes] = []
        self.lengths: list[int] = []
        for term in self.terms:
            for spelling in itertools.product(*([c, *spellings.get(c, ())] for c in term)):
                patterns.append("".join(spelling).encode())
                self.lengths.append(len(term))
        self.spelled = len(patterns)
        patterns += [c.encode() for c in sorted(triggers)]
        # a DFA: a few MB for these few thousand patterns, and twice as fast as the default NFA over whole texts
        self.automaton = ahocorasick_rs.BytesAhoCorasick(
            patterns,
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )
        self._exact: ahocorasick_rs.AhoCorasick | None = None

    def _in_fold(self, text: str) -> list[tuple[int, int]]:
        if self._exact is None:
            self._exact = ahocorasick_rs.AhoCorasick(self.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        return [(start, end) for _index, start, end in self._exact.find_matches_as_indexes(fold(text))]

    def _matches(self, text: str) -> tuple[bytes, list[tuple[int, int, int]]] | None:
        """The lower-cased bytes and the matches in them; None where the text needs the full fold."""
        data = text.encode("utf-8", "surrogatepass").lower()
        found: list[tuple[int, int, int]] = self.automaton.find_matches_as_indexes(data)
        if any(index >= self.spelled for index, _start, _end in found):
            return None
        return data, found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end), in characters, of each term (leftmost-longest, not overlapping)."""
        matched = self._matches(text)
        if matched is None:
            return self._in_fold(text)
        data, found = matched
        spans: list[tuple[int, int]] = []
        position = characters = 0
        for index, start, _end in found:
            # characters before a byte offset: the bytes that do not continue a UTF-8 sequence
            characters += len(data[position:start].translate(None, _CONTINUATION_BYTES))
            position = start
            spans.append((characters, characters + self.lengths[index]))
        return spans

    def found(self, text: str) -> bool:
        """Whether any term is there."""
        matched = self._matches(text)
        return bool(self._in_fold(text)) if matched is None else bool(matched[1])


@cache
def prefilter() -> TermFinder:
    """The station terms, for the pre-filter."""
    return TermFinder(term_automaton().patterns)


@cache
def gazetteer_automaton() -> _Automaton:
    return _Automaton(dict.fromkeys(names()))


def prefilter_hits(text: str) -> list[tuple[int, int]]:
    """(start, end) of every station term, in any written form, in raw text."""
    return prefilter().spans(text)


def might_contain_claim(text: str) -> bool:
    """True if ``text`` has a station term in any written form: the cheap first test."""
    return prefilter().found(text)


@cache
def _term_entries() -> list[tuple[str, bool, bool]]:
    """Per pattern of the terms automaton: the term, whether it is English (ASCII), whether it is specific."""
    automaton = term_automaton()
    return [
        (term, term.isascii(), bool(value)) for term, value in zip(automaton.patterns, automaton.values, strict=True)
    ]


def find_terms(lowered: str) -> list[Term]:
    """Station terms in a lower-cased matching-form sentence, longest first at each place."""
    entries = _term_entries()
    found: list[Term] = []
    for index, start, end in term_automaton().find(lowered):
        term, english, specific = entries[index]
        if english and ((start > 0 and lowered[start - 1].isalpha()) or not _word_ends(lowered, end, term)):
            continue
        found.append(Term(start, end, term, specific))
    return found


def _word_ends(lowered: str, end: int, term: str) -> bool:
    """Whether an English term ends a word there: "stations" and "centers" do, "stationed" and "officer" do not."""
    following = lowered[end : end + 3]
    if term.endswith("cent"):  # written to end in -er, -re, -ers, -res
        return True
    if not following[:1].isalpha():
        return True
    return following[:1] == "s" and not following[1:2].isalpha()


@cache
def _surfaces() -> list[tuple[str, tuple[Name, ...], bool, bool, bool]]:
    """Per pattern of the gazetteer automaton, in its order, what find_names needs to know of its surface: the
    surface, its meanings, whether it is written in Latin letters (its first character ASCII: matched as whole
    words only), whether it has a blocker meaning (never a place), whether it names only Chinese units
    (_chinese_unit_surfaces). Plain tuples: 31,000 of them are built when the first sentence is read."""
    table = names()
    blocked = _blocked_surfaces()
    units = _chinese_unit_surfaces()
    return [(s, table[s], s[0].isascii(), s in blocked, s in units) for s in gazetteer_automaton().patterns]


def find_names(text: str) -> list[Mention]:
    """Gazetteer names in a matching-form sentence, leftmost-longest, whole words for Latin names."""
    if WRAP_MARK in text:
        return _find_names_across_wraps(text)
    surfaces = _surfaces()
    found: list[Mention] = []
    units = False
    for index, start, end in gazetteer_automaton().find(text):
        surface, meanings, latin, blocked, unit = surfaces[index]
        if blocked:
            continue  # 执法 (not 法国), 北区 (a district of any Chinese city, not Kita, Tokyo)
        if latin and ((start > 0 and _is_word_char(text[start - 1])) or (end < len(text) and _is_word_char(text[end]))):
            continue
        if latin and start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
            continue  # "Sino-Québec", "Franco-German": part of a compound, not a place
        if surface == "US" and _in_capitals(text, start, end):
            continue  # "JOIN US": a pronoun in a line set in capitals
        found.append(Mention(start, end, surface, meanings))
        units = units or unit
    # only a Chinese unit's name can give way to a foreign place
    return _prefer_foreign_places(text, found) if units else found


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the words around text[start:end] are set in capitals (no lower-case letter near it)."""
    around = text[max(0, start - 20) : start] + text[end : end + 20]
    return any(c.isalpha() for c in around) and not any(c.islower() for c in around)


@cache
def _blocked_surfaces() -> frozenset[str]:
    """Surfaces with a blocker meaning: never a place."""
    return frozenset(s for s, meanings in names().items() if any(n.kind == "blocker" for n in meanings))


@cache
def _chinese_unit_surfaces() -> frozenset[str]:
    """Chinese surfaces that name only Chinese units (jurisdictions, provinces)."""
    return frozenset(
        s
        for s, meanings in names().items()
        if not s[0].isascii() and all(n.kind in ("jurisdiction", "province") for n in meanings)
    )


def _prefer_foreign_places(text: str, found: list[Mention]) -> list[Mention]:
    """位于都柏林 is 位于 + 都柏林 (Dublin), not 于都 (a county in Jiangxi) + 柏林 (Berlin): where a Chinese unit's
    name overlaps a longer foreign place that begins inside it, the place is the reading."""
    units = _chinese_unit_surfaces()
    if not any(m.surface in units for m in found):
        return found
    table = names()
    automaton = gazetteer_automaton()
    result: list[Mention] = []
    skip_until = -1
    for mention in found:
        if mention.start < skip_until:
            continue
        if mention.surface in units:
            window = text[mention.start + 1 : mention.end + 8]
            alternative = next(iter(automaton.find(window)), None)
            if alternative is not None:
                index, start, end = alternative
                start, end = start + mention.start + 1, end + mention.start + 1
                surface = automaton.patterns[index]
                meanings = table[surface]
                foreign = any(n.kind in ("country", "city") and n.country != "CN" for n in meanings)
                if start < mention.end < end and foreign:
                    result.append(Mention(start, end, surface, meanings))
                    skip_until = end
                    continue
        result.append(mention)
    return result


def _find_names_across_wraps(text: str) -> list[Mention]:
    """Match with wrap marks removed, then map spans back to the sentence."""
    positions = [i for i, c in enumerate(text) if c != WRAP_MARK]
    compact = "".join(text[i] for i in positions)
    return [Mention(positions[m.start], positions[m.end - 1] + 1, m.surface, m.meanings) for m in find_names(compact)]
