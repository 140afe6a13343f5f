"""RFC 3161 timestamps: skipped cleanly when no TSA is configured, never fatal when it fails."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rfc3161_client import VerifierBuilder, decode_timestamp_response
from rfc3161_client import _rust as rfc3161

from longarm.archive.capture import capture_url
from longarm.archive.index import CaptureIndex
from longarm.archive.timestamp import timestamp_request
from longarm.archive.verify import verify_archive
from tests.archive.conftest import TEST_LIMITS, PageServer


def test_no_tsa_configured_sends_nothing_and_records_no_token(page_server: PageServer, tmp_path: Path) -> None:
    before = len(page_server.tsa_requests)
    outcome = capture_url(page_server.url("/gbk.html"), tmp_path, TEST_LIMITS)
    assert outcome.capture is not None and outcome.timestamp_problem is None
    assert (outcome.capture.tsa_url, outcome.capture.timestamp_path) == (None, None)
    assert len(page_server.tsa_requests) == before
    assert not list(tmp_path.rglob("*.tsr"))


def test_failing_tsa_keeps_the_capture_and_says_why(page_server: PageServer, tmp_path: Path) -> None:
    for path, reason in (("/tsa-down", "HTTP 500"), ("/tsa-garbage", "not a timestamp reply")):
        outcome = capture_url(page_server.url("/gbk.html"), tmp_path, TEST_LIMITS, tsa_url=page_server.url(path))
        assert outcome.state == "captured" and outcome.capture is not None
        assert outcome.capture.timestamp_path is None
        assert reason in str(outcome.timestamp_problem)
        sent = rfc3161.parse_timestamp_request(page_server.tsa_requests[-1])
        warc = tmp_path / outcome.capture.warc_path
        assert sent.message_imprint.message == hashlib.sha256(warc.read_bytes()).digest(), "only the WARC's hash"
        assert sent.cert_req


def test_request_is_a_der_timestamp_query_for_sha256() -> None:
    parsed = rfc3161.parse_timestamp_request(timestamp_request(b"evidence"))
    assert parsed.message_imprint.message == hashlib.sha256(b"evidence").digest()
    assert parsed.nonce is not None


def test_granted_timestamp_is_kept_beside_the_warc_and_verified(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture_url(page_server.url("/gbk.html"), tmp_path, TEST_LIMITS, tsa_url=page_server.url("/tsa"))
    c = outcome.capture
    assert c is not None and outcome.timestamp_problem is None
    assert c.tsa_url == page_server.url("/tsa") and c.timestamped_at is not None
    assert c.timestamp_path == c.warc_path + ".tsr"
    token = (tmp_path / c.timestamp_path).read_bytes()
    warc = (tmp_path / c.warc_path).read_bytes()
    verifier = VerifierBuilder(roots=[page_server.tsa.cert], tsa_certificate=page_server.tsa.cert).build()
    assert verifier.verify_message(decode_timestamp_response(token), warc), "a token anyone can check against the TSA"
    with CaptureIndex(tmp_path, writable=True) as index:
        index.add([c])
        assert verify_archive(index).ok
        (tmp_path / c.timestamp_path).write_bytes(token[:-1] + bytes([token[-1] ^ 1]))
        assert [(p.problem, p.detail) for p in verify_archive(index).problems] == [
            ("timestamp", f"{c.timestamp_path} changed")
        ]
