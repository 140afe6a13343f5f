"""Citations in the live app link to the source's original address and to its local archived copy."""

from __future__ import annotations

from pathlib import Path

from longarm.archive import source_urls
from longarm.archive.importer import import_file
from longarm.archive.index import CaptureIndex
from longarm.archive.render import CONTENT_SECURITY_POLICY
from longarm.store import Store, build
from longarm.web.app import ServeConfig
from tests.archive.test_import import SOURCE_URL, write_warc
from tests.web.conftest import start


def test_a_cited_source_links_to_its_capture(mini_data: Path, tmp_path: Path) -> None:
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
    store.close()
    page_capture = next(c for c in captured if c.ok and "0406" in c.url)
    uv, thread, url = start(ServeConfig(db=str(db), app_db=str(tmp_path / "longarm.app.db"), secure_cookies=False))
    try:
        import httpx

        with httpx.Client(base_url=url) as client:
            station = client.get("/station/alpha-it-milan.html").text
            assert f'class="original" href="{SOURCE_URL}" rel="noreferrer noopener nofollow"' in station
            assert f'class="capture" href="../capture/{page_capture.id}.html"' in station
            assert page_capture.fetched_at in station
            copy = client.get(f"/capture/{page_capture.id}.html")
            assert copy.status_code == 200 and "警侨驿站授牌仪式在米兰举行" in copy.text
            assert copy.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert client.get("/capture/ffffffffffffffff.html").status_code == 404
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
