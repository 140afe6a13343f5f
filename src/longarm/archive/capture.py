"""Make a capture: fetch a URL, write its WARC, read it back, hash it, extract its text, index it.

The text and the payload hash are taken from the WARC as written, not from the
bytes in memory, so what the index says is what the stored file holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path

import httpx

from longarm import __version__
from longarm.archive.fetch import FetchError, FetchLimits, fetch
from longarm.archive.index import Capture
from longarm.archive.text import page_text
from longarm.archive.timestamp import Timestamp, TimestampError, request_timestamp
from longarm.archive.warc import StoredResponse, file_sha256, read_response, write_capture_warc
from longarm.model.urls import url_key

WARC_FOLDER = "warc"
FETCH_ORIGIN = f"fetched:longarm@{__version__}"


@dataclass(frozen=True)
class Outcome:
    """What became of one URL: a capture (maybe of an error page), or a reason there is none."""

    url: str
    source_id: str | None
    capture: Capture | None = None
    reason: str | None = None
    timestamp_problem: str | None = None

    @property
    def state(self) -> str:
        if self.capture is None:
            return "failed"
        return "captured" if self.capture.ok else "unavailable"


def capture_id(warc_sha256: str, record_offset: int) -> str:
    """Stable and unique: the same record of the same WARC file is the same capture, wherever it sits."""
    return hashlib.sha256(f"{warc_sha256}:{record_offset}".encode()).hexdigest()[:16]


def capture_from_record(
    stored: StoredResponse,
    *,
    requested_url: str,
    redirect_chain: list[dict[str, object]],
    fetched_at: str,
    warc_path: str,
    warc_member: str | None,
    warc_sha256: str,
    record_offset: int,
    source_id: str | None,
    origin: str,
) -> Capture:
    """A capture row for a response record read back from a stored WARC."""
    content_type = stored.header("content-type")
    text = page_text(stored.content, content_type, stored.url)
    return Capture(
        id=capture_id(warc_sha256, record_offset),
        url=requested_url,
        url_key=url_key(requested_url),
        final_url=stored.url,
        final_url_key=url_key(stored.url),
        redirect_chain=[dict(hop) for hop in redirect_chain],
        status=stored.status,
        fetched_at=fetched_at,
        content_type=content_type,
        charset=text.charset,
        charset_from=text.charset_from,
        payload_length=len(stored.content),
        payload_sha256=hashlib.sha256(stored.content).hexdigest(),
        warc_path=warc_path,
        warc_member=warc_member,
        warc_sha256=warc_sha256,
        record_offset=record_offset,
        record_id=stored.record_id,
        title=text.title,
        text=text.text,
        source_id=source_id,
        origin=origin,
    )


def capture_url(
    url: str,
    archive_dir: Path,
    limits: FetchLimits,
    *,
    source_id: str | None = None,
    tsa_url: str | None = None,
    client: httpx.Client | None = None,
) -> Outcome:
    """Fetch ``url`` into a new WARC under ``archive_dir``; never raises for a bad page, only returns why."""
    try:
        fetched = fetch(url, limits, client)
    except FetchError as exc:
        return Outcome(url=url, source_id=source_id, reason=str(exc))
    started = fetched.exchanges[0].started_at
    folder = archive_dir / WARC_FOLDER / started.strftime("%Y")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{hashlib.sha256(url.encode()).hexdigest()[:10]}.warc.gz"
    path = folder / name
    written = write_capture_warc(path, fetched)
    stored = read_response(path, written.response_offset, written.response_record_id)
    warc_sha256 = file_sha256(path)
    capture = capture_from_record(
        stored,
        requested_url=url,
        redirect_chain=fetched.redirect_chain(),
        fetched_at=started.isoformat(timespec="milliseconds"),
        warc_path=path.relative_to(archive_dir).as_posix(),
        warc_member=None,
        warc_sha256=warc_sha256,
        record_offset=written.response_offset,
        source_id=source_id,
        origin=FETCH_ORIGIN,
    )
    problem = None
    if tsa_url:
        try:
            stamp = request_timestamp(tsa_url, path.read_bytes(), limits.read_timeout)
        except TimestampError as exc:
            problem = str(exc)
        else:
            capture = _with_timestamp(capture, archive_dir, path, tsa_url, stamp)
    reason = None if capture.ok else f"HTTP {capture.status} (recorded as evidence of unavailability)"
    return Outcome(url=url, source_id=source_id, capture=capture, reason=reason, timestamp_problem=problem)


def _with_timestamp(capture: Capture, archive_dir: Path, warc: Path, tsa_url: str, stamp: Timestamp) -> Capture:
    token_path = warc.with_name(warc.name + ".tsr")
    token_path.write_bytes(stamp.token)
    return replace(
        capture,
        tsa_url=tsa_url,
        timestamp_path=token_path.relative_to(archive_dir).as_posix(),
        timestamp_sha256=hashlib.sha256(stamp.token).hexdigest(),
        timestamped_at=stamp.gen_time.astimezone(UTC).isoformat(timespec="milliseconds"),
    )
