"""Citations in the live app link to the source's original address and to its local archived copy."""

from __future__ import annotations

from pathlib import Path

import httpx

from longarm.archive.render import CONTENT_SECURITY_POLICY
from longarm.web.app import ServeConfig
from tests.archive.captured import mini_db_with_capture
from tests.archive.test_import import SOURCE_URL
from tests.web.conftest import serving


def test_a_cited_source_links_to_its_capture(mini_data: Path, tmp_path: Path) -> None:
    db, page_capture = mini_db_with_capture(mini_data, tmp_path)
    config = ServeConfig(db=str(db), app_db=str(tmp_path / "longarm.app.db"), secure_cookies=False)
    with serving(config) as url, httpx.Client(base_url=url) as client:
        station = client.get("/station/alpha-it-milan.html").text
        assert f'class="original" href="{SOURCE_URL}" rel="noreferrer noopener nofollow"' in station
        assert f'class="capture" href="../capture/{page_capture.id}.html"' in station
        assert page_capture.fetched_at in station
        warc = db.parent / "captures" / page_capture.warc_path
        warc.rename(warc.with_name("moved-away"))
        gone = client.get(f"/capture/{page_capture.id}.html")
        assert gone.status_code == 404 and "longarm verify" in gone.text, "a damaged copy is a page, not a 500"
        warc.with_name("moved-away").rename(warc)
        copy = client.get(f"/capture/{page_capture.id}.html")
        assert copy.status_code == 200 and "警侨驿站授牌仪式在米兰举行" in copy.text
        assert copy.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert client.get("/capture/ffffffffffffffff.html").status_code == 404
