"""`longarm scan`: the same candidates as the extractor, on one process or a Dask cluster, through kills and damage."""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.scan_corpus import (
    CorpusSpec,
    gzip_member,
    http_response,
    warc_record,
    write_html_folder,
    write_jsonl,
    write_warc,
)
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from longarm import textdecode
from longarm.cli import cli
from longarm.extract import ENGINE, NotText, extract_bytes, extract_document
from longarm.scan import InProcess, dask_runner, run_scan
from longarm.scan.candidates import candidate_key, extract_candidate
from longarm.scan.checkpoint import Checkpoint
from longarm.scan.inputs import Document, ReadCounts, discover, plan_partitions, read_partition
from longarm.scan.scanner import KILL_AFTER_ENV

PARTITION = 64 * 1024  # small, so that every file of the corpus splits into several partitions

Key = tuple[str, int, int]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_warc(folder / "news.warc.gz", seed=1, documents=240)
    write_warc(folder / "plain.warc", seed=2, documents=80, compress=False)
    write_jsonl(folder / "articles.jsonl", seed=3, documents=400)
    write_html_folder(folder / "pages", seed=4, documents=30)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus scanned in this process: what every other way of scanning it must give."""
    out = tmp_path_factory.mktemp("reference") / "candidates.jsonl"
    summary = run_scan([str(corpus)], out, InProcess(), partition_size=PARTITION)
    assert summary.partitions > 10 and not summary.problems
    return out


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    """A LocalCluster of two worker processes, for scans in this process and in the CLI (--scheduler)."""
    with dask_runner(workers=2) as runner:
        yield str(runner.client.scheduler_info()["address"])


def read_candidates(path: Path) -> dict[Key, dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    keyed = {candidate_key(r): r for r in records}
    assert len(keyed) == len(records), "a document appears twice"
    return keyed


def expected_candidates(corpus: Path) -> dict[Key, dict[str, Any]]:
    """Every document of the corpus, read independently (warcio's own iterator, json, open) and
    given to the extractor with no pre-filter of ours: the candidates a scan must find."""
    expected: dict[Key, dict[str, Any]] = {}

    def add(key: Key, result: dict[str, Any]) -> None:
        if result["claims"]:
            expected[key] = result

    for name in ("news.warc.gz", "plain.warc"):
        path = str(corpus / name)
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                status = record.http_headers.get_statuscode() if record.http_headers else None
                if record.rec_type != "response" or status != "200":
                    continue
                payload = record.content_stream().read()
                date = record.rec_headers.get_header("WARC-Date")[:10]
                content_type = record.http_headers.get_header("Content-Type")
                try:
                    result = extract_bytes(io.BytesIO(payload), date, content_type)
                except NotText:
                    continue
                add((path, records.get_record_offset(), 0), result.as_dict())
    path = str(corpus / "articles.jsonl")
    offset = 0
    with open(path, "rb") as stream:
        for line in stream:
            record = json.loads(line)
            add((path, offset, 0), extract_document(record["text"], record["date"]).as_dict())
            offset += len(line)
    for file in sorted((corpus / "pages").rglob("*")):
        if file.is_file() and not file.name.startswith("."):
            try:
                with file.open("rb") as stream:
                    add((str(file), 0, 0), extract_bytes(stream).as_dict())
            except NotText:
                continue
    return expected


def test_scan_finds_what_the_extractor_finds_in_every_document(corpus: Path, reference: Path) -> None:
    found = read_candidates(reference)
    expected = expected_candidates(corpus)
    assert len(expected) > 50
    assert found.keys() == expected.keys(), "the pre-filter or a reader lost or invented documents"
    for key, record in found.items():
        assert {"summary": record["summary"], "claims": record["claims"]} == expected[key], key
        assert record["engine"] == ENGINE
        assert record["input"]["file"] == key[0]
    warc = next(r for r in found.values() if r["input"]["format"] == "warc.gz")
    assert warc["id"].startswith("urn:uuid:") and warc["url"].startswith("https://") and len(warc["date"]) == 10
    line = next(r for r in found.values() if r["input"]["format"] == "jsonl")
    assert line["id"].startswith("articles-") and line["url"] and line["date"]


def test_binary_detection_counts_control_bytes() -> None:
    rng = random.Random(7)
    samples = [b"", b"\x00abc", codecs.BOM_UTF16_LE + b"a\x00b", "警侨驿站".encode("gb18030"), b"\x1b[0m text\f\r\n"]
    samples += [bytes(rng.choice(b"abc \x01\x02\x07\x0b") for _ in range(rng.randint(1, 300))) for _ in range(300)]
    samples += [rng.randbytes(rng.randint(1, 5000)) for _ in range(50)]

    def counted_in_python(sample: bytes) -> bool:
        if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        if b"\x00" in sample:
            return True
        return sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27)) > len(sample) * 0.1

    for sample in samples:
        assert textdecode.looks_binary(sample) == counted_in_python(sample), sample


def test_every_large_file_is_split_at_document_starts(corpus: Path) -> None:
    files = discover([str(corpus)])
    partitions = plan_partitions(files, PARTITION)
    for path in ("news.warc.gz", "plain.warc", "articles.jsonl"):
        starts = [p.start for p in partitions if p.files == (str(corpus / path),)]
        assert len(starts) > 2, path
        data = (corpus / path).read_bytes()
        for start in starts[1:]:
            assert data[start - 1 : start] == b"\n" if path.endswith("jsonl") else True
            if path.endswith(".gz"):
                assert zlib.decompressobj(31).decompress(data[start:], 8).startswith(b"WARC/1.0")
            if path.endswith(".warc"):
                assert data[start - 4 : start + 8] == b"\r\n\r\nWARC/1.0"
    assert sum(p.size for p in partitions if p.format != "file") == sum(f.size for f in files if f.format != "file")


def test_local_cluster_scan_gives_what_a_single_process_scan_gives(
    corpus: Path, reference: Path, cluster_address: str, tmp_path: Path
) -> None:
    out = tmp_path / "candidates.jsonl"
    with dask_runner(scheduler=cluster_address) as runner:
        summary = run_scan([str(corpus)], out, runner, partition_size=PARTITION)
    assert summary.workers == 2
    assert out.read_bytes() == reference.read_bytes()
    assert not Checkpoint(out).folder.exists()


def _scan_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "longarm", "scan", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # its own process group, so the kill takes its workers too
    )


def test_killed_scan_resumes_with_the_same_output_and_no_duplicates(
    corpus: Path, reference: Path, cluster_address: str, tmp_path: Path
) -> None:
    out = tmp_path / "candidates.jsonl"
    common = [str(corpus), "--out", str(out), "--partition-size", str(PARTITION)]
    killed = _scan_cli(*common, "--workers", "2", env={KILL_AFTER_ENV: "4"})
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    checkpoint = Checkpoint(out)
    assert len(checkpoint.finished()) == 4 and not out.exists()

    refused = _scan_cli(*common)
    _, error = refused.communicate(timeout=60)
    assert refused.returncode == 2 and "--resume" in error and len(error.strip().splitlines()) == 1

    resumed = _scan_cli(*common, "--resume", "--scheduler", cluster_address, "--json")
    output, error = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, error
    summary = json.loads(output)
    assert summary["partitions_resumed"] == 4 and summary["partitions"] > 4
    assert out.read_bytes() == reference.read_bytes()
    assert summary["candidates"] == len(read_candidates(out))
    assert not checkpoint.folder.exists()


def test_a_partition_recorded_twice_is_merged_once(corpus: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "candidates.jsonl"
    env = {KILL_AFTER_ENV: "2"}
    first = _scan_cli(str(corpus), "--out", str(out), "--partition-size", str(PARTITION), "--in-process", env=env)
    first.communicate(timeout=120)
    checkpoint = Checkpoint(out)
    # a kill between writing a part and recording it: the partition runs again and is recorded twice
    with checkpoint.finished_path.open("a", encoding="utf-8") as stream:
        stream.write(checkpoint.finished_path.read_text(encoding="utf-8").splitlines()[0] + "\n")
        stream.write('{"index": 7, "stats": {"docum')  # a line torn by the kill
    summary = run_scan([str(corpus)], out, InProcess(), partition_size=PARTITION, resume=True)
    assert summary.partitions_resumed == 2
    assert out.read_bytes() == reference.read_bytes()


FAULT_ROUNDS = 6  # fresh scans, each killed up to KILLS_PER_ROUND times at random moments, then finished
KILLS_PER_ROUND = 2


def _fault_seed() -> int:
    """LONGARM_FAULT_SEED replays a failed run; otherwise a new seed each run (named in any failure)."""
    return int(os.environ.get("LONGARM_FAULT_SEED") or random.SystemRandom().randrange(2**32))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_scan_killed_at_random_moments_resumes_byte_identical_and_leaves_nothing(
    corpus: Path, reference: Path, tmp_path: Path
) -> None:
    """kill -9 of the whole process group at random moments (planning, partitions, the merge, the clean-up):
    the resumed scan's output is byte for byte the uninterrupted one's, and only the output remains."""
    seed = _fault_seed()
    rng = random.Random(seed)
    inputs_before = _files(corpus)
    started = time.perf_counter()  # one scan run to the end first: kill moments are drawn within its duration
    whole = _scan_cli(
        str(corpus), "--out", str(tmp_path / "whole.jsonl"), "--partition-size", str(PARTITION), "--in-process"
    )
    whole.communicate(timeout=300)
    duration = time.perf_counter() - started
    assert whole.returncode == 0 and (tmp_path / "whole.jsonl").read_bytes() == reference.read_bytes()
    kills = 0
    for round_number in range(FAULT_ROUNDS):
        folder = tmp_path / f"round-{round_number}"
        folder.mkdir()
        out = folder / "candidates.jsonl"
        common = [str(corpus), "--out", str(out), "--partition-size", str(PARTITION), "--in-process"]
        for attempt in range(KILLS_PER_ROUND + 1):
            started = time.perf_counter()
            run = _scan_cli(*common, *(["--resume"] if attempt else []))
            try:
                run.communicate(timeout=rng.uniform(0.05, 1.0) * duration if attempt < KILLS_PER_ROUND else 300)
                if attempt == 0:  # a whole scan finished before its kill: the machine is less loaded than at first
                    duration = min(duration, time.perf_counter() - started)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
                run.communicate()
                kills += 1
                continue
            assert run.returncode == 0, f"seed {seed}: {run.stderr}"
            break
        assert out.read_bytes() == reference.read_bytes(), f"seed {seed}, round {round_number}"
        assert _files(folder) == {"candidates.jsonl"}, f"seed {seed}: left behind {_files(folder)}"
    assert _files(corpus) == inputs_before
    assert kills >= FAULT_ROUNDS // 2, f"seed {seed}: only {kills} kills landed"


# ---------------------------------------------------------------- damaged inputs


def _response(number: int, body: str) -> bytes:
    payload = http_response("200 OK", "text/html; charset=UTF-8", f"<html><body><p>{body}</p></body></html>".encode())
    headers = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"),
        ("WARC-Target-URI", f"https://news.example/{number}"),
        ("WARC-Date", "2021-02-09T10:00:00Z"),
        ("Content-Type", "application/http; msgtype=response"),
    ]
    return warc_record(headers, payload)


CLAIM = "2016年5至8月间，温州市公安局瓯海分局分别在法国、意大利，先后设立巴黎、米兰、普拉托3个“警侨之家海外联络点”。"


def _claim_ids(out: Path) -> list[str]:
    return [json.loads(line)["url"].rsplit("/", 1)[1] for line in out.read_text(encoding="utf-8").splitlines()]


def test_corrupt_gzip_member_and_truncated_records_are_reported_and_skipped(tmp_path: Path) -> None:
    records = [_response(n, CLAIM) for n in range(9)]
    members = [gzip_member(r) for r in records]
    # member 2: bytes in the middle of its deflate data overwritten
    damaged = bytearray(members[2])
    damaged[len(damaged) // 2 : len(damaged) // 2 + 16] = b"\xff" * 16
    members[2] = bytes(damaged)
    # member 5: a whole gzip member whose record is shorter than its Content-Length says
    members[5] = gzip_member(records[5][: len(records[5]) // 2])
    # before member 7: bytes that are no gzip member at all
    members[6] += b"not gzip " * 20
    # the last member: the file ends in the middle of it
    members[8] = members[8][: len(members[8]) // 2]
    warc_gz = tmp_path / "damaged.warc.gz"
    warc_gz.write_bytes(b"".join(members))
    # a plain WARC: record 3 cut short, the next record following at once
    plain = tmp_path / "damaged.warc"
    cut = records[3][: len(records[3]) - 200]
    plain.write_bytes(b"".join([*records[:3], cut, *records[4:]]))
    lines = tmp_path / "damaged.jsonl"
    lines.write_text(
        json.dumps({"id": "a", "text": CLAIM, "url": "https://x.example/a"})
        + "\n{not json\n"
        + json.dumps({"id": "b", "text": CLAIM, "url": "https://x.example/b"})
        + "\n",
        encoding="utf-8",
    )
    for path, survivors in ((warc_gz, "0 1 3 4 6 7"), (plain, "0 1 2 4 5 6 7 8"), (lines, "a b")):
        out = tmp_path / f"{path.name}.candidates.jsonl"
        summary = run_scan([str(path)], out, InProcess(), partition_size=4096)
        assert _claim_ids(out) == survivors.split(), path.name
        messages = [p.message for p in summary.problems]
        if path is warc_gz:
            offsets = [p.offset for p in summary.problems]
            garbage = sum(map(len, members[:7])) - 20 * len(b"not gzip ")
            assert offsets == [
                sum(map(len, members[:2])),
                sum(map(len, members[:5])),
                garbage,
                sum(map(len, members[:8])),
            ]
            assert "corrupt gzip data" in messages[0] and "truncated WARC record" in messages[1]
            assert "corrupt gzip data" in messages[2] and "file ends inside this gzip member" in messages[3]
        elif path is plain:
            assert len(messages) == 1 and "Content-Length" in messages[0]
        else:
            assert messages == ["not JSON: Expecting property name enclosed in double quotes at column 2, skipped"]


def test_payloads_carry_their_declared_type_and_charset(tmp_path: Path) -> None:
    script = "<script>var filler = '" + "x" * 72 * 1024 + "';</script>"
    page = f"<html><head>{script}</head><body><p>{CLAIM}</p></body></html>".encode("gbk")
    response = http_response("200 OK", "text/html; charset=GBK", page)
    headers = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-000000000001>"),
        ("WARC-Target-URI", "https://news.example/gbk"),
        ("WARC-Date", "2021-02-09T10:00:00Z"),
        ("Content-Type", "application/http; msgtype=response"),
    ]
    warc = tmp_path / "gbk.warc.gz"
    warc.write_bytes(gzip_member(warc_record(headers, response)))
    (partition,) = plan_partitions(discover([str(warc)]), 2**30)
    found = []
    for document in read_partition(partition, ReadCounts()):  # a document's payload is closed once read past
        assert isinstance(document, Document)
        assert document.content_type == "text/html; charset=GBK"
        found.append(extract_candidate(document))
    head = page[: textdecode.head_length(page)]
    assert textdecode.choose_encoding(head, "text/html; charset=GBK") == ("gb18030", "http-header")
    ((extraction, passed),) = found
    assert passed and extraction is not None
    assert extraction.summary.cities == [
        {"name": "Paris", "country": "FR"},
        {"name": "Milan", "country": "IT"},
        {"name": "Prato", "country": "IT"},
    ]


def test_common_crawl_wet_files_are_read_and_archives_are_reported(tmp_path: Path) -> None:
    info = warc_record([("WARC-Type", "warcinfo"), ("WARC-Record-ID", "<urn:uuid:1>")], b"format: WET\r\n")
    conversion = warc_record(
        [
            ("WARC-Type", "conversion"),
            ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-000000000002>"),
            ("WARC-Target-URI", "https://news.example/wet"),
            ("WARC-Date", "2021-02-09T10:00:00Z"),
            ("Content-Type", "text/plain"),
        ],
        CLAIM.encode(),
    )
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "CC-MAIN-00000.warc.wet.gz").write_bytes(gzip_member(info) + gzip_member(conversion))
    (crawl / "capture.wacz").write_bytes(b"PK\x03\x04" + bytes(100))
    (crawl / "old.arc.gz").write_bytes(gzip_member(b"filedesc://old.arc"))
    (crawl / "page.html.gz").write_bytes(gzip_member(CLAIM.encode()))
    out = tmp_path / "candidates.jsonl"
    summary = run_scan([str(crawl)], out, InProcess())
    assert _claim_ids(out) == ["wet"]
    assert summary.totals.not_text == 0 and summary.totals.documents == 1
    reported = {Path(p.file).name: p.message for p in summary.problems}
    assert set(reported) == {"capture.wacz", "old.arc.gz", "page.html.gz"}
    assert "WACZ" in reported["capture.wacz"] and "ARC" in reported["old.arc.gz"]
    assert "compressed" in reported["page.html.gz"]


# ---------------------------------------------------------------- memory


MEMORY_PROBE = """
import json, sys
from longarm.scan.cluster import peak_rss
from longarm.scan.inputs import discover, plan_partitions
from longarm.scan.partition import scan_partition
from longarm.extract import extract_document
extract_document("温州市公安局在巴黎设立警侨服务站。")  # build the automata before measuring
files = discover([sys.argv[1]])
(partition,) = plan_partitions(files, 2**40)  # the whole file, one partition
before = peak_rss()
result = scan_partition(partition)
after = peak_rss()
ballast = bytearray(64 * 2**20)  # proof that the measure can move: 64 MiB more, touched
ballast[::4096] = b"x" * len(ballast[::4096])
print(json.dumps({"before": before, "after": after, "ballast": peak_rss(), "documents": result.stats.documents}))
"""


def _peak_growth(path: Path) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data: dict[str, int] = json.loads(done.stdout)
    return data


def test_memory_per_worker_stays_bounded_on_a_large_input(tmp_path: Path) -> None:
    spec = CorpusSpec(claim_share=0.02, near_miss_share=0.05, page_padding=(20_000, 60_000))
    small = write_warc(tmp_path / "small.warc.gz", seed=5, target_bytes=1_000_000, spec=spec)
    large = write_warc(tmp_path / "large.warc.gz", seed=5, target_bytes=16_000_000, spec=spec)
    assert large.size > 15 * small.size
    small_run, large_run = _peak_growth(small.path), _peak_growth(large.path)
    assert large_run["documents"] > 15 * small_run["documents"]
    # the measure is the child's own peak (VmHWM), not its parent's (ru_maxrss is inherited across
    # fork and exec): it starts far below this pytest process and sees a 64 MiB allocation
    for run in (small_run, large_run):
        assert run["before"] < 400 * 2**20, f"{run['before'] / 2**20:.0f} MiB before scanning: not the child's own"
        assert run["ballast"] - run["after"] > 48 * 2**20, "the peak did not move with 64 MiB more memory"
    # 16x the input (46 MB decompressed, far above the 64 KiB blocks read), and the peak barely moves
    growth = (large_run["after"] - large_run["before"]) - (small_run["after"] - small_run["before"])
    assert growth < 16 * 2**20, f"peak memory grew {growth / 2**20:.1f} MiB more on the large input"


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.warc.gz", "--out", "c.jsonl"], "missing.warc.gz: no such file or folder"),
        (["{corpus}", "--out", "no/such/folder/c.jsonl"], "does not exist"),
        (["{corpus}", "--out", "c.jsonl", "--partition-size", "lots"], "not a size"),
        (["{corpus}", "--out", "c.jsonl", "--workers", "0"], "at least 1"),
        (["{corpus}", "--out", "c.jsonl", "--scheduler", "localhost"], "tcp://HOST:PORT"),
        (["{corpus}", "--out", "c.jsonl", "--scheduler", "tcp://h:1", "--workers", "2"], "--scheduler"),
        (["{corpus}", "--out", "c.jsonl", "--in-process", "--workers", "2"], "--in-process"),
    ],
)
def test_bad_inputs_and_options_exit_2_with_one_line(
    args: list[str], message: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", *(a.replace("{corpus}", str(corpus)) for a in args)])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_an_empty_folder_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "empty"), "--out", str(tmp_path / "c.jsonl")])
    assert result.exit_code == 2 and "no files to scan" in result.output


def _crawl(tmp_path: Path) -> Path:
    folder = tmp_path / "crawl"
    (folder / "sub").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(json.dumps({"id": "a", "text": CLAIM}) + "\n", encoding="utf-8")
    (folder / "sub" / "b.jsonl").write_text(json.dumps({"id": "b", "text": CLAIM}) + "\n", encoding="utf-8")
    os.symlink(folder / "corpus.jsonl", tmp_path / "link.jsonl")
    os.link(folder / "corpus.jsonl", tmp_path / "hard.jsonl")
    os.symlink(folder, tmp_path / "linked-crawl")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("inputs", "out", "message"),
    [
        (["crawl/corpus.jsonl"], "crawl/corpus.jsonl", "is the input crawl/corpus.jsonl"),
        (["./crawl/../crawl/corpus.jsonl"], "{tmp}/crawl/corpus.jsonl", "is the input"),
        (["crawl/corpus.jsonl"], "link.jsonl", "(a symbolic link to it)"),
        (["crawl/corpus.jsonl"], "hard.jsonl", "(a hard link to it)"),
        (["crawl"], "hard.jsonl", "(a hard link to it)"),
        (["crawl"], "crawl/candidates.jsonl", "is inside the input folder crawl"),
        (["crawl"], "crawl/sub/candidates.jsonl", "is inside the input folder crawl"),
        (["crawl"], "linked-crawl/candidates.jsonl", "is inside the input folder crawl"),
        (["crawl/sub", "crawl/corpus.jsonl"], "crawl/sub/b.jsonl", "is inside the input folder crawl/sub"),
        (["candidates.jsonl.scan/x.jsonl"], "candidates.jsonl", "the checkpoint folder of --out"),
    ],
)
@pytest.mark.parametrize("resume", [False, True])
def test_the_output_is_never_an_input(inputs: list[str], out: str, message: str, resume: bool, tmp_path: Path) -> None:
    """Refused with exit 2 and one line before anything is written: every input byte is as it was."""
    crawl = _crawl(tmp_path)
    if "scan/" in inputs[0]:
        (tmp_path / "candidates.jsonl.scan").mkdir()
        (tmp_path / inputs[0]).write_bytes((crawl / "corpus.jsonl").read_bytes())
    before = _tree(tmp_path)
    args = [*inputs, "--out", out.replace("{tmp}", str(tmp_path)), "--in-process"]
    done = subprocess.run(
        [sys.executable, "-m", "longarm", "scan", *args, *(["--resume"] if resume else [])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert _tree(tmp_path) == before, "nothing written, nothing emptied"
    assert "Traceback" not in done.stderr


def test_output_beside_an_input_folder_is_scanned_normally(tmp_path: Path) -> None:
    crawl = _crawl(tmp_path)
    out = tmp_path / "crawl.jsonl"  # its checkpoint, crawl.jsonl.scan, is beside the folder too
    result = CliRunner().invoke(cli, ["scan", str(crawl), "--out", str(out), "--in-process", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["candidates"] == 2
    assert sorted(json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()) == ["a", "b"]
