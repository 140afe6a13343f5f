"""JSONL corpora: one ``{"id", "text", "url", "date"}`` object a line, read the same way by
`longarm extract --jsonl` and `longarm scan`.

A line gives one document: ``text`` (required, a string), ``id``, ``url``,
``lang`` and the publication date as ``date`` or ``pub_date`` (``date``
first), else the caller's default. A line that cannot give one (not JSON,
not an object, no text, empty, longer than JSONL_LINE_LIMIT, nested past
Python's limit, a number of more digits than Python reads) is reported,
with its line number and byte offset, and reading goes on. A line over the
limit is skipped without being held in memory. A lone UTF-16 surrogate
(JSON's ``"\\ud800"``: valid JSON, not valid text) in a string becomes U+FFFD.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

JSONL_LINE_LIMIT = 32 * 1024 * 1024
EMPTY_LINE = "empty line"


@dataclass(frozen=True)
class JsonlDocument:
    line: int  # 1 for the first line read
    offset: int  # byte offset of the line
    id: Any  # the line's "id", None without one
    text: str
    date: str | None
    url: str | None
    lang: str | None


@dataclass(frozen=True)
class JsonlError:
    line: int
    offset: int
    id: Any  # the line's "id" where it is a JSON object that has one
    message: str  # EMPTY_LINE, or why the line gives no document


def iter_jsonl(
    stream: IO[bytes], start: int = 0, end: int | None = None, default_date: str | None = None
) -> Iterator[JsonlDocument | JsonlError]:
    """The lines of ``stream`` from its position (byte offset ``start``) that begin before ``end``."""
    position = start
    number = 0
    while end is None or position < end:
        line = stream.readline(JSONL_LINE_LIMIT)
        if not line:
            return
        number += 1
        offset = position
        position += len(line)
        if len(line) >= JSONL_LINE_LIMIT and not line.endswith(b"\n"):
            while (rest := stream.readline(JSONL_LINE_LIMIT)) and not rest.endswith(b"\n"):
                position += len(rest)
            position += len(rest)
            yield JsonlError(number, offset, None, f"line longer than {JSONL_LINE_LIMIT // 2**20} MiB")
            continue
        yield _document(line, number, offset, default_date)


def _document(line: bytes, number: int, offset: int, default_date: str | None) -> JsonlDocument | JsonlError:
    if not line.strip():
        return JsonlError(number, offset, None, EMPTY_LINE)
    try:
        record = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return JsonlError(number, offset, None, f"not JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return JsonlError(number, offset, None, "not JSON that can be read: nested too deeply")
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        return JsonlError(number, offset, None, "not JSON that can be read: a number with too many digits")
    if not isinstance(record, dict):
        return JsonlError(number, offset, None, "not a JSON object")
    identifier = _valid(record.get("id"))
    text = record.get("text")
    if not isinstance(text, str):
        return JsonlError(number, offset, identifier, 'no "text" string')
    date = record.get("date") or record.get("pub_date")
    return JsonlDocument(
        line=number,
        offset=offset,
        id=identifier,
        text=_valid(text),
        date=_valid(str(date)) if date else default_date,
        url=_string(record.get("url")),
        lang=_string(record.get("lang")),
    )


# JSON may escape a lone UTF-16 surrogate ("\ud800"); no UTF-8 text (the output, the matcher) can hold one
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid(value: Any) -> Any:
    """A string with each lone surrogate replaced by U+FFFD; anything else as it is."""
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _string(value: object) -> str | None:
    return _valid(value) if isinstance(value, str) and value else None
