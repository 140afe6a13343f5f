"""`verify` holds the index, the WARC files and the manifest against each other and names each difference."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from longarm.archive import pending
from longarm.archive.capture import capture_url
from longarm.archive.importer import import_file
from longarm.archive.index import Capture, CaptureIndex
from longarm.archive.manifest import GENESIS, MANIFEST_NAME, read_manifest
from longarm.archive.verify import verify_archive
from longarm.archive.warc import file_sha256
from tests.archive.conftest import TEST_LIMITS, PageServer
from tests.conftest import RunCli


def archive_pages(server: PageServer, folder: Path, *paths: str) -> list[Capture]:
    made = []
    with CaptureIndex(folder, writable=True) as index:
        for path in paths:
            outcome = capture_url(server.url(path), folder, TEST_LIMITS)
            assert outcome.capture is not None
            index.add([outcome.capture])
            made.append(outcome.capture)
    return made


def verify(folder: Path) -> set[tuple[str, str]]:
    """(capture id or file, kind) of every difference."""
    with CaptureIndex(folder) as index:
        report = verify_archive(index)
    return {(p.capture_id or p.path, p.problem) for p in report.problems}


def verify_cli(run_cli: RunCli, folder: Path, *more: str) -> tuple[int, dict[str, Any], str]:
    as_json = run_cli("verify", "--archive-dir", str(folder), "--json", *more)
    text = run_cli("verify", "--archive-dir", str(folder))
    assert "Traceback" not in as_json.stderr + text.stderr
    assert as_json.returncode == text.returncode
    return as_json.returncode, json.loads(as_json.stdout), text.stdout


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def delete_row(folder: Path, capture_id: str) -> None:
    with sqlite3.connect(folder / "captures.db") as con:
        assert con.execute("DELETE FROM capture WHERE id = ?", (capture_id,)).rowcount == 1


def manifest_lines(folder: Path) -> list[str]:
    return (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()


def write_manifest_lines(folder: Path, lines: list[str]) -> None:
    (folder / MANIFEST_NAME).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_intact_archive_verifies_with_one_manifest_line_per_capture(page_server: PageServer, tmp_path: Path) -> None:
    made = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html", "/redirect/1", "/missing")
    with CaptureIndex(tmp_path) as index:
        report = verify_archive(index)
    assert report.ok and report.checked == 4 and report.files == 4 and report.problems == []
    # each fetched WARC has its final response, and the redirect one two 3xx hops besides
    assert report.records == 4 + 2
    manifest = read_manifest(tmp_path)
    assert list(manifest.entries) == [c.id for c in made] and not manifest.problems
    first = json.loads(manifest_lines(tmp_path)[0])
    assert first["prev"] == GENESIS and first["record_offset"] == made[0].record_offset
    assert first["warc_sha256"] == file_sha256(tmp_path / made[0].warc_path)
    assert not list(tmp_path.rglob(".*.pending")) and not list(tmp_path.rglob("*.tmp"))


def test_a_deleted_row_is_named(page_server: PageServer, tmp_path: Path, run_cli: RunCli) -> None:
    _kept, deleted = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    delete_row(tmp_path, deleted.id)
    code, report, text = verify_cli(run_cli, tmp_path)
    assert code == 1 and report["ok"] is False and report["captures"] == 1
    assert [(p["capture_id"], p["problem"]) for p in report["problems"]] == [(deleted.id, "missing-row")]
    assert f"missing-row: capture {deleted.id} {deleted.url}" in text and "still there" in text
    assert "1 difference(s)" in text


def test_a_deleted_index_is_every_capture_missing(page_server: PageServer, tmp_path: Path, run_cli: RunCli) -> None:
    made = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html", "/missing")
    (tmp_path / "captures.db").unlink()
    code, report, text = verify_cli(run_cli, tmp_path)
    assert code == 1 and report["captures"] == 0
    assert {(p["capture_id"], p["problem"]) for p in report["problems"]} == {(c.id, "missing-row") for c in made}
    assert "0 captures" in text and "3 difference(s)" in text
    # a writer on the emptied archive does not paper over it: the manifest keeps its lines
    with CaptureIndex(tmp_path, writable=True):
        pass
    assert len(read_manifest(tmp_path).entries) == 3 and verify(tmp_path) == {(c.id, "missing-row") for c in made}


def test_a_row_deleted_with_its_manifest_line_is_still_found_by_its_record(
    page_server: PageServer, tmp_path: Path
) -> None:
    _gbk, big5, gone = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html", "/missing")
    delete_row(tmp_path, big5.id)
    lines = manifest_lines(tmp_path)
    write_manifest_lines(tmp_path, lines[:1] + lines[2:])  # the middle line: the chain breaks after it
    assert verify(tmp_path) == {(big5.warc_path, "file-without-capture"), (MANIFEST_NAME, "manifest")}
    # the last line (no chain after it to break): the page's WARC file still has no capture
    delete_row(tmp_path, gone.id)
    write_manifest_lines(tmp_path, lines[:2])
    found = verify(tmp_path)
    assert (big5.id, "missing-row") in found and (gone.warc_path, "file-without-capture") in found


def test_a_page_record_without_capture_in_an_imported_file(tmp_path: Path) -> None:
    """An import of two pages; one row and its (last) manifest line removed: the record in the kept file is named."""
    warc = tmp_path / "two pages.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in (1, 2):
            body = f"<html><title>page {number}</title><p>text {number}</p></html>".encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.org/{number}.html",
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": f"2022-10-0{number}T10:00:00Z"},
                )
            )
    folder = tmp_path / "archive"
    with CaptureIndex(folder, writable=True) as index:
        _first, second = import_file(warc, index, {}).captures
    assert verify(folder) == set()
    delete_row(folder, second.id)
    write_manifest_lines(folder, manifest_lines(folder)[:1])
    with CaptureIndex(folder) as index:
        (problem,) = verify_archive(index).problems
    assert problem.problem == "record-without-capture" and problem.path == second.warc_path
    assert f"offset {second.record_offset}" in problem.detail and problem.url == "https://example.org/2.html"


def test_changed_and_missing_files_and_edited_lines(page_server: PageServer, tmp_path: Path) -> None:
    intact, tampered, gone = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html", "/report.pdf")
    path = tmp_path / tampered.warc_path
    flip_byte(path, path.stat().st_size // 2)
    (tmp_path / gone.warc_path).unlink()
    assert verify(tmp_path) == {(tampered.id, "changed"), (gone.id, "missing")}
    lines = manifest_lines(tmp_path)
    entry = json.loads(lines[0])
    entry["payload_sha256"] = "0" * 64
    write_manifest_lines(tmp_path, [json.dumps(entry, sort_keys=True, ensure_ascii=False), *lines[1:]])
    assert verify(tmp_path) == {
        (tampered.id, "changed"),
        (gone.id, "missing"),
        (intact.id, "not-as-in-manifest"),
        (MANIFEST_NAME, "manifest"),  # the edited line no longer hashes to what the next line says
    }


def test_a_forged_file_hash_is_still_caught_by_the_payload(page_server: PageServer, tmp_path: Path) -> None:
    """Someone edits an uncompressed WARC and updates the index's file hash: the payload hash still differs,
    and the row no longer says what the manifest says."""
    (c,) = archive_pages(page_server, tmp_path, "/changing")
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress((tmp_path / c.warc_path).read_bytes()))
    data = plain.read_bytes()
    start = data.index(b"Version")
    plain.write_bytes(data[:start] + b"Versiom" + data[start + 7 :])
    with plain.open("rb") as stream:
        records = ArchiveIterator(stream)
        offset = next(
            records.get_record_offset() for r in records if r.rec_headers.get_header("WARC-Record-ID") == c.record_id
        )
    with sqlite3.connect(tmp_path / "captures.db") as con:
        con.execute(
            "UPDATE capture SET warc_path = 'plain.warc', warc_sha256 = ?, record_offset = ? WHERE id = ?",
            (file_sha256(plain), offset, c.id),
        )
    assert verify(tmp_path) == {(c.id, "payload-changed"), (c.id, "not-as-in-manifest")}


def test_a_stray_warc_file_is_a_difference(page_server: PageServer, tmp_path: Path) -> None:
    (c,) = archive_pages(page_server, tmp_path, "/gbk.html")
    stray = tmp_path / "warc" / "stray.warc.gz"
    stray.write_bytes((tmp_path / c.warc_path).read_bytes())
    assert verify(tmp_path) == {("warc/stray.warc.gz", "file-without-capture")}
    garbage = tmp_path / "imported" / "garbage.warc"
    garbage.parent.mkdir()
    garbage.write_bytes(b"not a warc at all\n")
    assert ("imported/garbage.warc", "file-without-capture") in verify(tmp_path)


def test_a_pending_file_and_a_capture_not_yet_in_the_manifest_are_notes(
    page_server: PageServer, tmp_path: Path, run_cli: RunCli
) -> None:
    """What a writer killed between its steps leaves: neither is a capture lost."""
    first, second = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    lines = manifest_lines(tmp_path)
    write_manifest_lines(tmp_path, lines[:1])  # killed after the index commit, before the manifest append
    (tmp_path / MANIFEST_NAME).open("a", encoding="utf-8").write('{"id": "torn')  # and one cut off mid-line
    orphan = tmp_path / "warc" / "2026" / "orphan.warc.gz"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes((tmp_path / first.warc_path).read_bytes())
    pending.mark(orphan)  # placed, then killed before its index commit
    code, report, text = verify_cli(run_cli, tmp_path)
    assert code == 0 and report["problems"] == [], report
    assert report["pending_files"] == ["warc/2026/orphan.warc.gz"]
    assert report["not_yet_in_manifest"] == [second.id]
    assert "is pending" in text and "1 capture(s) not yet in the manifest" in text
    with CaptureIndex(tmp_path, writable=True):  # the next writer completes the manifest
        pass
    assert manifest_lines(tmp_path) == lines, "the torn tail removed and the missing line appended, chained"
    assert verify(tmp_path) == set()


def test_an_index_left_mid_transaction_by_a_killed_writer(page_server: PageServer, tmp_path: Path) -> None:
    """A hot journal: a read-only open cannot roll it back; verify still reads the last commit."""
    made = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    writer = (
        "import os, signal, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1])\n"
        "con.execute('BEGIN')\n"
        "con.execute('DELETE FROM capture')\n"
        "con.execute('CREATE TABLE ballast (x)')\n"
        "con.executemany('INSERT INTO ballast VALUES (?)', [('x' * 500,)] * 20000)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(tmp_path / "captures.db")], check=False)
    assert (tmp_path / "captures.db-journal").stat().st_size > 0
    with CaptureIndex(tmp_path) as index:
        report = verify_archive(index)
    assert report.ok and report.checked == len(made)


def test_an_index_whose_creation_was_cut_short_has_no_captures(tmp_path: Path) -> None:
    (tmp_path / "captures.db").write_bytes(b"")  # sqlite3.connect made the file; the schema never committed
    with CaptureIndex(tmp_path) as index:
        report = verify_archive(index)
    assert report.ok and report.checked == 0


def test_an_archive_from_before_manifests(page_server: PageServer, tmp_path: Path, run_cli: RunCli) -> None:
    made = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    (tmp_path / MANIFEST_NAME).unlink()
    code, report, text = verify_cli(run_cli, tmp_path)
    assert code == 1 and [p["problem"] for p in report["problems"]] == ["no-manifest"]
    assert "--rebuild-manifest" in text and not (tmp_path / MANIFEST_NAME).exists(), "never written unasked"
    archive_pages(page_server, tmp_path, "/gb18030-undeclared.html")
    assert not (tmp_path / MANIFEST_NAME).exists(), "a writer does not start one for an older archive either"
    rebuilt = run_cli("verify", "--archive-dir", str(tmp_path), "--rebuild-manifest")
    assert rebuilt.returncode == 0 and "wrote the manifest: 3 captures" in rebuilt.stdout
    assert {made[0].id, made[1].id} <= set(read_manifest(tmp_path).entries)
    again = run_cli("verify", "--archive-dir", str(tmp_path), "--rebuild-manifest")
    assert again.returncode == 2 and "never rewritten" in again.stderr and len(again.stderr.splitlines()) == 1


def test_an_archive_with_no_index_is_empty_not_broken(tmp_path: Path, run_cli: RunCli) -> None:
    with CaptureIndex(tmp_path / "never-used") as index:
        report = verify_archive(index)
    assert report.ok and report.checked == 0
    refused = run_cli("verify", "--archive-dir", str(tmp_path / "never-used"), "--rebuild-manifest")
    assert refused.returncode == 2 and "no captures indexed" in refused.stderr
    assert not (tmp_path / "never-used").exists(), "reading creates nothing"
