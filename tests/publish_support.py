"""Helpers the publish and web tests share: a crawl of a published site's links, and headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium (installed by `make browser`) driven through Playwright; no browser is downloaded."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run `make browser` (or `apt-get install chromium`)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class LinkParser(HTMLParser):
    """Collects every href/src and every element id of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id":
                self.ids.add(value)


def parse(page: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def crawl(site: Path, start: str = "index.html") -> tuple[set[Path], list[str]]:
    """Follow every internal link from ``start``: (pages reached, broken links as 'page -> link')."""
    root = site.resolve()
    seen: set[Path] = set()
    queue = [root / start]
    broken: list[str] = []
    parsed: dict[Path, LinkParser] = {}
    fragments: list[tuple[Path, Path, str]] = []
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        parsed[page] = parse(page)
        for link in parsed[page].links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and parts.netloc:
                continue  # a source's "original" link out to the web: not part of the site
            if parts.scheme or parts.netloc:
                broken.append(f"{page.relative_to(root)} -> {link} (not a relative link)")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(root) or not target.is_file():
                broken.append(f"{page.relative_to(root)} -> {link}")
                continue
            if parts.fragment and "=" not in parts.fragment:  # "#country=IT" is filter state, not an anchor
                fragments.append((page, target, parts.fragment))
            if target.suffix == ".html":
                queue.append(target)
    for page, target, fragment in fragments:
        if target not in parsed:
            parsed[target] = parse(target)
        if fragment not in parsed[target].ids:
            broken.append(f"{page.relative_to(root)} -> {target.relative_to(root)}#{fragment} (no such id)")
    return seen, broken
