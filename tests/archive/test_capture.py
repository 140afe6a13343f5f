"""Capturing pages from a real HTTP server on 127.0.0.1, and reading the WARC files back with warcio."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from longarm.archive.capture import Outcome, capture_url
from longarm.archive.fetch import DECHUNKED_HEADER, USER_AGENT
from longarm.archive.text import decode, page_text
from longarm.archive.warc import file_sha256
from tests.archive.conftest import BIG5_TEXT, GB18030_TEXT, GBK_TEXT, MAX_BYTES, TEST_LIMITS, PageServer


def capture(server: PageServer, path: str, archive: Path) -> Outcome:
    return capture_url(server.url(path), archive, TEST_LIMITS)


def warc_records(path: Path) -> list[dict[str, Any]]:
    records = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            records.append(
                {
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "headers": record.http_headers,
                    "raw": record.raw_stream.read(),
                }
            )
    return records


def test_gbk_page_is_decoded_for_text_while_the_warc_keeps_gbk_bytes(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture(page_server, "/gbk.html", tmp_path)
    assert outcome.state == "captured" and outcome.capture is not None
    c = outcome.capture
    assert (c.status, c.charset, c.charset_from) == (200, "gb18030", "meta")
    assert c.title == "警侨服务站"
    assert GBK_TEXT in c.text
    assert "首页" not in c.text, "navigation is not main text"
    response = next(r for r in warc_records(tmp_path / c.warc_path) if r["type"] == "response")
    assert GBK_TEXT.encode("gbk") in response["raw"], "the WARC keeps the original GBK bytes"
    assert GBK_TEXT.encode("utf-8") not in response["raw"]
    assert c.payload_sha256 == hashlib.sha256(response["raw"]).hexdigest()
    assert c.warc_sha256 == file_sha256(tmp_path / c.warc_path)


def test_big5_page_declared_in_the_http_header(page_server: PageServer, tmp_path: Path) -> None:
    c = capture(page_server, "/big5.html", tmp_path).capture
    assert c is not None
    assert c.charset_from == "http-header" and c.charset in ("cp950", "big5hkscs", "big5")
    assert BIG5_TEXT in c.text and c.title == "警僑服務站"


def test_undeclared_gb18030_page_is_detected(page_server: PageServer, tmp_path: Path) -> None:
    c = capture(page_server, "/gb18030-undeclared.html", tmp_path).capture
    assert c is not None
    assert c.charset_from == "detected"
    assert GB18030_TEXT in c.text


def test_warc_has_request_and_response_for_every_redirect_hop(page_server: PageServer, tmp_path: Path) -> None:
    c = capture(page_server, "/redirect/1", tmp_path).capture
    assert c is not None and c.ok
    assert c.url == page_server.url("/redirect/1")
    assert c.final_url == page_server.url("/final.html")
    assert [(hop["url"], hop["status"]) for hop in c.redirect_chain] == [
        (page_server.url("/redirect/1"), 301),
        (page_server.url("/redirect/2"), 302),
        (page_server.url("/final.html"), 200),
    ]
    assert c.redirect_chain[0]["location"] == "/redirect/2"
    records = warc_records(tmp_path / c.warc_path)
    assert [r["type"] for r in records] == ["warcinfo", *["request", "response"] * 3, "metadata"]
    requests = [r for r in records if r["type"] == "request"]
    assert all(r["headers"].get_header("User-Agent") == USER_AGENT for r in requests)
    assert USER_AGENT.startswith("longarm/")
    assert [r["status"] for r in records if r["type"] == "response"] == ["301", "302", "200"]
    metadata = json.loads(records[-1]["raw"])
    assert metadata["final_url"] == c.final_url and len(metadata["redirect_chain"]) == 3
    assert "The page the redirects lead to." in c.text


def test_404_is_kept_as_evidence_of_unavailability(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture(page_server, "/missing", tmp_path)
    assert outcome.state == "unavailable"
    assert outcome.capture is not None and outcome.capture.status == 404 and not outcome.capture.ok
    assert "HTTP 404" in str(outcome.reason)
    assert (tmp_path / outcome.capture.warc_path).is_file()


def test_response_slower_than_the_timeout_fails_alone(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture(page_server, "/slow", tmp_path)
    assert outcome.state == "failed" and outcome.capture is None
    assert outcome.reason == f"timed out: no data within {TEST_LIMITS.read_timeout:g} s"
    assert not list(tmp_path.rglob("*.warc.gz")), "no WARC for a failed capture"


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked"])
def test_response_larger_than_the_cap_fails(path: str, page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture(page_server, path, tmp_path)
    assert outcome.state == "failed"
    assert f"exceeds the size cap of {MAX_BYTES} bytes" in str(outcome.reason)
    assert not list(tmp_path.rglob("*.warc*"))


def test_redirect_loop_and_refused_connection_fail_with_reasons(page_server: PageServer, tmp_path: Path) -> None:
    assert "redirect loop" in str(capture(page_server, "/loop", tmp_path).reason)
    refused = capture_url("http://127.0.0.1:9/nothing-listens-here", tmp_path, TEST_LIMITS)
    assert refused.state == "failed" and "ConnectError" in str(refused.reason)


def test_changing_page_gives_two_captures_with_different_hashes(page_server: PageServer, tmp_path: Path) -> None:
    first = capture(page_server, "/changing", tmp_path).capture
    second = capture(page_server, "/changing", tmp_path).capture
    assert first is not None and second is not None
    assert first.id != second.id and first.warc_path != second.warc_path
    assert first.payload_sha256 != second.payload_sha256
    assert first.warc_sha256 != second.warc_sha256
    assert first.fetched_at <= second.fetched_at
    assert "Version" in first.text and first.text != second.text


def test_compressed_and_chunked_bodies(page_server: PageServer, tmp_path: Path) -> None:
    gz = capture(page_server, "/gzip.html", tmp_path).capture
    assert gz is not None and "Sent gzip-encoded." in gz.text
    response = next(r for r in warc_records(tmp_path / gz.warc_path) if r["type"] == "response")
    assert response["raw"][:2] == b"\x1f\x8b", "the WARC keeps the body as sent, gzip-encoded"
    assert gz.payload_sha256 == hashlib.sha256(gzip.decompress(response["raw"])).hexdigest()
    chunked = capture(page_server, "/chunked.html", tmp_path).capture
    assert chunked is not None and "Sent in chunks." in chunked.text
    response = next(r for r in warc_records(tmp_path / chunked.warc_path) if r["type"] == "response")
    assert response["headers"].get_header(DECHUNKED_HEADER) == "chunked"
    assert response["headers"].get_header("Transfer-Encoding") is None


def test_pdf_is_kept_without_text(page_server: PageServer, tmp_path: Path) -> None:
    c = capture(page_server, "/report.pdf", tmp_path).capture
    assert c is not None and c.ok and c.content_type == "application/pdf" and c.text == ""


def test_declared_charset_that_does_not_fit_the_bytes_is_not_trusted() -> None:
    body = ("<html><body><p>" + GBK_TEXT * 3 + "</p></body></html>").encode("utf-8")
    text, charset, origin = decode(body, "text/html; charset=big5")
    assert GBK_TEXT in text and (charset, origin) == ("utf-8", "detected")
    assert page_text(b"plain words", "text/plain; charset=utf-8").text == "plain words"
