"""Find station claims in Chinese and English texts.

The library API, for `longarm extract` and for corpus scans:

- ``might_contain_claim(text)``: the cheap pre-filter (one Aho-Corasick pass
  over raw text); False means the text has no claim.
- ``extract_document(text, pub_date=None)``: one document in memory.
- ``iter_claims(chunks, pub_date=None)``: claims as found, in a document
  given as text chunks (memory stays one chunk).
- ``extract_bytes(stream, pub_date=None)``: a binary stream (a file), decoded
  and, for HTML, reduced to its main text; raises ``NotText`` for binary data.

Each returns an ``Extraction`` whose ``as_dict()`` is the JSON of
`longarm extract --json`.
"""

from __future__ import annotations

from typing import IO

from longarm.extract.decode import NotText, decoded_chunks, text_chunks
from longarm.extract.document import Extraction, Summary, extract_chunks, iter_claims
from longarm.extract.matcher import might_contain_claim
from longarm.extract.rules import Claim

ENGINE = "longarm-extract@1"


def extract_document(text: str, pub_date: str | None = None) -> Extraction:
    """Claims and summary of one document (the rules read both languages in any sentence)."""
    if not might_contain_claim(text):
        return Extraction(Summary(), [])
    return extract_chunks(text_chunks(text), pub_date)


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
    "iter_claims",
    "might_contain_claim",
]
