"""The SQLite store: statements with provenance, entity views, append-only history."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from longarm.ledger.store import Store, build


def test_statements_carry_provenance_and_views_pivot_them(mini_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build(db, mini_data)
    store = Store(db)
    rows = store.statements(entity_id="alpha-it-milan")
    opened = [r for r in rows if r["prop"] == "opened"]
    assert len(opened) == 1
    assert opened[0]["value"] == "2016-05"
    assert opened[0]["precision"] == "month"
    assert opened[0]["source_id"] == "bureau-news"
    assert opened[0]["quote"] == "2016年5月在米兰设立警侨之家"
    assert opened[0]["lang"] == "zh"
    assert opened[0]["origin"] == "curated"
    assert opened[0]["data_file"].endswith("stations-evidence.yaml")
    station = store.entity("station", "alpha-it-milan")
    assert station is not None
    assert station["country"] == "IT"
    assert station["opened_precision"] == "month"
    assert sorted(station["sources"]) == ["bureau-news", "report-b"]
    assert station["in_edition"] == ["ed-b"]
    # a cite without `lang` takes its source's language
    table_row = next(r for r in rows if r["prop"] == "country")
    assert table_row["lang"] == "en"


def test_rebuild_keeps_history(mini_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    first = datetime(2025, 1, 1, tzinfo=UTC)
    second = datetime(2025, 6, 1, tzinfo=UTC)
    build(db, mini_data, now=first)
    evidence = mini_data / "stations-evidence.yaml"
    evidence.write_text(evidence.read_text(encoding="utf-8").replace("2016-05", "2016-06"), encoding="utf-8")
    counts = build(db, mini_data, now=second)
    # the old opening date and the statements sharing its cite's quote are unchanged; only `opened` changed
    assert counts["retired"] == 1
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT value, first_seen, last_seen FROM statement WHERE entity_id='alpha-it-milan' AND prop='opened'"
        " ORDER BY value"
    ).fetchall()
    assert rows == [
        ("2016-05", first.isoformat(), first.isoformat()),
        ("2016-06", second.isoformat(), second.isoformat()),
    ]
    kept = con.execute(
        "SELECT first_seen, last_seen FROM statement WHERE entity_id='alpha-it-milan' AND prop='country'"
    ).fetchone()
    assert kept == (first.isoformat(), second.isoformat())
    store = Store(db)
    station = store.entity("station", "alpha-it-milan")
    assert station is not None and station["opened"] == "2016-06", "views show only the current statements"


def test_build_writes_metadata(mini_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    build(db, mini_data)
    meta = Store(db).meta
    assert meta["schema_version"] == "1"
    assert len(meta["data_fingerprint"]) == 16
    assert meta["data_dir"] == str(mini_data)


def test_a_cite_keeps_its_gloss_and_the_converted_text_apart_from_the_quote(mini_data: Path, tmp_path: Path) -> None:
    """`gloss` (our English) and `as_converted` (what an OCR'd copy showed) are statement columns,
    not part of the quote, so adding them changes no statement's id."""
    plain_db, glossed_db = tmp_path / "plain.db", tmp_path / "glossed.db"
    build(plain_db, mini_data)
    evidence = mini_data / "stations-evidence.yaml"
    evidence.write_text(
        evidence.read_text(encoding="utf-8").replace(
            '      quote: "2016年5月在米兰设立警侨之家"\n',
            '      quote: "2016年5月在米兰设立警侨之家"\n'
            "      gloss: In May 2016 a police-and-overseas-Chinese home was set up in Milan\n"
            '      as_converted: "2016年5月在米兰设立警係之家"\n',
        ),
        encoding="utf-8",
    )
    build(glossed_db, mini_data)
    plain = {r["id"]: r for r in Store(plain_db).statements(entity_id="alpha-it-milan")}
    glossed = {r["id"]: r for r in Store(glossed_db).statements(entity_id="alpha-it-milan")}
    assert plain.keys() == glossed.keys()
    cited = [r for r in glossed.values() if r["source_id"] == "bureau-news"]
    assert cited and all(r["quote"] == "2016年5月在米兰设立警侨之家" for r in cited)
    assert {r["gloss"] for r in cited} == {"In May 2016 a police-and-overseas-Chinese home was set up in Milan"}
    assert {r["as_converted"] for r in cited} == {"2016年5月在米兰设立警係之家"}
    assert all(r["gloss"] is None for r in plain.values())


def test_rebuild_over_a_database_made_before_the_gloss_columns(mini_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    build(db, mini_data, now=datetime(2025, 1, 1, tzinfo=UTC))
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE statement DROP COLUMN gloss")
    con.execute("ALTER TABLE statement DROP COLUMN as_converted")
    con.execute("INSERT INTO statement (id, kind, entity_id, prop, value, source_id, quote, lang, origin, first_seen,"
                " last_seen) VALUES ('gone', 'station', 'alpha-it-milan', 'note', 'old', 'bureau-news', 'q', 'zh',"
                " 'curated', '2024-01-01', '2024-01-01')")  # fmt: skip
    con.commit()
    con.close()
    counts = build(db, mini_data, now=datetime(2025, 6, 1, tzinfo=UTC))
    assert counts["retired"] == 1
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT gloss, first_seen FROM statement WHERE id = 'gone'").fetchone() == (
            None,
            "2024-01-01",
        )
