"""Find station claims in Chinese and English texts.

The library API, for `longarm extract` and for corpus scans:

- ``might_contain_claim(text)``: the cheap pre-filter (one Aho-Corasick pass
  over the folded text); False means the text has no claim.
- ``extract_document(text, pub_date=None, html=False)``: one decoded document
  in memory; with ``html=True`` it is a page, reduced to its main text first.
  It runs no pre-filter pass of its own: the search for station terms that
  finds the sentences to read is the filter, so a caller that has run
  ``might_contain_claim`` pays for no second one.
- ``extract_bytes(stream, pub_date=None, content_type=None)``: a binary
  stream (a file), decoded (``longarm.textdecode``) and, for HTML, reduced to
  its main text; raises ``NotText`` for binary data. Memory stays one chunk.
- ``iter_claims(chunks, pub_date=None)``: claims as found, in a document
  given as text chunks.

The first three ask the look-alike model (``lookalike_model``) about the
sentences their claims came from; where it reads them as a look-alike's
(a joint patrol, a visa centre, a delegation abroad), the claims are set
aside (``Extraction.set_aside`` says so) unless ``lookalikes=True``.
``iter_claims`` yields every claim the rules find.

Each of the first three returns an ``Extraction`` whose ``as_dict()`` is the
JSON of `longarm extract --json`. ``ENGINE`` names this extractor in
candidate lines and checkpoints: the package version and a hash of the
extraction code and gazetteer, so a changed rule is a different engine.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import IO

from longarm import __version__
from longarm.extract.document import Extraction, Summary, extract_chunks, iter_claims
from longarm.extract.matcher import might_contain_claim
from longarm.extract.rules import Claim
from longarm.textdecode import NotText, decoded_chunks, html_text_chunks, text_chunks

# what decides the claims found: the extraction modules, the decoder and the gazetteer
_ENGINE_SOURCES = (
    ("longarm", "textdecode.py"),
    *(
        ("longarm.extract", f"{name}.py")
        for name in (
            "cues",
            "dates",
            "document",
            "lookalike_model",
            "matcher",
            "memo",
            "normalise",
            "numbers",
            "rules",
            "sentences",
            "terms",
        )
    ),
    ("longarm.extract", "lookalike_model.json.gz"),
    ("longarm.geo.gazetteer", "names.tsv.gz"),
)


def _engine() -> str:
    digest = hashlib.sha256()
    for package, name in _ENGINE_SOURCES:
        digest.update(resources.files(package).joinpath(name).read_bytes())
    return f"longarm-extract@{__version__}+{digest.hexdigest()[:10]}"


ENGINE = _engine()


def extract_document(
    text: str, pub_date: str | None = None, *, html: bool = False, lookalikes: bool = False
) -> Extraction:
    """Claims and summary of one decoded document (a page's HTML with ``html=True``); claims the look-alike
    model sets aside are dropped unless ``lookalikes``."""
    chunks = text_chunks(text)
    return extract_chunks(html_text_chunks(chunks) if html else chunks, pub_date, lookalikes=lookalikes)


def extract_bytes(
    stream: IO[bytes], pub_date: str | None = None, content_type: str | None = None, *, lookalikes: bool = False
) -> Extraction:
    """Claims and summary of a document read from a binary stream; ``content_type`` (an HTTP header's
    value) gives the declared charset and whether it is HTML."""
    return extract_chunks(decoded_chunks(stream, content_type), pub_date, lookalikes=lookalikes)


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
