"""Check that every capture's stored bytes are still the bytes that were captured.

Each WARC (or WACZ) file is hashed once and compared with the hash recorded
when it was captured or imported; each capture's response record is then read
back and its payload re-hashed, so a change is caught whichever part of the
file it touched, and a file replaced along with a forged index hash still
fails on content that no longer matches. Timestamp tokens are checked to
exist, to be unchanged and to vouch for the WARC's hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from longarm.archive.index import Capture, CaptureIndex
from longarm.archive.timestamp import token_imprint
from longarm.archive.warc import WarcError, file_sha256, read_response


@dataclass(frozen=True)
class Problem:
    capture_id: str
    url: str
    path: str
    problem: str  # missing | changed | unreadable | payload-changed | timestamp
    detail: str


@dataclass
class VerifyReport:
    checked: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    unindexed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_archive(index: CaptureIndex) -> VerifyReport:
    report = VerifyReport()
    file_hashes: dict[str, str | None] = {}
    for capture in index.all():
        report.checked += 1
        path = index.archive_dir / capture.warc_path
        if capture.warc_path not in file_hashes:
            file_hashes[capture.warc_path] = file_sha256(path) if path.is_file() else None
            report.files += 1
        actual = file_hashes[capture.warc_path]
        problem = _check(capture, path, actual, index.archive_dir)
        if problem is not None:
            report.problems.append(problem)
    report.unindexed = _unindexed(index, set(file_hashes))
    return report


def _check(capture: Capture, path: Path, actual: str | None, archive_dir: Path) -> Problem | None:
    def problem(kind: str, detail: str) -> Problem:
        return Problem(capture.id, capture.url, capture.warc_path, kind, detail)

    if actual is None:
        return problem("missing", f"{capture.warc_path} is gone")
    if actual != capture.warc_sha256:
        return problem("changed", f"file SHA-256 {actual[:16]}… was {capture.warc_sha256[:16]}… when captured")
    try:
        stored = read_response(path, capture.record_offset, capture.record_id, capture.warc_member)
    except WarcError as exc:
        return problem("unreadable", str(exc))
    payload = hashlib.sha256(stored.content).hexdigest()
    if payload != capture.payload_sha256:
        return problem("payload-changed", f"payload SHA-256 {payload[:16]}… was {capture.payload_sha256[:16]}…")
    if capture.timestamp_path:
        detail = _timestamp_problem(capture, archive_dir)
        if detail is not None:
            return problem("timestamp", detail)
    return None


def _timestamp_problem(capture: Capture, archive_dir: Path) -> str | None:
    token_path = archive_dir / str(capture.timestamp_path)
    if not token_path.is_file():
        return f"{capture.timestamp_path} is gone"
    token = token_path.read_bytes()
    if hashlib.sha256(token).hexdigest() != capture.timestamp_sha256:
        return f"{capture.timestamp_path} changed"
    try:
        imprint = token_imprint(token).hex()
    except ValueError:
        return f"{capture.timestamp_path} is not a timestamp reply"
    if imprint != capture.warc_sha256:
        return f"{capture.timestamp_path} vouches for another hash"
    return None


def _unindexed(index: CaptureIndex, indexed: set[str]) -> list[str]:
    """WARC files in the archive folder no capture points to (a capture interrupted before indexing)."""
    found = []
    for pattern in ("**/*.warc.gz", "**/*.warc", "**/*.wacz"):
        for path in index.archive_dir.glob(pattern):
            relative = path.relative_to(index.archive_dir).as_posix()
            if relative not in indexed and not path.name.startswith("."):
                found.append(relative)
    return sorted(set(found))
