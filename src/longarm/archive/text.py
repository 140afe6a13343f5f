"""A captured page's text: the right character set, then the main text without navigation.

Official Chinese pages come in GBK, GB18030 and Big5 as often as in UTF-8,
and declare it in the HTTP header, in a ``<meta>`` tag, wrongly, or not at
all. The character set is chosen by ``longarm.textdecode``, the decoder the
extractor and the scanner use too (byte-order mark, HTTP header, ``<meta>``,
detection; declared names widened to the superset browsers use), so a
capture's text is what `longarm extract` reads in the same bytes. Only the
text is decoded: the WARC keeps the original bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from longarm.textdecode import HTML_TYPES, TEXT_TYPES, decode, html_main_text, is_html, media_type

__all__ = ["HTML_TYPES", "TEXT_TYPES", "PageText", "decode", "is_document", "media_type", "page_text"]


@dataclass(frozen=True)
class PageText:
    """What a capture says, decoded: the charset used, how it was chosen, the title and main text."""

    charset: str | None
    charset_from: str | None
    title: str | None
    text: str


def is_document(content_type: str | None) -> bool:
    kind, _ = media_type(content_type)
    return kind in HTML_TYPES or kind in TEXT_TYPES or kind == "application/pdf"


def page_text(body: bytes, content_type: str | None, url: str | None = None) -> PageText:
    """Decode and extract the main text of an HTML or plain-text body; other types have no text here."""
    kind, _ = media_type(content_type)
    if kind in TEXT_TYPES:
        text, charset, origin = decode(body, content_type)
        return PageText(charset, origin, None, text.strip())
    if not is_html(body, content_type):  # an HTML type, or none and the bytes look like HTML
        return PageText(None, None, None, "")
    html, charset, origin = decode(body, content_type)
    title, fallback = _plain_text(html)
    main = html_main_text(html, url)
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
