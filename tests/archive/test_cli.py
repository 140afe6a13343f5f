"""`longarm archive`, `verify` and `captures` as a user runs them, against the local test server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.archive.conftest import GBK_TEXT, PageServer
from tests.conftest import RunCli, cli_json
from tests.test_bad_input import _assert_one_line_error


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_all_sources_captured_linked_verified_and_kept_across_rebuilds(
    cited_db: Path, cited_data: Path, run_cli: RunCli
) -> None:
    db = str(cited_db)
    result = run_cli("--db", db, "archive", "--all-sources", "--timeout", "3", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    by_source = {r["source_id"]: r for r in summary["results"]}
    assert by_source["bureau-news"]["state"] == "captured" and by_source["bureau-news"]["charset"] == "gb18030"
    assert by_source["report-a"]["redirects"] == 2 and by_source["report-a"]["final_url"].endswith("/final.html")
    assert summary["skipped"] == [{"source_id": "report-b", "reason": "no URL: not searched for yet"}]
    assert summary["counts"] == {"captured": 2, "unavailable": 0, "failed": 0, "skipped": 1}
    folder = cited_db.parent / "captures"
    assert summary["archive_dir"] == str(folder) and (folder / "captures.db").is_file()

    listed = cli_json(run_cli, "--db", db, "captures")
    assert {c["source_id"] for c in listed} == {"bureau-news", "report-a"}
    news = next(c for c in listed if c["source_id"] == "bureau-news")
    assert news["citing_statements"] >= 2 and "alpha-it-milan" in news["citing_entities"], "linked to the statements"
    assert [c["id"] for c in cli_json(run_cli, "--db", db, "captures", "--source", "bureau-news")] == [news["id"]]
    assert GBK_TEXT in run_cli("--db", db, "captures", "--text", news["id"], check=True).stdout
    rows = run_cli("--db", db, "captures", "--format", "csv", check=True).stdout.splitlines()
    assert rows[0].startswith("id,captured (UTC),HTTP,url,source") and len(rows) == 3
    assert any(row.startswith(news["id"] + ",") and ",bureau-news," in row for row in rows), rows

    run_cli("--db", db, "build", "--data", str(cited_data), check=True)
    assert len(cli_json(run_cli, "--db", db, "captures")) == 2, "captures survive a rebuild of the database"

    verified = run_cli("--db", db, "verify")
    assert verified.returncode == 0 and "2 captures in 2 files" in verified.stdout and "all intact" in verified.stdout
    warc = folder / news["warc_path"]
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    broken = run_cli("--db", db, "verify")
    assert broken.returncode == 1
    assert f"changed: capture {news['id']}" in broken.stdout
    report = json.loads(run_cli("--db", db, "verify", "--json").stdout)
    assert report["ok"] is False and [p["capture_id"] for p in report["problems"]] == [news["id"]]


def test_one_failure_never_stops_the_rest_and_the_summary_says_why(
    cited_db: Path, page_server: PageServer, run_cli: RunCli
) -> None:
    urls = [page_server.url(p) for p in ("/slow", "/missing", "/huge", "/big5.html", "/gbk.html")]
    result = run_cli("--db", str(cited_db), "archive", *urls, "--timeout", "0.4", "--max-size", "256KiB")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "2 captured, 1 unavailable, 2 failed, 0 skipped" in out
    assert f"failed: {urls[0]}: timed out: no data within 0.4 s" in out
    assert f"unavailable: {urls[1]}: HTTP 404" in out
    assert f"failed: {urls[2]}: response of 1048576 bytes exceeds the size cap of 262144 bytes" in out
    assert "bureau-news" in out, "the GBK page is linked to the source citing it"


def test_archive_with_a_timestamp_authority(cited_db: Path, page_server: PageServer, run_cli: RunCli) -> None:
    db = str(cited_db)
    env_free = cli_json(
        run_cli, "--db", db, "archive", page_server.url("/gbk.html"), "--tsa-url", page_server.url("/tsa")
    )
    assert env_free["results"][0]["timestamp"] is not None and env_free["results"][0]["timestamp_problem"] is None
    down = run_cli("--db", db, "archive", page_server.url("/gbk.html"), "--tsa-url", page_server.url("/tsa-down"))
    assert down.returncode == 0, "a TSA that fails does not fail the capture"
    assert "no timestamp: TSA" in down.stdout and "HTTP 500" in down.stdout
    assert run_cli("--db", db, "verify").returncode == 0


def test_render_prints_an_inert_page(cited_db: Path, page_server: PageServer, run_cli: RunCli) -> None:
    db = str(cited_db)
    captured = cli_json(run_cli, "--db", db, "archive", page_server.url("/scripted.html"))
    capture_id = captured["results"][0]["capture_id"]
    page = run_cli("--db", db, "captures", "--render", capture_id, check=True).stdout
    assert page.startswith("<!doctype html>") and "Station opening" in page
    assert "<script" not in page and "onload" not in page and ".invalid" not in page


def test_import_from_the_command_line(cited_db: Path, page_server: PageServer, run_cli: RunCli, tmp_path: Path) -> None:
    """A WARC made by one longarm imports into another archive and links to the same source."""
    other = tmp_path / "elsewhere"
    made = cli_json(
        run_cli, "--db", str(cited_db), "archive", "--archive-dir", str(other), page_server.url("/gbk.html")
    )
    warc = other / made["results"][0]["warc_path"]
    imported = cli_json(run_cli, "--db", str(cited_db), "archive", "--import", str(warc))
    (capture,) = imported["imports"][0]["captures"]
    assert capture["source_id"] == "bureau-news" and capture["payload_sha256"] == made["results"][0]["payload_sha256"]
    again = run_cli("--db", str(cited_db), "archive", "--import", str(warc), check=True)
    assert "0 captures imported" in again.stdout and "1 already in the archive" in again.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([], "give URLs, --all-sources or --import FILE"),
        (["http://127.0.0.1/x", "--all-sources"], "give URLs, --all-sources or --import FILE"),
        (["notaurl"], "'notaurl' is not an http(s) URL"),
        (["http://127.0.0.1/x", "--timeout", "soon"], "--timeout: 'soon' is not a number"),
        (["http://127.0.0.1/x", "--timeout", "0"], "--timeout: '0' is not a number"),
        (["http://127.0.0.1/x", "--max-size", "lots"], "--max-size: 'lots' is not a size"),
        (["http://127.0.0.1/x", "--tsa-url", "tsa"], "--tsa-url: 'tsa' is not an http(s) URL"),
        (["--import", "no-such.warc.gz"], "--import: no-such.warc.gz: no such file"),
    ],
)
def test_bad_archive_options(args: list[str], fragment: str, cited_db: Path, run_cli: RunCli) -> None:
    _assert_one_line_error(run_cli("--db", str(cited_db), "archive", *args), fragment)
    assert not (cited_db.parent / "captures").exists(), "nothing was created"


def test_bad_input_to_import_captures_and_verify(cited_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    db = str(cited_db)
    folder = cited_db.parent / "captures"
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00 definitely not gzip")
    _assert_one_line_error(run_cli("--db", db, "archive", "--import", str(corrupt)), "corrupt.warc.gz: not a readable")
    assert tree(folder) == {} or set(tree(folder)) == {"captures.db"}, "nothing imported"
    _assert_one_line_error(run_cli("--db", db, "captures", "--render", "nope"), "no capture with id 'nope'")
    _assert_one_line_error(run_cli("--db", db, "captures", "--source", "nope"), "no source with id 'nope'")
    _assert_one_line_error(run_cli("--db", db, "verify", "--archive-dir", str(corrupt)), "is not a folder")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "captures.db").write_text("someone's notes", encoding="utf-8")
    _assert_one_line_error(run_cli("--db", db, "verify", "--archive-dir", str(foreign)), "not a longarm capture index")
    assert (foreign / "captures.db").read_text(encoding="utf-8") == "someone's notes"
    empty = run_cli("--db", db, "verify", "--archive-dir", str(tmp_path / "empty"))
    assert empty.returncode == 0 and "0 captures" in empty.stdout
