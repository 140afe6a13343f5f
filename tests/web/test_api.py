"""The JSON API and the public pages over real HTTP: filters, pagination, formats, errors, search, caching."""

from __future__ import annotations

import csv
import io
import re

import geojson
import pytest

from tests.web.conftest import Server


def test_one_entity_is_its_listed_row_with_every_statement(server: Server) -> None:
    with server.client() as client:
        events = client.get("/api/events", params={"limit": 1000}).json()["items"]
        event = client.get("/api/events/croatia-joint-patrols-2018").json()
        listed = next(e for e in events if e["id"] == "croatia-joint-patrols-2018")
        assert {k: v for k, v in event.items() if k != "detail"} == listed
        assert event["detail"]["statements"] and event["detail"]["kind"] == "event"
        claims = client.get("/api/claims", params={"limit": 1000}).json()["items"]
        claim = client.get("/api/claims/nantong-2020-04-29").json()
        assert {k: v for k, v in claim.items() if k != "detail"} in claims, "a ledger row, with what is documented"
        assert claim["documented"] and claim["detail"]["statements"]


def test_stations_filter_paginate_and_keep_ids(server: Server) -> None:
    with server.client() as client:
        everything = client.get("/api/stations", params={"limit": 1000}).json()
        assert everything["total"] == 99 and everything["next"] is None
        first = client.get("/api/stations", params={"limit": 40}).json()
        assert len(first["items"]) == 40 and first["next"]
        second = client.get(first["next"]).json()
        assert second["offset"] == 40
        ids = [s["id"] for s in first["items"] + second["items"]]
        assert ids == [s["id"] for s in everything["items"]][:80] and len(set(ids)) == 80
        italy = client.get("/api/stations", params={"country": "it", "jurisdiction": "Wenzhou"}).json()["items"]
        assert (
            italy and {s["country"] for s in italy} == {"IT"} and {s["jurisdiction_id"] for s in italy} == {"wenzhou"}
        )
        unlocated = client.get("/api/stations", params={"precision": "country"}).json()["items"]
        assert unlocated and all(s["lat"] is None and s["place"] is None for s in unlocated)
        assert client.get("/api/stations", params={"country": "AQ"}).json()["items"] == []
        by_name = [
            client.get("/api/stations", params={"country": name}).json()["items"] for name in ("Italy", "意大利")
        ]
        assert by_name[0] == by_name[1] == client.get("/api/stations", params={"country": "IT"}).json()["items"]
        one = client.get("/api/stations/wenzhou-it-milan").json()
        assert one["place_name"] == "Milan" and one["detail"]["statements"]


def test_csv_and_geojson_variants(server: Server) -> None:
    with server.client() as client:
        rows = list(csv.DictReader(io.StringIO(client.get("/api/stations.csv", params={"limit": 1000}).text)))
        assert len(rows) == 99 and rows[0]["id"]
        collection = geojson.loads(client.get("/api/stations.geojson", params={"limit": 1000}).text)
        assert collection.is_valid and len(collection["features"]) == 99
        unlocated = [f for f in collection["features"] if f["properties"]["location_precision"] == "country"]
        assert unlocated and all(f["geometry"] is None for f in unlocated), "no point is invented for a country"
        assert all(f["properties"]["located"] is False for f in unlocated)
        several = [r["sources"] for r in rows if ";" in r["sources"]]
        assert several and all("; " not in s for s in several), "the API's CSV separates values as the exports do"
        events = client.get("/api/events.csv", params={"country": "IT", "type": "joint-patrol"}).text
        assert "italy-joint-patrols-2016" in events
        statements = list(
            csv.DictReader(io.StringIO(client.get("/api/statements.csv", params={"entity": "wenzhou-it-milan"}).text))
        )
        assert statements and all(
            r["entity_id"] == "wenzhou-it-milan" and r["source_id"] and r["quote"] for r in statements
        )


@pytest.mark.parametrize(
    "path",
    [
        "/api/countries",
        "/api/jurisdictions",
        "/api/sources",
        "/api/statements",
        "/api/events",
        "/api/claims",
        "/api/meta",
        "/api/jurisdictions/wenzhou",
        "/api/sources/sd-patrol-and-persuade",
        "/api/events/croatia-joint-patrols-2018",
        "/api/claims/nantong-2020-04-29",
        "/api/claims/report-pp-total",
    ],
)
def test_every_collection_answers(server: Server, path: str) -> None:
    with server.client() as client:
        response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    "path",
    [
        "/api/stations",
        "/api/stations.csv",
        "/api/stations.geojson",
        "/api/countries/{code}",
        "/api/statements",
        "/api/events",
        "/api/claims",
        "/api/sources/{entity_id}",
        "/api/stations/{entity_id}",
        "/api/jurisdictions/{entity_id}",
        "/api/events/{entity_id}",
        "/api/claims/{entity_id}",
        "/api/search",
    ],
)
def test_every_collection_is_documented(server: Server, path: str) -> None:
    with server.client() as client:
        spec = client.get("/api/openapi.json").json()
    assert path in spec["paths"], path


def test_the_api_docs_answer(server: Server) -> None:
    with server.client() as client:
        spec = client.get("/api/openapi.json").json()
        assert "limit" in {p["name"] for p in spec["paths"]["/api/stations"]["get"]["parameters"]}
        assert client.get("/api/docs").status_code == 200


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/stations?limit=abc", "limit"),
        ("/api/stations?limit=0", "limit"),
        ("/api/stations?offset=-1", "offset"),
        ("/api/stations?country=ITA", "country"),
        ("/api/stations?precision=street", "precision"),
        ("/api/events?type=party", "type"),
        ("/api/statements?kind=robot", "kind"),
        ("/api/search", "q"),
        ("/api/countries/Italy", "code"),
        ("/api/stations?since=last+year", "since"),
        ("/api/events?until=2019-6", "until"),
        ("/api/stations?countyr=IT", "countyr"),
        ("/api/claims?since=2018", "since"),
        ("/api/stations/wenzhou-it-milan?format=csv", "format"),
        ("/api/search?q=milan&lang=zh", "lang"),
    ],
)
def test_malformed_parameters_are_422_naming_the_field(server: Server, path: str, field: str) -> None:
    with server.client() as client:
        response = client.get(path)
    assert response.status_code == 422
    body = response.json()
    assert field in body["error"] and any(p["field"] == field for p in body["problems"])
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/stations/no-such-station",
        "/api/sources/no-such-source",
        "/api/jurisdictions/nobody",
        "/api/events/no-such-event",
        "/api/claims/no-such-claim",
        "/api/countries/ZZ",
        "/api/no-such-collection",
    ],
)
def test_unknown_ids_are_404_in_json(server: Server, path: str) -> None:
    with server.client() as client:
        response = client.get(path)
    assert response.status_code == 404, path
    assert response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/station/no-such-station.html",
        "/country/ZZ.html",
        "/nothing.html",
        "/check.html?country=ZZ",
        "/capture/0123.html",
        "/review/candidate/cand-0000000000000000.html",
    ],
)
def test_unknown_pages_are_404_pages(server: Server, path: str) -> None:
    with server.client() as client:
        response = client.get(path)
    assert response.status_code in (404, 303), path
    if response.status_code == 404:
        assert "text/html" in response.headers["content-type"] and "Traceback" not in response.text


def test_the_site_pages_are_served_live_with_the_same_links(server: Server) -> None:
    with server.client() as client:
        for path in (
            "/",
            "/index.html",
            "/stations.html",
            "/timeline.html",
            "/claims.html",
            "/countries.html",
            "/jurisdictions.html",
            "/sources.html",
            "/about.html",
            "/station/wenzhou-it-milan.html",
            "/country/IT.html",
            "/jurisdiction/qingtian.html",
            "/source/sd-patrol-and-persuade.html",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            assert 'action="' in response.text and "search.html" in response.text, "live pages have the search box"
        station = client.get("/station/wenzhou-it-milan.html").text
        assert 'href="../assets/site.css"' in station and 'href="../check.html"' in station
        for asset in ("/assets/site.css", "/assets/site.js", "/assets/leaflet/leaflet.js", "/assets/countries.js"):
            assert client.get(asset).status_code == 200, asset


def test_search_finds_two_character_chinese_names_and_english(server: Server) -> None:
    with server.client() as client:
        milan = client.get("/api/search", params={"q": "米兰"}).json()
        assert milan["total"] > 0
        assert any(h["kind"] == "station" and "milan" in h["ref"] for h in milan["items"])
        assert all("<mark>" in h["snippet_html"] for h in milan["items"] if h["kind"] == "quote")
        qingtian = client.get("/api/search", params={"q": "青田"}).json()
        assert any(h["kind"] == "jurisdiction" and h["ref"] == "qingtian" for h in qingtian["items"])
        assert sum(h["kind"] == "station" for h in qingtian["items"]) >= 10, "青田 finds Qingtian's stations"
        english = client.get("/api/search", params={"q": "joint patrols Italy"}).json()
        assert any(h["kind"] == "event" and "italy-joint-patrols" in h["ref"] for h in english["items"])
        page = client.get("/search.html", params={"q": "米兰"}).text
        assert re.search(r"\d+ results? for “米兰”", page) and "<mark>米兰</mark>" in page
        assert client.get("/api/search", params={"q": "zzzqqqxxx"}).json()["total"] == 0


def test_country_check_cites_every_line(server: Server) -> None:
    with server.client() as client:
        check = client.get("/api/countries/IT").json()
        assert check["country_name"] == "Italy" and check["stations_here"]
        sections = {s["key"]: s for s in check["sections"]}
        assert sections["cooperation"]["events"] and sections["response"]["events"]
        numbers = {c["n"] for c in check["citations"]}
        lines = [*check["stations_here"], *check["jurisdictions"], *(e for s in check["sections"] for e in s["events"])]
        assert all(line["refs"] and set(line["refs"]) <= numbers for line in lines), "a line without a citation"
        milan = client.get("/api/countries/IT", params={"place": "milan"}).json()
        assert {s["station"]["place"] for s in milan["stations_here"]} == {"milan"} and milan["stations_elsewhere"]
        assert client.get("/api/countries/IT", params={"place": "paris"}).status_code == 404
        page = client.get("/check.html", params={"place": "milan"}).text
        for heading in (
            "In short",
            "Who runs stations here",
            "Police cooperation with China",
            "persuasion-to-return",
            "What the host government has done",
            "Sources cited on this page",
        ):
            assert heading in page, heading
        cited = set(re.findall(r'href="#cite-(\d+)"', page))
        assert cited and cited <= set(re.findall(r'id="cite-(\d+)"', page))
        chooser = client.get("/check.html").text
        assert "check.html?country=IT" in chooser


def test_pages_are_cached_by_data_version_and_headers_are_safe(server: Server) -> None:
    with server.client() as client:
        first = client.get("/check.html", params={"country": "FR"})
        again = client.get("/check.html", params={"country": "FR"})
        assert first.content == again.content
        csp = first.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert first.headers["x-content-type-options"] == "nosniff"
        assert first.headers["referrer-policy"] == "same-origin"
        assert "x-longarm-cacheable" not in first.headers


def test_an_oversized_upload_is_refused_with_413(server: Server) -> None:
    with server.client() as client:
        response = client.post("/review/paste", content=b"x" * (3 * 2**20),
                               headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert response.status_code == 413
        api = client.post("/api/stations", content=b"x" * (3 * 2**20))
        assert api.status_code == 413 and api.json()["error"]


def test_sensitive_names_never_leave_the_server(server: Server) -> None:
    import sqlite3

    con = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    names = [
        row[0]
        for row in con.execute(
            "SELECT value FROM current_statement WHERE kind = 'person' AND prop IN ('name', 'name_zh') "
            "AND entity_id IN (SELECT entity_id FROM current_statement WHERE prop = 'sensitive' AND value = 'true')"
        )
    ]
    assert names, "the bundled dataset has sensitive persons"
    with server.client() as client:
        bodies = [
            client.get(path, params={"limit": 1000}).text
            for path in ("/api/statements", "/api/events", "/api/events.csv", "/api/statements.csv", "/timeline.html")
        ]
        bodies += [client.get("/api/search", params={"q": name}).text for name in names]
        bodies += [client.get("/check.html", params={"country": code}).text for code in ("FR", "AO", "IT", "ES")]
    for name in names:
        assert all(name not in body for body in bodies), "a sensitive name was served"
    assert any("[redacted: sensitive person]" in body for body in bodies)


def test_an_unknown_parameter_is_named_with_what_the_route_takes(server: Server) -> None:
    with server.client() as client:
        response = client.get("/api/countries", params={"since": "2018"})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["field"] == "since" and "this route takes edition)" in problem["message"]
    with server.client() as client:
        response = client.get("/api/sources", params={"limit": 5, "lang": "zh"})
    assert response.json()["problems"][0]["message"] == "unknown parameter (this route takes edition, limit, offset)"


def test_stations_and_events_filter_by_date(server: Server) -> None:
    with server.client() as client:
        every = client.get("/api/stations", params={"limit": 1000}).json()["items"]
        opened_2018 = client.get("/api/stations", params={"since": "2018", "until": "2018", "limit": 1000}).json()
        assert opened_2018["items"] == [s for s in every if (s["opened"] or "").startswith("2018")]
        assert 0 < opened_2018["total"] < len(every)
        events = client.get("/api/events", params={"since": "2018-06", "until": "2019", "limit": 1000}).json()
        assert events["total"] and all(_overlaps(e["date"], "2018-06", "2019") for e in events["items"])
        rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv", params={"since": "2022-10"}).text)))
        assert rows and all(_overlaps(r["date"], "2022-10", "9999") for r in rows)
        assert any(r["date"] == "2022" for r in rows), "a date known to the year overlaps a range in that year"


def _overlaps(date: str, since: str, until: str) -> bool:
    """Whether a date of any precision (2018, 2018-06, 2018-06-01) may fall in [since, until]."""
    return bool(date) and date >= since[: len(date)] and date[: len(until)] <= until


def test_the_api_docs_work_offline_under_the_csp(server: Server) -> None:
    """Swagger UI in real Chromium: its script and styles come from this server, pass the CSP, and list the routes."""
    from playwright.sync_api import expect

    from tests.publish_support import chromium

    with chromium() as browser:
        context = browser.new_context()
        requests: list[str] = []
        problems: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{server.url}/api/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("longarm")
        stations = page.locator(".opblock-summary-path[data-path='/api/stations']")
        expect(stations).to_have_count(1)
        stations.click()
        expect(page.locator(".parameters").first).to_contain_text("since")
        context.close()
    assert problems == [], problems
    assert all(url.startswith(server.url) for url in requests), [u for u in requests if not u.startswith(server.url)]


def test_status_now_in_the_api_and_on_the_station_page(server: Server) -> None:
    with server.client() as client:
        closed = client.get("/api/stations", params={"status_now": "closed"}).json()
        assert closed["total"] >= 1 and {s["status_now"] for s in closed["items"]} == {"closed"}
        assert client.get("/api/stations", params={"status_now": "gone"}).status_code == 422
        page = client.get("/station/fuzhou-us-new-york.html").text
        assert "Status now" in page and ">closed" in page
