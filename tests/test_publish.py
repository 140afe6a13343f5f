"""`longarm publish`: the pages, every export read back by its own library, redaction, and bad input."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import frictionless
import geojson
import pytest
from followthemoney import model
from followthemoney.exc import InvalidData

from longarm.catalog import Catalog
from longarm.catalog.redact import REDACTED
from longarm.ledger.store import Store
from longarm.model import kinds
from longarm.publish import output
from longarm.publish.publisher import publish
from longarm.publish.site import PageNotFound, Site
from tests.conftest import RunCli, cli_json
from tests.publish_support import crawl


def _station_rows(site: Path) -> list[dict[str, str]]:
    with (site / "data/station.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_site_has_every_page_and_its_manifest(published_site: Path) -> None:
    for page in ("index.html", "stations.html", "timeline.html", "claims.html", "countries.html", "about.html"):
        assert (published_site / page).is_file(), page
    assert (published_site / "station/wenzhou-it-milan.html").is_file()
    assert (published_site / "country/IT.html").is_file()
    assert (published_site / "country/GR.html").is_file(), "a Table 1 row without an entry still has a page"
    assert (published_site / "jurisdiction/qingtian.html").is_file()
    assert (published_site / "source/sd-patrol-and-persuade.html").is_file()
    manifest = json.loads((published_site / output.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["generator"] == "longarm" and manifest["redacted"] is True
    assert set(manifest["files"]) == output.files_under(published_site) - {output.MANIFEST}


def test_every_internal_link_resolves_and_every_page_is_reachable(published_site: Path) -> None:
    reached, broken = crawl(published_site)
    assert broken == []
    pages = {p.resolve() for p in published_site.rglob("*.html")}
    assert pages - reached == set(), "pages no link leads to"


def test_station_page_cites_every_statement_with_source_date_precision_and_quote(published_site: Path) -> None:
    html = (published_site / "station/wenzhou-it-milan.html").read_text(encoding="utf-8")
    assert "Table 1: Italy | WENZHOU | Milan" in html
    assert 'lang="zh"' in html, "quotes keep their original language"
    assert "2016-05" in html and "month precision" in html
    assert 'href="../source/sd-patrol-and-persuade.html"' in html
    unknown = (published_site / "station/nantong-ao.html").read_text(encoding="utf-8")
    assert "Exact location unknown" in unknown


def test_home_has_headline_figures_findings_maps_and_table1(published_site: Path) -> None:
    html = (published_site / "index.html").read_text(encoding="utf-8")
    assert "stations documented" in html and "newly revealed" in html
    assert "Stated versus computed" in html and "Total stations" in html
    assert 'id="map-stations"' in html and 'id="map-countries"' in html
    assert "Table 1" in html and "Sao Paolo" not in html  # canonical names in the regenerated table
    assert "Redaction applies" in html


def test_country_page_lists_stations_jurisdictions_and_cited_events(published_site: Path) -> None:
    html = (published_site / "country/IT.html").read_text(encoding="utf-8")
    assert "Bilateral police agreements and joint patrols" in html
    assert "joint patrol" in html
    assert 'href="../jurisdiction/qingtian.html"' in html
    assert "Evidence (" in html


def test_csv_exports_follow_the_model_and_count_what_the_store_holds(published_site: Path, bundled_db: Path) -> None:
    store = Store(bundled_db)
    for kind in kinds():
        with (published_site / f"data/{kind}.csv").open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(store.entities(kind)), kind
    milan = next(r for r in _station_rows(published_site) if r["id"] == "wenzhou-it-milan")
    assert (milan["place_name"], milan["location_precision"], milan["opened_precision"]) == ("Milan", "city", "month")
    with (published_site / "data/statements.csv").open(encoding="utf-8-sig") as handle:
        statements = list(csv.DictReader(handle))
    assert len(statements) == sum(1 for _ in store.iter_statements())
    assert all("/" not in (s["data_file"] or "") for s in statements), "no local paths leak"


def test_geojson_is_valid_and_flags_what_is_not_located(published_site: Path) -> None:
    collection = geojson.loads((published_site / "data/stations.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    features = collection["features"]
    assert len(features) == len(_station_rows(published_site))
    by_id = {f["id"]: f for f in features}
    milan = by_id["wenzhou-it-milan"]
    assert milan["properties"]["located"] is True and milan["geometry"]["coordinates"] == [9.18951, 45.46427]
    angola = by_id["nantong-ao"]
    assert angola["geometry"] is None, "no point is invented where only the country is known"
    assert angola["properties"]["located"] is False and angola["properties"]["location_precision"] == "country"
    lon, lat = angola["properties"]["country_point"]
    assert 10 < lon < 25 and -20 < lat < -5, "Angola's label point"


def test_ftm_entities_read_back_valid_with_followthemoney(published_site: Path) -> None:
    lines = (published_site / "data/entities.ftm.json").read_text(encoding="utf-8").splitlines()
    proxies = []
    for line in lines:
        data = json.loads(line)
        schema = model.get(data["schema"])
        assert schema is not None, data["schema"]
        try:
            schema.validate(data)
        except InvalidData as exc:
            pytest.fail(f"{data['id']}: {exc} {exc.errors}")
        proxies.append(model.get_proxy(data, cleaned=False))
    ids = {p.id for p in proxies}
    assert len(ids) == len(proxies), "entity ids are unique"
    schemata = {p.schema.name for p in proxies}
    assert {"Organization", "PublicBody", "Article", "Documentation", "Directorship", "Event"} <= schemata
    for proxy in proxies:  # every reference points at an entity in the file
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, f"{proxy.id}.{prop.name} -> {value}"
    milan = next(p for p in proxies if p.id == "longarm-station-wenzhou-it-milan")
    assert milan.schema.name == "Organization" and milan.get("country") == ["it"]


def test_frictionless_data_package_is_valid(published_site: Path) -> None:
    report = frictionless.validate(str(published_site / "data/datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((published_site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"] and descriptor["sources"]


def test_sqlite_export_opens_and_keeps_its_views(published_site: Path) -> None:
    db = published_site / "data/longarm.db"
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT value FROM meta WHERE key = 'data_dir'").fetchone() is None
    store = Store(db)
    assert len(store.entities("station")) == len(_station_rows(published_site))
    store.close()


def test_json_export_has_stats_table_and_stations(published_site: Path) -> None:
    document = json.loads((published_site / "data/longarm.json").read_text(encoding="utf-8"))
    assert document["statistics"]["stations"] == len(document["stations"])
    assert document["table1"]["jurisdictions"]
    assert document["redacted"] is True


def _all_bytes(site: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file())


def test_sensitive_names_are_redacted_everywhere_unless_included(mini_db: Path, tmp_path: Path) -> None:
    store = Store(mini_db)
    redacted = tmp_path / "redacted"
    publish(store, redacted)
    everything = _all_bytes(redacted)
    assert b"Zed" not in everything, "a sensitive name leaked into a page or export"
    assert REDACTED.encode() in everything
    # the original id of a redacted statement would let a guessed name be confirmed
    with sqlite3.connect(mini_db) as con:
        original_ids = {r[0] for r in con.execute("SELECT id FROM statement WHERE quote LIKE '%Zed%'")}
    assert original_ids and not any(i.encode() in everything for i in original_ids)
    ftm_text = (redacted / "data/entities.ftm.json").read_text(encoding="utf-8")
    assert "longarm-person-target-1" not in ftm_text, "sensitive persons are left out of FtM"
    assert "longarm-person-head-1" in ftm_text
    included = tmp_path / "included"
    publish(store, included, include_sensitive=True)
    assert b"Zed" in (included / "data/person.csv").read_bytes()
    assert "Do not publish it" in (included / "index.html").read_text(encoding="utf-8")
    store.close()


def test_publish_includes_sensitive_names_only_by_the_global_option(
    mini_db: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = tmp_path / "site"
    refused = run_cli("--db", str(mini_db), "publish", str(site), "--include-sensitive")
    assert refused.returncode == 2 and "No such option" in refused.stderr and not site.exists()
    included = cli_json(run_cli, "--db", str(mini_db), "--include-sensitive", "publish", str(site))
    assert included["redacted"] is False and b"Zed" in (site / "data/person.csv").read_bytes()


def test_the_redactor_blanks_whole_names_in_every_text_of_a_record(mini_db: Path) -> None:
    from longarm.catalog.redact import redact_record, redacted_entity, redactor

    store = Store(mini_db)
    redact = redactor(store)
    assert redactor(store, include_sensitive=True)("Zed") == "Zed"
    store.close()
    assert redact("Zed, then Zed.") == f"{REDACTED}, then {REDACTED}."
    assert redact("Zedong and AZed") == "Zedong and AZed", "part of a longer word is another name"
    record = {"id": "x", "title": "On Zed", "names": ["Ada", "Zed"], "count": 3, "note": None}
    assert redact_record(record, redact) == {
        "id": "x",
        "title": f"On {REDACTED}",
        "names": ["Ada", REDACTED],
        "count": 3,
        "note": None,
    }
    plain = {"id": "y", "title": "Nobody", "names": ["Ada"]}
    assert redact_record(plain, redact) == plain and redact_record(plain, redact) is not plain
    person = {"id": "target-1", "name": "Zed Q.", "name_zh": "泽", "sensitive": "true", "role": "target"}
    assert redacted_entity("person", person, redact) == dict(person, name=REDACTED, name_zh=REDACTED)
    assert redacted_entity("person", person, lambda t: t, include_sensitive=True) == person


def test_site_renders_any_page_without_a_file_system(mini_db: Path) -> None:
    """`longarm serve` renders from the store by path; no page needs the disk."""
    store = Store(mini_db)
    site = Site(Catalog(store))
    assert "<title>" in site.render("station/alpha-it-milan.html")
    assert 'href="../index.html"' in site.render("country/IT.html")
    for missing in ("nope.html", "station/none.html", "station/../index.html", "country/IT"):
        with pytest.raises(PageNotFound):
            site.render(missing)
    assert set(site.paths()) >= {"index.html", "station/alpha-fr.html", "jurisdiction/beta-unit.html"}
    store.close()


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_publish_command_refuses_a_folder_that_is_not_a_longarm_site(
    mini_db: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    mine = tmp_path / "my-folder"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work", encoding="utf-8")
    result = run_cli("--db", str(mini_db), "publish", str(mine))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a longarm site" in result.stderr
    assert (mine / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run_cli("--db", str(mini_db), "publish", str(a_file))
    assert result.returncode == 2 and "not a folder" in result.stderr


def test_publish_command_replaces_its_own_site_but_not_files_added_to_it(
    mini_db: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = tmp_path / "site"
    first = cli_json(run_cli, "--db", str(mini_db), "publish", str(site))
    assert first["pages"] > 5 and first["redacted"] is True and "entities.ftm.json" in first["data_files"]
    again = run_cli("--db", str(mini_db), "publish", str(site), check=True)
    assert "published" in again.stdout and "redacted" in again.stdout
    (site / "CNAME").write_text("example.org", encoding="utf-8")
    refused = run_cli("--db", str(mini_db), "publish", str(site))
    assert refused.returncode == 2 and "CNAME" in refused.stderr
    assert (site / "CNAME").exists()
    assert not list(tmp_path.glob(".site.longarm-*")), "no staging folder left behind"


def test_a_failed_publish_leaves_the_previous_site_intact(
    mini_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(mini_db)
    site = tmp_path / "site"
    publish(store, site)
    before = _fingerprint(site)

    def broken(*_args: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("longarm.publish.publisher.write_geojson", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(store, site)
    assert _fingerprint(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "the staging folder is cleaned up"
    store.close()


def test_an_empty_folder_is_accepted(mini_db: Path, tmp_path: Path) -> None:
    store = Store(mini_db)
    empty = tmp_path / "empty"
    empty.mkdir()
    publish(store, empty)
    assert (empty / "index.html").is_file()
    store.close()


def _csv_table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_files_carry_a_byte_order_mark_for_excel(published_site: Path) -> None:
    for path in sorted((published_site / "data").glob("*.csv")):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert raw[3:5] == b"id", f"{path.name}: one mark, then the header"


def test_xlsx_workbook_has_a_sheet_per_csv_with_the_same_rows(published_site: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(published_site / "data/longarm.xlsx", read_only=False)
    csv_names = sorted(p.stem for p in (published_site / "data").glob("*.csv"))
    assert sorted(workbook.sheetnames) == csv_names
    for name in csv_names:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        expected = _csv_table(published_site / f"data/{name}.csv")
        assert rows[0] == expected[0], name
        assert len(rows) == len(expected), name
    stations = workbook["station"]
    header = [c.value for c in stations[1]]
    milan = next(r for r in stations.iter_rows(min_row=2, values_only=True) if r[0] == "wenzhou-it-milan")
    assert milan[header.index("lat")] == 45.46427, "coordinates are numbers, not text"
    assert milan[header.index("place_name")] == "Milan"


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    from longarm.publish.exports import _sheet_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("quotes")
    sheet.append([_sheet_cell(sheet, '=HYPERLINK("http://example.invalid","x")'), _sheet_cell(sheet, ["a", "b"])])
    workbook.save(tmp_path / "q.xlsx")
    cell, multi = load_workbook(tmp_path / "q.xlsx")["quotes"][1]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://example.invalid","x")')
    assert multi.value == "a;b"


def test_sqlite_station_view_has_the_columns_of_station_csv(published_site: Path) -> None:
    expected = {r[0]: dict(zip(_csv_table(published_site / "data/station.csv")[0], r, strict=True))
                for r in _csv_table(published_site / "data/station.csv")[1:]}  # fmt: skip
    header = _csv_table(published_site / "data/station.csv")[0]
    with sqlite3.connect(published_site / "data/longarm.db") as con:
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute("SELECT * FROM station")]
    assert list(rows[0]) == header
    assert len(rows) == len(expected)
    for row in rows:
        for column in ("status", "country_name", "jurisdiction_name", "place_name", "lat", "lon"):
            shown = "" if row[column] is None else str(row[column])
            assert shown == expected[row["id"]][column], (row["id"], column)


def test_datasette_metadata_names_real_tables_columns_and_facets(published_site: Path) -> None:
    meta = json.loads((published_site / "data/metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "Creative Commons Attribution 4.0 International" and meta["source"]
    tables = meta["databases"]["longarm"]["tables"]
    with sqlite3.connect(published_site / "data/longarm.db") as con:
        present = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        for name, table in tables.items():
            assert name in present, name
            if table.get("hidden"):
                continue
            columns = {row[1] for row in con.execute(f"PRAGMA table_info({name})")}
            assert set(table["columns"]) <= columns, name
            assert set(table["facets"]) <= columns, name
            assert all(label and label != column for column, label in table["columns"].items() if "_" in column)
    assert {"station", "event", "source", "statement"} <= {n for n, t in tables.items() if not t.get("hidden")}
    assert "status" in tables["station"]["facets"]


def test_country_precision_stations_follow_one_rule_in_file_and_api(published_site: Path, bundled_db: Path) -> None:
    from longarm.publish.exports import station_features

    published = json.loads((published_site / "data/stations.geojson").read_text(encoding="utf-8"))["features"]
    catalog = Catalog(Store(bundled_db), include_sensitive=False)
    assert station_features(catalog.stations) == published, "the API's GeoJSON and the file are one function's"
    unlocated = [f for f in published if f["properties"]["location_precision"] == "country"]
    assert unlocated and all(f["geometry"] is None and f["properties"]["country_point"] for f in unlocated)


def _embedded(page: Path, script_id: str) -> dict[str, object]:
    """The JSON a page embeds in <script type="application/json" id=...>."""
    html = page.read_text(encoding="utf-8")
    start = html.index(f'id="{script_id}">') + len(f'id="{script_id}">')
    data: dict[str, object] = json.loads(html[start : html.index("</script>", start)])
    return data


def test_country_map_counts_every_station_of_a_country_unattributable_ones_included(published_site: Path) -> None:
    data = _embedded(published_site / "index.html", "map-countries-data")
    countries = data["countries"]
    assert isinstance(countries, dict)
    by_country: dict[str, dict[str, int]] = {}
    for row in _station_rows(published_site):
        counts = by_country.setdefault(row["country"], {"new": 0, "earlier": 0, "unknown": 0})
        counts[row["status"] or "unknown"] += 1
    assert by_country, "stations were read"
    for code, counts in by_country.items():
        entry = countries[code]
        assert entry["counts"] == counts, code
        category = entry["category"]
        # a country is "newly revealed" or "reported earlier" only if every one of its stations is
        assert ("unattributed" in category) == (counts["unknown"] > 0), (code, category, counts)
        assert ("new" in category or "both" in category) == (counts["new"] > 0), (code, category, counts)
        assert ("earlier" in category or "both" in category) == (counts["earlier"] > 0), (code, category, counts)
    mixed = [c for c, n in by_country.items() if n["unknown"] and (n["new"] or n["earlier"])]
    assert mixed, "the bundled data has countries with both attributable and unattributable stations"
    html = (published_site / "index.html").read_text(encoding="utf-8")
    assert "newly revealed stations only" not in html
    assert "stations of unknown edition (none reported earlier)" in html


def test_every_page_has_its_data_as_json_beside_it(published_site: Path) -> None:
    pages = [p for p in published_site.rglob("*.html") if p.parent.name != "capture"]
    assert len(pages) > 200
    for page in pages:
        data = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        assert data["page"] == page.relative_to(published_site).as_posix()
        assert f'href="{page.with_suffix(".json").name}"' in page.read_text(encoding="utf-8"), page
    milan = json.loads((published_site / "station/wenzhou-it-milan.json").read_text(encoding="utf-8"))
    row = next(r for r in _station_rows(published_site) if r["id"] == "wenzhou-it-milan")
    assert milan["station"]["place_name"] == row["place_name"] == "Milan"
    assert milan["title"] == "Wenzhou station — Milan, Italy"
    listed = json.loads((published_site / "stations.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in listed["stations"]} == {r["id"] for r in _station_rows(published_site)}


def test_reader_pages_use_names_and_sentences_not_slugs_or_property_keys(published_site: Path) -> None:
    nantong = (published_site / "station/nantong-ao.html").read_text(encoding="utf-8")
    assert "<title>Nantong station — Angola (location unknown) — longarm</title>" in nantong
    assert "Jurisdiction: Nantong" in nantong and "Country: Angola" in nantong
    for page in ("station/wenzhou-it-milan.html", "jurisdiction/mps.html", "source/sd-patrol-and-persuade.html"):
        html = (published_site / page).read_text(encoding="utf-8")
        assert "<code>jurisdiction</code>" not in html and "= mps" not in html, page
        assert "<code>country</code> =" not in html and "in_edition" not in html, page
    stations = (published_site / "stations.html").read_text(encoding="utf-8")
    assert ">nantong-ao</a>" not in stations and ">Nantong station — Angola (location unknown)</a>" in stations
    index = json.loads(
        (published_site / "assets/search-index.js").read_text(encoding="utf-8").partition("=")[2].strip().rstrip(";")
    )
    titles = [d["t"] for d in index]
    assert not any(" — quoted from " in t for t in titles)
    assert not any('["' in d["b"] for d in index), "lists are words, not JSON"


def test_publish_base_url_gives_each_page_an_absolute_cite_this_page_address(
    bundled_db: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = tmp_path / "site"
    result = run_cli("--db", str(bundled_db), "publish", str(site), "--base-url", "https://example.org/longarm")
    assert result.returncode == 0, result.stderr
    html = (site / "station/wenzhou-it-milan.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/longarm/station/wenzhou-it-milan.html">' in html
    assert "Cite this page: “Wenzhou station — Milan, Italy”." in html
    refused = run_cli("--db", str(bundled_db), "publish", str(tmp_path / "other"), "--base-url", "ftp://x")
    assert refused.returncode == 2 and "--base-url" in refused.stderr and refused.stderr.count("\n") == 1
    assert not (tmp_path / "other").exists()
