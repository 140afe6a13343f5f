"""The static site links each citation to the source's original URL and to its archived copy inside the site."""

from __future__ import annotations

from pathlib import Path

from longarm.publish.publisher import publish
from longarm.store import Store
from tests.archive.captured import mini_db_with_capture
from tests.archive.test_import import SOURCE_URL


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
