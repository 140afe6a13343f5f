"""Bytes -> text, for the extractor, the scanner and the archive: one decoder, one set of rules.

The character set is chosen in this order:

1. a byte-order mark (UTF-8, UTF-32, UTF-16: UTF-32's little-endian mark
   begins with UTF-16's, so it is tested first);
2. the declared charset: the HTTP ``Content-Type`` header, then a ``<meta>``
   tag; a declaration is used only if the head of the document decodes in it
   without error, and a declaration other than UTF-8 is not believed for
   bytes that are valid UTF-8 with non-ASCII characters in them (Chinese text
   in GBK or Big5 is practically never valid UTF-8; UTF-8 pages declared as
   GBK by a server default are common);
3. detection: UTF-8 if the head is valid UTF-8, otherwise charset-normalizer's
   best guess.

Declared and detected names are widened to the superset browsers use
(SUPERSETS: GB2312 and GBK to GB18030, Big5 to Big5-HKSCS or CP950, Latin-1
and ASCII to Windows-1252), since sites declare the narrow name and use the
wide one. Invalid bytes become U+FFFD.

The choice is made on the *head* of the document: the first SAMPLE bytes,
extended while they are all ASCII (a page can open with 100 KB of script
before its first Chinese character; its ``<meta>`` is looked for there too)
to SAMPLE bytes past the first non-ASCII byte, and never more than
HEAD_LIMIT. A stream and the same bytes in memory get the same choice.

HTML is told by its declared media type or, without one, by its first
bytes (``is_html``). Its main text is trafilatura's (``html_main_text``);
a page over HTML_LIMIT, or one trafilatura finds nothing in, goes through
the standard library's incremental HTML parser, which keeps the text outside
script/style and is as bounded as plain text.

Light to import: charset-normalizer and trafilatura are loaded on first use.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from typing import IO

SAMPLE = 64 * 1024
CHUNK = 1024 * 1024
HEAD_LIMIT = 8 * 1024 * 1024
HTML_LIMIT = 8 * 1024 * 1024

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# without a useful media type, the first bytes decide
UNTYPED = ("", "application/octet-stream")

# UTF-32 before UTF-16: FF FE 00 00 (UTF-32 LE) begins with FF FE (UTF-16 LE)
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# the marks of the encodings whose text is full of NUL bytes
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# codec name (as codecs.lookup gives it) -> the codecs tried for it, widest first
SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "cp950": ("big5hkscs", "cp950"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "ascii": ("cp1252", "latin-1"),
    "iso8859-1": ("cp1252", "latin-1"),
}
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|noscript|base|div|p|article|section|main|"
    rb"header|nav|table|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")

# trafilatura logs every page it finds too short; callers fall back on such pages.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


class NotText(Exception):
    """Input that is not text (a binary file); the message says why."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_ALL_BUT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def looks_binary(sample: bytes) -> bool:
    """NUL bytes, or many control bytes, in a sample that has no UTF-16 or UTF-32 byte-order mark."""
    if not sample or sample.startswith(WIDE_BOMS):
        return False
    if b"\x00" in sample:
        return True
    # counted in C (bytes.translate): a Python loop here took 40% of a WARC scan
    return len(sample.translate(None, _ALL_BUT_CONTROL_BYTES)) > len(sample) * 0.1


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """``text/html; charset=GBK`` -> (``text/html``, ``GBK``)."""
    if not content_type:
        return "", None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


# ---------------------------------------------------------------- choosing the character set


def head_length(data: bytes) -> int:
    """How many leading bytes of ``data`` the character set is chosen from (see the module docstring)."""
    first = _NON_ASCII.search(data, 0, HEAD_LIMIT)
    if first is None:
        return min(len(data), HEAD_LIMIT)
    return min(len(data), max(SAMPLE, first.start() + SAMPLE))


def read_head(stream: IO[bytes]) -> bytes:
    """At least the head of a stream (possibly more; the rest follows in the stream)."""
    parts = [_read_fully(stream, SAMPLE)]
    size = len(parts[0])
    found = _NON_ASCII.search(parts[0])
    first = found.start() if found else None
    while first is None and size < HEAD_LIMIT:
        block = _read_fully(stream, min(CHUNK, HEAD_LIMIT - size))
        if not block:
            break
        found = _NON_ASCII.search(block)
        first = size + found.start() if found else None
        parts.append(block)
        size += len(block)
    if first is not None and size < first + SAMPLE:
        parts.append(_read_fully(stream, first + SAMPLE - size))
    return b"".join(parts)


def _read_fully(stream: IO[bytes], size: int) -> bytes:
    """``size`` bytes, fewer only at the end of the stream (a pipe may return less per read)."""
    data = stream.read(size)
    if len(data) == size or not data:
        return data
    parts = [data]
    got = len(data)
    while got < size and (more := stream.read(size - got)):
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def choose_encoding(head: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(codec, where it came from: ``bom``, ``http-header``, ``meta``, ``detected`` or ``fallback``)
    for a document whose head (``data[:head_length(data)]``) is ``head``."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name, "bom"
    first = _NON_ASCII.search(head)
    utf8 = first is None or _decodes(head, "utf-8")
    _, header = media_type(content_type)
    meta = META_CHARSET.search(head, 0, max(SAMPLE, first.start() if first else len(head)))
    declared_meta = meta.group(1).decode("ascii", "replace") if meta else None
    for declared, origin in ((header, "http-header"), (declared_meta, "meta")):
        for codec in codecs_for(declared):
            if codec != "utf-8" and first is not None and utf8:
                break  # UTF-8 text under another name: the declaration is wrong
            if codec.startswith(("utf-16", "utf-32")) and b"\x00" not in head:
                break  # ASCII-compatible bytes cannot be UTF-16 (browsers read such a <meta> as UTF-8)
            if _decodes(head, codec):
                return codec, origin
    if utf8:
        return "utf-8", "detected"
    assert first is not None
    from charset_normalizer import from_bytes

    best = from_bytes(head[first.start() : first.start() + SAMPLE]).best()
    candidates = codecs_for(best.encoding if best is not None else None)
    for codec in candidates:
        if _decodes(head, codec):
            return codec, "detected"
    return (candidates[0], "detected") if candidates else ("utf-8", "fallback")


# Python codecs that decode str from bytes but are no charset of a document: a page (or its HTTP header)
# naming one is read as if it named none (found by tests/fuzz: idna raises on 'replace', rot13 is str->str)
NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "rot-13"})


def codecs_for(name: str | None) -> tuple[str, ...]:
    """The codecs to try for a declared or detected charset name, widest first; () if unknown."""
    if not name:
        return ()
    try:
        canonical = codecs.lookup(name.strip()).name
        b"\x00".decode(canonical, "replace")  # a bytes-to-bytes codec (base64, zlib, hex, uu ...) is no charset
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it; 'undefined' always refuses
        return ()
    if canonical in NOT_CHARSETS:
        return ()
    return SUPERSETS.get(canonical, (canonical,))


def _decodes(head: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """Decode a whole body; (text, charset, where the charset came from)."""
    codec, origin = choose_encoding(body[: head_length(body)], content_type)
    return body.decode(codec, errors="replace"), codec.removesuffix("-sig"), origin


def decode_as(body: bytes, charset: str | None, content_type: str | None = None) -> str:
    """Decode with a charset chosen earlier (a capture's stored one); chosen afresh if there is none."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    try:
        return body.decode(charset, errors="replace") if charset else decode(body, content_type)[0]
    except LookupError:
        return decode(body, content_type)[0]


# ---------------------------------------------------------------- HTML


def is_html(head: bytes, content_type: str | None = None) -> bool:
    """HTML by its media type; without a useful one (none, octet-stream), by its first bytes."""
    kind, _ = media_type(content_type)
    if kind in HTML_TYPES:
        return True
    if kind not in UNTYPED:
        return False
    start = head[:4096]
    wide = next((name for bom, name in BOMS if bom in WIDE_BOMS and start.startswith(bom)), None)
    if wide is not None:
        start = start.decode(wide, errors="replace").encode("utf-8", errors="replace")
    return bool(_HTML_START.match(start.removeprefix(codecs.BOM_UTF8)))


def html_main_text(html: str, url: str | None = None) -> str | None:
    """trafilatura's main text of a page, or None where it finds none (or fails)."""
    try:
        import trafilatura

        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # trafilatura/lxml raise many kinds on malformed pages; fall back, never crash
        return None
    return text or None


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


def html_text_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """The text of an HTML page given in chunks: trafilatura's main text for a page up to
    HTML_LIMIT characters, else (or where it finds none) every text node, streamed."""
    pieces: list[str] = []
    size = 0
    rest = iter(chunks)
    for piece in rest:
        pieces.append(piece)
        size += len(piece)
        if size > HTML_LIMIT:
            yield from html_to_text_stream([*pieces, *rest])
            return
    page = "".join(pieces)
    main = html_main_text(page)
    if main is not None:
        yield main
    else:
        yield from html_to_text_stream([page])


# ---------------------------------------------------------------- documents for the extractor


@dataclass(frozen=True)
class DecodedText:
    text: str
    html: bool
    charset: str


def decode_document(data: bytes, content_type: str | None = None) -> DecodedText:
    """A whole document decoded for the extractor; raises NotText for binary data."""
    if looks_binary(data[:SAMPLE]):
        raise NotText("binary data, not text (NUL or control bytes in the first 64 KiB)")
    head = data[: head_length(data)]
    codec, _ = choose_encoding(head, content_type)
    return DecodedText(data.decode(codec, errors="replace"), is_html(head, content_type), codec)


def decoded_chunks(stream: IO[bytes], content_type: str | None = None, chunk_size: int = CHUNK) -> Iterator[str]:
    """The text of a byte stream, in chunks of about ``chunk_size`` bytes (HTML reduced to its
    text); raises NotText. The same text as ``decode_document`` on the same bytes."""
    head = read_head(stream)
    if not head:
        return
    if looks_binary(head[:SAMPLE]):
        raise NotText("binary data, not text (NUL or control bytes in the first 64 KiB)")
    codec, _ = choose_encoding(head[: head_length(head)], content_type)
    html = is_html(head, content_type)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    first = [head[start : start + chunk_size] for start in range(0, len(head), chunk_size)]
    del head  # the head (up to HEAD_LIMIT) goes on in chunks like the rest

    def raw_text() -> Iterator[str]:
        while first:
            yield decoder.decode(first.pop(0), final=False)
        while block := stream.read(chunk_size):
            yield decoder.decode(block, final=False)
        yield decoder.decode(b"", final=True)

    texts = (t for t in raw_text() if t)
    if html:
        yield from html_text_chunks(texts)
    else:
        yield from texts


def text_chunks(text: str, chunk_size: int = CHUNK) -> Iterator[str]:
    """A str already in memory, in chunks (so one code path serves both)."""
    for start in range(0, len(text), chunk_size):
        yield text[start : start + chunk_size]
