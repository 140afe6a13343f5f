"""A sensitive name in any field, a source's title included, leaves neither the published site nor the server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from longarm.catalog.redact import REDACTED
from longarm.ledger.store import Store, build
from longarm.publish.publisher import publish
from longarm.web.app import ServeConfig
from tests.web.conftest import serving

NAME = "Zed"  # the mini fixture's sensitive person


def _db_with_the_name_in_a_source_title(mini_data: Path, tmp_path: Path) -> Path:
    sources = mini_data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("title: Second report", f"title: Second report on {NAME}"), encoding="utf-8")
    db = tmp_path / "longarm.db"
    build(db, mini_data)
    return db


def _original_ids_of_redacted_statements(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT id FROM statement WHERE value LIKE ? OR quote LIKE ? OR note LIKE ?", [f"%{NAME}%"] * 3
        )
        return {r[0] for r in rows}


def test_a_sensitive_name_in_a_source_title_is_redacted_on_every_page_and_export(
    mini_data: Path, tmp_path: Path
) -> None:
    db = _db_with_the_name_in_a_source_title(mini_data, tmp_path)
    original_ids = _original_ids_of_redacted_statements(db)
    assert len(original_ids) >= 3, "the title, a quote and a person's name mention the name"
    store = Store(db)
    site = tmp_path / "site"
    publish(store, site)
    store.close()
    files = [p for p in site.rglob("*") if p.is_file()]
    leaks = [p.relative_to(site).as_posix() for p in files if NAME.encode() in p.read_bytes()]
    assert leaks == [], "a sensitive name in a source title was published"
    everything = b"".join(p.read_bytes() for p in files)
    assert not [i for i in original_ids if i.encode() in everything], "an original id would confirm a guessed name"
    assert f"Second report on {REDACTED}" in (site / "sources.html").read_text(encoding="utf-8")


def test_a_sensitive_name_in_a_source_title_is_never_served(mini_data: Path, tmp_path: Path) -> None:
    db = _db_with_the_name_in_a_source_title(mini_data, tmp_path)
    original_ids = _original_ids_of_redacted_statements(db)
    config = ServeConfig(db=str(db), app_db=str(tmp_path / "longarm.app.db"), secure_cookies=False)
    paths = [
        "/api/sources",
        "/api/sources.csv",
        "/api/sources/report-b",
        "/api/stations/alpha-it-milan",
        "/api/stations",
        "/api/countries/IT",
        "/api/jurisdictions/alpha",
        "/api/events",
        "/api/statements",
        "/api/statements.csv",
        "/check.html?country=IT",
        "/check.html?country=FR",
        "/sources.html",
        "/source/report-b.html",
        "/station/alpha-it-milan.html",
        "/country/IT.html",
        "/jurisdiction/alpha.html",
        "/timeline.html",
        "/about.html",
    ]
    with serving(config) as url, httpx.Client(base_url=url, timeout=30) as client:
        bodies = {}
        for path in paths:
            collection = path.startswith("/api/") and path.count("/") == 2  # one entity takes no limit (422)
            response = client.get(path, params={"limit": 1000} if collection else None)
            assert response.status_code == 200, path
            bodies[path] = response.text
        bodies["search"] = client.get("/api/search", params={"q": "Second report"}).text
    assert [path for path, body in bodies.items() if NAME in body] == [], "a sensitive name was served"
    assert REDACTED in bodies["/api/sources"] and REDACTED in bodies["/api/statements"]
    for path in ("/api/statements", "/api/statements.csv"):
        assert not [i for i in original_ids if i in bodies[path]], f"{path} gives the original id of a redacted one"
