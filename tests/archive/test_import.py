"""Importing WARC and WACZ files made elsewhere, matched to sources by normalised URL."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from longarm.archive import capture_for_source, captures_for_source, source_urls
from longarm.archive.importer import import_file
from longarm.archive.index import CaptureIndex
from longarm.archive.verify import verify_archive
from longarm.archive.warc import WarcError
from longarm.ledger.store import Store, build

SOURCE_URL = "http://bureau.example.cn/news/0406.html"
ARCHIVED_URL = "https://www.bureau.example.cn/news/0406.html"  # how the Wayback Machine spelled it
PAGE = (
    "<html><head><meta charset='gbk'><title>授牌仪式</title></head>"
    "<body><p>警侨驿站授牌仪式在米兰举行。</p></body></html>"
)


def write_warc(out: io.BufferedIOBase | io.BytesIO, *, gzipped: bool = True) -> None:
    """A WARC as a crawler writes one: the page via a redirect, a stylesheet, and a request record."""
    writer = WARCWriter(out, gzip=gzipped)

    def response(url: str, status: str, body: bytes, headers: list[tuple[str, str]], date: str) -> None:
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        payload = io.BytesIO(body)
        dated = {"WARC-Date": date}
        record = writer.create_warc_record(
            url, "response", payload=payload, length=len(body), http_headers=http, warc_headers_dict=dated
        )
        writer.write_record(record)

    response(SOURCE_URL, "301 Moved Permanently", b"", [("Location", ARCHIVED_URL)], "2022-10-01T10:00:00Z")
    response(ARCHIVED_URL, "200 OK", PAGE.encode("gbk"), [("Content-Type", "text/html")], "2022-10-01T10:00:01Z")
    css = "https://www.bureau.example.cn/site.css"
    response(css, "200 OK", b"body{}", [("Content-Type", "text/css")], "2022-10-01T10:00:02Z")
    request = StatusAndHeaders(
        "GET /news/0406.html HTTP/1.1", [("Host", "www.bureau.example.cn")], is_http_request=True
    )
    writer.write_record(writer.create_warc_record(ARCHIVED_URL, "request", http_headers=request))


@pytest.fixture
def store(mini_data: Path, tmp_path: Path) -> Store:
    path = mini_data / "sources.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- id: bureau-news\n", f"- id: bureau-news\n  url: {SOURCE_URL}\n"),
        encoding="utf-8",
    )
    db = tmp_path / "db" / "longarm.db"
    build(db, mini_data)
    return Store(db)


@pytest.fixture
def warc_file(tmp_path: Path) -> Path:
    path = tmp_path / "wayback download.warc.gz"
    with path.open("wb") as out:
        write_warc(out)
    return path


def archive_dir(store: Store) -> Path:
    return store.path.parent / "captures"


def do_import(store: Store, path: Path) -> list[str]:
    with CaptureIndex(archive_dir(store), writable=True) as index:
        result = import_file(path, index, source_urls(store))
    return [c.id for c in result.captures]


def test_warc_import_links_the_page_to_its_source_through_the_redirect(store: Store, warc_file: Path) -> None:
    assert len(do_import(store, warc_file)) == 1, "the page, not the stylesheet"
    c = capture_for_source(store, "bureau-news")
    assert c is not None
    assert (c.url, c.final_url, c.source_id, c.status) == (SOURCE_URL, ARCHIVED_URL, "bureau-news", 200)
    assert c.fetched_at == "2022-10-01T10:00:01+00:00", "the time of the original capture"
    assert [h["status"] for h in c.redirect_chain] == [301, 200]
    assert "警侨驿站授牌仪式在米兰举行。" in c.text and c.charset == "gb18030"
    assert c.origin == "imported:wayback download.warc.gz"
    kept = archive_dir(store) / c.warc_path
    assert kept.read_bytes() == warc_file.read_bytes(), "the imported file is kept byte for byte"
    with CaptureIndex(archive_dir(store)) as index:
        assert verify_archive(index).ok


def test_importing_the_same_file_twice_adds_nothing(store: Store, warc_file: Path) -> None:
    do_import(store, warc_file)
    with CaptureIndex(archive_dir(store), writable=True) as index:
        again = import_file(warc_file, index, source_urls(store))
    assert again.captures == [] and again.already_archived == 1
    assert len(captures_for_source(store, "bureau-news")) == 1


def test_wacz_import(store: Store, tmp_path: Path) -> None:
    warc = io.BytesIO()
    write_warc(warc)
    wacz = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(wacz, "w") as package:
        package.writestr(zipfile.ZipInfo("archive/data.warc.gz"), warc.getvalue())
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
        package.writestr("indexes/index.cdx", "")
    assert len(do_import(store, wacz)) == 1
    c = capture_for_source(store, "bureau-news")
    assert c is not None and c.warc_member == "archive/data.warc.gz"
    with CaptureIndex(archive_dir(store)) as index:
        assert verify_archive(index).ok


def test_uncompressed_warc_import(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    with path.open("wb") as out:
        write_warc(out, gzipped=False)
    assert len(do_import(store, path)) == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"this is not a warc at all", "notes.warc", "not a readable WARC"),
        (b"PK\x03\x04 broken zip", "broken.wacz", "not a readable WACZ"),
        (None, "empty.wacz", "no archive/*.warc.gz inside"),
        ("truncated", "cut.warc.gz", "not a readable WARC"),
    ],
)
def test_corrupt_files_are_refused_and_change_nothing(
    content: bytes | str | None, name: str, message: str, store: Store, warc_file: Path, tmp_path: Path
) -> None:
    do_import(store, warc_file)
    before = sorted(p.name for p in archive_dir(store).rglob("*"))
    index_bytes = (archive_dir(store) / "captures.db").read_bytes()
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("datapackage.json", "{}")
    elif content == "truncated":
        data = warc_file.read_bytes()
        path.write_bytes(data[: len(data) - 40])
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(WarcError, match=re.escape(message)):
        do_import(store, path)
    assert sorted(p.name for p in archive_dir(store).rglob("*")) == before
    assert (archive_dir(store) / "captures.db").read_bytes() == index_bytes


def test_a_warc_with_no_page_and_no_source_url_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "assets.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        body = gzip.compress(b"png")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/a.png", "response", payload=io.BytesIO(body), length=len(body), http_headers=http
            )
        )
    with pytest.raises(WarcError, match="nothing imported"):
        do_import(store, path)
