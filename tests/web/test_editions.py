"""Editions kept apart: review -> release -> publish through the real server and the real CLI.

A reviewer's accept changes nothing public (pages, API, `longarm stats`) until `longarm release`;
Table 1 of Patrol and Persuade reads 99 stations in 51 countries before and after; the released
edition shows the accepted station and `longarm diff` lists it.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from longarm.catalog import Catalog
from longarm.catalog.diff import diff
from longarm.ledger.store import Store, build
from longarm.publish.exports import write_sqlite
from tests.conftest import RunCli, cli_json
from tests.web.conftest import Server, logged_in, serve

TEXT = "福州市公安局在葡萄牙波尔图设立了海外警务服务站。"
TABLE_1 = "Table 1 — Patrol and Persuade, 2022-12: 99 stations, 51 countries with an entry"


@pytest.fixture
def own_server(bundled_db: Path, tmp_path: Path) -> Iterator[Server]:
    """A server of its own: this test releases an edition, which would change what others read."""
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    yield from serve(db, tmp_path / "longarm.app.db", {"alice": "reviewer", "ada": "admin"})


def headline(html: str) -> tuple[str, str]:
    stations = re.search(r'<span class="number">(\d+)</span><span class="what">stations documented', html)
    countries = re.search(r'<span class="number">(\d+)</span><span class="what">countries with a station', html)
    assert stations and countries
    return stations.group(1), countries.group(1)


def test_an_accept_changes_nothing_public_until_release(own_server: Server, run_cli: RunCli) -> None:
    db = ["--db", str(own_server.db)]
    public = own_server.client()
    before = public.get("/").text
    assert headline(before) == ("99", "51") and TABLE_1 in before
    assert "Edition shown: <strong>After the report, 2026-11</strong>" in before
    stats = cli_json(run_cli, *db, "stats")
    assert (stats["stations"], stats["countries"], stats["edition"]) == (99, 51, "After the report, 2026-11")

    # a pasted text with a title but no date: queued, and not accepted until a source date is attached
    client, csrf = logged_in(own_server, "alice")
    client.post("/review/paste", data={"csrf": csrf, "text": TEXT, "title": "A saved article"})
    queue = client.get("/review/index.html").text
    found = re.search(r"review/candidate/(cand-[0-9a-f]{16})\.html\">福州市", queue)
    assert found, queue
    candidate = found.group(1)
    assert "required: the document has no date" in client.get(f"/review/candidate/{candidate}.html").text
    form = {"csrf": csrf, "action": "accept", "jurisdiction": "fuzhou", "country": "PT", "place": "",
            "locality": "Porto", "quote": TEXT}  # fmt: skip
    refused = client.post(f"/review/candidate/{candidate}/decide", data=form)
    assert refused.status_code == 422 and "attach a source" in refused.text
    accepted = client.post(f"/review/candidate/{candidate}/decide", data=form | {"source_date": "2023-01-05"})
    assert accepted.status_code == 303

    # accepted: reviewers see it in the working edition; the public pages, API and CLI do not
    review_page = client.get(f"/review/candidate/{candidate}.html").text
    assert "Working edition (not released)" in review_page
    after_accept = public.get("/").text
    assert headline(after_accept) == ("99", "51") and TABLE_1 in after_accept
    assert public.get("/api/stations/fuzhou-pt").status_code == 404
    assert public.get("/api/stations", params={"edition": "working"}).status_code == 404
    assert public.get("/station/fuzhou-pt.html").status_code == 404
    assert public.get("/station/fuzhou-pt.html", params={"edition": "working"}).status_code == 404
    working = client.get("/station/fuzhou-pt.html", params={"edition": "working"})
    assert working.status_code == 200 and working.headers["cache-control"] == "no-store" and "Porto" in working.text
    stats = cli_json(run_cli, *db, "stats")
    assert (stats["stations"], stats["countries"]) == (99, 51)
    assert cli_json(run_cli, *db, "--edition", "working", "stats")["stations"] == 100

    # an admin's release freezes the working edition under a name
    released = cli_json(run_cli, *db, "release", "2027-01", "--label", "Update, January 2027", "--date", "2027-01-15")
    assert released["previous"] == "after-the-report" and len(released["decisions"]) == 1
    assert "local admin" in released["released_by"]
    again = run_cli(*db, "release", "2027-02")
    assert again.returncode == 2 and "nothing to release" in again.stderr

    # the new edition shows it; the report's Table 1 and every earlier edition do not change
    home = public.get("/").text
    assert "Edition shown: <strong>Update, January 2027</strong>" in home
    assert headline(home) == ("100", "51") and TABLE_1 in home
    station = public.get("/api/stations/fuzhou-pt")
    assert station.status_code == 200 and station.json()["detail"]["properties"]["locality"] == "Porto"
    assert public.get("/api/stations/fuzhou-pt", params={"edition": "after-the-report"}).status_code == 404
    assert public.get("/api/meta").json()["edition"] == "2027-01"
    report = cli_json(run_cli, *db, "--edition", "patrol-and-persuade", "stats")
    assert (report["stations"], report["countries"]) == (99, 51)
    assert cli_json(run_cli, *db, "--edition", "after-the-report", "stats")["stations"] == 99
    stats = cli_json(run_cli, *db, "stats")
    assert (stats["stations"], stats["edition"]) == (100, "Update, January 2027")
    assert {f["check"]: f["computed"] for f in stats["findings"]}["total-stations"] == 99, "the report's own"

    # the diff lists it, computed; so do the since-the-report page and the API
    changes = cli_json(run_cli, *db, "diff", "after-the-report", "2027-01")
    assert [(e["kind"], e["id"]) for e in changes["new"] if e["kind"] == "station"] == [("station", "fuzhou-pt")]
    assert changes["gone"] == [] and changes["counts"]["new"] >= 2  # the station and its source
    text = run_cli(*db, "diff", "after-the-report", "2027-01", check=True).stdout
    assert "fuzhou-pt" in text and "new since After the report, 2026-11: " in text
    since = public.get("/since.html").text
    assert 'id="since-new-fuzhou-pt"' in since and "Update, January 2027" in since
    assert public.get("/api/diff", params={"from": "after-the-report", "to": "2027-01"}).json() == changes
    # search answers for the edition asked for, like every other endpoint
    found = public.get("/api/search", params={"q": "Porto"}).json()["items"]
    assert "fuzhou-pt" in {hit["ref"] for hit in found}
    older_hits = public.get("/api/search", params={"q": "Porto", "edition": "after-the-report"}).json()["items"]
    assert "fuzhou-pt" not in {hit["ref"] for hit in older_hits}
    assert "station/fuzhou-pt.html" in public.get("/search.html", params={"q": "Porto"}).text
    older_page = public.get("/search.html", params={"q": "Porto", "edition": "after-the-report"}).text
    assert "station/fuzhou-pt-porto.html" in older_page and "station/fuzhou-pt.html" not in older_page
    assert [e["id"] for e in public.get("/api/editions").json()["items"]][-1] == "2027-01"

    # a released edition never changes: its decision cannot be reversed
    page = client.get(f"/review/candidate/{candidate}.html").text
    decision = re.search(r"review/decision/(\d+)/reverse", page)
    assert decision
    reversal = client.post(f"/review/decision/{decision.group(1)}/reverse", data={"csrf": csrf, "reason": "x"})
    assert reversal.status_code == 409 and "released edition" in reversal.text
    assert public.get("/api/stations/fuzhou-pt").status_code == 200

    # the static site publishes the latest released edition, or the one asked for
    site = own_server.db.parent / "site"
    cli_json(run_cli, *db, "publish", str(site))
    assert (site / "station/fuzhou-pt.html").exists()
    assert json.loads((site / "longarm-site.json").read_text(encoding="utf-8"))["edition"] == "Update, January 2027"
    older = own_server.db.parent / "older"
    cli_json(run_cli, *db, "--edition", "after-the-report", "publish", str(older))
    assert not (older / "station/fuzhou-pt.html").exists()
    assert headline((older / "index.html").read_text(encoding="utf-8")) == ("99", "51")
    # the older edition's SQLite copy holds that edition's statements alone
    newer_copy, older_copy = (next(folder.rglob("longarm.db")) for folder in (site, older))
    for copy, holds_it in ((newer_copy, True), (older_copy, False)):
        with closing(sqlite3.connect(copy)) as con:
            rows = con.execute("SELECT count(*) FROM statement WHERE entity_id = 'fuzhou-pt'").fetchone()[0]
        assert (rows > 0) is holds_it, copy


def test_an_unknown_edition_is_a_one_line_error(run_cli: RunCli, bundled_db: Path) -> None:
    result = run_cli("--db", str(bundled_db), "--edition", "no-such", "stats")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no edition 'no-such'") and result.stderr.count("\n") == 1


def test_a_document_without_a_source_is_imported_with_a_warning(tmp_path: Path, run_cli: RunCli) -> None:
    from longarm.extract import extract_document

    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(extract_document(TEXT).as_dict()), encoding="utf-8")
    db = tmp_path / "longarm.db"
    run_cli("--db", str(db), "build", check=True)
    result = run_cli("--db", str(db), "review", "import", str(claims), check=True)
    assert "queued 1 candidates" in result.stdout
    assert "warning:" in result.stderr and "attach a source" in result.stderr


def test_the_editions_of_the_bundled_dataset(bundled_db: Path) -> None:
    store = Store(bundled_db)
    editions = {e: Catalog(store, edition=e) for e in ("110-overseas", "patrol-and-persuade", "after-the-report")}
    assert Catalog(store).edition["id"] == "after-the-report", "the latest released edition by default"
    # the first edition after the report carries exactly the host-government events that name it
    host = {e["id"] for e in store.entities("event") if e["edition"] == "after-the-report"}
    changes = diff(editions["patrol-and-persuade"], editions["after-the-report"])
    assert {e["id"] for e in changes["new"]} == host and changes["gone"] == [] and changes["changed"] == []
    assert not host & set(editions["patrol-and-persuade"].event_by_id)
    # Patrol and Persuade's figures are its own, in every edition that follows it
    for catalog in editions.values():
        if catalog.edition["id"] != "110-overseas":
            assert (catalog.stats["stations"], catalog.stats["countries"]) == (99, 51)
            assert catalog.grid["title"] == editions["patrol-and-persuade"].grid["title"]
    # 'reported earlier' is computed from the retellings of 110 Overseas, and their disagreements are findings
    report = editions["patrol-and-persuade"].stats["by_status"]
    first = editions["110-overseas"].stats["stations"]
    assert report["earlier"] == first, "each station placed in 110 Overseas is reported earlier in the report"
    findings = {f["check"]: f for f in editions["patrol-and-persuade"].stats["findings"]}
    assert findings["edition-disputed"]["scope"] == "qingtian-nl-amsterdam"
    assert (findings["sources-disagree"]["stated"], findings["sources-disagree"]["computed"]) == (2, 1)
    assert "Budapest" in findings["sources-disagree"]["message"]
    assert {f["check"] for f in editions["110-overseas"].stats["findings"]} >= {"total-stations", "sources-disagree"}
    store.close()


def test_every_source_says_whether_it_has_a_url(bundled_db: Path, run_cli: RunCli, published_site: Path) -> None:
    store = Store(bundled_db)
    sources = store.entities("source")
    store.close()
    plan = cli_json(run_cli, "--db", str(bundled_db), "archive", "--all-sources", "--dry-run")
    assert {r["source_id"] for r in plan["would_capture"]} == {s["id"] for s in sources if s["url"]}
    skipped = {r["source_id"]: r["reason"] for r in plan["skipped"]}
    assert set(skipped) == {s["id"] for s in sources if not s["url"]}
    for source in sources:
        page = (published_site / f"source/{source['id']}.html").read_text(encoding="utf-8")
        if source["url"]:
            assert source["url"].replace("&", "&amp;") in page
        elif source["url_status"] == "not-found":
            assert "not found" in skipped[source["id"]] and "No public URL found: searched for" in page
        else:
            assert "not searched for yet" in skipped[source["id"]] and "not searched for yet" in page


def test_a_dataset_without_editions_shows_its_curated_data_and_not_what_is_unreleased(
    mini_data: Path, tmp_path: Path
) -> None:
    from longarm.ledger.editions import Editions

    (mini_data / "editions.yaml").unlink()
    for name in ("claims.yaml", "stations-evidence.yaml", "stations.yaml"):
        path = mini_data / name
        kept = [line for line in path.read_text(encoding="utf-8").splitlines() if "edition:" not in line]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    db = tmp_path / "mini.db"
    build(db, mini_data)
    store = Store(db)
    editions = Editions.of(store)
    assert [e.id for e in editions.chain] == ["curated", "working"] and editions.latest_released.id == "curated"
    shown = Catalog(store)
    assert shown.edition["id"] == "curated" and len(shown.stations) == 3
    store.close()


def test_an_editions_sqlite_copy_holds_its_own_statements(bundled_db: Path, tmp_path: Path) -> None:
    store = Store(bundled_db)
    host_events = {e["id"] for e in store.entities("event") if e["edition"] == "after-the-report"}
    assert host_events
    for edition, holds_them in (("patrol-and-persuade", False), ("after-the-report", True)):
        folder = tmp_path / edition
        folder.mkdir()
        write_sqlite(Catalog(store, edition=edition), folder)
        with closing(sqlite3.connect(folder / "longarm.db")) as con:
            events = {row[0] for row in con.execute("SELECT DISTINCT entity_id FROM statement WHERE kind = 'event'")}
        assert (host_events <= events) is holds_them and (not host_events & events) is not holds_them, edition
    store.close()


def test_a_search_index_of_the_older_layout_is_dropped_and_rebuilt(tmp_path: Path) -> None:
    from longarm.ledger.reviewdb import AppDB

    path = tmp_path / "longarm.app.db"
    with closing(sqlite3.connect(path)) as con:  # the layout before editions had search rows of their own
        con.execute("CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO app_meta VALUES ('search_key', 'old')")
        con.execute("CREATE VIRTUAL TABLE search_index USING fts5(kind, ref, href, title, body, tokenize='trigram')")
        con.execute("INSERT INTO search_index VALUES ('station', 'x', 'x.html', 'X', 'x')")
        con.commit()
    app = AppDB(path)
    columns = [row[1] for row in app.con.execute("PRAGMA table_info(search_index)")]
    assert columns[0] == "edition" and app.con.execute("SELECT count(*) FROM search_index").fetchone()[0] == 0
    assert app.meta("search_key") is None
    app.close()
