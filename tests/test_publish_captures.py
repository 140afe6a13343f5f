"""The static site links each citation to the source's original URL and to its archived copy inside the site."""

from __future__ import annotations

from pathlib import Path

from longarm.archive import source_urls
from longarm.archive.importer import import_file
from longarm.archive.index import CaptureIndex
from longarm.publish.publisher import publish
from longarm.store import Store, build
from tests.archive.test_import import SOURCE_URL, write_warc


def test_published_citations_link_to_the_inert_local_capture(mini_data: Path, tmp_path: Path) -> None:
    sources = mini_data / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("- id: bureau-news\n", f"- id: bureau-news\n  url: {SOURCE_URL}\n"),
        encoding="utf-8",
    )
    db = tmp_path / "longarm.db"
    build(db, mini_data)
    warc = tmp_path / "page.warc.gz"
    with warc.open("wb") as out:
        write_warc(out)
    store = Store(db)
    with CaptureIndex(db.parent / "captures", writable=True) as index:
        captured = import_file(warc, index, source_urls(store)).captures
    page_capture = next(c for c in captured if c.ok and "0406" in c.url)

    site = tmp_path / "site"
    publish(store, site)
    station = (site / "station" / "alpha-it-milan.html").read_text(encoding="utf-8")
    assert f'class="capture" href="../capture/{page_capture.id}.html"' in station
    assert f'class="original" href="{SOURCE_URL}"' in station
    copy = (site / "capture" / f"{page_capture.id}.html").read_text(encoding="utf-8")
    assert "警侨驿站授牌仪式在米兰举行" in copy
    assert "default-src 'none'" in copy, "the archived copy carries its own no-request policy"
    assert "<script" not in copy.lower()
