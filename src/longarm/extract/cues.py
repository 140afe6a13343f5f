r"""Patterns that run only where they can match: each declares its anchors, and one pass finds them all.

Most of the regular-expression searches a sentence's reading makes find
nothing: a bystander cue ("press conference in", 召开发布会), a date, an
English number word. Python's engine tries a pattern at every position of
the text, so a search that finds nothing costs as much as one that finds
something. A ``Cue`` is a compiled pattern with its *anchors*: literal
strings, one of which every match of the pattern contains. ``anchors_in``
finds the anchors of every cue at once, in one Aho-Corasick pass over the
lower-cased sentence, and a cue runs only where one of its own is there;
where none is, it cannot match, so skipping it changes nothing.

Declaring and using one (rules.py, dates.py, numbers.py, terms.py)::

    PRESS = Cue(r"\b(?:press|news) conference\s+(?:in|at)\s+$", anchors=("conference",))

    anchors = anchors_in(low)                 # once per sentence (analyse_sentence does it)
    PRESS.search(low[start - 80 : start], anchors)   # None at once where "conference" is not
    for label, pattern in anchors.usable(BYSTANDER_BEFORE): ...   # a table of (label, Cue)

- every match must contain one of the anchors: pick words a match cannot do
  without (for ``\b(?:calls?|inquiries)\b … from\s+$`` "call" and
  "inquiries", not the common "from"); a shorter anchor ("investigat") may
  stand for several forms; ``anchors=None`` runs the pattern everywhere;
- anchors are lower case (ASCII or Han, neither ``ı`` nor ``ſ``) and are
  looked for in the lower-cased matching form of the sentence: a cue may be
  applied to that form, to the matching form itself (any case), or to any
  part of either; never to another sentence (give ``EVERYWHERE`` there);
- a pattern that should ignore case is better written in lower case and
  matched against ``case_folded(low)`` than compiled with re.IGNORECASE
  (about three times faster; DATE_EN does this);
- tests/test_extract_cues.py checks, on every sentence of the evaluation
  sets, that no cue matches where its anchors are missing, and that the
  extractor's output is the same with every cue run everywhere.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import ahocorasick_rs

# read as i and s: a case-insensitive pattern matches them as those letters, and lower() leaves them
_ODD_CASE = str.maketrans({"\u0131": "i", "\u017f": "s"})


class Anchors:
    """Which cues can match one sentence (``anchors_in``): a bit per cue."""

    __slots__ = ("_found", "_usable", "possible")

    def __init__(self, possible: int, found: tuple[list[tuple[int, int, int]], list[int], list[str]] | None = None):
        self.possible = possible  # the bits of the cues whose anchors are there (-1: all of them)
        # the anchors found ((anchor index, start, end)), and per anchor index its cue bits and the anchor
        self._found = found
        self._usable: dict[int, list[tuple[str, re.Pattern[str]]]] = {}

    def starts(self, cue: Cue) -> list[tuple[int, str]] | None:
        """Where the anchors of ``cue`` begin in the sentence, with each anchor, in order; None where anchors
        were not looked for (EVERYWHERE)."""
        if self._found is None:
            return None
        found, bits, anchors = self._found
        return sorted((start, anchors[index]) for index, start, _end in found if bits[index] & cue.bit)

    def usable(self, cues: tuple[tuple[str, Cue], ...]) -> list[tuple[str, re.Pattern[str]]]:
        """Of a table of (label, cue), in order, the patterns of the cues that can match here (worked out once
        per sentence: such a table is searched once per place named)."""
        usable = self._usable.get(id(cues))
        if usable is None:
            table = _tables.get(id(cues))
            if table is None or table[1] is not cues:
                mask = 0
                for _label, cue in cues:
                    mask |= cue.bit
                table = _tables[id(cues)] = (mask, cues)
            # the list depends only on which of the table's cues can match: sentences share it
            key = (id(cues), self.possible & table[0])
            usable = _usable_by_bits.get(key)
            if usable is None:
                possible = self.possible
                usable = [(label, cue.pattern) for label, cue in cues if cue.bit & possible]
                if len(_usable_by_bits) >= 4096:
                    _usable_by_bits.clear()
                _usable_by_bits[key] = usable
            self._usable[id(cues)] = usable
        return usable


# per table of cues (by id, with the table itself, so that an id used again is told apart) the bits of its cues;
# per table and the bits of those that can match, the patterns to try (shared, never changed)
_tables: dict[int, tuple[int, tuple[tuple[str, Cue], ...]]] = {}
_usable_by_bits: dict[tuple[int, int], list[tuple[str, re.Pattern[str]]]] = {}

EVERYWHERE = Anchors(-1)  # for a text whose anchors were not looked for: every cue may match


class Cue:
    """A compiled pattern that runs only where one of its anchors is (see the module's docstring)."""

    # every anchor, and the bits of the cues it lets run; the bits of the cues that run everywhere
    registered: ClassVar[dict[str, int]] = {}
    unanchored: ClassVar[int] = 0
    count: ClassVar[int] = 0

    __slots__ = ("anchors", "bit", "pattern")

    def __init__(self, pattern: str, anchors: Iterable[str] | None, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags)
        self.anchors = None if anchors is None else frozenset(anchors)
        for anchor in self.anchors or ():
            if not anchor or anchor != anchor.lower() or anchor != anchor.translate(_ODD_CASE):
                raise ValueError(f"cue anchor {anchor!r}: must be lower case, without ı or ſ")
        self.bit = 1 << Cue.count
        Cue.count += 1
        if self.anchors is None:
            Cue.unanchored |= self.bit
        for anchor in sorted(self.anchors or ()):
            Cue.registered[anchor] = Cue.registered.get(anchor, 0) | self.bit

    def possible(self, found: Anchors) -> bool:
        """Whether the pattern can match a text with these anchors."""
        return bool(self.bit & found.possible)

    def search(self, text: str, found: Anchors, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.bit & found.possible:
            return None
        return self.pattern.search(text, pos) if endpos is None else self.pattern.search(text, pos, endpos)

    def match(self, text: str, found: Anchors, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(text, pos) if self.bit & found.possible else None

    def finditer(self, text: str, found: Anchors) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.bit & found.possible else iter(())


_automaton: tuple[int, list[int], ahocorasick_rs.AhoCorasick, list[str]] | None = None


def _anchor_automaton() -> tuple[list[int], ahocorasick_rs.AhoCorasick, list[str]]:
    """The automaton of every anchor, the cue bits of each, and the anchors; built again if a cue was declared
    since."""
    global _automaton
    if _automaton is None or _automaton[0] != Cue.count:
        # a DFA: a few hundred anchors, a quarter faster on a sentence than the default NFA
        automaton = ahocorasick_rs.AhoCorasick(list(Cue.registered), implementation=ahocorasick_rs.Implementation.DFA)
        _automaton = (Cue.count, list(Cue.registered.values()), automaton, list(Cue.registered))
    return _automaton[1], _automaton[2], _automaton[3]


def case_folded(low: str) -> str:
    """A lower-cased text as a case-insensitive pattern reads it: ı and ſ as i and s (the same length). A
    pattern written in lower case matches it where, with re.IGNORECASE, it would match the text."""
    if low.isascii() or ("\u0131" not in low and "\u017f" not in low):
        return low
    return low.translate(_ODD_CASE)


def anchors_in(low: str) -> Anchors:
    """Which cues can match a lower-cased sentence: one pass for the anchors of all of them."""
    bits, automaton, anchors = _anchor_automaton()
    possible = Cue.unanchored
    found = automaton.find_matches_as_indexes(case_folded(low), overlapping=True)
    for index, _start, _end in found:
        possible |= bits[index]  # a few matches a sentence: cheaper than gathering the distinct ones first
    return Anchors(possible, (found, bits, anchors))


def alternation(words: Iterable[str]) -> str:
    """``a|b|c`` of literal words, as a regular expression that matches what the plain alternation matches,
    faster: grouped by first character (the order kept within each group), so the engine tests a position's
    character once per group, not once per word. At a position only words with its first character can
    match, so which one matches first is the same."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in groups.items():
        if len(rests) == 1:
            parts.append(re.escape(first + rests[0]))
        else:
            parts.append(re.escape(first) + "(?:" + "|".join(re.escape(rest) for rest in rests) + ")")
    return "|".join(parts)


# Anchors read from a pattern's parse, for patterns written without them (derived_anchors, AnchoredAlternatives)
_MAX_STRINGS = 64  # a part of a pattern that matches more literal strings than this is read as matching anything
try:  # the parse re compiles from: re._parser (CPython 3.11+; private, without type stubs)
    sre: Any = importlib.import_module("re._parser")
    _REPEATS: tuple[Any, ...] = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
except (ImportError, AttributeError):  # a Python without it: no anchors are read, every alternative is tried
    sre = None
    _REPEATS = ()


def _exact(op: Any, av: Any) -> frozenset[str] | None:
    """The literal strings one parsed item matches, where they are few (None: too many, or not literal)."""
    if op is sre.LITERAL:
        return frozenset((chr(av),))
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset(("",))  # zero width: it adds no character to a match
    if op is sre.IN:
        chars: set[str] = set()
        for item_op, item in av:
            if item_op is sre.LITERAL:
                chars.add(chr(item))
            elif item_op is sre.RANGE and item[1] - item[0] < 16:
                chars.update(chr(c) for c in range(item[0], item[1] + 1))
            else:
                return None  # a category (\d, \w, \s: Unicode classes), a negation, a wide range
        return frozenset(chars) if len(chars) <= 16 else None
    if op is sre.BRANCH:
        union = _union(av[1], _exact_sequence)
        return union if union is not None and len(union) <= _MAX_STRINGS else None
    if op is sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _exact_sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _exact_sequence(av)
    if op in _REPEATS and av[1] <= 3:
        inner = _exact_sequence(av[2])
        if inner is None:
            return None
        strings = frozenset(("",))
        found = set(strings) if av[0] == 0 else set()
        for count in range(1, av[1] + 1):
            strings = frozenset(a + b for a in strings for b in inner)
            if len(strings) > _MAX_STRINGS:
                return None
            if count >= av[0]:
                found |= strings
        return frozenset(found)
    return None


def _union(alternatives: Any, sequence: Callable[[Any], frozenset[str] | None]) -> frozenset[str] | None:
    """The strings of a branch's alternatives, each read by ``sequence`` (None if one gives none)."""
    found: set[str] = set()
    for alternative in alternatives:
        strings = sequence(alternative)
        if strings is None:
            return None
        found |= strings
    return frozenset(found)


def _exact_sequence(items: Any) -> frozenset[str] | None:
    strings = frozenset(("",))
    for op, av in items:
        item = _exact(op, av)
        if item is None:
            return None
        strings = frozenset(a + b for a in strings for b in item)
        if len(strings) > _MAX_STRINGS:
            return None
    return strings


def _required(op: Any, av: Any) -> frozenset[str] | None:
    """Strings one of which every match of one parsed item contains (None: none known)."""
    exact = _exact(op, av)
    if exact is not None:
        return None if "" in exact else exact
    if op is sre.BRANCH:
        return _union(av[1], _required_sequence)
    if op is sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _required_sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _required_sequence(av)
    if op in _REPEATS and av[0] >= 1:
        return _required_sequence(av[2])
    return None


def _required_sequence(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of a sequence contains: of those its items (and runs of literal items)
    require, the set whose shortest string is longest (then the smallest set)."""
    candidates: list[frozenset[str]] = []
    run: frozenset[str] = frozenset(("",))
    for op, av in [*items, (None, None)]:  # a last item that closes the run
        exact = None if op is None else _exact(op, av)
        if exact is not None:
            joined = frozenset(a + b for a in run for b in exact)
            if len(joined) <= _MAX_STRINGS:
                run = joined
                continue
            exact_run: frozenset[str] | None = exact  # too many strings: a new run begins here
        else:
            exact_run = None
        if "" not in run:
            candidates.append(run)
        run = exact_run if exact_run is not None else frozenset(("",))
        if op is not None and exact is None:
            required = _required(op, av)
            if required is not None:
                candidates.append(required)
    candidates = [c for c in candidates if "" not in c]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


def derived_anchors(pattern: str) -> tuple[str, ...] | None:
    """Anchors for ``pattern`` read from its parse: strings one of which every match contains (None where none
    can be told, or where one is not in lower case: the pattern then runs everywhere)."""
    if sre is None:
        return None
    parsed = sre.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _required_sequence(parsed.data)
    if found is None or any(s != s.lower() or s != s.translate(_ODD_CASE) for s in found):
        return None
    # a string that holds another is found wherever it is: only the other is needed ("station", not "stations")
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (``a|b(c|d)|[|]`` -> ``a``, ``b(c|d)``, ``[|]``): the ``|`` outside
    every group, character class and escape."""
    parts: list[str] = []
    depth = start = 0
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # a ] first in a class is a character of it
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


class AnchoredAlternatives:
    """Whether a pattern matches a text, tried alternative by alternative (its top-level ``|``), each only where
    one of the anchors read from it is (``derived_anchors``; an alternative without them is always tried). Its
    own anchor automaton: the alternatives' anchors ("the", "in") would slow every sentence's ``anchors_in``."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        parts = alternatives(pattern.pattern)
        if "|".join(parts) != pattern.pattern or pattern.flags & ~re.UNICODE:
            raise ValueError(f"cannot split {pattern.pattern!r}")
        self.patterns = [re.compile(part) for part in parts]
        self.anchors = [derived_anchors(part) for part in parts]
        bits: dict[str, int] = {}
        self.unanchored = 0
        for index, anchors in enumerate(self.anchors):
            if anchors is None:
                self.unanchored |= 1 << index
            for anchor in anchors or ():
                bits[anchor] = bits.get(anchor, 0) | 1 << index
        self._bits = list(bits.values())
        self._automaton = ahocorasick_rs.AhoCorasick(list(bits), implementation=ahocorasick_rs.Implementation.DFA)

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (as ``pattern.search(text) is not None``)."""
        possible = self.unanchored
        bits = self._bits
        for index, _start, _end in self._automaton.find_matches_as_indexes(case_folded(text), overlapping=True):
            possible |= bits[index]
        return any(pattern.search(text) for i, pattern in enumerate(self.patterns) if possible >> i & 1)
