"""Multi-pattern matching with Aho-Corasick automata (ahocorasick-rs).

Three automata, each built once per process:
- the *pre-filter*: station terms in every written form (simplified,
  traditional, full-width digits, English in lower/Title/UPPER case), run on
  raw text, so a document or block without one is skipped at once;
- the *terms* automaton: station terms in matching form (simplified, lower case);
- the *gazetteer* automaton: every name in geo/gazetteer, case-sensitive,
  matched leftmost-longest so 新西兰 is not read as 西兰 and 执法国际 not as 法国.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import ahocorasick_rs

from longarm.extract import terms
from longarm.extract.normalise import WRAP_MARK
from longarm.geo.gazetteer import Name, names


@dataclass(frozen=True)
class Term:
    start: int
    end: int
    text: str  # the term in matching form
    specific: bool


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    meanings: tuple[Name, ...]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_"


class _Automaton:
    """Patterns, a leftmost-longest automaton over them, and a value per pattern."""

    def __init__(self, patterns: dict[str, object]) -> None:
        self.patterns = list(patterns)
        self.values = list(patterns.values())
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of each leftmost-longest, non-overlapping match."""
        found: list[tuple[int, int, int]] = self.automaton.find_matches_as_indexes(text)
        return found


@cache
def term_automaton() -> _Automaton:
    patterns: dict[str, object] = {}
    for specific, group in (
        (True, terms.SPECIFIC_ZH + terms.SPECIFIC_EN),
        (False, terms.GENERIC_ZH + terms.GENERIC_EN),
    ):
        for term in group:
            patterns.setdefault(term, specific)
    return _Automaton(patterns)


@cache
def prefilter_automaton() -> _Automaton:
    import opencc

    variants: set[str] = set()
    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    for term in terms.SPECIFIC_ZH + terms.GENERIC_ZH:
        forms = {term, *(str(c.convert(term)) for c in converters)}
        forms |= {f.replace("110", "１１０") for f in forms}
        variants |= forms
    for term in terms.SPECIFIC_EN + terms.GENERIC_EN:
        variants |= {term, term.title(), term.upper(), term.capitalize(), term[:1].upper() + term[1:]}
    return _Automaton(dict.fromkeys(sorted(variants)))


def prefilter_terms() -> list[str]:
    """Every written form of every station term the pre-filter looks for, for filters over other views of a text."""
    return list(prefilter_automaton().patterns)


@cache
def gazetteer_automaton() -> _Automaton:
    return _Automaton(dict.fromkeys(names()))


def prefilter_hits(text: str) -> list[tuple[int, int]]:
    """(start, end) of every station term, in any written form, in raw text."""
    return [(start, end) for _index, start, end in prefilter_automaton().find(text)]


def might_contain_claim(text: str) -> bool:
    """True if ``text`` has a station term in any written form: the cheap first test."""
    return bool(prefilter_automaton().find(text))


def find_terms(lowered: str) -> list[Term]:
    """Station terms in a lower-cased matching-form sentence, longest first at each place."""
    automaton = term_automaton()
    found: list[Term] = []
    for index, start, end in automaton.find(lowered):
        term = automaton.patterns[index]
        if term.isascii() and start > 0 and lowered[start - 1].isalpha():
            continue
        found.append(Term(start, end, term, bool(automaton.values[index])))
    return found


def find_names(text: str) -> list[Mention]:
    """Gazetteer names in a matching-form sentence, leftmost-longest, whole words for Latin names."""
    if WRAP_MARK in text:
        return _find_names_across_wraps(text)
    table = names()
    automaton = gazetteer_automaton()
    found: list[Mention] = []
    for index, start, end in automaton.find(text):
        surface = automaton.patterns[index]
        if surface[0].isascii() and (
            (start > 0 and _is_word_char(text[start - 1])) or (end < len(text) and _is_word_char(text[end]))
        ):
            continue
        found.append(Mention(start, end, surface, table[surface]))
    return found


def _find_names_across_wraps(text: str) -> list[Mention]:
    """Match with wrap marks removed, then map spans back to the sentence."""
    positions = [i for i, c in enumerate(text) if c != WRAP_MARK]
    compact = "".join(text[i] for i in positions)
    return [Mention(positions[m.start], positions[m.end - 1] + 1, m.surface, m.meanings) for m in find_names(compact)]
