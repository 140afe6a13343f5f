"""A document -> its candidate line: the cheap pre-filter, then the extractor of `longarm extract`.

A candidate line is self-describing, so `longarm review import` needs
nothing else: ``{"id", "url", "date", "input", "summary", "claims",
"engine"}``, where ``summary`` and ``claims`` are exactly what
``longarm extract --json`` prints for the same document and ``input`` says
where the document is (file, format, byte offset).

The pre-filter is the extractor's own station-term automaton
(``might_contain_claim``). On JSONL text it runs as is. On an HTML page it
must run before the costly main-text extraction (trafilatura), so it reads a
cheap view of the page instead: tags, scripts and comments removed,
character references resolved and whitespace removed, where the same terms
without their spaces are found as the extractor finds terms (in the folded
text: ``matcher.TermFinder``). The main text is made of the page's text
nodes with only whitespace changed, so any term the extractor would find
there is in that view: the pre-filter drops no claim (tests/test_scan.py
checks this against the extractor on every document of its corpus).
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from longarm.extract import ENGINE, extract_bytes, extract_document, might_contain_claim
from longarm.extract.document import Extraction
from longarm.extract.matcher import TermFinder, prefilter_terms
from longarm.scan.inputs import DOCUMENT_MEMORY_LIMIT, Document
from longarm.textdecode import decode_document

# scripts, styles, comments and tags; written as "unrolled loops" ([^<]*(?:<(?!...)[^<]*)*) rather than
# lazy .*?, which is three times slower on pages whose scripts are half their size
_MARKUP = re.compile(
    r"<(script|style)\b[^>]*>[^<]*(?:<(?!/\1)[^<]*)*</\1\s*>"
    r"|<!--[^-]*(?:-(?!->)[^-]*)*-->"
    r"|</?[A-Za-z!?][^>]*>",
    re.I,
)


@cache
def _squeezed_terms() -> TermFinder:
    """The pre-filter's terms (already folded) without whitespace."""
    return TermFinder("".join(term.split()) for term in prefilter_terms())


def page_might_contain_claim(page: str) -> bool:
    """False only if no station term can be in the page's main text, whatever markup splits it."""
    text = _MARKUP.sub("", page)
    if "&" in text:
        text = html.unescape(text)
    return _squeezed_terms().found("".join(text.split()))


def extract_candidate(document: Document) -> tuple[Extraction | None, bool]:
    """(the extraction, whether the pre-filter passed); None where the pre-filter rules the document out.
    Raises NotText for a payload that is binary data."""
    if document.text is not None:
        if not might_contain_claim(document.text):
            return None, False
        return extract_document(document.text, document.date), True
    assert document.body is not None
    if document.body_size > DOCUMENT_MEMORY_LIMIT:
        # too large to hold: the extractor streams it (and pre-filters each block itself)
        return extract_bytes(document.body, document.date, document.content_type), True
    decoded = decode_document(document.body.read(), document.content_type)
    passed = page_might_contain_claim(decoded.text) if decoded.html else might_contain_claim(decoded.text)
    if not passed:
        return None, False
    return extract_document(decoded.text, document.date, html=decoded.html), True


def candidate_record(document: Document, extraction: Extraction) -> dict[str, Any]:
    record: dict[str, Any] = {"id": document.id, "url": document.url, "date": document.date}
    if document.lang:
        record["lang"] = document.lang
    record["input"] = document.input
    record.update(extraction.as_dict())
    record["engine"] = ENGINE
    return record


def candidate_key(record: dict[str, Any]) -> tuple[str, int, int]:
    """Where a candidate's document is: unique per document."""
    where = record["input"]
    return (where["file"], int(where.get("offset", 0)), int(where.get("record", 0)))
