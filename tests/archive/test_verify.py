"""`verify` re-hashes every capture and names each one missing or changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from longarm.archive.capture import capture_url
from longarm.archive.index import Capture, CaptureIndex
from longarm.archive.verify import verify_archive
from tests.archive.conftest import TEST_LIMITS, PageServer


def archive_pages(server: PageServer, folder: Path, *paths: str) -> list[Capture]:
    made = []
    with CaptureIndex(folder, writable=True) as index:
        for path in paths:
            outcome = capture_url(server.url(path), folder, TEST_LIMITS)
            assert outcome.capture is not None
            index.add([outcome.capture])
            made.append(outcome.capture)
    return made


def verify(folder: Path) -> dict[str, str]:
    with CaptureIndex(folder) as index:
        report = verify_archive(index)
    return {p.capture_id: p.problem for p in report.problems}


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_intact_archive_verifies(page_server: PageServer, tmp_path: Path) -> None:
    archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    with CaptureIndex(tmp_path) as index:
        report = verify_archive(index)
    assert report.ok and report.checked == 2 and report.files == 2 and report.unindexed == []


def test_a_flipped_byte_is_caught(page_server: PageServer, tmp_path: Path) -> None:
    _intact, tampered = archive_pages(page_server, tmp_path, "/gbk.html", "/big5.html")
    path = tmp_path / tampered.warc_path
    flip_byte(path, path.stat().st_size // 2)
    assert verify(tmp_path) == {tampered.id: "changed"}


def test_a_missing_warc_is_caught(page_server: PageServer, tmp_path: Path) -> None:
    (gone,) = archive_pages(page_server, tmp_path, "/gbk.html")
    (tmp_path / gone.warc_path).unlink()
    assert verify(tmp_path) == {gone.id: "missing"}


def test_a_forged_file_hash_is_still_caught_by_the_payload(page_server: PageServer, tmp_path: Path) -> None:
    """Someone edits an uncompressed WARC and updates the index's file hash: the payload hash still differs."""
    (c,) = archive_pages(page_server, tmp_path, "/changing")
    import gzip

    from longarm.archive.warc import file_sha256

    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress((tmp_path / c.warc_path).read_bytes()))
    data = plain.read_bytes()
    start = data.index(b"Version")
    plain.write_bytes(data[:start] + b"Versiom" + data[start + 7 :])
    from warcio.archiveiterator import ArchiveIterator

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
    assert verify(tmp_path) == {c.id: "payload-changed"}


def test_unindexed_warc_files_are_noted_not_failed(page_server: PageServer, tmp_path: Path) -> None:
    (c,) = archive_pages(page_server, tmp_path, "/gbk.html")
    stray = tmp_path / "warc" / "stray.warc.gz"
    stray.write_bytes((tmp_path / c.warc_path).read_bytes())
    with CaptureIndex(tmp_path) as index:
        report = verify_archive(index)
    assert report.ok and report.unindexed == ["warc/stray.warc.gz"]


def test_an_archive_with_no_index_is_empty_not_broken(tmp_path: Path) -> None:
    with CaptureIndex(tmp_path / "never-used") as index:
        report = verify_archive(index)
    assert report.ok and report.checked == 0
    assert not (tmp_path / "never-used").exists(), "reading creates nothing"
