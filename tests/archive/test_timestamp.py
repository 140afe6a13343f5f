"""RFC 3161 timestamps: skipped cleanly when no TSA is configured, never fatal when it fails."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rfc3161_client import _rust as rfc3161

from longarm.archive.capture import capture_url
from longarm.archive.timestamp import timestamp_request
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
