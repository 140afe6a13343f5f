"""The review pages fit a phone and a wide screen: real headless Chromium (Debian's, through Playwright)
against the real server, at 390, 1400 and 1920 px.

Checked from the rendered boxes: the decision columns do not overlap and every field stays inside its
own column, the page never scrolls sideways, no label is cut (its scrollWidth fits its clientWidth), and
buttons are sized like buttons (not blocks as wide as their form). The key shortcuts act, and not
while typing in a field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.publish_support import chromium
from tests.web.conftest import PASSWORD, Server

WIDTHS = (390, 1400, 1920)
TEXT = (
    "Fuqing Public Security Bureau opened police service stations in Rotterdam and Budapest on 12 January 2023, "
    "reports said (layout test)."
)

FIT = """() => {
  const box = (e) => e.getBoundingClientRect();
  const overlap = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const columns = [...document.querySelectorAll('.decide > *')];
  const pairs = [];
  for (let i = 0; i < columns.length; i++)
    for (let j = i + 1; j < columns.length; j++)
      if (overlap(box(columns[i]), box(columns[j]))) pairs.push([columns[i].className, columns[j].className]);
  const outside = [];
  for (const form of document.querySelectorAll('.decide form')) {
    const f = box(form);
    for (const field of form.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
      const b = box(field);
      if (b.left < f.left - 1 || b.right > f.right + 1)
        outside.push(form.className + ' ' + (field.name || field.textContent));
    }
  }
  const cut = [...document.querySelectorAll('main label, main legend')]
    .filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent.trim().slice(0, 60));
  const buttons = [...document.querySelectorAll('.decide button')].map((b) => {
    const form = box(b.closest('form'));
    return {text: b.textContent.trim(), height: box(b).height, share: box(b).width / form.width};
  });
  return {scroll: document.documentElement.scrollWidth, viewport: window.innerWidth, pairs, outside, cut, buttons,
          columns: columns.length};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def log_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login.html?next=review/index.html")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    expect(page).to_have_url(f"{server.url}/review/index.html")


def candidate_url(page: Page, server: Server) -> str:
    page.fill("form.paste textarea[name=text]", TEXT)
    page.fill("form.paste input[name=title]", "Layout test")
    page.click("form.paste button")
    page.locator("a.candidate-link", has_text="layout test").first.click()
    return page.url


def assert_fits(found: dict[str, Any], width: int, where: str) -> None:
    assert found["scroll"] <= found["viewport"], f"{where} at {width}px scrolls sideways: {found['scroll']}"
    assert found["pairs"] == [], f"{where} at {width}px: overlapping columns {found['pairs']}"
    assert found["outside"] == [], f"{where} at {width}px: fields outside their column {found['outside']}"
    assert found["cut"] == [], f"{where} at {width}px: cut labels {found['cut']}"
    for button in found["buttons"]:
        assert button["height"] < 48, f"{where} at {width}px: a block, not a button: {button}"
        assert button["share"] < 0.6 or (width <= 390 and button["share"] < 0.8), f"{where} at {width}px: {button}"


def test_the_review_pages_fit_every_width(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, server)
    url = candidate_url(page, server)
    expect(page.locator("fieldset.station-row")).to_have_count(2)  # Rotterdam and Budapest
    expect(page.locator("select[name=jurisdiction]")).to_have_value("new:福清市")
    expect(page.locator("#claim-sentence mark.span-dates")).to_have_text("12 January 2023")
    expect(page.locator("form.decide-accept input[name=opened]")).to_have_value("2023-01-12")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for where in (url, f"{server.url}/review/index.html"):
            page.goto(where)
            found = page.evaluate(FIT)
            assert_fits(found, width, where)
            if where == url:
                assert found["columns"] == 2 and found["buttons"], "the decision forms are there"
    assert errors == []
    context.close()


def test_key_shortcuts(browser: Browser, server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    log_in(page, server)
    url = candidate_url(page, server)
    page.locator("form.decide-reject input[name=reason]").press("r")  # typing: the field's key, not a shortcut
    expect(page.locator("form.decide-reject input[name=reason]")).to_have_value("r")
    expect(page).to_have_url(url)
    page.locator("form.decide-reject input[name=reason]").fill("layout test, not a claim")
    page.locator("h2").first.click()
    page.keyboard.press("r")
    expect(page.locator(".candidate-status")).to_contain_text("rejected")
    page.goto(f"{server.url}/review/index.html")
    if page.locator("[data-key=n]").count():
        page.keyboard.press("n")
        expect(page).to_have_url(re.compile(r".*/review/candidate/cand-[0-9a-f]{16}\.html"))
    context.close()
