"""Bytes -> text, in bounded chunks: encoding detection, binary refusal, HTML to main text.

The encoding is decided from the first SAMPLE bytes: UTF-8 when they decode
as UTF-8 (a byte-order mark wins), otherwise charset-normalizer's best guess
(GB2312/GBK/GB18030, Big5 ...), read with its superset codec (GB18030 for the
GB family, Big5-HKSCS for Big5) so that rarer characters survive. The rest is
decoded incrementally with invalid sequences replaced (U+FFFD), so a broken
byte never stops a document and memory stays one chunk.

HTML up to HTML_LIMIT bytes is reduced to its main text by trafilatura; a
larger page, or one trafilatura finds no text in, goes through the standard
library's incremental HTML parser, which keeps only text outside
script/style and is as bounded as plain text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import IO

SAMPLE = 64 * 1024
CHUNK = 1024 * 1024
HTML_LIMIT = 8 * 1024 * 1024
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b", re.I | re.S
)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


class NotText(Exception):
    """Input that is not text (a binary file); the message says why."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_ALL_BUT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def looks_binary(sample: bytes) -> bool:
    """NUL bytes, or many control bytes, in a sample that has no UTF-16 byte-order mark."""
    if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    # counted in C (bytes.translate): a Python loop here took 40% of a WARC scan
    return len(sample.translate(None, _ALL_BUT_CONTROL_BYTES)) > len(sample) * 0.1


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:SAMPLE]).best()
    encoding = best.encoding if best is not None else "utf-8"
    return _SUPERSETS.get(encoding.lower().replace("_", ""), encoding)


def is_html(sample: bytes) -> bool:
    return bool(_HTML_START.match(sample[:4096]))


class _TextOnly(HTMLParser):
    """Incremental HTML -> text: drops script, style and tags, keeps block breaks."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "title"}
    )
    SKIP = frozenset({"script", "style", "noscript", "template", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        return text


def html_to_text_stream(chunks: Iterable[str]) -> Iterator[str]:
    parser = _TextOnly()
    for chunk in chunks:
        parser.feed(chunk)
        text = parser.take()
        if text:
            yield text
    parser.close()
    tail = parser.take()
    if tail:
        yield tail


def html_main_text(html: str) -> str | None:
    """trafilatura's main text of a page, or None where it finds none."""
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # trafilatura/lxml raise many kinds on malformed pages; fall back, never crash
        return None
    return text or None


def decoded_chunks(stream: IO[bytes], chunk_size: int = CHUNK) -> Iterator[str]:
    """The text of a byte stream, in chunks of about ``chunk_size`` bytes; raises NotText."""
    sample = stream.read(SAMPLE)
    if not sample:
        return
    if looks_binary(sample):
        raise NotText("binary data, not text (NUL or control bytes in the first 64 KiB)")
    encoding = detect_encoding(sample)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def raw_text() -> Iterator[str]:
        yield decoder.decode(sample, final=False)
        while block := stream.read(chunk_size):
            yield decoder.decode(block, final=False)
        yield decoder.decode(b"", final=True)

    if not is_html(sample):
        yield from (t for t in raw_text() if t)
        return
    pieces: list[str] = []
    size = 0
    texts = raw_text()
    for piece in texts:
        pieces.append(piece)
        size += len(piece)
        if size > HTML_LIMIT:
            yield from html_to_text_stream([*pieces, *texts])
            return
    page = "".join(pieces)
    main = html_main_text(page)
    if main is not None:
        yield main
    else:
        yield from html_to_text_stream([page])


def text_chunks(text: str, chunk_size: int = CHUNK) -> Iterator[str]:
    """A str already in memory, in chunks (so one code path serves both)."""
    for start in range(0, len(text), chunk_size):
        yield text[start : start + chunk_size]
