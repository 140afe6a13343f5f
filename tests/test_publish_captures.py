"""The static site links each citation to the source's original URL and to its archived copy inside the site."""

from __future__ import annotations

from pathlib import Path

from longarm.ledger.store import Store
from longarm.publish.publisher import publish
from tests.archive.captured import mini_db_with_capture
from tests.archive.test_import import SOURCE_URL, write_warc
from tests.conftest import RunCli
from tests.test_bad_input import _assert_one_line_error


def test_published_citations_link_to_the_inert_local_capture(mini_data: Path, tmp_path: Path) -> None:
    db, page_capture = mini_db_with_capture(mini_data, tmp_path)
    store = Store(db)

    site = tmp_path / "site"
    publish(store, site)
    station = (site / "station" / "alpha-it-milan.html").read_text(encoding="utf-8")
    assert f'class="capture" href="../capture/{page_capture.id}.html"' in station
    assert f'class="original" href="{SOURCE_URL}"' in station
    copy = (site / "capture" / f"{page_capture.id}.html").read_text(encoding="utf-8")
    assert "警侨驿站授牌仪式在米兰举行" in copy
    assert "default-src 'none'" in copy, "the archived copy carries its own no-request policy"
    assert "<script" not in copy.lower()


def test_the_static_source_page_links_its_capture(mini_data: Path, tmp_path: Path) -> None:
    db, page_capture = mini_db_with_capture(mini_data, tmp_path)
    site = tmp_path / "site"
    publish(Store(db), site)
    source = (site / "source" / "bureau-news.html").read_text(encoding="utf-8")
    assert f'href="../capture/{page_capture.id}.html"' in source


def test_a_damaged_capture_stops_the_publish_with_one_line(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db, page_capture = mini_db_with_capture(mini_data, tmp_path)
    (db.parent / "captures" / page_capture.warc_path).unlink()
    result = run_cli("--db", str(db), "publish", str(tmp_path / "site"))
    _assert_one_line_error(result, f"capture {page_capture.id}")
    assert "longarm verify" in result.stderr
    assert not (tmp_path / "site").exists()


def test_import_of_several_files_is_all_or_nothing(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db, _ = mini_db_with_capture(mini_data, tmp_path)
    good = tmp_path / "again.warc.gz"
    with good.open("wb") as out:
        write_warc(out)
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a warc at all")
    index = db.parent / "captures" / "captures.db"
    before = index.read_bytes()
    result = run_cli("--db", str(db), "archive", "--import", str(good), "--import", str(bad))
    _assert_one_line_error(result, "bad.warc")
    assert index.read_bytes() == before
