"""Sentence boundaries, found only around the places that matter.

A claim is read one sentence at a time. Splitting a whole corpus into
sentences would cost more than matching it, so boundaries are searched only
in a window around each pre-filter hit. A sentence is at most
MAX_SENTENCE characters: a longer run without a boundary (a 200 MB line of
nothing) is cut there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise

from longarm.extract.normalise import HAN_RANGE, is_han

MAX_SENTENCE = 1500
_ABBREVIATIONS = (
    *("Mr", "Mrs", "Ms", "Dr", "St", "No", "Co", "Inc", "Ltd", "Jr", "Sr", "vs", "Gen", "Gov", "Prof"),
    # titles before a name in parliamentary and police news ("Reps. Michael Waltz of Florida and …")
    *("Rep", "Reps", "Sen", "Sens", "Lt", "Col", "Sgt", "Capt", "Det", "Insp", "Supt", "Hon", "Rev"),
)
# The end of a boundary: Chinese sentence ends, English sentence ends followed by
# a capital, a paragraph break, or a line break that is not a wrap inside a
# sentence (next line lower case, or Chinese text broken mid-phrase).
# (a full stop after an abbreviation, "Mr.", is none: one look-behind per abbreviation, tested in C)
_NOT_ABBREVIATION = "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
# Every branch begins with one literal character (a run of Chinese ends is one branch per first character,
# "\r?\n" is "\r\n" or "\n"): then re finds where a boundary may begin with a scan in C and tries the
# expression only there. Written as [。！？；!?]+ or \r?\n it is tried at every position (several times slower).
_CHINESE_ENDS = "。！？；!?"
BOUNDARY = re.compile(
    "|".join(rf"{re.escape(end)}[{_CHINESE_ENDS}]*[”’」』）)\"']*" for end in _CHINESE_ENDS)
    + rf"|\.(?<![A-Z]\.){_NOT_ABBREVIATION}[”’\"')]*(?=\s+(?![a-z])\S|[{HAN_RANGE}])"
    + r"|\r\n[ \t]*\r?\n|\n[ \t]*\r?\n"
    + r"|\r\n(?![ \t]*[a-z(])|\n(?![ \t]*[a-z(])"
)
LOOKAHEAD = 64  # how far past a boundary its test may look (the space and capital after a full stop)
WRAP_LINE = 20  # a line this long that breaks between two Han characters is wrapped text, not a heading


def _is_wrap(text: str, start: int, end: int) -> bool:
    """A line break inside a Chinese sentence: between Han characters, after a long line."""
    if start == 0 or end >= len(text):
        return False
    if not (is_han(text[start - 1]) or text[start - 1] in "，、") or not is_han(text[end]):
        return False
    return start - (text.rfind("\n", 0, start) + 1) >= WRAP_LINE


def _boundaries(text: str, start: int, end: int) -> list[int]:
    """Positions just after each boundary in text[start:end]."""
    return [
        match.end()
        for match in BOUNDARY.finditer(text, start, end)
        if text[match.start()] not in "\r\n" or _is_boundary(text, match)
    ]


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    found = match.group()
    return not (found in ("\n", "\r\n") and _is_wrap(text, match.start(), match.end()))


def _next_boundary(text: str, position: int, limit: int) -> int | None:
    for match in BOUNDARY.finditer(text, position, limit):
        if _is_boundary(text, match):
            return match.end()
    return None


_ENDINGS = "。！？；!?.\n"  # the characters a boundary's match can begin with


def _previous_boundary(text: str, position: int) -> int | None:
    """The end of the last boundary that ends at or before ``position`` (within MAX_SENTENCE)."""
    # a boundary may end at ``position`` itself ("no. Mr" before the M): its test looks a little ahead.
    # Candidates are found backwards in C (str.rfind), and only they are tested with the regular expression.
    low = max(0, position - MAX_SENTENCE)
    high = position
    while high > low:
        candidate = max(text.rfind(ending, low, high) for ending in _ENDINGS)
        if candidate < 0:
            return None
        start = candidate
        # a run (。。, ?!) or a blank line: the match begins at the run's first character
        run = "\r\n \t" if text[candidate] == "\n" else "。！？；!?" if text[candidate] != "." else ""
        while start > low and text[start - 1] in run:
            start -= 1
        while text[start] in " \t":
            start += 1
        match = BOUNDARY.match(text, start)
        if match is not None and match.end() <= position and (text[start] not in "\r\n" or _is_boundary(text, match)):
            return match.end()
        high = start
    return None


def sentence_around(text: str, position: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` that holds ``position``."""
    window_start = max(0, position - MAX_SENTENCE)
    previous = _previous_boundary(text, position)
    start = previous if previous is not None else window_start
    if start == window_start and start > 0:
        space = text.find(" ", start, position)
        start = space + 1 if space != -1 else start
    window_end = min(len(text), max(position, start) + MAX_SENTENCE)
    following = _next_boundary(text, position, window_end)
    return start, following if following is not None else window_end


def last_boundary(text: str, window: int = 4096) -> int | None:
    """Position just after the last boundary in the final ``window`` characters, if any."""
    found = _boundaries(text, max(0, len(text) - window), len(text))
    return found[-1] if found else None


class SentenceIndex:
    """Every sentence boundary of a block, found once: for a block with many station terms (claim-dense
    text), where looking around each hit (``sentence_around``) would search the same text again and again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = _boundaries(text, 0, len(text))
        # every sentence in order, without the white space it starts with (none that is only white space), and
        # their starts; built at the first window. None where a run without a boundary is cut (MAX_SENTENCE)
        self._sentences: list[tuple[int, int]] | None = None
        self._starts: list[int] = []
        self._listed = False

    def _list_sentences(self) -> None:
        text, sentences = self.text, []
        for start, end in pairwise([0, *self.ends, len(text)]):
            if end - start > MAX_SENTENCE:
                break  # cut somewhere: windows are found sentence by sentence
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                sentences.append((start, end))
        else:
            self._sentences = sentences
            self._starts = [start for start, _end in sentences]
        self._listed = True

    def window(self, start: int, end: int, before: int, after: int) -> list[tuple[int, int]]:
        """``preceding(start, before) + following(end, after)`` for the sentence text[start:end] (a sentence as
        ``around`` finds it, without its leading white space). With no run cut at MAX_SENTENCE in the block
        these are its neighbours in the list of sentences: the white space between sentences is skipped, and
        a boundary's end is the next one's start, as there."""
        if not self._listed:
            self._list_sentences()
        sentences = self._sentences
        if sentences is not None:
            index = bisect_left(self._starts, start)
            if index < len(sentences) and sentences[index] == (start, end):
                return sentences[max(0, index - before) : index][::-1] + sentences[index + 1 : index + 1 + after]
        return self.preceding(start, before) + self.following(end, after)

    def around(self, position: int) -> tuple[int, int]:
        """(start, end) of the sentence that holds ``position``, as ``sentence_around`` finds it."""
        index = bisect_right(self.ends, position)
        start = self.ends[index - 1] if index else 0
        end = self.ends[index] if index < len(self.ends) else len(self.text)
        if position - start > MAX_SENTENCE:  # a run without a boundary: cut, at a space where there is one
            start = position - MAX_SENTENCE
            space = self.text.find(" ", start, position)
            start = space + 1 if space != -1 else start
        return start, min(end, max(position, start) + MAX_SENTENCE)

    def end_of(self, start: int) -> int:
        """The end of the sentence that begins at ``start``."""
        index = bisect_right(self.ends, start)
        end = self.ends[index] if index < len(self.ends) else len(self.text)
        return min(end, start + MAX_SENTENCE)

    def preceding(self, position: int, count: int) -> list[tuple[int, int]]:
        """The ``count`` sentences before ``position``, nearest first, each without the white space it starts
        with, as ``around`` finds them one by one (``position`` is a sentence's start)."""
        text, ends = self.text, self.ends
        spans: list[tuple[int, int]] = []
        for _ in range(count):
            while position > 0 and text[position - 1].isspace():
                position -= 1
            if position <= 0:
                break
            index = bisect_right(ends, position - 1)
            start = ends[index - 1] if index else 0
            if position - 1 - start > MAX_SENTENCE:
                start, end = self.around(position - 1)  # a run without a boundary: cut as ``around`` cuts it
            else:
                end = min(ends[index] if index < len(ends) else len(text), max(position - 1, start) + MAX_SENTENCE)
            while start < end and text[start].isspace():
                start += 1
            if start >= position:
                break
            spans.append((start, end))
            position = start
        return spans

    def following(self, position: int, count: int) -> list[tuple[int, int]]:
        """The ``count`` sentences that begin at ``position`` or after (each after the white space that leads
        it), as ``end_of`` finds them one by one, with one search of the boundaries for all of them."""
        text, ends = self.text, self.ends
        size = len(text)
        spans: list[tuple[int, int]] = []
        index = bisect_right(ends, position)
        for _ in range(count):
            while position < size and text[position].isspace():
                position += 1
            if position >= size:
                break
            while index < len(ends) and ends[index] <= position:
                index += 1  # the boundaries only move forward: bisect_right(ends, position), from where it was
            end = min(ends[index] if index < len(ends) else size, position + MAX_SENTENCE)
            spans.append((position, end))
            position = end
        return spans


def end_of_sentence(text: str, start: int) -> int:
    """The end of the sentence that begins at ``start`` (its start is known: only the end is searched)."""
    limit = min(len(text), start + MAX_SENTENCE)
    found = _next_boundary(text, start, limit)
    return found if found is not None else limit
