"""Numbers as they are written in claims: 21, 1,200, 二十一, 一百多, 逾百, twenty, 20多.

cn2an converts Chinese numerals, but only ever the numeral span itself: run
over a whole sentence it also "converts" characters inside names (一 in 统一).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from longarm.extract.cues import Anchors, Cue, alternation

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万"
# a number in a matching-form sentence (full-width digits are already ASCII)
NUMBER_ZH = re.compile(rf"[0-9][0-9,]*|[{CHINESE_DIGITS}]+")
NUMBER_EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "dozen": 12,
    "a dozen": 12,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
for _t in _TENS:
    for _u in _UNITS:
        NUMBER_EN_WORDS[f"{_t}-{_u}"] = NUMBER_EN_WORDS[_t] + NUMBER_EN_WORDS[_u]
        NUMBER_EN_WORDS[f"{_t} {_u}"] = NUMBER_EN_WORDS[_t] + NUMBER_EN_WORDS[_u]
# "one hundred and two police outposts": the report's totals (102, 110) are written out
for _word, _value in [(w, v) for w, v in NUMBER_EN_WORDS.items() if 0 < v < 100 and w not in ("dozen", "a dozen")]:
    NUMBER_EN_WORDS[f"one hundred and {_word}"] = NUMBER_EN_WORDS[f"one hundred {_word}"] = 100 + _value
# in a lower-cased sentence; the longest word first, grouped by first letter (cues.alternation: faster)
NUMBER_EN = Cue(
    r"\b(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+|"
    + alternation(sorted(NUMBER_EN_WORDS, key=lambda w: len(re.escape(w)), reverse=True))
    + r")\b(\+|-plus)?",
    anchors=(*"0123456789", *(w for w in NUMBER_EN_WORDS if w.isalpha())),
)

# a number word that may follow "a " ("a hundred", "a dozen"): a match can begin two characters before it
_AFTER_A = frozenset(w.removeprefix("a ") for w in NUMBER_EN_WORDS if w.startswith("a "))


def english_numbers(low: str, anchors: Anchors) -> Iterator[re.Match[str]]:
    """``NUMBER_EN.finditer(low, anchors)``, the pattern tried only where a match can begin: every match
    begins with a digit or a number word, which are its anchors, or with "a " before "hundred" or "dozen".
    (The expression begins with \\b, so the engine would try it at every position of the sentence.)"""
    starts = anchors.starts(NUMBER_EN)
    if starts is None:  # anchors not looked for: the whole sentence
        yield from NUMBER_EN.finditer(low, anchors)
        return
    candidates = sorted({start for start, _anchor in starts} | {s - 2 for s, a in starts if a in _AFTER_A and s >= 2})
    end = 0
    for position in candidates:
        if position < end:
            continue  # inside the number before: finditer goes on from its end
        match = NUMBER_EN.pattern.match(low, position)
        if match is not None:
            yield match
            end = match.end()


def parse_arabic(text: str) -> int | None:
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


@cache  # cn2an converts traditional characters first, at ~4 ms a call; numerals repeat
def parse_chinese(text: str) -> int | None:
    """一百 -> 100, 二十一 -> 21, 百 -> 100 (as in 逾百); None if it is no number."""
    if text in ("百", "千", "万"):
        return {"百": 100, "千": 1000, "万": 10000}[text]
    if text.startswith(("百", "千")):  # 百余 is handled by the caller; 千三 is not a count
        return None
    import cn2an  # here, not at the top: it takes ~100 ms to import, and every `longarm` command would pay it

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def parse_number(text: str) -> int | None:
    if not text:
        return None
    if text[0].isdigit():
        return parse_arabic(text)
    if text.lower() in NUMBER_EN_WORDS:
        return NUMBER_EN_WORDS[text.lower()]
    return parse_chinese(text)
