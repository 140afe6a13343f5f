"""A capture shown as a page runs nothing and loads nothing, and blanks sensitive names."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from longarm.archive import capture_for_source, capture_page, captures_by_source, default_archive_dir
from longarm.archive.capture import capture_url
from longarm.archive.index import CaptureIndex
from longarm.archive.render import CONTENT_SECURITY_POLICY, render_capture, sanitise_html
from longarm.catalog.redact import REDACTED
from longarm.ledger.store import Store
from tests.archive.conftest import BIG5_TEXT, GBK_TEXT, TEST_LIMITS, PageServer

URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "style"}


class Inventory(HTMLParser):
    """Every tag and attribute of a page, to prove what is not there."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    return parser


def test_rendered_capture_is_inert(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture_url(page_server.url("/scripted.html"), tmp_path, TEST_LIMITS)
    assert outcome.capture is not None
    html = render_capture(outcome.capture, tmp_path)
    found = inventory(html)
    assert not {"script", "iframe", "img", "link", "form", "input", "object", "embed"} & set(found.tags)
    assert not [a for a in found.attributes if a[1].startswith("on")], "no event handlers"
    loading = [a for a in found.attributes if a[1] in URL_ATTRIBUTES]
    assert loading == [("a", "href", page_server.url("/scripted.html"))], "only the link to the original remains"
    assert ".invalid" not in html, "no URL of the original's resources survives, even as text"
    assert ("meta", "content", CONTENT_SECURITY_POLICY) in found.attributes
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "Station opening" in html and "<b>2019</b>" in html
    assert outcome.capture.payload_sha256 in html and outcome.capture.fetched_at in html


def test_a_capture_is_rendered_in_the_charset_chosen_when_it_was_made(page_server: PageServer, tmp_path: Path) -> None:
    outcome = capture_url(page_server.url("/big5.html"), tmp_path, TEST_LIMITS)
    assert outcome.capture is not None and outcome.capture.charset in ("big5hkscs", "cp950")
    assert BIG5_TEXT in render_capture(outcome.capture, tmp_path)
    # the stored charset is what is used, not a second guess from the bytes
    misread = render_capture(replace(outcome.capture, charset="latin-1"), tmp_path)
    assert BIG5_TEXT not in misread and "\u00a5" in misread


def test_sanitiser_drops_content_of_dangerous_tags() -> None:
    cleaned = sanitise_html("<p>ok</p><script>evil()</script><style>p{}</style><svg><a href='x'>s</a></svg>")
    assert cleaned == "<p>ok</p>"


def test_capture_page_links_a_source_and_redacts(cited_db: Path, page_server: PageServer) -> None:
    """The API publish and serve call: a source's latest capture and its inert, redacted page."""
    folder = default_archive_dir(cited_db)
    with CaptureIndex(folder, writable=True) as index:
        for path, source_id in (("/gbk.html", "bureau-news"), ("/scripted.html", "bureau-news")):
            outcome = capture_url(page_server.url(path), folder, TEST_LIMITS, source_id=source_id)
            assert outcome.capture is not None
            index.add([outcome.capture])
    store = Store(cited_db)
    latest = capture_for_source(store, "bureau-news")
    assert latest is not None and latest.final_url.endswith("/scripted.html")
    paths = [c.final_url.removeprefix(page_server.base) for c in captures_by_source(store)["bureau-news"]]
    assert paths == ["/gbk.html", "/scripted.html"], "oldest first"
    page = capture_page(store, latest.id)
    assert "Zed" not in page and REDACTED in page, "a sensitive person's name is blanked"
    assert "Zed" in capture_page(store, latest.id, include_sensitive=True)
    assert re.search(r'<html lang="zh">', page), "the source's language"
    gbk = captures_by_source(store)["bureau-news"][0]
    assert GBK_TEXT in capture_page(store, gbk.id), "the page decoded from GBK"
    assert capture_for_source(store, "report-b") is None
