"""The archive's append-only manifest: ``manifest.jsonl``, one JSON line per capture, never rewritten.

The capture index (``captures.db``) is a SQLite file anyone can edit: a row
deleted from it, or the whole file, used to leave `longarm verify` saying
"all intact". The manifest is the index's witness. A line is appended, under a
lock, right after the index commits a capture: its id, WARC file (and member),
record offset and id, the SHA-256 of the WARC file and of the payload, the URL
and the time. Lines are chained: each carries ``prev``, the SHA-256 of the line
before it (``GENESIS`` for the first), so a line removed or edited anywhere
but at the very end breaks the chain, and `verify` says where.

The index is written first, the manifest second: a kill between the two leaves
a capture the manifest does not yet hold (verify notes it; the next writer
appends it), never a manifest line whose capture was never made. A line is
written with one ``write`` call on a file opened for appending; the only bytes
ever removed are a tail that is not a whole line (a write cut off by power
loss), and only under the lock.

An archive made before the manifest existed has captures and no manifest:
writers then leave it absent (a manifest rebuilt from the index would vouch
for whatever the index holds now) and `verify` says so until it is rebuilt
on purpose (``longarm verify --rebuild-manifest``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longarm.archive.index import Capture

MANIFEST_NAME = "manifest.jsonl"
LOCK_NAME = ".manifest.lock"
GENESIS = "0" * 64
# What a manifest line holds of a capture; verify compares these with the index row.
FIELDS = ("warc_path", "warc_member", "record_offset", "record_id", "warc_sha256", "payload_sha256")


@dataclass(frozen=True)
class ManifestEntry:
    line: int  # 1 for the first line
    id: str
    url: str
    fetched_at: str
    warc_path: str
    warc_member: str | None
    record_offset: int
    record_id: str
    warc_sha256: str
    payload_sha256: str

    def differences(self, capture: Capture) -> list[str]:
        """The fields where ``capture`` (an index row) says otherwise than this line."""
        return [name for name in FIELDS if getattr(self, name) != getattr(capture, name)]


@dataclass
class Manifest:
    """A manifest as read: its entries by capture id, and whatever is wrong with the file itself."""

    path: Path
    exists: bool
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    lines: int = 0
    head: str = GENESIS  # SHA-256 of the last whole line: note it elsewhere to detect a cut-off tail
    problems: list[str] = field(default_factory=list)  # a broken chain, a line that is not an entry
    torn_tail: bool = False  # the file ends inside a line: a write cut off (the next writer removes it)


def manifest_path(archive_dir: Path) -> Path:
    return archive_dir / MANIFEST_NAME


def line_for(capture: Capture, prev: str) -> bytes:
    entry = {
        "id": capture.id,
        "url": capture.url,
        "fetched_at": capture.fetched_at,
        **{name: getattr(capture, name) for name in FIELDS},
        "prev": prev,
    }
    return json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def read_manifest(archive_dir: Path) -> Manifest:
    path = manifest_path(archive_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Manifest(path, exists=False)
    manifest = Manifest(path, exists=True)
    lines = data.split(b"\n")
    if lines[-1]:
        manifest.torn_tail = True
    prev = GENESIS
    for number, line in enumerate(lines[:-1], start=1):
        manifest.lines = number
        entry = _entry(line, number)
        if isinstance(entry, str):
            manifest.problems.append(f"line {number}: {entry}")
        else:
            claimed = json.loads(line)["prev"]
            if claimed != prev:
                manifest.problems.append(f"line {number}: the chain is broken (a line before it was removed or edited)")
            known = manifest.entries.get(entry.id)
            if known is not None and [getattr(known, f) for f in FIELDS] != [getattr(entry, f) for f in FIELDS]:
                manifest.problems.append(
                    f"line {number}: capture {entry.id} again, with other values (line {known.line})"
                )
            manifest.entries.setdefault(entry.id, entry)
        prev = _digest(line)
    manifest.head = prev
    return manifest


def _entry(line: bytes, number: int) -> ManifestEntry | str:
    """The entry on a line, or why the line is not one."""
    try:
        data = json.loads(line)
    except ValueError:
        return "not a JSON line"
    if not isinstance(data, dict) or not isinstance(data.get("prev"), str):
        return "not a manifest entry"
    try:
        entry = ManifestEntry(
            line=number,
            id=data["id"],
            url=data["url"],
            fetched_at=data["fetched_at"],
            warc_path=data["warc_path"],
            warc_member=data["warc_member"],
            record_offset=data["record_offset"],
            record_id=data["record_id"],
            warc_sha256=data["warc_sha256"],
            payload_sha256=data["payload_sha256"],
        )
    except KeyError as exc:
        return f"not a manifest entry (no {exc})"
    types: dict[str, Any] = {"id": str, "warc_path": str, "record_offset": int, "warc_sha256": str}
    if any(not isinstance(getattr(entry, name), kind) for name, kind in types.items()):
        return "not a manifest entry (a field of the wrong type)"
    return entry


@contextmanager
def locked(archive_dir: Path) -> Iterator[None]:
    """Hold the archive's write lock: one writer appends (and completes) the manifest at a time."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    with (archive_dir / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def append(archive_dir: Path, captures: Iterable[Capture], create: bool) -> int:
    """Append a line for each capture the manifest lacks (call under ``locked``); how many were written.

    A missing manifest is created only if ``create`` (a new archive): an older archive's stays absent.
    """
    path = manifest_path(archive_dir)
    if not path.exists() and not create:
        return 0
    manifest = read_manifest(archive_dir)
    if manifest.torn_tail:  # bytes of a line whose write never finished: never a whole entry
        with path.open("rb+") as stream:
            data = stream.read()
            stream.truncate(data.rfind(b"\n") + 1)
    prev = manifest.head
    written = set(manifest.entries)
    lines = []
    for capture in captures:
        if capture.id in written:
            continue
        line = line_for(capture, prev)
        lines.append(line)
        prev = _digest(line)
        written.add(capture.id)
    if lines:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            remaining = memoryview(b"".join(line + b"\n" for line in lines))
            while remaining:  # one call for a file of this size; a signal cannot stop it half-way
                remaining = remaining[os.write(descriptor, remaining) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return len(lines)


def rebuild(archive_dir: Path, captures: Iterable[Capture]) -> int:
    """Write a manifest for an archive that has none, from the captures indexed now; lines written.

    It vouches only for what the index holds today; a capture deleted before it is not found by it.
    """
    with locked(archive_dir):
        if manifest_path(archive_dir).exists():
            raise FileExistsError(f"{manifest_path(archive_dir)} exists; a manifest is never rewritten")
        return append(archive_dir, captures, create=True)
