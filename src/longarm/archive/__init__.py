"""Preserve cited sources: WARC captures with hashes, imports, verification, inert rendering.

Official pages announcing stations are taken down; longarm keeps what it
cites. One module per idea: ``urls`` (which URL is which page), ``fetch``
(HTTP with every hop kept), ``warc`` (WARC files in and out), ``text``
(charsets and main text), ``index`` (the capture index), ``capture`` (making
one), ``importer`` (WARC/WACZ from elsewhere), ``verify``, ``timestamp``
(RFC 3161), ``render`` (inert HTML) and ``commands`` (the CLI).

This module is the API the static site and the web app call to link a
citation to its local capture::

    from longarm.archive import latest_captures, capture_page

    links = latest_captures(store)            # source id -> latest 2xx capture
    capture = links.get("cuf-2017-11-29")
    if capture:
        capture.url, capture.fetched_at, capture.id, capture.payload_sha256
        html = capture_page(store, capture.id)  # inert, redacted HTML page

It stays light to import: heavy parts (HTTP, WARC, text extraction) load only
when a capture is rendered or made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from longarm.archive.index import Capture, CaptureIndex, CaptureIndexError
from longarm.catalog.redact import redactor
from longarm.ledger.store import Store

ARCHIVE_FOLDER = "captures"


def default_archive_dir(db_path: Path) -> Path:
    """Where captures of a database live unless ``--archive-dir`` says otherwise: ``<db dir>/captures``."""
    return db_path.parent / ARCHIVE_FOLDER


def source_urls(store: Store) -> dict[str, str]:
    """Normalised URL -> source id, for every source that has a URL."""
    return store.source_urls()


def captures_for_source(store: Store, source_id: str, archive_dir: Path | None = None) -> list[Capture]:
    """Every capture of a source, oldest first: made for it, or of its URL (so also 404s and imports)."""
    return captures_by_source(store, archive_dir).get(source_id, [])


def capture_for_source(store: Store, source_id: str, archive_dir: Path | None = None) -> Capture | None:
    """The latest capture that is a copy of the page (HTTP 2xx), or None: what a citation links to."""
    return latest_captures(store, archive_dir).get(source_id)


def captures_by_source(store: Store, archive_dir: Path | None = None) -> dict[str, list[Capture]]:
    """Every source id with captures -> its captures, oldest first; one pass for a whole site build.

    The one linking rule: a capture belongs to the source it was made for, else to the source
    whose URL it was requested at or ended at.
    """
    with CaptureIndex(archive_dir or default_archive_dir(store.path)) as index:
        return link_sources(index.all(), source_urls(store))


def link_sources(captures: Iterable[Capture], by_url: dict[str, str]) -> dict[str, list[Capture]]:
    """Captures already read, grouped by the source each belongs to (see captures_by_source)."""
    result: dict[str, list[Capture]] = defaultdict(list)
    for capture in captures:
        source_id = capture.source_id or by_url.get(capture.url_key) or by_url.get(capture.final_url_key)
        if source_id:
            result[source_id].append(capture)
    return dict(result)


def latest_captures(store: Store, archive_dir: Path | None = None) -> dict[str, Capture]:
    """Source id -> the capture its citations link to (the latest HTTP 2xx copy).

    A database with no capture index yet simply has none; a damaged index raises CaptureIndexError.
    """
    latest = {}
    for source_id, captures in captures_by_source(store, archive_dir).items():
        good = [c for c in captures if c.ok]
        if good:
            latest[source_id] = good[-1]
    return latest


def get_capture(store: Store, capture_id: str, archive_dir: Path | None = None) -> Capture | None:
    with CaptureIndex(archive_dir or default_archive_dir(store.path)) as index:
        return index.get(capture_id)


def capture_page(
    store: Store, capture_id: str, archive_dir: Path | None = None, include_sensitive: bool = False
) -> str:
    """The capture as a self-contained inert HTML page; KeyError if there is no such capture,
    WarcError if its WARC file is missing or unreadable (`longarm verify` tells which).

    Serve it with ``Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'`` as well
    (the page carries the same policy in a meta tag, for static hosting).
    """
    from longarm.archive.render import render_capture

    folder = archive_dir or default_archive_dir(store.path)
    capture = get_capture(store, capture_id, folder)
    if capture is None:
        raise KeyError(capture_id)
    source = store.entity("source", capture.source_id) if capture.source_id else None
    return render_capture(capture, folder, redactor(store, include_sensitive), source.get("lang") if source else None)


__all__ = [
    "Capture",
    "CaptureIndex",
    "CaptureIndexError",
    "capture_for_source",
    "capture_page",
    "captures_by_source",
    "captures_for_source",
    "default_archive_dir",
    "get_capture",
    "latest_captures",
    "link_sources",
    "source_urls",
]
