"""The JSONL reader (`extract --jsonl`, `scan`) on any bytes: one result per line, never an exception."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from longarm.extract import extract_document
from longarm.extract.jsonl import JsonlDocument, JsonlError, iter_jsonl
from longarm.scan.inputs import Document, InputFile, Problem, ReadCounts, plan_partitions, read_partition
from longarm.scan.partition import scan_partition
from tests.fuzz.conftest import bounded, tried

CLAIM = "2016年5至8月间，温州市公安局瓯海分局分别在法国、意大利，先后设立巴黎、米兰、普拉托3个“警侨之家海外联络点”。"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# what a line's fields may hold: the right type, the wrong type, text with a station claim in it
field_values = json_values | st.sampled_from([CLAIM, "今年2月", "2021-02-30", "0000-00-00", "9" * 40, ""])


@st.composite
def object_lines(draw: st.DrawFn) -> bytes:
    record = draw(
        st.dictionaries(st.sampled_from(["id", "text", "url", "date", "pub_date", "lang", "x"]), field_values)
    )
    if draw(st.booleans()):
        record["text"] = draw(st.text(max_size=60)) + CLAIM + draw(st.text(max_size=20))
    line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if draw(st.booleans()):  # a lone surrogate, as JSON allows and UTF-8 does not
        line = line.replace(CLAIM[:2], CLAIM[:2] + "\\ud800", 1)
    return line.encode("utf-8")


hostile_lines = st.one_of(
    st.binary(max_size=80),
    st.integers(1, 50_000).map(lambda depth: b"[" * depth),  # nesting past Python's recursion limit
    st.integers(1, 50_000).map(lambda depth: b'{"text": ' + b"[" * depth + b"]" * depth + b"}"),
    st.integers(4000, 20_000).map(lambda digits: b'{"text": "a", "id": ' + b"7" * digits + b"}"),
    st.sampled_from([b"\x00", b'{"text": "a\x00b"}', b"\xef\xbb\xbf{}", b'{"text": "\xff\xfe"}', b"\r", b"null"]),
)
lines = st.lists(object_lines() | hostile_lines, max_size=8)
separators = st.sampled_from([b"\n", b"\r\n"])


def corpus(parts: list[bytes], separator: bytes, final_newline: bool) -> bytes:
    data = separator.join(part.replace(b"\n", b" ") for part in parts)
    return data + (separator if final_newline and parts else b"")


@bounded(800)
@given(lines, separators, st.booleans())
def test_every_line_gives_a_document_or_a_one_line_error(parts: list[bytes], separator: bytes, final: bool) -> None:
    tried("jsonl")
    data = corpus(parts, separator, final)
    items = list(iter_jsonl(io.BytesIO(data)))
    assert [item.offset for item in items] == [offset for offset, _line in _lines(data)]
    for item in items:
        if isinstance(item, JsonlError):
            assert item.message and "\n" not in item.message
            continue
        assert isinstance(item, JsonlDocument) and isinstance(item.text, str)
        result = extract_document(item.text, item.date).as_dict()
        # what extract --jsonl and scan print must be writable as UTF-8
        json.dumps({"id": item.id, "url": item.url, **result}, ensure_ascii=False).encode("utf-8")


@bounded(300)
@given(parts=lines, separator=separators, size=st.integers(1, 200))
def test_scan_partitions_read_each_line_once(tmp_path: Path, parts: list[bytes], separator: bytes, size: int) -> None:
    """However the file is split, the partitions read every line once, and every candidate is writable."""
    tried("jsonl-scan")
    data = corpus(parts, separator, True)
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    stat = path.stat()
    item = InputFile(str(path), "jsonl", stat.st_size, stat.st_mtime_ns)
    whole: list[int] = []
    for partition in plan_partitions([item], size):
        for found in read_partition(partition, ReadCounts()):
            assert isinstance(found, Document | Problem)
            if isinstance(found, Problem):
                assert "\n" not in found.message
                whole.append(found.offset)
                continue
            whole.append(found.input["offset"])
        result = scan_partition(partition)  # what a worker runs: its lines are written as UTF-8
        assert not [p for p in result.problems if "extractor failed" in p.message]
        "\n".join(result.lines).encode("utf-8")
    assert sorted(whole) == [offset for offset, line in _lines(data) if line.strip()]


@bounded(200)
@given(parts=lines, cut=st.integers(0, 400))
def test_a_damaged_jsonl_gz_is_a_problem_not_an_exception(tmp_path: Path, parts: list[bytes], cut: int) -> None:
    tried("jsonl.gz")
    data = gzip.compress(corpus(parts, b"\n", True))
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(data[: max(len(data) - cut, 0)])
    stat = path.stat()
    item = InputFile(str(path), "jsonl.gz", stat.st_size, stat.st_mtime_ns)
    for partition in plan_partitions([item], 1 << 20):
        for found in read_partition(partition, ReadCounts()):
            assert isinstance(found, Document | Problem)


def _lines(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, line) of each line, as a JSONL reader splits them: at \\n only."""
    found, offset = [], 0
    for line in data.split(b"\n"):
        if offset < len(data):
            found.append((offset, line))
        offset += len(line) + 1
    return found


def test_scan_and_extract_from_the_command_line_on_hostile_lines(tmp_path: Path) -> None:
    hostile = [
        b"[" * 50_000,
        b'{"text": "a", "id": ' + b"7" * 5000 + b"}",
        json.dumps({"id": "surrogate", "text": CLAIM[:2] + "\ud800" + CLAIM}).encode(),
        b"\x00\xff\xfe garbage",
        json.dumps({"id": "fine", "text": CLAIM, "date": "2021-13-45"}).encode(),
        b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    ]
    corpus_file = tmp_path / "hostile.jsonl"
    corpus_file.write_bytes(b"\n".join(hostile) + b"\n")
    out = tmp_path / "candidates.jsonl"
    for args in (
        ["scan", str(corpus_file), "--out", str(out), "--in-process", "--json"],
        ["extract", "--jsonl", str(corpus_file)],
    ):
        tried("jsonl-cli")
        done = subprocess.run([sys.executable, "-m", "longarm", *args], capture_output=True, timeout=120)
        error = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 0 and "Traceback" not in error, error
        written = out.read_bytes() if args[0] == "scan" else done.stdout
        ids = [json.loads(line).get("id") for line in written.decode("utf-8").splitlines()]
        assert {"surrogate", "fine"} <= set(ids), ids
    summary = json.loads(subprocess.run(
        [sys.executable, "-m", "longarm", "scan", str(corpus_file), "--out", str(tmp_path / "again.jsonl"),
         "--in-process", "--json"], capture_output=True, timeout=120, check=True).stdout)  # fmt: skip
    assert len(summary["problems"]) == 4 and summary["candidates"] == 2
