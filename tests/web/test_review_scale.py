"""Review at the scale of a crawl: several stations per sentence, new jurisdictions, dates at the text's
precision, a mismatch said aloud, groups of reprints decided at once, triage and bulk confirmation.

Real SQLite (the bundled dataset built into a temporary folder) and the real extractor; the HTTP
parts run against the real server of tests/web/conftest.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from longarm.catalog import queue
from longarm.extract import extract_document
from longarm.ledger import review
from longarm.ledger.reviewdb import AppDB
from longarm.ledger.store import Store, build
from tests.web.conftest import Server, logged_in

SEVERAL = (
    "Fuqing Public Security Bureau opened police service stations in Rotterdam and Budapest on 12 January 2023, "
    "reports said."
)
CHINESE_DAY = "福清市公安局于2023年3月15日在荷兰鹿特丹设立了海外警务服务站。"
# The extractor reads this Lishui as 溧水区 (Nanjing); the dataset's Lishui is 丽水 (Zhejiang).
LISHUI = "The Lishui police in Nanjing, Jiangsu opened an overseas police service station in Madrid in 2019."
WIRE = "The Qingtian police opened an overseas police service station in Madrid, Spain in 2018, the agency said."


@dataclass
class Queue:
    db: Path
    app: AppDB

    def data(self) -> queue.QueueData:
        return queue.QueueData(Store(self.db, overlay=self.app.path))

    def add(self, text: str, url: str | None = None, date: str | None = None) -> list[str]:
        """Import one document as `longarm scan` writes it; the ids of its candidates."""
        before = {r[0] for r in self.app.con.execute("SELECT id FROM candidate")}
        record = {"id": url or text[:20], "url": url, "date": date, **extract_document(text, date).as_dict()}
        review.import_candidates(self.app, json.dumps(record).encode(), "test", "t")
        return sorted({r[0] for r in self.app.con.execute("SELECT id FROM candidate")} - before)

    def item(self, candidate_id: str) -> dict[str, object]:
        found = queue.candidate(self.app, candidate_id)
        assert found is not None
        return found


@pytest.fixture
def review_queue(tmp_path: Path) -> Iterator[Queue]:
    db = tmp_path / "longarm.db"
    build(db)
    app = AppDB(tmp_path / "longarm.app.db")
    yield Queue(db, app)
    app.close()


def test_several_stations_and_a_new_jurisdiction_in_one_decision(review_queue: Queue) -> None:
    (candidate_id,) = review_queue.add(SEVERAL, "https://example.org/fuqing", "2023-01-13")
    data = review_queue.data()
    assert "fuqing" not in data.jurisdictions
    item = review_queue.item(candidate_id)
    fields = queue.proposal(item, data)
    assert fields["jurisdiction"] == "new:福清市", "the extractor's jurisdiction the dataset lacks is pre-selected"
    assert (fields["place"], fields["s1-place"]) == ("rotterdam", "budapest"), "one row per city"
    assert fields["opened"] == "2023-01-12", "the day the text gives is kept"
    offered = queue.new_jurisdictions(item, data)
    assert [(n["name"], n["level"], n["parent"]) for n in offered] == [("Fuqing", "county", "fuzhou")]

    result = review.decide(review_queue.app, data.basis, candidate_id, "accept", {"s1-include": "1"}, fields, "ada")
    assert result["created"] == ["fuqing", "fuqing-nl-rotterdam", "fuqing-hu-budapest"]
    assert review_queue.app.con.execute("SELECT COUNT(*) FROM decision").fetchone()[0] == 1, "one decision id"
    store = Store(review_queue.db, overlay=review_queue.app.path)
    stations = {s["id"]: s for s in store.entities("station")}
    assert stations["fuqing-hu-budapest"]["opened"] == "2023-01-12"
    assert stations["fuqing-nl-rotterdam"]["jurisdiction"] == "fuqing"
    fuqing = next(j for j in store.entities("jurisdiction") if j["id"] == "fuqing")
    assert (fuqing["name_zh"], fuqing["level"], fuqing["parent"], fuqing["runs_stations"]) == (
        ["福清市"], "county", "fuzhou", "true",
    )  # fmt: skip
    store.close()

    review.reverse(review_queue.app, result["decision"], "ada", "test")
    store = Store(review_queue.db, overlay=review_queue.app.path)
    assert not [s for s in store.entities("station") if s["jurisdiction"] == "fuqing"], "reversal undoes it whole"
    assert not [j for j in store.entities("jurisdiction") if j["id"] == "fuqing"]
    store.close()
    actions = [r[0] for r in review_queue.app.con.execute("SELECT action FROM audit ORDER BY id")]
    assert actions == ["import", "accept", "reverse"]


def test_a_station_left_unticked_is_not_accepted(review_queue: Queue) -> None:
    (candidate_id,) = review_queue.add(SEVERAL, "https://example.org/unticked", "2023-01-13")  # a citable source
    data = review_queue.data()
    fields = queue.proposal(review_queue.item(candidate_id), data)
    result = review.decide(review_queue.app, data.basis, candidate_id, "accept", {}, fields, "ada")
    assert result["created"] == ["fuqing", "fuqing-nl-rotterdam"]


def test_dates_keep_the_day_and_every_date_form_is_marked(review_queue: Queue) -> None:
    (candidate_id,) = review_queue.add(CHINESE_DAY)
    item = review_queue.item(candidate_id)
    assert queue.proposal(item, review_queue.data())["opened"] == "2023-03-15"
    marked = [text for text, what in item["segments"] if what == "dates"]  # type: ignore[attr-defined]
    assert marked == ["2023年3月15日"]
    seen = queue.dates_at_precision("Opened in 2019 and visited on March 3, 2020.", [])
    assert [(d["value"], d["text"]) for d in seen] == [("2020-03-03", "March 3, 2020")]
    assert queue.dates_at_precision("on 31 February 2020", []) == [], "not a day: not offered"


def test_the_form_says_when_its_jurisdiction_is_not_what_the_extractor_resolved(review_queue: Queue) -> None:
    (candidate_id,) = review_queue.add(LISHUI)
    data = review_queue.data()
    item = review_queue.item(candidate_id)
    fields = queue.proposal(item, data)
    assert fields["jurisdiction"] == "lishui"
    notes = queue.mismatches(item, fields, data)
    assert any("溧水区" in note and "丽水" in note for note in notes), notes
    assert "new:溧水区" in [n["value"] for n in queue.new_jurisdictions(item, data)]
    fields["jurisdiction"] = "new:溧水区"
    assert not any("溧水区" in note for note in queue.mismatches(item, fields, data))


def test_reprints_form_one_group_decided_at_once(review_queue: Queue) -> None:
    later = review_queue.add(WIRE, "https://mirror.example.net/a", "2018-06-03")
    earliest = review_queue.add(WIRE.replace("the agency said", "the agency said on Friday"),
                                "https://wire.example.com/a", "2018-06-01")  # fmt: skip
    middle = review_queue.add(
        "MADRID (Reuters) - " + WIRE.replace(", Spain", " Spain"), "https://copy.example.org/a", "2018-06-02"
    )
    other_city = review_queue.add(WIRE.replace("Madrid", "Barcelona"), "https://wire.example.com/b", "2018-06-01")
    data = review_queue.data()
    _rows, total = queue.candidates(review_queue.app, "pending", 50, 0, data)
    assert total == 2, "three reprints of one claim are one row; another city's claim is its own"
    group = queue.group_of(review_queue.app, later[0])
    assert [m["id"] for m in group] == [*earliest, *middle, *later], "the earliest document first"
    assert queue.group_of(review_queue.app, other_city[0])[0]["id"] == other_city[0]

    item = review_queue.item(middle[0])
    fields = queue.proposal(item, data)
    members = [m["id"] for m in group]
    result = review.decide(review_queue.app, data.basis, middle[0], "accept", {}, fields, "ada", members)
    assert result["covered"] == [middle[0], earliest[0], later[0]]
    sources = {
        r[0]
        for r in review_queue.app.con.execute(
            "SELECT source_id FROM reviewed_statement WHERE decision_id = ? AND kind = 'station'", (result["decision"],)
        )
    }
    assert len(sources) == 3, "each member's document is cited"
    assert all(review_queue.item(m)["status"] == "accepted" for m in members)
    assert review_queue.item(other_city[0])["status"] == "pending"
    review.reverse(review_queue.app, result["decision"], "ada")
    assert all(review_queue.item(m)["status"] == "pending" for m in members), "reversal frees every member"


def test_a_reprint_without_a_source_stays_in_the_queue_while_its_group_is_decided(review_queue: Queue) -> None:
    cited = review_queue.add(WIRE, "https://wire.example.com/a", "2018-06-01")
    uncited = review_queue.add(WIRE.replace("the agency said", "the agency said again"))  # no URL, no date
    data = review_queue.data()
    members = [m["id"] for m in queue.group_of(review_queue.app, cited[0])]
    assert sorted(members) == sorted([*cited, *uncited]), "one group"
    fields = queue.proposal(review_queue.item(cited[0]), data)
    result = review.decide(review_queue.app, data.basis, cited[0], "accept", {}, fields, "ada", members)
    assert result["covered"] == cited and result["left_pending"] == uncited
    assert review_queue.item(cited[0])["status"] == "accepted"
    assert review_queue.item(uncited[0])["status"] == "pending", "decided on its own page, a source attached"


def test_triage_filters_and_sorts(review_queue: Queue) -> None:
    review_queue.add(WIRE, "https://wire.example.com/a", "2018-06-01")
    review_queue.add(SEVERAL, "https://news.example.org/f", "2023-01-13")
    data = review_queue.data()

    def listed(**triage: str) -> list[str]:
        rows, _ = queue.candidates(review_queue.app, "pending", 50, 0, data, queue.Triage(**triage))
        return [r["sentence"] for r in rows]

    assert listed(known="new") == [SEVERAL]
    known_rows = listed(known="known")
    assert known_rows == [WIRE], "Qingtian in Madrid is a documented station"
    assert listed(country="HU") == [] and listed(country="NL") == [SEVERAL]
    assert listed(jurisdiction="Fuqing") == [SEVERAL]
    assert listed(date="2018") == [WIRE] and listed(source="news.example.org") == [SEVERAL]
    assert listed(sort="date") == [WIRE, SEVERAL] and listed(sort="-date") == [SEVERAL, WIRE]
    assert listed(engine="no-such-engine") == []


def test_known_claims_confirmed_in_bulk_over_http(server: Server) -> None:
    client, csrf = logged_in(server, "alice")
    text = "The Qingtian police opened an overseas police service station in Madrid, Spain in 2018 (bulk test)."
    client.post("/review/paste", data={"csrf": csrf, "text": text, "title": "Bulk test", "date": "2023-01-05"})
    page = client.get("/review/index.html", params={"known": "known", "source": ""}).text
    found = re.search(r'name="(c-\d+)" value="(cand-[0-9a-f]{16})"', page)
    assert found and "known: <code>" in page, page[-3000:]
    response = client.post("/review/confirm-known", data={"csrf": csrf, found.group(1): found.group(2)})
    assert response.status_code == 303 and "done=confirmed" in response.headers["location"]
    candidate = client.get(f"/review/candidate/{found.group(2)}.html").text
    assert "Status: <strong>same</strong>" in candidate and "qingtian-es-madrid" in candidate
    assert client.get("/review/index.html", params={"sort": "nonsense"}).status_code == 422


def test_candidates_imported_before_groups_are_grouped_at_the_next_import(review_queue: Queue) -> None:
    first = review_queue.add(WIRE, "https://wire.example.com/a", "2018-06-01")
    review_queue.app.con.execute("DELETE FROM candidate_facet")  # a review database from before groups
    _rows, total = queue.candidates(review_queue.app, "pending", 50, 0, review_queue.data())
    assert total == 1, "an ungrouped candidate is still listed"
    reprint = review_queue.add("(AP) — " + WIRE, "https://mirror.example.net/a", "2018-06-02")
    assert [m["id"] for m in queue.group_of(review_queue.app, reprint[0])] == [*first, *reprint]
