"""Find station claims in Chinese and English texts.

The library API, for `longarm extract` and for corpus scans:

- ``might_contain_claim(text)``: the cheap pre-filter (one Aho-Corasick pass
  over raw text); False means the text has no claim.
- ``extract_document(text, pub_date=None, lang=None)``: one document in memory.
- ``extract_stream(chunks, pub_date=None)``: a document as an iterable of text
  chunks (memory stays one chunk); ``iter_claims`` yields claims as found.
- ``extract_bytes(stream, pub_date=None)``: a binary stream (a file), decoded
  and, for HTML, reduced to its main text; raises ``NotText`` for binary data.

Each returns an ``Extraction`` whose ``as_dict()`` is the JSON of
`longarm extract --json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from longarm.extract.decode import NotText, decoded_chunks, text_chunks
from longarm.extract.document import Extraction, Summary, extract_chunks, iter_claims
from longarm.extract.matcher import might_contain_claim
from longarm.extract.rules import Claim

ENGINE = "longarm-extract@1"


def extract_document(text: str, pub_date: str | None = None, lang: str | None = None) -> Extraction:
    """Claims and summary of one document. ``lang`` is accepted for callers that know it;
    the rules read both languages in any sentence, so it does not change the result."""
    if not might_contain_claim(text):
        return Extraction(Summary(), [])
    return extract_chunks(text_chunks(text), pub_date)


def extract_stream(chunks: Iterable[str], pub_date: str | None = None) -> Extraction:
    return extract_chunks(chunks, pub_date)


def extract_bytes(stream: IO[bytes], pub_date: str | None = None) -> Extraction:
    return extract_chunks(decoded_chunks(stream), pub_date)


__all__ = [
    "ENGINE",
    "Claim",
    "Extraction",
    "NotText",
    "Summary",
    "extract_bytes",
    "extract_document",
    "extract_stream",
    "iter_claims",
    "might_contain_claim",
]
