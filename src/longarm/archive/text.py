"""A captured page's text: the right character set, then the main text without navigation.

Official Chinese pages come in GBK, GB18030 and Big5 as often as in UTF-8,
and declare it in the HTTP header, in a ``<meta>`` tag, wrongly, or not at all.
The order here: byte-order mark, HTTP header, ``<meta>``, then detection
(charset-normalizer). A declared charset is used only if the bytes decode in it
without error, and declared names are widened to the superset browsers use
(GB2312 and GBK to GB18030, Big5 to CP950 / Big5-HKSCS), since sites declare
the narrow name and use the wide one. Only the text is decoded: the WARC keeps
the original bytes.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from email.message import Message

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
WIDER = {"gb2312": ["gb18030"], "gbk": ["gb18030"], "gb18030": ["gb18030"], "big5": ["cp950", "big5hkscs", "big5"]}

# trafilatura logs every page it finds too short; the fallback below handles those pages.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class PageText:
    """What a capture says, decoded: the charset used, how it was chosen, the title and main text."""

    charset: str | None
    charset_from: str | None
    title: str | None
    text: str


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """``text/html; charset=GBK`` -> (``text/html``, ``GBK``)."""
    if not content_type:
        return "", None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def is_document(content_type: str | None) -> bool:
    kind, _ = media_type(content_type)
    return kind in HTML_TYPES or kind in TEXT_TYPES or kind == "application/pdf"


def decode(body: bytes, content_type: str | None) -> tuple[str, str, str]:
    """Decode ``body``; return (text, charset, where the charset came from)."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name.removesuffix("-sig"), "bom"
    _, declared_header = media_type(content_type)
    meta = META_CHARSET.search(body[:4096])
    declared_meta = meta.group(1).decode("ascii", "replace") if meta else None
    for declared, origin in ((declared_header, "http-header"), (declared_meta, "meta")):
        if declared:
            for candidate in _candidates(declared):
                try:
                    return body.decode(candidate), candidate, origin
                except UnicodeDecodeError:
                    continue
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        for candidate in _candidates(best.encoding):
            try:
                return body.decode(candidate), candidate, "detected"
            except UnicodeDecodeError:
                continue
    return body.decode("utf-8", errors="replace"), "utf-8", "fallback"


def _candidates(name: str) -> list[str]:
    try:
        canonical = codecs.lookup(name.strip()).name
    except LookupError:
        return []
    if canonical in ("cp936", "gb2312", "gbk"):
        canonical = "gbk"
    elif canonical in ("big5", "cp950", "big5hkscs"):
        canonical = "big5"
    return WIDER.get(canonical, [canonical])


def page_text(body: bytes, content_type: str | None, url: str | None = None) -> PageText:
    """Decode and extract the main text of an HTML or plain-text body; other types have no text here."""
    kind, _ = media_type(content_type)
    sniffed_html = body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    if kind in TEXT_TYPES:
        text, charset, origin = decode(body, content_type)
        return PageText(charset, origin, None, text.strip())
    if kind not in HTML_TYPES and not (kind in ("", "application/octet-stream") and sniffed_html):
        return PageText(None, None, None, "")
    html, charset, origin = decode(body, content_type)
    title, fallback = _plain_text(html)
    main = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_recall=True)
    return PageText(charset, origin, title, (main or fallback).strip())


def _plain_text(html: str) -> tuple[str | None, str]:
    """The title and all visible text, for pages too short or too odd for main-text extraction."""
    if not html.strip():
        return None, ""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None, ""
    title_node = root.find(".//title")
    title = title_node.text_content().strip() if title_node is not None else None
    for node in root.xpath("//script | //style | //noscript | //template | //head"):
        node.drop_tree()
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return title or None, "\n".join(line for line in lines if line)
