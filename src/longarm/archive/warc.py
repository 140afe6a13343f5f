"""WARC files in and out: write a capture's records, read a response back, hash a file.

A capture made here is one gzipped WARC file (one gzip member per record, so
a record can be read from its offset): a ``warcinfo`` record naming longarm,
then a ``request`` and a ``response`` record for every hop, then a
``metadata`` record with the redirect chain. Imported WARC and WACZ files are
kept whole, byte for byte, and read at the offsets recorded for them.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from longarm import __version__
from longarm.archive import pending
from longarm.archive.fetch import PROJECT_URL, USER_AGENT, Fetched

CHUNK = 1024 * 1024
HEADER_LINE_LIMIT = 64 * 1024
# What reading a damaged WARC, gzip member or zip member can raise, whichever library notices first;
# warcio raises AttributeError on a response record without WARC-Target-URI, its header parser
# StatusAndHeadersParserException, and IndexError or TypeError on some cut-off headers (found by tests/fuzz).
READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    OSError,
    EOFError,
    ValueError,
    AttributeError,
    IndexError,
    TypeError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # a zip member compressed in a way zipfile does not read
    RuntimeError,  # an encrypted zip member
)
# What opening a damaged zip (or a member of one) can raise.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)


class WarcError(Exception):
    """A WARC (or WACZ) that cannot be read; the message names the file and the problem, on one line."""


def reason(exc: BaseException) -> str:
    """What a library said about damaged bytes, on one short line (its messages may quote the bytes)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


@dataclass(frozen=True)
class WrittenWarc:
    """Where the final response landed in a WARC written for one capture."""

    response_offset: int
    response_record_id: str


@dataclass(frozen=True)
class StoredResponse:
    """A response record read back: its headers and its content with transfer and content encoding undone."""

    url: str
    record_id: str
    warc_date: str
    status: int
    headers: list[tuple[str, str]]
    content: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_capture_warc(path: Path, fetched: Fetched) -> WrittenWarc:
    """Write every hop of ``fetched`` to a new gzipped WARC at ``path`` (written aside, then renamed)."""
    tmp = pending.temporary_path(path)
    response_offset, response_id = 0, ""
    try:
        with tmp.open("wb") as out:
            writer = WARCWriter(out, gzip=True, warc_version="1.1")
            info = {
                "software": f"longarm/{__version__}",
                "format": "WARC File Format 1.1",
                "http-header-user-agent": USER_AGENT,
                "isPartOf": "longarm evidence archive",
                "description": f"Capture of {fetched.requested_url} for citation; see {PROJECT_URL}",
            }
            writer.write_record(writer.create_warcinfo_record(path.name, info))
            for exchange in fetched.exchanges:
                date = datetime_to_iso_date(exchange.started_at.replace(tzinfo=None), use_micros=True)
                response_headers: dict[str, str] = {"WARC-Date": date}
                if exchange.server_ip:
                    response_headers["WARC-IP-Address"] = exchange.server_ip
                response = writer.create_warc_record(
                    exchange.url,
                    "response",
                    payload=io.BytesIO(exchange.body),
                    length=len(exchange.body),
                    warc_headers_dict=response_headers,
                    http_headers=StatusAndHeaders(
                        f"{exchange.status} {exchange.reason}".strip(),
                        exchange.response_headers,
                        protocol=exchange.http_version,
                    ),
                )
                response_id = response.rec_headers.get_header("WARC-Record-ID")
                request = writer.create_warc_record(
                    exchange.url,
                    "request",
                    warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
                    http_headers=StatusAndHeaders(
                        exchange.request_line, exchange.request_headers, is_http_request=True
                    ),
                )
                writer.write_record(request)
                response_offset = out.tell()
                writer.write_record(response)
            chain = {
                "requested_url": fetched.requested_url,
                "final_url": fetched.final.url,
                "redirect_chain": fetched.redirect_chain(),
                "fetched_by": USER_AGENT,
            }
            metadata = json.dumps(chain, ensure_ascii=False, indent=1).encode("utf-8")
            writer.write_record(
                writer.create_warc_record(
                    fetched.final.url,
                    "metadata",
                    payload=io.BytesIO(metadata),
                    length=len(metadata),
                    warc_content_type="application/json",
                    warc_headers_dict={"WARC-Concurrent-To": response_id},
                )
            )
            out.flush()
            os.fsync(out.fileno())
        pending.mark(path)  # until the index holds its capture (CaptureIndex.add clears it)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return WrittenWarc(response_offset=response_offset, response_record_id=response_id)


@contextmanager
def open_stored(path: Path, member: str | None = None) -> Iterator[IO[bytes]]:
    """Open a WARC file, or a WARC inside a WACZ (``member``), as a seekable byte stream."""
    if member is None:
        with path.open("rb") as handle:
            yield handle
        return
    try:
        wacz = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise WarcError(f"{path.name}: not a readable WACZ ({reason(exc)})") from None
    with wacz:
        try:
            stored = wacz.open(member)
        except ZIP_ERRORS as exc:
            raise WarcError(f"{path.name}: cannot open {member} ({reason(exc)})") from None
        with stored:
            yield stored


def read_response(path: Path, offset: int, record_id: str, member: str | None = None) -> StoredResponse:
    """The response record at ``offset``, which must be ``record_id``: offsets are recorded exactly when a
    capture is made, so a miss means the file changed (`longarm verify` says how), never a record to go
    looking for elsewhere in it."""
    try:
        with open_stored(path, member) as stream:
            stream.seek(offset)
            record = _first_response(ArchiveIterator(stream))
    except READ_ERRORS as exc:
        raise WarcError(f"{path.name}: unreadable WARC ({reason(exc)})") from None
    if record is None or record.record_id != record_id:
        raise WarcError(f"{path.name}: no response record {record_id} at offset {offset}")
    return record


def _first_response(records: Any) -> StoredResponse | None:
    for record in records:
        if record.rec_type == "response":
            return _stored(record)
        return None
    return None


def check_complete(stream: IO[bytes], name: str) -> int:
    """Read a whole WARC strictly and return its record count; WarcError if truncated or malformed.

    warcio reads leniently (a record cut short is returned short, text that is
    not a WARC passes as ARC), which suits replay but not evidence intake. Here
    every record must start with ``WARC/``, have a Content-Length, hold that
    many bytes and end with a blank line, and gzip members must be complete
    with good checksums (the gzip module checks both).
    """
    try:
        return _count_records(stream, name)
    except READ_ERRORS as exc:  # here too: rewinding a zip member re-reads it, and may find its damage
        raise WarcError(f"{name}: not a readable WARC ({reason(exc)})") from None


def _count_records(stream: IO[bytes], name: str) -> int:
    start = stream.read(2)
    stream.seek(0)
    body: IO[bytes] = gzip.GzipFile(fileobj=stream, mode="rb") if start == b"\x1f\x8b" else stream  # type: ignore[assignment]
    records = 0
    try:
        while True:
            line = body.readline(HEADER_LINE_LIMIT)  # bounded: a file of garbage without newlines is not held
            if not line:
                break
            if line in (b"\r\n", b"\n"):
                continue  # tolerated between records
            if not line.startswith(b"WARC/"):
                raise WarcError(f"{name}: not a readable WARC (record {records + 1} does not start with WARC/)")
            length = None
            while (line := body.readline(HEADER_LINE_LIMIT)) not in (b"\r\n", b"\n"):
                if not line:
                    raise WarcError(f"{name}: not a readable WARC (record {records + 1} cut short in its headers)")
                if not line.endswith(b"\n"):
                    raise WarcError(f"{name}: not a readable WARC (record {records + 1} has a header line too long)")
                key, _, value = line.partition(b":")
                if key.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length is None:
                raise WarcError(f"{name}: not a readable WARC (record {records + 1} has no Content-Length)")
            while length > 0:
                chunk = body.read(min(length, CHUNK))
                if not chunk:
                    raise WarcError(f"{name}: not a readable WARC (record {records + 1} is truncated)")
                length -= len(chunk)
            records += 1
    except READ_ERRORS as exc:
        raise WarcError(f"{name}: not a readable WARC ({reason(exc)})") from None
    finally:
        stream.seek(0)
    if records == 0:
        raise WarcError(f"{name}: not a readable WARC (no records)")
    return records


@dataclass(frozen=True)
class ResponseHead:
    """A response record's headers and where it starts, without its content."""

    offset: int
    url: str
    record_id: str
    warc_date: str
    status: int
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def iter_response_heads(stream: IO[bytes], name: str) -> Iterator[ResponseHead]:
    """Every response record of a WARC stream; reading to the end checks the whole file (WarcError if corrupt)."""
    try:
        records = ArchiveIterator(stream)
        for record in records:
            if record.format != "warc":
                # warcio reads almost any text as an ARC header; only WARC is accepted as evidence here
                raise WarcError(f"{name}: not a readable WARC (found {record.format or 'no'} records)")
            if record.rec_type != "response":
                continue
            http = record.http_headers
            status = str(http.get_statuscode()) if http is not None else "0"
            yield ResponseHead(
                offset=records.get_record_offset(),
                url=record.rec_headers.get_header("WARC-Target-URI") or "",
                record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                warc_date=record.rec_headers.get_header("WARC-Date") or "",
                status=int(status) if status.isdigit() else 0,
                headers=list(http.headers) if http is not None else [],
            )
    except READ_ERRORS as exc:
        raise WarcError(f"{name}: not a readable WARC ({reason(exc)})") from None


def _stored(record: Any) -> StoredResponse:
    http = record.http_headers
    status = http.get_statuscode() if http is not None else "0"
    return StoredResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
        warc_date=record.rec_headers.get_header("WARC-Date") or "",
        status=int(status) if str(status).isdigit() else 0,
        headers=list(http.headers) if http is not None else [],
        content=record.content_stream().read(),
    )
