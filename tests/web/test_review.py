"""The review queue: imports from extract/scan output, decisions, reversal, audit, and surviving a rebuild."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from longarm.catalog.queue import QueueData, candidate, candidates, judged_not_same, proposal, suggestions
from longarm.ledger import review
from longarm.ledger.errors import ReviewConflict, ReviewError, ReviewNotFound
from longarm.ledger.review import import_candidates, reverse
from longarm.ledger.reviewdb import AppDB
from longarm.ledger.store import Store, build
from tests.conftest import RunCli, cli_json
from tests.web.conftest import Server, logged_in


def decide(app: AppDB, data: QueueData, candidate_id: str, action: str, form: dict[str, str], reviewer: str) -> Any:
    """A decision as the queue's page makes it: the form over what the queue proposed."""
    item = candidate(app, candidate_id)
    assert item is not None
    return review.decide(app, data.basis, candidate_id, action, form, proposal(item, data), reviewer)


# A document a reviewed statement can cite: a title and a date.
DATED = {"title": "A test article", "date": "2023-01-05"}
ARTICLE = (
    "据报道，青田县公安局于2019年在塞尔维亚贝尔格莱德设立海外警务服务站。"
    "The Fuzhou police opened an overseas police service station in Lisbon, Portugal in 2018."
)


def test_import_extract_json_and_scan_jsonl_from_the_cli(tmp_path: Path, mini_data: Path, run_cli: RunCli) -> None:
    db = tmp_path / "r.db"
    run_cli("--db", str(db), "build", "--data", str(mini_data), check=True)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    extracted = tmp_path / "claims.json"
    extracted.write_text(run_cli("extract", "--json", str(article), check=True).stdout, encoding="utf-8")
    first = cli_json(run_cli, "--db", str(db), "review", "import", str(extracted))
    assert first["documents"] == 1 and first["candidates"] == 2 and first["skipped"] == []
    again = cli_json(run_cli, "--db", str(db), "review", "import", str(extracted))
    assert again["candidates"] == 0 and again["duplicates"] == 2, "importing a file twice adds nothing twice"
    # `longarm scan` lines: extract --json fields plus id, url, date; error lines and junk are skipped, not fatal
    document = json.loads(extracted.read_text(encoding="utf-8"))
    scan = tmp_path / "candidates.jsonl"
    lines = [
        json.dumps({"id": "doc-1", "url": "https://example.org/a", "date": "2019-04-06", **document}),
        json.dumps({"id": "doc-2", "line": 2, "error": "not JSON"}),
        "{not json",
        json.dumps({"id": "doc-3", "claims": [{"sentence": 42}]}),
    ]
    scan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli_json(run_cli, "--db", str(db), "review", "import", str(scan))
    assert result["candidates"] == 2 and len(result["skipped"]) == 3
    bad = run_cli("--db", str(db), "review", "import", str(tmp_path / "missing.json"))
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    assert (tmp_path / "r.app.db").exists(), "the app database lives beside the statement database"


def test_reviewed_statements_survive_a_rebuild_and_reach_every_reader(tmp_path: Path, run_cli: RunCli) -> None:
    from longarm.extract import ENGINE, extract_document

    db = tmp_path / "longarm.db"
    build(db)
    app = AppDB(tmp_path / "longarm.app.db")
    # the shape of `longarm extract --json` output, which names its engine
    data = json.dumps({"source": "a.txt", **extract_document(ARTICLE).as_dict(), "engine": ENGINE}).encode()
    import_candidates(app, data, "a.txt", "tester")
    rows, _ = candidates(app, "pending")
    lisbon = next(r for r in rows if "Lisbon" in r["sentence"])
    store = Store(db, overlay=app.path)
    form = {"jurisdiction": "fuzhou", "country": "PT", "place": "", "locality": "Lisbon", "opened": "2018"}
    with pytest.raises(ReviewError, match="attach a source"):  # the document has no title, URL or date
        decide(app, QueueData(store), lisbon["id"], "accept", form, "alice")
    form |= {"source_note": "An article a colleague saved", "source_date": "2023-01-05"}
    made = decide(app, QueueData(store), lisbon["id"], "accept", form, "alice")
    store.close()
    assert made["target"] == "fuzhou-pt" and made["statements"] >= 5
    build(db)  # the statement database is replaced whole ...
    store = Store(db, overlay=app.path)  # ... and the reviewed statements are still laid over it
    station = store.entity("station", "fuzhou-pt")
    assert station is not None and station["locality"] == "Lisbon" and station["location_precision"] == "country"
    statements = store.statements(entity_id="fuzhou-pt")
    assert {s["origin"] for s in statements} == {f"extracted:{ENGINE}"}
    assert all(s["quote"] in ARTICLE and s["source_id"].startswith("doc-") for s in statements)
    source = store.entity("source", statements[0]["source_id"])
    assert source is not None and source["publisher"] == "unattributed text"
    store.close()
    # the CLI reads them too (the app database beside the database is part of the dataset)
    # (in the working edition: accepted, not released)
    shown = cli_json(run_cli, "--db", str(db), "--edition", "working", "show", "fuzhou-pt")
    assert shown["properties"]["locality"] == "Lisbon"
    assert cli_json(run_cli, "--db", str(db), "check")["ok"] is True
    # so does a site published from the working edition, its SQLite copy included
    site = tmp_path / "site"
    published = cli_json(run_cli, "--db", str(db), "--edition", "working", "publish", str(site))
    assert "longarm.db" in published["data_files"]
    assert "Lisbon" in (site / "station/fuzhou-pt.html").read_text(encoding="utf-8")
    copy = Store(site / "data/longarm.db")
    station = copy.entity("station", "fuzhou-pt")
    assert station is not None and station["locality"] == "Lisbon", "the SQLite export holds the reviewed statements"
    assert {s["id"] for s in copy.statements(entity_id="fuzhou-pt")} == {s["id"] for s in statements}
    copy.close()
    # reversing takes them out again; nothing is deleted
    reverse(app, made["decision"], "ada", "wrong city")
    store = Store(db, overlay=app.path)
    assert store.entity("station", "fuzhou-pt") is None
    store.close()
    con = sqlite3.connect(app.path)
    assert con.execute("SELECT COUNT(*) FROM reviewed_statement").fetchone()[0] == made["statements"]
    assert [r[0] for r in con.execute("SELECT action FROM audit ORDER BY id")] == ["import", "accept", "reverse"]
    for sql in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit", "DELETE FROM decision",
                "DELETE FROM reviewed_statement", "UPDATE decision SET reversed_at = NULL"):  # fmt: skip
        with pytest.raises(sqlite3.DatabaseError):
            con.execute(sql)
    con.close()


def test_a_decision_that_breaks_the_dataset_is_refused(tmp_path: Path) -> None:
    from longarm.extract import extract_document

    db = tmp_path / "longarm.db"
    build(db)
    app = AppDB(tmp_path / "longarm.app.db")
    import_candidates(app, json.dumps(extract_document(ARTICLE).as_dict() | DATED).encode(), "a", "t")
    rows, _ = candidates(app, "pending")
    store = Store(db, overlay=app.path)
    data = QueueData(store)
    serbia = next(r for r in rows if "塞尔维亚" in r["sentence"])
    with pytest.raises(ReviewError, match="place"):
        decide(app, data, serbia["id"], "accept", {"jurisdiction": "qingtian", "country": "RS", "place": "milan"}, "a")
    with pytest.raises(ReviewError, match="jurisdiction"):
        decide(app, data, serbia["id"], "accept", {"jurisdiction": "nobody", "country": "RS"}, "a")
    with pytest.raises(ReviewError, match="opened"):
        decide(app, data, serbia["id"], "accept", {"jurisdiction": "qingtian", "country": "RS", "opened": "May"}, "a")
    with pytest.raises(ReviewError, match="quote"):
        decide(
            app, data, serbia["id"], "accept", {"jurisdiction": "qingtian", "country": "RS", "quote": "字" * 150}, "a"
        )
    with pytest.raises(ReviewError, match="target"):
        decide(app, data, serbia["id"], "same", {"target": "no-such-station"}, "a")
    assert app.con.execute("SELECT COUNT(*) FROM decision").fetchone()[0] == 0
    same = decide(app, data, serbia["id"], "same", {"target": "qingtian-rs-belgrade"}, "a")
    assert same["statements"] >= 3, "agreeing values become evidence for the station"
    with pytest.raises(ReviewError, match="decided already"):
        decide(app, data, serbia["id"], "reject", {}, "a")
    store.close()


def test_the_review_flow_over_http(server: Server) -> None:
    client, csrf = logged_in(server, "alice")
    text = "福州市公安局在葡萄牙波尔图设立了海外警务服务站。"
    response = client.post("/review/paste", data={"csrf": csrf, "text": text, "title": "A test article"})
    assert response.status_code == 303 and "done=imported" in response.headers["location"]
    queue = client.get("/review/index.html").text
    candidate_id = re.search(r"review/candidate/(cand-[0-9a-f]{16})\.html\">福州市", queue)
    assert candidate_id, queue
    page = client.get(f"/review/candidate/{candidate_id.group(1)}.html").text
    assert '<mark class="span-jurisdictions" title="jurisdictions">福州市</mark>' in page
    assert '<mark class="span-terms" title="terms">海外警务服务站</mark>' in page
    decided = client.post(
        f"/review/candidate/{candidate_id.group(1)}/decide",
        data={"csrf": csrf, "action": "accept", "jurisdiction": "fuzhou", "country": "PT", "place": "",
              "locality": "Porto", "opened": "", "quote": text, "source_date": "2023-01-05",
              "source_title": "A test article"},
    )  # fmt: skip
    assert decided.status_code == 303
    # accepted, not released: reviewers see it on the review pages, the public API and pages do not
    assert "Porto" in client.get(f"/review/candidate/{candidate_id.group(1)}.html").text
    assert client.get("/api/stations/fuzhou-pt").status_code == 404
    assert "station/fuzhou-pt.html" not in client.get("/check.html", params={"country": "PT"}).text
    reader, reader_csrf = logged_in(server, "rita")
    refused = reader.post(
        f"/review/candidate/{candidate_id.group(1)}/decide", data={"csrf": reader_csrf, "action": "reject"}
    )
    assert refused.status_code == 403
    page = client.get(f"/review/candidate/{candidate_id.group(1)}.html").text
    decision = re.search(r"review/decision/(\d+)/reverse", page)
    assert decision
    assert (
        client.post(f"/review/decision/{decision.group(1)}/reverse", data={"csrf": csrf, "reason": "test"}).status_code
        == 303
    )
    assert client.get("/api/stations/fuzhou-pt").status_code == 404
    audit = client.get("/review/audit.html").text
    assert "reverse" in audit and "accept" in audit


def test_every_list_of_statement_columns_is_the_statement_table(tmp_path: Path, bundled_db: Path) -> None:
    """The built table, the app database's overlay view and the exports all have store.STATEMENT_COLUMNS."""
    from longarm.ledger.store import STATEMENT_COLUMNS

    app = AppDB(tmp_path / "longarm.app.db")
    overlay = [r[1] for r in app.con.execute("PRAGMA table_info(overlay_statement)")]
    app.close()
    with sqlite3.connect(bundled_db) as con:
        built = [r[1] for r in con.execute("PRAGMA table_info(statement)")]
    assert tuple(built) == tuple(overlay) == STATEMENT_COLUMNS


def test_judgements_are_kept_apart_and_resolved_when_read(tmp_path: Path) -> None:
    """'same' writes statements about the candidate's own entity and a judgement that it is the station;
    the read side resolves it, nothing is copied onto the station, and reversal undoes both."""
    from longarm.extract import extract_document

    db = tmp_path / "longarm.db"
    build(db)
    app = AppDB(tmp_path / "longarm.app.db")
    import_candidates(app, json.dumps(extract_document(ARTICLE).as_dict() | DATED).encode(), "a", "t")
    rows, _ = candidates(app, "pending")
    serbia = next(r for r in rows if "塞尔维亚" in r["sentence"])
    lisbon = next(r for r in rows if "Lisbon" in r["sentence"])
    store = Store(db, overlay=app.path)
    data = QueueData(store)
    before = len(store.statements(entity_id="qingtian-rs-belgrade"))
    same = decide(app, data, serbia["id"], "same", {"target": "qingtian-rs-belgrade"}, "ada")
    store.close()
    kept = app.con.execute("SELECT entity_id FROM reviewed_statement WHERE kind = 'station'").fetchall()
    assert {r[0] for r in kept} == {serbia["id"]}, "the statements stay the candidate's own"
    judged = app.con.execute("SELECT subject, target, verdict FROM judgement").fetchall()
    assert [tuple(r) for r in judged] == [(serbia["id"], "qingtian-rs-belgrade", "same")]
    store = Store(db, overlay=app.path)
    assert len(store.statements(entity_id="qingtian-rs-belgrade")) == before + len(kept), "resolved when read"
    assert store.entity("station", serbia["id"]) is None, "the judged entity is not a station of its own"
    store.close()
    reverse(app, same["decision"], "ada")
    store = Store(db, overlay=app.path)
    assert len(store.statements(entity_id="qingtian-rs-belgrade")) == before
    # a 'not the same' judgement makes no statement and takes the station out of the suggestions
    data = QueueData(store)
    item = candidate(app, lisbon["id"])
    assert item is not None
    fields = proposal(item, data)
    review.judge(app, data.basis, lisbon["id"], "fuzhou-pt-porto", "not-same", "ada")
    unsure = review.judge(app, data.basis, lisbon["id"], "fuzhou-pt-porto", "unsure", "ada")
    item = candidate(app, lisbon["id"])
    assert item is not None and item["status"] == "pending"
    assert "fuzhou-pt-porto" in {s["id"] for s in suggestions(fields, data)}
    assert "fuzhou-pt-porto" not in {s["id"] for s in suggestions(fields, data, judged_not_same(item))}
    with pytest.raises(ReviewError, match="verdict"):
        review.judge(app, data.basis, lisbon["id"], "fuzhou-pt-porto", "same", "ada")
    assert review.reverse_judgement(app, unsure, "ada")["reversed"] == unsure
    with pytest.raises(ReviewConflict):
        review.reverse_judgement(app, unsure, "ada")
    with pytest.raises(ReviewNotFound):
        review.reverse_judgement(app, 10**6, "ada")
    with pytest.raises(ReviewConflict):
        reverse(app, same["decision"], "ada")
    store.close()
    con = sqlite3.connect(app.path)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("DELETE FROM judgement")
    con.close()


def test_review_errors_have_their_http_status(server: Server) -> None:
    client, csrf = logged_in(server, "alice")
    for decision, status in (("99999999999999999999", 404), ("123456", 404), ("-1", 404)):
        answer = client.post(f"/review/decision/{decision}/reverse", data={"csrf": csrf})
        assert answer.status_code == status and "Traceback" not in answer.text
    assert client.post("/review/judgement/777777/reverse", data={"csrf": csrf}).status_code == 404


def test_a_judgement_over_http(server: Server) -> None:
    client, csrf = logged_in(server, "alice")
    text = "青田县公安局在葡萄牙里斯本设立了海外警务服务站。"
    client.post("/review/paste", data={"csrf": csrf, "text": text, "title": "Judgement test"})
    found = re.search(r"review/candidate/(cand-[0-9a-f]{16})\.html\">青田", client.get("/review/index.html").text)
    assert found, "the pasted text is queued"
    page = client.get(f"/review/candidate/{found.group(1)}.html").text
    assert "qingtian-pt-lisbon" in page
    judged = client.post(
        f"/review/candidate/{found.group(1)}/judge", data={"csrf": csrf, "target": "qingtian-pt-lisbon",
                                                          "verdict": "not-same"}
    )  # fmt: skip
    assert judged.status_code == 303
    page = client.get(f"/review/candidate/{found.group(1)}.html").text
    assert "not-same: <code>qingtian-pt-lisbon</code>" in page and "Status: <strong>pending</strong>" in page
    assert '<option value="qingtian-pt-lisbon">' not in page, "no longer suggested"
