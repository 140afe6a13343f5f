"""`extract` on bytes in any encoding, with any declared charset and date: a result (or NotText for binary
data), never an exception; on the command line exit 0 or a one-line error, and the database unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longarm.extract import NotText, extract_bytes, extract_document
from longarm.ledger.store import build
from tests.fuzz.conftest import bounded, tried

SENTENCES = [
    "2016年5至8月间，温州市公安局瓯海分局分别在法国、意大利，先后设立巴黎、米兰、普拉托3个“警侨之家海外联络点”。",
    "福州市公安局在加拿大多倫多設立海外警僑服務站，協助僑胞辦理證件。",
    "Wenzhou runs an overseas Chinese Police Service station in Paris, France since 2018.",
    "今年2月，青田县公安局在西班牙马德里设立华侨服务站。",
]
ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gbk", "gb18030", "big5", "big5hkscs",
    "cp950", "shift_jis", "euc-jp", "euc-kr", "iso-2022-jp", "latin-1", "cp1252", "koi8-r", "utf-7",
]  # fmt: skip
CHARSETS = [
    *ENCODINGS, "", "x-unknown", "utf8mb4", "gb2312", "hz-gb-2312", "'gbk'", '"utf-8"', "a" * 300, "\x00",
    "base64", "zlib", "rot13", "hex", "uu", "bz2", "idna", "punycode", "unicode_escape", "raw_unicode_escape",
    "utf-16 ", "mbcs", "undefined",
]  # fmt: skip

texts = st.lists(st.sampled_from(SENTENCES) | st.text(max_size=40), min_size=1, max_size=6).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """Text in some encoding, maybe wrapped in HTML declaring some charset, maybe damaged; or any bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=600))
    text = draw(texts)
    if draw(st.booleans()):
        meta = draw(
            st.sampled_from(
                ["", '<meta charset="{}">', '<meta http-equiv="Content-Type" content="text/html; charset={}">']
            )
        )
        head = meta.format(draw(st.sampled_from(CHARSETS)))
        text = f"<!doctype html><html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at + draw(st.integers(0, 8)) :]
    return data


KINDS = ["text/html", "text/plain", "application/octet-stream", "image/png", ""]
content_types = st.none() | st.tuples(st.sampled_from(KINDS), st.sampled_from(CHARSETS)).map(
    "{0[0]}; charset={0[1]}".format
)
DATES = ["2021-02-09", "2021-02-30", "0001-01-01", "9999-12-31", "2021", "yesterday", ""]
dates = st.none() | st.sampled_from(DATES) | st.text(max_size=12)


@bounded(1000)
@given(documents(), content_types, dates)
def test_any_bytes_give_a_result_or_not_text(data: bytes, content_type: str | None, date: str | None) -> None:
    tried("extract-bytes")
    try:
        result = extract_bytes(io.BytesIO(data), date, content_type)
    except NotText:
        return
    json.dumps(result.as_dict(), ensure_ascii=False).encode("utf-8")  # what --json prints


@bounded(500)
@given(texts, dates, st.booleans())
def test_any_text_gives_a_result(text: str, date: str | None, html: bool) -> None:
    tried("extract-text")
    result = extract_document(text, date, html=html)
    for claim in result.as_dict()["claims"]:
        assert isinstance(claim, dict)


# ---------------------------------------------------------------- the command line, a few runs


@pytest.fixture
def database(mini_data: Path, tmp_path: Path) -> Path:
    db = tmp_path / "db" / "longarm.db"
    build(db, mini_data)
    return db


def test_extract_from_the_command_line_never_tracebacks_nor_writes(database: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "page.html"
    gbk.write_bytes(f"<html><meta charset='gbk'><p>{SENTENCES[0]}</p></html>".encode("gbk"))
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 8)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SENTENCES[1].encode("utf-16"))
    lines = tmp_path / "corpus.jsonl"
    lines.write_bytes(
        b"[" * 5000 + b"\n" + json.dumps({"text": SENTENCES[0] + "\ud800", "date": "2021-13-45"}).encode() + b"\n\xff\n"
    )
    runs: list[tuple[list[str], bytes | None, int]] = [
        (["extract", str(gbk), "--json"], None, 0),
        (["extract", str(gbk), "--mark-known"], None, 0),
        # not validated by extract (yet): only the year is used; accepted or refused, never a traceback
        (["extract", str(utf16), "--pub-date", "2021-02-30"], None, -1),
        (["extract", str(binary)], None, 2),
        (["extract", "--jsonl", str(lines)], None, 0),
        (["extract", "-", "--json"], os.urandom(2000), -1),  # -1: 0 (text) or 2 (binary), never more
        (["extract", str(tmp_path / "absent.txt")], None, 2),
    ]
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    for args, stdin, expected in runs:
        tried("extract-cli")
        done = subprocess.run(
            [sys.executable, "-m", "longarm", "--db", str(database), *args],
            input=stdin,
            capture_output=True,
            timeout=120,
            env=dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg")),
        )
        error = done.stderr.decode("utf-8", "replace")
        assert "Traceback" not in error, (args, error)
        assert done.returncode == expected or (expected == -1 and done.returncode in (0, 2)), (args, error)
        if done.returncode == 2:
            assert len(error.strip().splitlines()) == 1, (args, error)
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before, "extract never writes the database"
