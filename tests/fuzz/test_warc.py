"""The WARC readers on damaged, truncated and garbage files: scan's reader reports and skips, the
importer refuses with one WarcError and changes nothing, and what it accepts verifies."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from longarm.archive.importer import apply_import, plan_import
from longarm.archive.index import CaptureIndex
from longarm.archive.verify import verify_archive
from longarm.archive.warc import WarcError
from longarm.ledger.store import build
from longarm.scan.inputs import Document, Format, InputFile, Problem, ReadCounts, plan_partitions, read_partition
from longarm.scan.partition import scan_partition
from tests.fuzz.conftest import bounded, tried

CLAIM = "2016年5至8月间，温州市公安局瓯海分局分别在法国、意大利，先后设立巴黎、米兰、普拉托3个“警侨之家海外联络点”。"


HOSTILE_URLS = [
    "http://[::1/a",
    "http://x.cn:port/",
    "http://x.cn:99999999/",
    "javascript:x",
    "",
    "https://例子.测试/页",
]


def warc_bytes(pages: list[tuple[str, str, bytes]], gzipped: bool, odd_url: str | None = None) -> bytes:
    """A crawl: per page a response (status, content type, body) and a request record; with ``odd_url``
    the last page is at that URL and every redirect points to it."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for number, (status, content_type, body) in enumerate(pages):
        url = odd_url if odd_url is not None and number == len(pages) - 1 else f"https://example.org/{number}.html"
        headers = [("Content-Type", content_type)]
        if odd_url is not None and status.startswith("3"):
            headers.append(("Location", odd_url))
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict=_fixed(number, "response"),
            )
        )
        request = StatusAndHeaders(f"GET /{number}.html HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(url, "request", http_headers=request, warc_headers_dict=_fixed(number, "request"))
        )
    return out.getvalue()


def _fixed(number: int, kind: str) -> dict[str, str]:
    """Record id and date given, not drawn at random: the same pages are the same bytes (Hypothesis replays)."""
    serial = f"{number:04d}{'0' if kind == 'response' else '1'}"
    return {
        "WARC-Date": f"2022-10-01T10:00:{number % 60:02d}Z",
        "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-0000000{serial}>",
    }


pages = st.lists(
    st.tuples(
        st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "200", "999 ?", "abc"]),
        st.sampled_from(["text/html", "text/html; charset=gbk", "text/plain", "application/pdf", "image/png", ""]),
        st.one_of(
            st.binary(max_size=200),
            st.text(max_size=100).map(lambda t: f"<html><p>{t}{CLAIM}</p></html>".encode()),
            st.just(CLAIM.encode("gbk")),
        ),
    ),
    min_size=1,
    max_size=4,
)


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, with bytes flipped, inserted or removed, or replaced by garbage."""
    kind = draw(st.sampled_from(["intact"] * 3 + ["truncate", "flip", "insert", "delete", "garbage", "warc-garbage"]))
    if kind == "garbage":
        return draw(st.binary(max_size=400))
    if kind == "warc-garbage":  # looks like a WARC header, then nonsense
        return b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: " + draw(st.binary(max_size=100))
    if kind == "intact" or not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    return data[:at] + data[at + draw(st.integers(1, 40)) :]


@st.composite
def warc_files(draw: st.DrawFn) -> tuple[bytes, bool]:
    gzipped = draw(st.booleans())
    odd_url = draw(st.none() | st.sampled_from(HOSTILE_URLS) | st.text(max_size=30))
    return draw(damaged(warc_bytes(draw(pages), gzipped, odd_url))), gzipped


@st.composite
def wacz_files(draw: st.DrawFn) -> bytes:
    """A WACZ (a zip) holding a maybe damaged WARC, the zip itself maybe damaged."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as wacz:
        name = draw(st.sampled_from(["archive/data.warc.gz", "archive/data.warc", "other/data.warc.gz"]))
        member = zipfile.ZipInfo(name, date_time=(2022, 10, 1, 10, 0, 0))
        wacz.writestr(member, draw(warc_files())[0])
    return draw(damaged(out.getvalue()))


@bounded(600)
@given(file=warc_files(), size=st.integers(64, 4096))
def test_scan_reads_any_warc_without_an_exception(tmp_path: Path, file: tuple[bytes, bool], size: int) -> None:
    tried("warc-scan")
    data, gzipped = file
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    fmt: Format = "warc.gz" if gzipped else "warc"
    item = InputFile(str(path), fmt, len(data), path.stat().st_mtime_ns)
    for partition in plan_partitions([item], size):
        for found in read_partition(partition, ReadCounts()):
            assert isinstance(found, Document | Problem)
            if isinstance(found, Problem):
                assert found.message and "\n" not in found.message
        result = scan_partition(partition)
        assert not [p for p in result.problems if "extractor failed" in p.message]


@bounded(150)
@given(pages=pages, gzipped=st.booleans(), size=st.integers(64, 2048))
def test_an_intact_warc_reads_the_same_however_it_is_split(
    tmp_path: Path, pages: list[tuple[str, str, bytes]], gzipped: bool, size: int
) -> None:
    tried("warc-split")
    data = warc_bytes(pages, gzipped)
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    fmt: Format = "warc.gz" if gzipped else "warc"
    item = InputFile(str(path), fmt, len(data), path.stat().st_mtime_ns)

    def documents(partition_size: int) -> list[tuple[int, str | None]]:
        found = []
        for partition in plan_partitions([item], partition_size):
            for read in read_partition(partition, ReadCounts()):
                assert not isinstance(read, Problem), read
                found.append((read.input["offset"], read.url))
        return found

    assert documents(size) == documents(1 << 30)


@bounded(500)
@given(file=warc_files())
def test_import_accepts_or_refuses_with_one_error_and_what_it_accepts_verifies(
    tmp_path: Path, file: tuple[bytes, bool]
) -> None:
    tried("warc-import")
    data, gzipped = file
    folder = tmp_path / "archive"
    path = tmp_path / ("given.warc.gz" if gzipped else "given.warc")
    path.write_bytes(data)
    _import_and_verify(path, folder)


@bounded(200)
@given(data=wacz_files())
def test_wacz_import_accepts_or_refuses_with_one_error(tmp_path: Path, data: bytes) -> None:
    tried("wacz-import")
    path = tmp_path / "given.wacz"
    path.write_bytes(data)
    _import_and_verify(path, tmp_path / "archive")


def _import_and_verify(path: Path, folder: Path) -> None:
    with CaptureIndex(folder, writable=True) as index:
        before = _tree(folder)
        try:
            plan = plan_import(path, {})
        except WarcError as exc:
            event("refused")
            assert "\n" not in str(exc) and path.name in str(exc)
            assert _tree(folder) == before, "a refused file changes nothing"
            return
        event("imported")
        result = apply_import(plan, index, {})
        assert result.captures or result.already_archived
        report = verify_archive(index)
    assert report.ok, [str(p) for p in report.problems]
    _clear(folder)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _clear(folder: Path) -> None:
    """The next example starts from an empty archive (the tmp_path is shared between examples)."""
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


# ---------------------------------------------------------------- the command line, a few runs


@pytest.fixture
def database(mini_data: Path, tmp_path: Path) -> Path:
    db = tmp_path / "db" / "longarm.db"
    build(db, mini_data)
    return db


def _damaged_examples() -> list[tuple[str, bytes]]:
    """A fixed handful, so each run of the CLI costs a process start: one of each kind of damage."""
    good = warc_bytes([("200 OK", "text/html", f"<p>{CLAIM}</p>".encode()), ("404 Not Found", "text/html", b"")], True)
    plain = gzip.decompress(good)
    return [
        ("truncated.warc.gz", good[: len(good) // 2]),
        ("flipped.warc.gz", good[:100] + bytes([good[100] ^ 0xFF]) + good[101:]),
        ("truncated.warc", plain[: len(plain) - 30]),
        ("garbage.warc", os.urandom(300)),
        ("empty.warc.gz", b""),
        ("intact.warc.gz", good),
    ]


def test_import_from_the_command_line_on_damaged_files(database: Path, tmp_path: Path) -> None:
    folder = database.parent / "captures"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"))
    for name, data in _damaged_examples():
        tried("warc-import-cli")
        path = tmp_path / name
        path.write_bytes(data)
        before = _tree(folder) if folder.exists() else {}
        done = subprocess.run(
            [sys.executable, "-m", "longarm", "--db", str(database), "archive", "--import", str(path), "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert "Traceback" not in done.stderr
        if name.startswith("intact"):
            assert done.returncode == 0, done.stderr
            assert len(json.loads(done.stdout)["imports"][0]["captures"]) == 1  # the page; the 404 is no page
        else:
            assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
            assert name in done.stderr
            assert (_tree(folder) if folder.exists() else {}) == before
    verified = subprocess.run(
        [sys.executable, "-m", "longarm", "--db", str(database), "verify", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert verified.returncode == 0 and json.loads(verified.stdout)["captures"] == 1, verified.stdout
