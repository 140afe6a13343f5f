"""The published site in real headless Chromium, opened from file:// as a reader would.

Debian's chromium (installed by `make browser`) is driven through Playwright;
no browser is downloaded. One browser and one published site serve every test.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Request

from tests.publish_support import chromium

LOCAL_SCHEMES = {"file", "data", "about", "blob"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


class Visit:
    """A browser context that records every request and every script error."""

    def __init__(self, browser: Browser, site: Path) -> None:
        self.site = site
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._request)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{path}: {exc}"))
        page.on("console", lambda msg: self.errors.append(f"{path}: {msg.text}") if msg.type == "error" else None)
        file, _, fragment = path.partition("#")
        page.goto((self.site / file).resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_load_state("load")
        return page

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).scheme not in LOCAL_SCHEMES]


@pytest.fixture
def visit(browser: Browser, published_site: Path) -> Iterator[Visit]:
    v = Visit(browser, published_site)
    yield v
    v.context.close()


def _features(site: Path) -> list[dict[str, object]]:
    collection = json.loads((site / "data/stations.geojson").read_text(encoding="utf-8"))
    features: list[dict[str, object]] = collection["features"]
    return features


def _properties(feature: dict[str, object]) -> dict[str, object]:
    properties = feature["properties"]
    assert isinstance(properties, dict)
    return properties


def test_map_draws_one_marker_per_located_station_and_rings_for_the_rest(visit: Visit) -> None:
    page = visit.open("index.html")
    page.wait_for_selector("#map-stations path.station-marker")
    features = [_properties(f) for f in _features(visit.site)]
    located = [p for p in features if p["located"]]
    ringed = {(p["country"], p["jurisdiction"]) for p in features if not p["located"] and p["country_point"]}
    # stations close together are drawn as one numbered cluster: every located station is in one or the other
    clustered = sum(int(t) for t in page.locator("#map-stations .station-cluster").all_text_contents())
    drawn = page.locator("#map-stations path.station-marker").count()
    assert clustered + drawn == len(located) == 68 and clustered > 0
    assert page.locator("#map-stations path.country-ring").count() == len(ringed)
    # the map area really shows something: outlines on the ocean, coloured markers
    shot = Image.open(io.BytesIO(page.locator("#map-stations").screenshot())).convert("RGB")
    raw = shot.tobytes()
    pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    ocean = (0xDF, 0xE9, 0xF0)
    not_ocean = sum(1 for px in pixels if max(abs(a - b) for a, b in zip(px, ocean, strict=True)) > 12)
    assert not_ocean / len(pixels) > 0.2, "the map area is (nearly) blank"
    assert len(set(pixels)) > 50, "the map area has too few colours to be a drawn map"
    vermillion = sum(1 for r, g, b in pixels if r > 190 and 70 < g < 120 and b < 40)
    assert vermillion > 20, "no Wenzhou (vermillion) marker pixels"
    assert visit.errors == []


def test_country_map_shades_countries_by_edition_status(visit: Visit) -> None:
    page = visit.open("index.html")
    page.wait_for_selector("#map-countries path[class*=country-]")
    data = json.loads(page.locator("#map-countries-data").text_content() or "{}")
    for category in data["colours"]:
        expected = sum(1 for c in data["countries"].values() if c["category"] == category)
        assert page.locator(f"#map-countries path.country-{category}").count() == expected, category
    assert visit.errors == []


def test_no_request_leaves_for_another_host(visit: Visit) -> None:
    for path in (
        "index.html",
        "stations.html",
        "timeline.html",
        "claims.html",
        "countries.html",
        "jurisdictions.html",
        "sources.html",
        "about.html",
        "station/wenzhou-it-milan.html",
        "country/IT.html",
        "jurisdiction/nantong.html",
        "source/sd-patrol-and-persuade.html",
    ):
        visit.open(path).close()
    assert len(visit.requests) > 20, "requests are being recorded"
    assert visit.foreign_requests() == []
    assert visit.errors == []


def test_every_link_on_the_home_page_resolves_in_the_browser(visit: Visit) -> None:
    page = visit.open("index.html")
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert len(hrefs) > 150
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.scheme == "file", href
        assert Path(unquote(parts.path)).is_file(), href


def test_station_table_filters_in_the_page(visit: Visit) -> None:
    features = [_properties(f) for f in _features(visit.site)]
    page = visit.open("stations.html")
    visible = page.locator("#station-table tbody tr:visible")
    assert visible.count() == len(features)
    page.select_option("#filter-country", "IT")
    italy = [p for p in features if p["country"] == "IT"]
    assert visible.count() == len(italy)
    page.fill("#filter-text", "qingtian")
    assert visible.count() == sum(1 for p in italy if p["jurisdiction"] == "Qingtian")
    assert page.locator("#filter-count").text_content() == f"{visible.count()} of {len(features)} stations"
    page.fill("#filter-text", "no such place anywhere")
    assert visible.count() == 0 and page.locator("#station-table-empty").is_visible()
    # a link can carry the filter: country pages and others may point at stations.html#country=FR
    page = visit.open("stations.html#country=FR&precision=country")
    expected = sum(1 for p in features if p["country"] == "FR" and p["location_precision"] == "country")
    assert page.locator("#station-table tbody tr:visible").count() == expected
    assert visit.errors == []


def test_timeline_filter_hides_unchecked_types(visit: Visit) -> None:
    page = visit.open("timeline.html")
    assert page.locator("svg .mark").count() > 30
    patrols = page.locator("#events .event.type-joint-patrol")
    assert patrols.count() > 0 and patrols.first.is_visible()
    page.uncheck("#event-filters input[value=joint-patrol]")
    assert not any(patrols.nth(i).is_visible() for i in range(patrols.count()))
    assert visit.errors == []


def _search(page: Page, query: str) -> list[str]:
    page.fill("#site-search-input", query)
    page.wait_for_selector("#site-search-results .search-count")
    titles: list[str] = page.eval_on_selector_all("#site-search-results a", "links => links.map(a => a.textContent)")
    return titles


def _milan_station_titles(site: Path) -> set[str]:
    html = (site / "stations.html").read_text(encoding="utf-8")
    start = html.index('id="station-rows">') + len('id="station-rows">')
    records = json.loads(html[start : html.index("</script>", start)])
    return {r["station"] for r in records if r["place_name"] == "Milan"}


@pytest.mark.parametrize("path", ["index.html", "station/wenzhou-it-milan.html"])
def test_search_box_finds_stations_by_chinese_english_and_local_names(visit: Visit, path: str) -> None:
    milan = _milan_station_titles(visit.site)
    assert len(milan) >= 2
    page = visit.open(path)
    for query in ("米兰", "Milano", "milan"):
        titles = _search(page, query)
        assert milan <= set(titles), (query, titles)
    assert any("Wenzhou" in t for t in _search(page, "温州")), "a two-character jurisdiction name"
    assert "Italy" in _search(page, "意大利")
    assert _search(page, "no such place anywhere") == []
    # a hit is a link into the site that opens
    page.fill("#site-search-input", "米兰")
    page.locator("#site-search-results a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and "/station/" in page.url
    assert visit.foreign_requests() == []
    assert visit.errors == []


def test_filters_and_sort_stay_in_the_url_and_survive_a_reload(visit: Visit) -> None:
    features = [_properties(f) for f in _features(visit.site)]
    page = visit.open("stations.html")
    page.select_option("#filter-country", "IT")
    page.fill("#filter-text", "wenzhou")
    page.click("#station-table th[data-key=opened] button")
    page.click("#station-table th[data-key=opened] button")  # twice: newest first
    assert "country=IT" in page.url and "q=wenzhou" in page.url and "order=desc" in page.url
    expected = [p for p in features if p["country"] == "IT" and p["jurisdiction"] == "Wenzhou"]
    page.reload()
    page.wait_for_load_state("load")
    assert page.input_value("#filter-country") == "IT" and page.input_value("#filter-text") == "wenzhou"
    visible = page.locator("#station-table tbody tr:visible")
    assert visible.count() == len(expected) > 1
    opened = [
        d
        for d in page.eval_on_selector_all(
            "#station-table tbody tr:not([hidden]) td:nth-child(6)", "cells => cells.map(c => c.dataset.sort)"
        )
        if d
    ]
    assert opened == sorted(opened, reverse=True) and opened
    assert visit.errors == []


def test_download_gives_the_filtered_rows(visit: Visit) -> None:
    features = [_properties(f) for f in _features(visit.site)]
    page = visit.open("stations.html#country=FR")
    france = {str(p["id"]) for p in features if p["country"] == "FR"}
    with page.expect_download() as info:
        page.click(".downloads[data-for=station-table] button[data-format=csv]")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["id"] for r in rows} == france and rows[0]["country_name"] == "France"
    with page.expect_download() as info:
        page.click(".downloads[data-for=station-table] button[data-format=geojson]")
    collection = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert {f["id"] for f in collection["features"]} == france
    for feature in collection["features"]:  # a point only where the city is known
        assert (feature["geometry"] is None) == (feature["properties"]["lat"] is None)
    page = visit.open("countries.html")
    page.fill(".filters[data-for=country-table] input[name=q]", "Italy")
    with page.expect_download() as info:
        page.click(".downloads[data-for=country-table] button[data-format=json]")
    assert [r["code"] for r in json.loads(Path(info.value.path()).read_text(encoding="utf-8"))] == ["IT"]
    page = visit.open("jurisdictions.html")
    with page.expect_download() as info:
        page.click(".downloads button[data-format=csv]")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["name"] for r in rows} >= {"Qingtian", "Wenzhou", "Nantong", "Fuzhou"}
    assert visit.errors == []


def test_timeline_type_filter_is_kept_in_the_url_and_its_download_follows_it(visit: Visit) -> None:
    page = visit.open("timeline.html")
    page.uncheck("#event-filters input[value=joint-patrol]")
    assert "hide=joint-patrol" in page.url
    page.reload()
    page.wait_for_load_state("load")
    assert not page.is_checked("#event-filters input[value=joint-patrol]")
    with page.expect_download() as info:
        page.click(".downloads[data-for=events] button[data-format=json]")
    events = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    shown = page.locator("#events .event:visible").count()
    assert len(events) == shown > 0 and all(e["type"] != "joint-patrol" for e in events)
    assert visit.errors == []


def _marker_centres(page: Page) -> set[tuple[int, int]]:
    boxes = page.eval_on_selector_all(
        "#map-stations path.station-marker",
        "paths => paths.map(p => p.getBoundingClientRect()).map(b => [b.x + b.width / 2, b.y + b.height / 2])",
    )
    return {(round(x), round(y)) for x, y in boxes}


def test_stations_of_one_city_are_clustered_and_spread_not_drawn_on_one_point(visit: Visit) -> None:
    paris = [p for p in (_properties(f) for f in _features(visit.site)) if p["place_name"] == "Paris"]
    assert len(paris) == 4
    page = visit.open("index.html#view=7/48.86/2.35")
    cluster = page.locator("#map-stations .station-cluster", has_text="4")
    cluster.wait_for()
    cluster.scroll_into_view_if_needed()
    box = cluster.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cluster.click()
    page.wait_for_timeout(800)  # the spread is animated
    spread = {(x, y) for x, y in _marker_centres(page) if abs(x - cx) < 80 and abs(y - cy) < 80}
    assert len(spread) == len(paris), f"Paris's stations are drawn at {len(spread)} distinct points"
    # city names and the finer (1:50m) outlines once zoomed in
    assert "Paris" in page.locator("#map-stations .city-label").all_text_contents()
    assert page.locator("#map-stations.fine-outlines").count() == 1
    assert visit.foreign_requests() == []
    assert visit.errors == []


def test_map_filters_and_time_slider_are_kept_in_the_url(visit: Visit) -> None:
    features = [_properties(f) for f in _features(visit.site)]
    page = visit.open("index.html")
    page.select_option("#map-filters select[name=jurisdiction]", "Qingtian")
    page.select_option("#map-filters select[name=status]", "new")
    assert "jurisdiction=Qingtian" in page.url and "status=new" in page.url
    page.reload()
    page.wait_for_load_state("load")
    expected = [p for p in features if p["located"] and p["jurisdiction"] == "Qingtian" and p["status"] == "new"]
    assert page.locator("#map-count").text_content() == f"{len(expected)} of 68 located stations shown"
    # the time slider: only stations opened by that year, and (unticked) none without a date
    page = visit.open("index.html")
    slider = page.locator("#map-filters input[name=until]")
    first = int(slider.get_attribute("min") or 0)
    slider.fill(str(first))
    page.uncheck("#map-filters input[name=undated]")
    opened = [p for p in features if p["located"] and p["opened"] and int(str(p["opened"])[:4]) <= first]
    assert page.locator("#map-count").text_content() == f"{len(opened)} of 68 located stations shown"
    assert f"until={first}" in page.url and "undated=no" in page.url
    # status now, derived from host-government events
    page = visit.open("index.html")
    page.select_option("#map-filters select[name=now]", "closed")
    closed = [p for p in features if p["located"] and p["status_now"] == "closed"]
    assert closed and page.locator("#map-count").text_content() == f"{len(closed)} of 68 located stations shown"
    assert "now=closed" in page.url
    assert visit.errors == []


@pytest.mark.parametrize("path", ["station/wenzhou-it-milan.html", "station/nantong-ao.html", "country/FR.html"])
def test_station_and_country_pages_have_a_small_map(visit: Visit, path: str) -> None:
    page = visit.open(path)
    page.wait_for_selector("#map-local path.country-here")
    drawn = page.locator("#map-local path.station-marker, #map-local .station-cluster, #map-local path.country-ring")
    assert drawn.count() > 0
    assert visit.errors == []


PHONE_PAGES = [
    "index.html", "stations.html", "timeline.html", "claims.html", "countries.html", "jurisdictions.html",
    "sources.html", "about.html", "station/wenzhou-it-milan.html", "station/nantong-ao.html", "country/IT.html",
    "jurisdiction/qingtian.html", "source/sd-patrol-and-persuade.html",
]  # fmt: skip


def test_no_page_scrolls_sideways_on_a_390px_phone(browser: Browser, published_site: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        wide = {}
        for path in PHONE_PAGES:
            page.goto((published_site / path).resolve().as_uri())
            page.wait_for_load_state("load")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > 390:
                wide[path] = width
        assert wide == {}
        # the timeline's labels stay readable: the axis scrolls in its own box instead of shrinking
        page.goto((published_site / "timeline.html").resolve().as_uri())
        heights = page.eval_on_selector_all(
            ".timeline-axis .lane-label", "labels => labels.map(l => l.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 10, heights
    finally:
        context.close()
