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


# t2s (OpenCC's character tables, then its phrase table TSPhrases) leaves a text as it is unless the text holds
# a character the tables convert, or a phrase that TSPhrases converts. Every phrase it converts holds such a
# character or one of these (坏 in 打坏 -> 打坯, 覆 in 回覆 -> 回复): so a sentence without any of them is
# returned without the call. Read from the dictionaries of this OpenCC version (tests/test_extract_normalise.py
# reads them again); with another version every sentence is converted.
T2S_PHRASE_CHARS = "哩坏沈甦瞭藉衹覆"
T2S_CHECKED_VERSION = "1.4.2"
# the Han characters t2s's tables are probed for; every other character they convert is outside the BMP
T2S_PROBED = (range(0x3400, 0xA000), range(0xF900, 0xFB00))


@cache
def _t2s_may_change() -> re.Pattern[str] | None:
    """The characters of a text that t2s may change (None: any text may change)."""
    from importlib.metadata import version

    if version("opencc") != T2S_CHECKED_VERSION:
        return None
    probed = [chr(c) for r in T2S_PROBED for c in r]
    converted = str(_converter().convert("\n".join(probed))).split("\n")
    if len(converted) != len(probed):
        return None
    changed = "".join(c for c, new in zip(probed, converted, strict=True) if new != c)
    return re.compile("[" + re.escape(changed + T2S_PHRASE_CHARS) + "\U00010000-\U0010ffff]")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, guaranteed to keep the length (and so every offset)."""
    may_change = _t2s_may_change()
    if may_change is not None and may_change.search(text) is None:
        return text  # nothing t2s would convert (most simplified text): no need to ask it
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
