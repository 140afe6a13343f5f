"""Multi-pattern matching with Aho-Corasick automata (pyahocorasick).

Three automata, each built once per process:
- the *pre-filter*: station terms in every written form (simplified,
  traditional, full-width digits, English in lower/Title/UPPER case), run on
  raw text, so a document or block without one is skipped at once;
- the *terms* automaton: station terms in matching form (simplified, lower case);
- the *gazetteer* automaton: every name in geo/gazetteer, case-sensitive,
  matched leftmost-longest so 新西兰 is not read as 西兰 and 执法国际 not as 法国.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

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


@cache
def term_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for specific, group in (
        (True, terms.SPECIFIC_ZH + terms.SPECIFIC_EN),
        (False, terms.GENERIC_ZH + terms.GENERIC_EN),
    ):
        for term in group:
            if not automaton.exists(term):
                automaton.add_word(term, (term, specific))
    automaton.make_automaton()
    return automaton


@cache
def prefilter_automaton() -> ahocorasick.Automaton:
    import opencc

    variants: set[str] = set()
    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    for term in terms.SPECIFIC_ZH + terms.GENERIC_ZH:
        forms = {term, *(str(c.convert(term)) for c in converters)}
        forms |= {f.replace("110", "１１０") for f in forms}
        variants |= forms
    for term in terms.SPECIFIC_EN + terms.GENERIC_EN:
        variants |= {term, term.title(), term.upper(), term.capitalize(), term[:1].upper() + term[1:]}
    automaton = ahocorasick.Automaton()
    for variant in variants:
        automaton.add_word(variant, len(variant))
    automaton.make_automaton()
    return automaton


@cache
def gazetteer_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for surface in names():
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    return automaton


def prefilter_hits(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every station term, in any written form, in raw text."""
    for end, length in prefilter_automaton().iter(text):
        yield end - length + 1, end + 1


def might_contain_claim(text: str) -> bool:
    """True if ``text`` has a station term in any written form: the cheap first test."""
    return next(prefilter_automaton().iter(text), None) is not None


def find_terms(lowered: str) -> list[Term]:
    """Station terms in a lower-cased matching-form sentence, longest first at each place."""
    found: list[Term] = []
    for end, (term, specific) in term_automaton().iter_long(lowered):
        start = end - len(term) + 1
        if term.isascii() and start > 0 and lowered[start - 1].isalpha():
            continue
        found.append(Term(start, end + 1, term, specific))
    return found


def find_names(text: str) -> list[Mention]:
    """Gazetteer names in a matching-form sentence, leftmost-longest, whole words for Latin names."""
    if WRAP_MARK in text:
        return _find_names_across_wraps(text)
    table = names()
    found: list[Mention] = []
    for end, surface in gazetteer_automaton().iter_long(text):
        start = end - len(surface) + 1
        if surface[0].isascii() and (
            (start > 0 and _is_word_char(text[start - 1])) or (end + 1 < len(text) and _is_word_char(text[end + 1]))
        ):
            continue
        found.append(Mention(start, end + 1, surface, table[surface]))
    return found


def _find_names_across_wraps(text: str) -> list[Mention]:
    """Match with wrap marks removed, then map spans back to the sentence."""
    positions = [i for i, c in enumerate(text) if c != WRAP_MARK]
    compact = "".join(text[i] for i in positions)
    return [Mention(positions[m.start], positions[m.end - 1] + 1, m.surface, m.meanings) for m in find_names(compact)]
