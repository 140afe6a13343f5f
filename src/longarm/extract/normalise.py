"""The matching form of a sentence: simplified, half-width, and the same length.

Spans found in the matching form are spans in the original text, because
every step maps one character to one character: full-width ASCII to ASCII,
traditional to simplified with OpenCC's t2s. OpenCC converts some phrases
rather than characters; where a sentence's length would change, that
sentence is converted character by character instead (a rare, slower path).
Line breaks inside a Chinese phrase (wrapped PDF text: 加\\n拿大) become a
zero-width join: the character is replaced by U+200B in the matching form and
place names are matched with those characters ignored.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Han characters (CJK Unified Ideographs and Extension A), the one definition: a regex class body
HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff"
HAN = re.compile(f"[{HAN_RANGE}]")
_FULLWIDTH_CHARS = re.compile("[\uff01-\uff5e\u3000]")
# wrapped Chinese text: a line break (and indentation) between two Han characters
_WRAP = re.compile(f"(?<=[{HAN_RANGE}])[ \\t]*\\r?\\n[ \\t]*(?=[{HAN_RANGE}])")
WRAP_MARK = "\u200b"


def is_han(char: str) -> bool:
    return HAN.match(char) is not None


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, guaranteed to keep the length (and so every offset)."""
    converted: str = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_char_t2s(c) for c in text)


@cache
def _char_t2s(char: str) -> str:
    converted: str = _converter().convert(char)
    return converted if len(converted) == 1 else char


def chars_to_simplified(chars: list[str]) -> list[str]:
    """Each character converted alone, as ``to_simplified`` converts it where it falls back (one OpenCC call)."""
    converted = str(_converter().convert("\n".join(chars))).split("\n")
    if len(converted) != len(chars):
        return [_char_t2s(c) for c in chars]
    return [new if len(new) == 1 else old for old, new in zip(chars, converted, strict=True)]


def matching_form(text: str) -> str:
    """Same length as ``text``; what terms and names are matched against."""
    if not text.isascii() and _FULLWIDTH_CHARS.search(text):  # translate() looks up every character: only if needed
        text = text.translate(FULLWIDTH)
    if "\n" in text:
        text = _WRAP.sub(lambda m: WRAP_MARK * len(m.group()), text)
    if not text.isascii() and HAN.search(text):  # isascii() is a flag CPython keeps: no scan
        text = to_simplified(text)
    return text


def lower_same_length(text: str) -> str:
    """Lower case, one character for one: İ, the one character whose lower case is two (i and a
    combining dot), becomes i."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    lowered = text.lower()
    if len(lowered) != len(text):  # should Unicode add another such character: one at a time, slowly
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered
