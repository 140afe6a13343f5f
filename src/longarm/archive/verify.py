"""Check the archive three ways: the index against the WARC files, the files against the index, and
the index against the append-only manifest.

- Every capture in the index: its WARC file is there, hashes to the SHA-256
  recorded when it was captured or imported, and holds the response record at
  the recorded offset, whose payload re-hashes to the recorded payload hash
  (so a file replaced along with a forged file hash still fails); its
  timestamp token, if any, is unchanged and vouches for the file's hash; and
  it agrees with its manifest line.
- Every WARC (or WACZ) file in the archive folder: some capture points at it,
  and every page response in it (2xx HTML, text or PDF: what a capture or an
  import always indexes) is a capture's record. Redirect hops, error pages
  and a crawl's stylesheets get no capture of their own and are not asked
  for one. A file still pending (a capture or import stopped before its
  index commit) is named, not failed.
- Every manifest line has its capture in the index, and the lines' chain is
  whole, so a capture deleted from the index (or the whole index) is found.
  A capture not yet in the manifest (a writer killed between the two) is
  noted; the next writer appends it.

An archive with captures and no manifest predates it: verify says deletions
cannot be checked there and fails until one is written on purpose.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from longarm.archive import pending
from longarm.archive.index import Capture, CaptureIndex
from longarm.archive.manifest import Manifest, read_manifest
from longarm.archive.text import is_document
from longarm.archive.timestamp import token_imprint
from longarm.archive.warc import WarcError, file_sha256, iter_response_heads, open_stored, read_response

WARC_PATTERNS = ("*.warc.gz", "*.warc", "*.wacz")
# the kinds of difference, for --json and tests
MISSING = "missing"  # the capture's WARC file is gone
CHANGED = "changed"  # the WARC file's hash is not the one recorded
UNREADABLE = "unreadable"  # the record (or a whole file) cannot be read
PAYLOAD_CHANGED = "payload-changed"
TIMESTAMP = "timestamp"
NOT_AS_IN_MANIFEST = "not-as-in-manifest"  # the index row says otherwise than its manifest line
MISSING_ROW = "missing-row"  # a manifest line whose capture is not in the index
RECORD_WITHOUT_CAPTURE = "record-without-capture"  # a page record in a WARC no capture points at
FILE_WITHOUT_CAPTURE = "file-without-capture"  # a WARC file in the folder no capture points at
MANIFEST = "manifest"  # the manifest itself: a broken chain, a line that is not an entry
NO_MANIFEST = "no-manifest"


@dataclass(frozen=True)
class Problem:
    capture_id: str  # "" where the difference is not one capture's
    url: str
    path: str  # the WARC file (or manifest) it is about
    problem: str
    detail: str

    def __str__(self) -> str:
        about = f"capture {self.capture_id} {self.url}".strip() if self.capture_id else self.path
        return f"{self.problem}: {about}: {self.detail}"


@dataclass
class VerifyReport:
    checked: int = 0  # captures in the index
    files: int = 0  # WARC files: those captures point at, and those found in the folder
    records: int = 0  # response records read in those files
    manifest_entries: int = 0
    manifest_head: str | None = None  # SHA-256 of the manifest's last line; None without a manifest
    problems: list[Problem] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # files of an interrupted capture or import
    not_in_manifest: list[str] = field(default_factory=list)  # capture ids the next writer appends

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_archive(index: CaptureIndex) -> VerifyReport:
    report = VerifyReport()
    folder = index.archive_dir
    captures = index.all()
    manifest = read_manifest(folder)
    report.checked = len(captures)
    file_hashes: dict[str, str | None] = {}
    for capture in captures:
        path = folder / capture.warc_path
        if capture.warc_path not in file_hashes:
            file_hashes[capture.warc_path] = file_sha256(path) if path.is_file() else None
        problem = _check(capture, path, file_hashes[capture.warc_path], folder)
        if problem is not None:
            report.problems.append(problem)
    _against_manifest(captures, manifest, report)
    changed = {p.path for p in report.problems if p.problem == CHANGED}  # already named: not read again
    _files_against_index(folder, captures, manifest, report, changed)
    report.files = len(set(file_hashes) | set(_warc_files(folder)))
    return report


def _check(capture: Capture, path: Path, actual: str | None, archive_dir: Path) -> Problem | None:
    def problem(kind: str, detail: str) -> Problem:
        return Problem(capture.id, capture.url, capture.warc_path, kind, detail)

    if actual is None:
        return problem(MISSING, f"{capture.warc_path} is gone")
    if actual != capture.warc_sha256:
        return problem(CHANGED, f"file SHA-256 {actual[:16]}… was {capture.warc_sha256[:16]}… when captured")
    try:
        stored = read_response(path, capture.record_offset, capture.record_id, capture.warc_member)
    except WarcError as exc:
        return problem(UNREADABLE, str(exc))
    payload = hashlib.sha256(stored.content).hexdigest()
    if payload != capture.payload_sha256:
        return problem(PAYLOAD_CHANGED, f"payload SHA-256 {payload[:16]}… was {capture.payload_sha256[:16]}…")
    if capture.timestamp_path:
        detail = _timestamp_problem(capture, archive_dir)
        if detail is not None:
            return problem(TIMESTAMP, detail)
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


def _against_manifest(captures: list[Capture], manifest: Manifest, report: VerifyReport) -> None:
    name = manifest.path.name
    if not manifest.exists:
        if captures:
            report.problems.append(
                Problem(
                    "",
                    "",
                    name,
                    NO_MANIFEST,
                    f"this archive has no manifest, so a deleted capture cannot be found; "
                    f"`longarm verify --rebuild-manifest` writes one from the {len(captures)} captures indexed now",
                )
            )
        return
    report.manifest_entries = len(manifest.entries)
    report.manifest_head = manifest.head
    for detail in manifest.problems:
        report.problems.append(Problem("", "", name, MANIFEST, detail))
    indexed = {c.id: c for c in captures}
    for capture in captures:
        entry = manifest.entries.get(capture.id)
        if entry is None:
            report.not_in_manifest.append(capture.id)
            continue
        differences = entry.differences(capture)
        if differences:
            report.problems.append(
                Problem(
                    capture.id,
                    capture.url,
                    capture.warc_path,
                    NOT_AS_IN_MANIFEST,
                    f"the index's {', '.join(differences)} differ from manifest line {entry.line}",
                )
            )
    for entry in manifest.entries.values():
        if entry.id not in indexed:
            where = entry.warc_path + (f":{entry.warc_member}" if entry.warc_member else "")
            still = "is still there" if (manifest.path.parent / entry.warc_path).is_file() else "is gone too"
            report.problems.append(
                Problem(
                    entry.id,
                    entry.url,
                    entry.warc_path,
                    MISSING_ROW,
                    f"manifest line {entry.line} has this capture (record {entry.record_id} at offset "
                    f"{entry.record_offset} of {where}, captured {entry.fetched_at}) but the index does not; "
                    f"its WARC file {still}",
                )
            )


def _warc_files(folder: Path) -> list[str]:
    """The WARC and WACZ files in the archive folder (not hidden ones: temporary files and markers)."""
    if not folder.is_dir():
        return []
    found = set()
    for pattern in WARC_PATTERNS:
        for path in folder.rglob(pattern):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.add(relative.as_posix())
    return sorted(found)


def _files_against_index(
    folder: Path, captures: list[Capture], manifest: Manifest, report: VerifyReport, skip: set[str]
) -> None:
    """Every WARC file in the folder is some capture's, and each page record in it is a capture's record."""
    indexed: dict[str, set[tuple[str | None, int]]] = defaultdict(set)
    for capture in captures:
        indexed[capture.warc_path].add((capture.warc_member, capture.record_offset))
    in_manifest: dict[str, set[tuple[str | None, int]]] = defaultdict(set)
    for entry in manifest.entries.values():
        in_manifest[entry.warc_path].add((entry.warc_member, entry.record_offset))
    for relative in _warc_files(folder):
        path = folder / relative
        if relative not in indexed and relative not in in_manifest:
            if pending.is_pending(path):
                report.pending.append(relative)
            else:
                report.problems.append(
                    Problem(
                        "",
                        "",
                        relative,
                        FILE_WITHOUT_CAPTURE,
                        "a WARC file in the archive folder that no capture points at (nor any manifest line)",
                    )
                )
            continue
        if relative in skip:
            continue
        explained = indexed[relative] | in_manifest[relative]  # a manifest line without its row is named above
        try:
            records = list(_page_records(path))
        except WarcError as exc:
            report.problems.append(Problem("", "", relative, UNREADABLE, str(exc)))
            continue
        except OSError as exc:
            report.problems.append(Problem("", "", relative, UNREADABLE, f"{exc.strerror or exc}"))
            continue
        report.records += len(records)
        for member, offset, record_id, url, is_page in records:
            if is_page and (member, offset) not in explained:
                where = f"{member}, offset {offset}" if member else f"offset {offset}"
                report.problems.append(
                    Problem(
                        "",
                        url,
                        relative,
                        RECORD_WITHOUT_CAPTURE,
                        f"page response {record_id} of {url} ({where}) has no capture in the index or manifest",
                    )
                )


def _page_records(path: Path) -> list[tuple[str | None, int, str, str, bool]]:
    """(member, offset, record id, URL, is a page) of every response record in a WARC or WACZ file."""
    from longarm.archive.importer import warc_members

    found = []
    for member in warc_members(path):
        name = f"{path.name}:{member}" if member else path.name
        with open_stored(path, member) as stream:
            for head in iter_response_heads(stream, name):
                is_page = 200 <= head.status < 300 and is_document(head.header("content-type"))
                found.append((member, head.offset, head.record_id, head.url, is_page))
    return found
