"""Where documents come from: input files, their partitions, and the documents in each partition.

Formats, told apart by file name:

- ``.warc.gz`` and ``.warc`` (CC-NEWS layout: one gzip member per record;
  response records with HTTP payloads; resource and conversion records too,
  so Common Crawl's ``.warc.wet.gz`` text extracts are read the same way);
- ``.jsonl`` / ``.ndjson`` (one ``{"id", "text", "url", "date"}`` object a
  line, read by ``longarm.extract.jsonl``) and their ``.gz`` forms;
- archives and compressed files of other kinds (``.wacz``, ``.arc.gz``,
  any other ``.gz``, ``.zip`` ...) are reported as a ``Problem``, not read;
- anything else is one HTML or text document; folders are walked.

A partition is a byte range of one file that begins where a document begins
(a gzip member that decompresses to a WARC record, a WARC header line, a
JSONL line), or a group of small document files. A document belongs to the
partition it starts in, so partitions never share a document and any worker
can read one alone. Large files split into several partitions; a gzip file
that is one single member (``gzip whole.warc``) and ``.jsonl.gz`` cannot be
entered in the middle and stay one partition.

Reading never holds more than one document (and a block of compressed
input): payloads go to a spooled temporary file that moves to disk past
``DOCUMENT_MEMORY_LIMIT``. Damage is reported as a ``Problem`` and skipped:
a corrupt gzip member (reading resumes at the next member that decompresses
to a WARC record), a truncated WARC record, a line that is not JSON.
"""

from __future__ import annotations

import gzip
import io
import itertools
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, cast

from longarm.extract.jsonl import EMPTY_LINE, JsonlError, iter_jsonl
from longarm.textdecode import HTML_LIMIT

Format = Literal["warc.gz", "warc", "jsonl", "jsonl.gz", "file"]

BLOCK = 64 * 1024
FIRST_SEARCH_WINDOW = 64 * 1024
SEARCH_WINDOW = 1024 * 1024
# A payload up to this size is held in memory (and pre-filtered there); a larger one is spooled to disk.
DOCUMENT_MEMORY_LIMIT = HTML_LIMIT
# At most this many decompressed bytes per zlib call, so a highly compressed member cannot balloon memory.
INFLATE_LIMIT = 1024 * 1024
FILES_PER_PARTITION = 1000
DOCUMENT_RECORD_TYPES = ("response", "resource", "conversion")

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_START = re.compile(rb"WARC/1\.[01]\r?\n")
_WARC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InputError(Exception):
    """An input the user named that cannot be scanned (missing, unreadable); the message says which."""


@dataclass(frozen=True)
class InputFile:
    path: str  # absolute, so any worker (and a later --resume) finds the same file
    format: Format
    size: int
    mtime_ns: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "size": self.size, "mtime_ns": self.mtime_ns}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InputFile:
        return cls(data["path"], data["format"], data["size"], data["mtime_ns"])


@dataclass(frozen=True)
class Partition:
    """Bytes [start, end) of one file, or (format "file") whole document files."""

    index: int
    format: Format
    files: tuple[str, ...]
    start: int
    end: int  # for "file" partitions: the files' total size

    @property
    def size(self) -> int:
        return self.end - self.start

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "format": self.format,
            "files": list(self.files),
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Partition:
        return cls(data["index"], data["format"], tuple(data["files"]), data["start"], data["end"])


@dataclass(frozen=True)
class Problem:
    """Damage in an input, reported and skipped."""

    file: str
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.file} at byte {self.offset}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "offset": self.offset, "problem": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(data["file"], data["offset"], data["problem"])


@dataclass
class Document:
    """One document: its text (JSONL) or its bytes (a WARC payload, a file), and where it is."""

    id: Any
    url: str | None
    date: str | None
    lang: str | None
    input: dict[str, Any]
    text: str | None = None
    body: BinaryIO | None = None
    body_size: int = 0
    content_type: str | None = None  # of a payload: the HTTP (or WARC record) Content-Type, with its charset


@dataclass
class ReadCounts:
    """What a reader passed over that is not a document, and how much it decompressed."""

    records_ignored: int = 0  # WARC records that hold no document: requests, metadata, non-2xx responses
    decompressed_bytes: int = 0


# ---------------------------------------------------------------- finding inputs


def format_of(name: str) -> Format:
    lower = name.lower()
    if lower.endswith((".warc.gz", ".wet.gz")):
        return "warc.gz"
    if lower.endswith((".warc", ".wet")):
        return "warc"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl.gz"
    return "file"


UNREAD = (
    ((".wacz",), "a WACZ archive: not read; unzip it and scan the WARC files in its archive/ folder"),
    ((".arc", ".arc.gz"), "an ARC file (the format before WARC): not read; convert it to WARC first"),
    (
        (".gz", ".tgz", ".bz2", ".xz", ".zst", ".zip", ".7z", ".tar"),
        "a compressed file of unknown content: not read; decompress it, or name it .warc.gz or .jsonl.gz if it is one",
    ),
)


def unread_reason(name: str) -> str | None:
    """Why a "file" input is not read as a document (an archive or compressed file), or None."""
    lower = name.lower()
    for suffixes, reason in UNREAD:
        if lower.endswith(suffixes):
            return reason
    return None


def discover(paths: Sequence[str]) -> list[InputFile]:
    """The files to scan, in the order given; folders walked in name order, hidden entries skipped."""
    found: list[InputFile] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if str(resolved) in seen:
            return
        try:
            stat = resolved.stat()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
        if not os.access(resolved, os.R_OK):
            raise InputError(f"{path}: cannot read (permission denied)")
        seen.add(str(resolved))
        found.append(InputFile(str(resolved), format_of(resolved.name), stat.st_size, stat.st_mtime_ns))

    for name in paths:
        path = Path(name)
        if path.is_dir():
            before = len(found)
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for file_name in sorted(files):
                    if not file_name.startswith("."):
                        add(Path(folder, file_name))
            if len(found) == before:
                raise InputError(f"{name}: no files to scan in this folder")
        elif path.exists():
            add(path)
        else:
            raise InputError(f"{name}: no such file or folder")
    return found


# ---------------------------------------------------------------- splitting into partitions


def plan_partitions(files: Sequence[InputFile], partition_size: int) -> list[Partition]:
    """Partitions of about ``partition_size`` input bytes, in input order."""
    partitions: list[Partition] = []
    group: list[InputFile] = []
    group_size = 0

    def add(fmt: Format, names: tuple[str, ...], start: int, end: int) -> None:
        partitions.append(Partition(len(partitions), fmt, names, start, end))

    def flush_group() -> None:
        nonlocal group_size
        if group:
            add("file", tuple(f.path for f in group), 0, group_size)
            group.clear()
            group_size = 0

    for item in files:
        if item.format == "file":
            if group and (group_size + item.size > partition_size or len(group) >= FILES_PER_PARTITION):
                flush_group()
            group.append(item)
            group_size += item.size
            continue
        flush_group()
        if item.size == 0:
            continue
        bounds = [0, *split_points(item, partition_size), item.size]
        for start, end in itertools.pairwise(bounds):
            if end > start:
                add(item.format, (item.path,), start, end)
    flush_group()
    return partitions


def split_points(item: InputFile, partition_size: int) -> list[int]:
    """Offsets, about every ``partition_size`` bytes, where a document starts; [] where the file cannot be split."""
    finders: dict[str, Finder] = {
        "warc.gz": next_member_start,
        "warc": next_record_after_blank,
        "jsonl": next_line_start,
    }
    finder = finders.get(item.format)
    if finder is None or item.size <= partition_size:
        return []
    points: list[int] = []
    with open(item.path, "rb") as raw:
        stream = cast(BinaryIO, raw)
        for target in range(partition_size, item.size, partition_size):
            if points and points[-1] >= target:
                continue
            point = finder(stream, target, item.size)
            if point >= item.size:
                break
            points.append(point)
    return points


Finder = Callable[[BinaryIO, int, int], int]


def _search(stream: BinaryIO, pos: int, limit: int, pattern: bytes, accept: Callable[[BinaryIO, int], bool]) -> int:
    """The first offset >= pos and < limit where ``pattern`` occurs and ``accept(stream, offset)`` holds; else limit."""
    overlap = len(pattern) - 1
    size = FIRST_SEARCH_WINDOW  # documents are usually small: read little first, more only if need be
    while pos < limit:
        stream.seek(pos)
        window = stream.read(min(size, limit - pos + overlap))
        size = min(size * 2, SEARCH_WINDOW)
        if not window:
            return limit
        at = window.find(pattern)
        while at != -1 and pos + at < limit:
            if accept(stream, pos + at):
                return pos + at
            at = window.find(pattern, at + 1)
        if len(window) <= overlap:
            return limit
        pos += len(window) - overlap
    return limit


def is_member_start(stream: BinaryIO, offset: int) -> bool:
    """A gzip member begins at ``offset`` and decompresses to the start of a WARC record."""
    stream.seek(offset)
    head = stream.read(4096)
    if len(head) < 10 or not head.startswith(_GZIP_MAGIC) or head[3] & 0xE0:
        return False
    try:
        return zlib.decompressobj(31).decompress(head, 16).startswith(b"WARC/")
    except zlib.error:
        return False


def next_member_start(stream: BinaryIO, pos: int, limit: int) -> int:
    return _search(stream, pos, limit, _GZIP_MAGIC, is_member_start)


def _is_warc_header(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    head = stream.read(4096)
    end = head.find(b"\r\n\r\n")
    block = head[: end if end != -1 else len(head)].lower()
    return bool(_WARC_START.match(head)) and b"\nwarc-type:" in block and b"\ncontent-length:" in block


def next_warc_record_start(stream: BinaryIO, pos: int, limit: int) -> int:
    """The next WARC header: where reading resumes after a damaged record."""
    return _search(stream, pos, limit, b"WARC/1.", _is_warc_header)


def next_record_after_blank(stream: BinaryIO, pos: int, limit: int) -> int:
    """The next WARC header that follows the blank lines ending a record: a split point is never
    a WARC-looking line inside a payload."""
    found = _search(stream, max(pos - 4, 0), limit, b"\r\n\r\nWARC/1.", lambda s, at: _is_warc_header(s, at + 4))
    return found + 4 if found < limit else limit


def next_line_start(stream: BinaryIO, pos: int, limit: int) -> int:
    if pos == 0:
        return 0
    found = _search(stream, pos - 1, limit, b"\n", lambda _stream, _at: True)
    return found + 1 if found < limit else limit


# ---------------------------------------------------------------- reading partitions


def read_partition(partition: Partition, counts: ReadCounts) -> Iterator[Document | Problem]:
    if partition.format == "file":
        yield from _read_files(partition.files)
        return
    path = partition.files[0]
    if partition.format == "warc.gz":
        yield from _read_warc_gz(path, partition.start, partition.end, counts)
    elif partition.format == "warc":
        yield from _read_warc(path, partition.start, partition.end, counts)
    elif partition.format == "jsonl":
        with open(path, "rb") as stream:
            stream.seek(partition.start)
            yield from _read_jsonl(cast(BinaryIO, stream), path, "jsonl", partition.start, partition.end)
    else:
        yield from _read_jsonl_gz(path, counts)


class CorruptMember(Exception):
    """The gzip member being read is damaged or cut off."""


class _GzipMember(io.RawIOBase):
    """The decompressed bytes of the one gzip member at ``offset``, inflated a block at a time."""

    def __init__(self, stream: BinaryIO, offset: int, counts: ReadCounts) -> None:
        super().__init__()
        self._stream = stream
        self._inflater = zlib.decompressobj(31)
        self._input = b""
        self._position = 0
        self._counts = counts
        self.offset = offset
        self.compressed_length = 0  # known once the member's end is reached
        stream.seek(offset)

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while not self._inflater.eof:
            if not self._input:
                self._input = self._stream.read(BLOCK)
                if not self._input:
                    raise CorruptMember("the file ends inside this gzip member")
                self.compressed_length += len(self._input)
            try:
                data = self._inflater.decompress(self._input, min(len(view), INFLATE_LIMIT))
            except zlib.error as exc:
                raise CorruptMember(f"corrupt gzip data ({exc})") from exc
            self._input = self._inflater.unconsumed_tail
            if self._inflater.eof:
                self.compressed_length -= len(self._inflater.unused_data)
            if data:
                view[: len(data)] = data
                self._position += len(data)
                self._counts.decompressed_bytes += len(data)
                return len(data)
        return 0


class NotWarcRecord(Exception):
    pass


class TruncatedRecord(Exception):
    pass


class _RecordReader:
    """One WARC record at a time from a buffered stream, with warcio's header and HTTP parsers."""

    def __init__(self, path: str, counts: ReadCounts) -> None:
        from warcio.recordloader import ArcWarcRecordLoader  # here: importing warcio costs every command 30 ms

        self.path = path
        self.counts = counts
        self.loader = ArcWarcRecordLoader(verify_http=False)

    def read(self, stream: io.BufferedReader[Any], where: dict[str, Any]) -> Document | Problem | None:
        """The document in the record at the stream's position (None if it holds none); leaves the
        stream after the record. Raises NotWarcRecord or TruncatedRecord where framing is lost."""
        try:
            record = self.loader.parse_record_stream(stream, known_format="warc", no_record_parse=True)
        except Exception as exc:  # warcio raises ArchiveLoadFailed, parser and value errors on non-WARC bytes
            if isinstance(exc, CorruptMember):
                raise
            raise NotWarcRecord(f"not a WARC record ({_first_line(exc)})") from exc
        if record.length is None:  # without it the record's end is unknown: reading on would swallow the file
            raise NotWarcRecord("WARC record without a Content-Length")
        headers = record.rec_headers
        content = record.raw_stream
        length = record.length
        result: Document | Problem | None = None
        if record.rec_type in DOCUMENT_RECORD_TYPES:
            result = self._document(record, where)
        else:
            self.counts.records_ignored += 1
        try:
            while content.read(BLOCK):
                pass
            if content.limit > 0:
                got = length - content.limit
                raise TruncatedRecord(f"truncated WARC record: {got} of {length} content bytes, skipped")
            if _skip_record_end(stream) == 0 and stream.peek(1):
                raise TruncatedRecord("WARC record does not end where its Content-Length says, skipped")
        except BaseException:
            if isinstance(result, Document):
                _close(result)
            raise
        if isinstance(result, Document):
            result.id = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
        return result

    def _document(self, record: Any, where: dict[str, Any]) -> Document | Problem | None:
        headers = record.rec_headers
        url = headers.get_header("WARC-Target-URI")
        # a resource or conversion record's own type; a response's is in its HTTP headers
        content_type = None if record.rec_type == "response" else headers.get_header("Content-Type")
        if record.rec_type == "response" and url and url.startswith(("http:", "https:")) and record.length:
            try:
                record.http_headers = self.loader.load_http_headers("response", url, record.raw_stream, record.length)
            except Exception as exc:  # warcio's HTTP parser raises several kinds on malformed headers
                if isinstance(exc, CorruptMember):
                    raise
                return Problem(self.path, where["offset"], f"unreadable HTTP headers ({_first_line(exc)}), skipped")
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            if not (status or "").startswith("2"):
                self.counts.records_ignored += 1
                return None
            content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
        spool = tempfile.SpooledTemporaryFile(max_size=DOCUMENT_MEMORY_LIMIT)  # noqa: SIM115 - closed by the reader
        size = 0
        try:
            payload = record.content_stream()
            while block := payload.read(BLOCK):
                spool.write(block)
                size += len(block)
        except CorruptMember:
            spool.close()
            raise
        except Exception as exc:  # content decoding (gzip, brotli, chunked) of a damaged payload
            spool.close()
            return Problem(self.path, where["offset"], f"unreadable payload ({_first_line(exc)}), skipped")
        spool.seek(0)
        date = headers.get_header("WARC-Date") or ""
        return Document(
            id=None,
            url=url,
            date=date[:10] if _WARC_DATE.match(date) else None,
            lang=None,
            input=where,
            body=cast(BinaryIO, spool),
            body_size=size,
            content_type=content_type,
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _skip_record_end(stream: io.BufferedReader[Any]) -> int:
    """Skip the blank lines that end a record; how many bytes were skipped."""
    skipped = 0
    while (ahead := stream.peek(1)[:64]) and ahead[:1] in (b"\r", b"\n"):
        run = len(ahead) - len(ahead.lstrip(b"\r\n"))
        stream.read(run)
        skipped += run
    return skipped


def _read_warc_gz(path: str, start: int, end: int, counts: ReadCounts) -> Iterator[Document | Problem]:
    """Members starting in [start, end), each read to its end; a damaged one is skipped by searching
    for the next member that decompresses to a WARC record (the test the split points use)."""
    reader = _RecordReader(path, counts)
    with open(path, "rb") as raw:
        file = cast(BinaryIO, raw)
        offset = start
        while offset < end:
            member = _GzipMember(file, offset, counts)
            stream = io.BufferedReader(member, BLOCK)
            number = 0
            try:
                while stream.peek(1):
                    where: dict[str, Any] = {"file": path, "format": "warc.gz", "offset": offset}
                    if number:
                        where["record"] = number  # a member holding several records: which one
                    item = reader.read(stream, where)
                    number += 1
                    if item is not None:
                        yield item
                        _close(item)
            except (CorruptMember, NotWarcRecord) as exc:
                yield Problem(path, offset, f"gzip member: {exc}; skipped to the next member")
                offset = next_member_start(file, offset + 1, end)
                continue
            except TruncatedRecord as exc:
                yield Problem(path, offset, str(exc))
                if not _drain(stream):
                    offset = next_member_start(file, offset + 1, end)
                    continue
            # anything but a member next (padding, garbage) fails to inflate there and is reported as above
            offset += member.compressed_length


def _close(item: Document | Problem) -> None:
    if isinstance(item, Document) and item.body is not None:
        item.body.close()


def _drain(stream: io.BufferedReader[Any]) -> bool:
    """Read a member to its end; False if it turns out to be damaged as well."""
    try:
        while stream.read(BLOCK):
            pass
    except CorruptMember:
        return False
    return True


def _read_warc(path: str, start: int, end: int, counts: ReadCounts) -> Iterator[Document | Problem]:
    """Records starting in [start, end); after a damaged one, reading resumes at the next WARC header."""
    reader = _RecordReader(path, counts)
    with open(path, "rb", buffering=0) as raw:
        stream = io.BufferedReader(raw, BLOCK)
        stream.seek(start)
        _skip_record_end(stream)
        while (offset := stream.tell()) < end and stream.peek(1):
            where: dict[str, Any] = {"file": path, "format": "warc", "offset": offset}
            try:
                item = reader.read(stream, where)
            except (NotWarcRecord, TruncatedRecord) as exc:
                yield Problem(path, offset, str(exc))
                stream.seek(next_warc_record_start(cast(BinaryIO, stream), offset + 1, end))
                continue
            if item is not None:
                where["length"] = stream.tell() - offset
                yield item
                _close(item)
        counts.decompressed_bytes += stream.tell() - start


def _read_jsonl(stream: BinaryIO, path: str, fmt: Format, start: int, end: int | None) -> Iterator[Document | Problem]:
    """Lines starting in [start, end), read as `longarm extract --jsonl` reads them."""
    for item in iter_jsonl(stream, start, end):
        if isinstance(item, JsonlError):
            if item.message != EMPTY_LINE:
                yield Problem(path, item.offset, f"{item.message}, skipped")
            continue
        yield Document(
            id=item.id if item.id is not None else f"{path}@{item.offset}",
            url=item.url,
            date=item.date,
            lang=item.lang,
            input={"file": path, "format": fmt, "offset": item.offset},
            text=item.text,
        )


def _read_jsonl_gz(path: str, counts: ReadCounts) -> Iterator[Document | Problem]:
    with gzip.open(path, "rb") as stream:
        try:
            yield from _read_jsonl(cast(BinaryIO, stream), path, "jsonl.gz", 0, None)
        except (OSError, EOFError, zlib.error) as exc:
            yield Problem(path, 0, f"damaged gzip file ({_first_line(exc)}); the rest of it is skipped")
        counts.decompressed_bytes += stream.tell()


def _read_files(paths: Sequence[str]) -> Iterator[Document | Problem]:
    for path in paths:
        reason = unread_reason(path)
        if reason is not None:
            yield Problem(path, 0, reason)
            continue
        try:
            stream: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed after the document is used
        except OSError as exc:
            yield Problem(path, 0, f"cannot read ({exc.strerror}), skipped")
            continue
        with stream:
            yield Document(
                id=path,
                url=None,
                date=None,
                lang=None,
                input={"file": path, "format": "file"},
                body=cast(BinaryIO, stream),
                body_size=os.fstat(stream.fileno()).st_size,
            )
