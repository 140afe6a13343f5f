"""The review flow in real headless Chromium against the real server: log in, paste, decide, reverse.

Debian's chromium through Playwright (no browser download), as in the publish
tests. The pasted text and title carry script payloads; the page must show
them as text and never run them, and no request may leave 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.publish_support import chromium
from tests.web.conftest import PASSWORD, Server

TEXT = '温州市公安局于2020年在意大利那不勒斯设立了海外警务服务站<img src=x onerror="window.__xss=1">。'
TITLE = "<script>window.__xss = 2</script> Wenzhou news"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def no_script_ran(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", "a payload ran"


def test_review_flow_in_chromium(browser: Browser, server: Server) -> None:
    context = browser.new_context()
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{server.url}/review/index.html")
    expect(page).to_have_url(f"{server.url}/login.html?next=review/index.html")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    expect(page).to_have_url(f"{server.url}/review/index.html")

    page.fill("form.paste textarea[name=text]", TEXT)
    page.fill("form.paste input[name=title]", TITLE)
    page.fill("form.paste input[name=date]", "2020-05-01")
    page.click("form.paste button")
    expect(page.locator(".notice")).to_have_text("Candidates added.")
    page.locator("a.candidate-link", has_text="那不勒斯").click()

    sentence = page.locator("#claim-sentence")
    expect(sentence.locator("mark.span-jurisdictions")).to_have_text("温州市")
    expect(sentence.locator("mark.span-cities")).to_have_text("那不勒斯")
    expect(sentence.locator("mark.span-terms")).to_have_text("海外警务服务站")
    expect(sentence).to_contain_text('<img src=x onerror="window.__xss=1">')
    assert sentence.locator("img").count() == 0
    expect(page.locator("dl.facts")).to_contain_text("<script>window.__xss = 2</script>")
    no_script_ran(page)

    accept = page.locator("form.decide-accept")
    expect(accept.locator("select[name=jurisdiction]")).to_have_value("wenzhou")
    expect(accept.locator("select[name=place]")).to_have_value("naples")
    accept.locator("input[name=opened]").fill("2020-03")  # the reviewer edits what the extractor proposed
    accept.locator("button").click()
    expect(page.locator(".candidate-status")).to_contain_text("accepted")
    page.locator(".candidate-status a").click()  # a reviewer sees the working edition, not yet released
    expect(page).to_have_url(f"{server.url}/station/wenzhou-it-naples.html?edition=working")
    expect(page.locator("#edition-shown")).to_contain_text("Working edition (not released)")
    expect(page.locator("dl.facts")).to_contain_text("Naples")
    expect(page.locator("dl.facts")).to_contain_text("2020-03")
    expect(page.locator("ol.citations")).to_contain_text("Reviewer edited: opened")
    no_script_ran(page)

    page.goto(f"{server.url}/check.html?country=IT&place=naples")  # public: nothing until a release
    expect(page.locator("main")).not_to_contain_text("Wenzhou station in Naples")
    page.goto(f"{server.url}/review/audit.html")
    expect(page.locator("table.audit")).to_contain_text("accept")

    page.go_back()
    page.goto(f"{server.url}/station/wenzhou-it-naples.html")
    page.goto(f"{server.url}/review/index.html?status=accepted")
    page.locator("a.candidate-link", has_text="那不勒斯").click()
    page.fill("form.reverse input[name=reason]", "checking the reversal")
    page.click("form.reverse button")
    expect(page.locator(".candidate-status")).to_contain_text("pending")
    expect(page.locator("li.decision.reversed")).to_contain_text("checking the reversal")
    response = page.goto(f"{server.url}/station/wenzhou-it-naples.html")
    assert response is not None and response.status == 404

    page.goto(f"{server.url}/search.html?q=米兰")
    expect(page.locator("#search-count")).to_contain_text("for “米兰”")
    no_script_ran(page)
    assert errors == [], errors
    foreign = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
    assert foreign == [], foreign
    context.close()


def test_live_pages_run_their_scripts_under_the_content_security_policy(browser: Browser, server: Server) -> None:
    """Maps, filters and the timeline work with scripts only from the server (no CSP violation, no foreign request)."""
    context = browser.new_context()
    requests: list[str] = []
    problems: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/index.html")
    expect(page.locator("#map-stations .leaflet-interactive").first).to_be_visible()
    page.goto(f"{server.url}/stations.html")
    page.fill("#filter-text", "Milan")
    page.press("#filter-text", "Enter")
    expect(page.locator("#filter-count")).not_to_contain_text("99 of 99")
    assert page.url == f"{server.url}/stations.html#q=Milan", "Enter filters in place; the filter is kept in the URL"
    page.goto(f"{server.url}/timeline.html")
    page.goto(f"{server.url}/check.html?country=IT")
    page.select_option("select[name=place]", "prato")
    page.select_option("select[name=country]", "")
    page.click("form.check-choose button")
    expect(page.locator("h1")).to_have_text("Country check: Prato, Italy")
    assert problems == [], problems
    assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []
    context.close()


def test_live_pages_do_not_scroll_sideways_on_a_390px_phone(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    wide: dict[str, int] = {}

    def measure(path: str) -> None:
        page.goto(f"{server.url}/{path}")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 390:
            wide[path] = width

    for path in ("index.html", "check.html?country=IT", "check.html?country=IT&place=prato", "search.html?q=米兰",
                 "login.html"):  # fmt: skip
        measure(path)
    page.goto(f"{server.url}/login.html?next=review/index.html")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"{server.url}/review/index.html")
    measure("review/index.html")
    page.fill("form.paste textarea[name=text]", TEXT)
    page.fill("form.paste input[name=title]", "Wenzhou news")
    page.click("form.paste button")
    candidate = page.locator("a.candidate-link").first.get_attribute("href")
    if candidate:
        measure(f"review/{candidate}" if not candidate.startswith(("/", "http")) else candidate.lstrip("/"))
    context.close()
    assert wide == {}


def test_live_pages_have_their_data_as_json_beside_them(server: Server) -> None:
    with server.client() as client:
        station = client.get("/station/wenzhou-it-milan.html").text
        assert 'href="wenzhou-it-milan.json"' in station
        data = client.get("/station/wenzhou-it-milan.json")
        assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
        assert data.json()["station"]["place_name"] == "Milan"
        assert client.get("/stations.json").json()["stations"]
        assert client.get("/station/no-such-station.json").status_code == 404
        assert client.get("/review/index.json").status_code in (303, 401, 403, 404)
