"""The CLI as a user runs it: text files -> SQLite -> command output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest

from longarm.cli import cli
from tests.conftest import RunCli, cli_json


def _commands() -> list[str]:
    return sorted(cli.commands)


def _leaf_commands() -> dict[str, click.Command]:
    """Every runnable command, subcommands of groups included: 'user add' as well as 'stats'."""
    leaves: dict[str, click.Command] = {}
    for name, command in cli.commands.items():
        if isinstance(command, click.Group):
            leaves.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            leaves[name] = command
    return leaves


@pytest.mark.parametrize("name", sorted({*_commands(), *_leaf_commands()}))
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = cli.commands[name] if name in cli.commands else _leaf_commands()[name]
    with click.Context(cli, info_name="longarm") as parent:
        text = command.get_help(click.Context(command, info_name=name, parent=parent))
    assert "Example:" in text, f"`longarm {name} --help` has no example"
    assert f"longarm {name}" in text.split("Example:")[1], f"the example for {name} does not run {name}"


def test_group_help_lists_every_command(run_cli: RunCli) -> None:
    result = run_cli("--help", check=True)
    for name in _commands():
        assert name in result.stdout
    assert "Example:" in result.stdout


def test_commands_with_data_output_accept_json() -> None:
    without_data = {"build"}  # prints one line about the file it wrote
    for name, command in _leaf_commands().items():
        if name not in without_data:
            assert any("--json" in p.opts for p in command.params), f"`longarm {name}` has no --json"


LISTINGS = ("stations", "sources", "events", "claims")


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_take_every_format(name: str) -> None:
    formats = next(p for p in cli.commands[name].params if "--format" in p.opts)
    assert isinstance(formats.type, click.Choice)
    assert set(formats.type.choices) == {"table", "csv", "tsv", "json"}


def test_round_trip_text_files_to_sqlite_to_output(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db = str(tmp_path / "rt.db")
    built = run_cli("--db", db, "build", "--data", str(mini_data), check=True)
    assert "statements" in built.stdout
    stations = cli_json(run_cli, "--db", db, "stations")
    assert {s["id"] for s in stations} == {"alpha-it-milan", "alpha-fr", "beta-it-prato"}
    milan = next(s for s in stations if s["id"] == "alpha-it-milan")
    assert (milan["place_name"], milan["lat"], milan["opened"], milan["status"]) == (
        "Milan",
        45.46427,
        "2016-05",
        "new",
    )
    unknown_place = next(s for s in stations if s["id"] == "alpha-fr")
    assert unknown_place["location_precision"] == "country" and unknown_place["lat"] is None
    assert [
        s["id"] for s in cli_json(run_cli, "--db", db, "stations", "--country", "it", "--jurisdiction", "beta")
    ] == ["beta-it-prato"]
    assert (
        cli_json(run_cli, "--db", db, "stations", "--jurisdiction", "Alpha", "--country", "FR")[0]["id"] == "alpha-fr"
    )
    # a known jurisdiction with no station in the chosen country is an empty answer, not an error
    assert cli_json(run_cli, "--db", db, "stations", "--jurisdiction", "beta", "--country", "FR") == []
    shown = cli_json(run_cli, "--db", db, "show", "alpha-it-milan")
    quotes = {(s["prop"], s["quote"]) for s in shown["statements"]}
    assert ("opened", "2016年5月在米兰设立警侨之家") in quotes
    assert shown["place"]["name"] == "Milan"
    stats = cli_json(run_cli, "--db", db, "stats")
    assert stats["stations"] == 3 and stats["countries"] == 2
    assert stats["by_jurisdiction"] == {"Alpha": 2, "Beta": 1}
    checks = {f["check"]: f for f in stats["findings"]}
    assert (checks["total-stations"]["stated"], checks["total-stations"]["computed"]) == (4, 3)
    assert "GR" in checks["table-rows-without-entry"]["message"]
    text = run_cli("--db", db, "show", "alpha-it-milan", check=True).stdout
    assert "2016年5月在米兰设立警侨之家" in text and "bureau-news" in text


def test_table_formats(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db = str(tmp_path / "t.db")
    run_cli("--db", db, "build", "--data", str(mini_data), check=True)
    rows = list(csv.reader(io.StringIO(run_cli("--db", db, "table", "--format", "csv", check=True).stdout)))
    assert rows[0] == ["Country", "Alpha", "Beta"]
    assert ["Italy", "Milan", "Prato"] in rows
    assert ["Greece", "", ""] in rows, "a table row with no entry is kept"
    markdown = run_cli("--db", db, "table", "--format", "markdown", check=True).stdout
    assert "| France | ✓ |  |" in markdown
    assert "| Italy | Milan* | Prato |" in markdown, "a newly revealed station is marked"
    tsv = run_cli("--db", db, "table", "--format", "tsv", check=True).stdout
    assert list(csv.reader(io.StringIO(tsv), delimiter="\t")) == rows
    grid = cli_json(run_cli, "--db", db, "table")
    assert json.loads(run_cli("--db", db, "table", "--format", "json", check=True).stdout) == grid
    assert grid["jurisdictions"] == ["Alpha", "Beta"]
    italy = next(r for r in grid["rows"] if r["country"] == "IT")
    assert italy["station_ids"] == [["alpha-it-milan"], ["beta-it-prato"]]
    assert italy["statuses"] == [["new"], ["earlier"]]


def test_check_reports_findings_but_passes(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db = str(tmp_path / "c.db")
    run_cli("--db", db, "build", "--data", str(mini_data), check=True)
    result = run_cli("--db", db, "check")
    assert result.returncode == 0, result.stderr
    assert "integrity: ok" in result.stdout
    assert "states 4 stations; the documented data give 3" in result.stdout
    data = json.loads(run_cli("--db", db, "check", "--json").stdout)
    assert data["ok"] is True and len(data["findings"]) >= 3


def test_check_exits_1_on_integrity_problems_in_the_database(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    import sqlite3

    db = tmp_path / "broken.db"
    run_cli("--db", str(db), "build", "--data", str(mini_data), check=True)
    con = sqlite3.connect(db)
    con.execute("UPDATE statement SET value = 'nowhere' WHERE entity_id = 'beta-it-prato' AND prop = 'jurisdiction'")
    con.commit()
    con.close()
    result = run_cli("--db", str(db), "check", "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert any("no jurisdiction with id 'nowhere'" in p["message"] for p in problems)


def test_sensitive_names_are_redacted_unless_asked(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db = str(tmp_path / "r.db")
    run_cli("--db", db, "build", "--data", str(mini_data), check=True)
    for args in (["show", "target-1"], ["show", "persuasion-1"], ["events", "--json"], ["report"]):
        out = run_cli("--db", db, *args, check=True).stdout
        assert "Zed" not in out, args
    assert "redacted" in run_cli("--db", db, "show", "target-1", check=True).stdout
    assert "Ada Official" in run_cli("--db", db, "show", "head-1", check=True).stdout
    assert "Zed" in run_cli("--db", db, "--include-sensitive", "show", "target-1", check=True).stdout


def test_default_database_is_built_on_first_use(run_cli: RunCli, tmp_path: Path) -> None:
    stats = cli_json(run_cli, "stats")
    assert stats["stations"] > 0
    assert (tmp_path / "xdg" / "longarm" / "longarm.db").exists()


def test_station_filters_take_names_in_english_and_chinese(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    by_code = cli_json(run_cli, "--db", db, "stations", "--country", "IT")
    assert by_code and {s["country"] for s in by_code} == {"IT"}
    for name in ("Italy", "italia", "意大利", "義大利"):
        assert cli_json(run_cli, "--db", db, "stations", "--country", name) == by_code, name
    wenzhou = cli_json(run_cli, "--db", db, "stations", "--jurisdiction", "Wenzhou")
    assert cli_json(run_cli, "--db", db, "stations", "--jurisdiction", "温州") == wenzhou and len(wenzhou) == 12
    refused = run_cli("--db", db, "stations", "--country", "ZZ")
    assert refused.returncode == 2 and "unknown country code 'ZZ'" in refused.stderr and refused.stdout == ""


def _terminal(db: str, width: int, *args: str) -> str:
    """What `longarm ARGS` prints in a real terminal WIDTH columns wide (a pseudo-terminal, via script(1))."""
    import os
    import shlex
    import subprocess
    import sys

    command = shlex.join([sys.executable, "-m", "longarm", "--db", db, *args])
    env = dict(os.environ, COLUMNS=str(width), TERM="dumb", NO_COLOR="1")
    result = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return result.stdout.replace("\r\n", "\n")


def test_ids_and_dates_are_whole_in_an_80_column_terminal(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    stations = _terminal(db, 80, "stations", "--country", "Canada")
    lines = stations.splitlines()
    assert max(len(line) for line in lines) <= 80
    for station in cli_json(run_cli, "--db", db, "stations", "--country", "CA"):
        assert any(line.split()[:1] == [station["id"]] for line in lines), station["id"]
    assert "…" not in stations
    report = _terminal(db, 80, "report")
    assert "…" not in report
    contents = cli_json(run_cli, "--db", db, "report")
    words = set(report.split())
    for row in [*contents["claims"], *contents["events"]]:
        assert row["id"] in words, row["id"]
        assert (row["date"] or "undated") in words, row["id"]


def test_piped_listings_are_tab_separated_rows(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    piped = run_cli("--db", db, "stations", "--country", "CA", check=True).stdout
    rows = [line.split("\t") for line in piped.splitlines()]
    assert rows[0] == ["id", "country", "jurisdiction", "place", "precision", "opened", "status", "now"]
    assert {r[0] for r in rows[1:]} == {s["id"] for s in cli_json(run_cli, "--db", db, "stations", "--country", "CA")}
    assert all(len(r) == len(rows[0]) for r in rows)
    events = cli_json(run_cli, "--db", db, "events")
    for fmt, delimiter in (("tsv", "\t"), ("csv", ",")):
        out = run_cli("--db", db, "events", "--format", fmt, check=True).stdout
        table = list(csv.reader(io.StringIO(out), delimiter=delimiter))
        assert table[0][:2] == ["id", "date"], "events have ids"
        assert [r[0] for r in table[1:]] == [e["id"] for e in events]
        assert [r[1] for r in table[1:]] == [e["date"] or "" for e in events]
    assert json.loads(run_cli("--db", db, "events", "--format", "json", check=True).stdout) == events
    assert "\t" not in run_cli("--db", db, "claims", "--format", "table", check=True).stdout


def test_events_filter_by_names_and_dates(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    italy = cli_json(run_cli, "--db", db, "events", "--country", "IT")
    assert italy and cli_json(run_cli, "--db", db, "events", "--country", "意大利") == italy
    qingtian = cli_json(run_cli, "--db", db, "events", "--jurisdiction", "Qingtian")
    assert qingtian and cli_json(run_cli, "--db", db, "events", "--jurisdiction", "青田") == qingtian
    assert all("qingtian" in e["jurisdiction"] for e in qingtian)
    dated = cli_json(run_cli, "--db", db, "events", "--since", "2018", "--until", "2019-06")
    assert dated and all(e["date"] and "2018" <= e["date"][:7] <= "2019-06" for e in dated)
    refused = run_cli("--db", db, "events", "--since", "last year")
    assert refused.returncode == 2 and refused.stderr.startswith("error: --since:") and refused.stdout == ""


def test_stations_filter_by_opening_date(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    every = cli_json(run_cli, "--db", db, "stations")
    opened_2018 = cli_json(run_cli, "--db", db, "stations", "--since", "2018", "--until", "2018")
    assert opened_2018 == [s for s in every if (s["opened"] or "").startswith("2018")]
    assert 0 < len(opened_2018) < len(every)


def test_show_suggests_near_ids(bundled_db: Path, run_cli: RunCli) -> None:
    result = run_cli("--db", str(bundled_db), "show", "milan")
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("error: no station or other entity with id 'milan'; did you mean ")
    assert len(message.splitlines()) == 1
    assert "wenzhou-it-milan" in message
    typo = run_cli("--db", str(bundled_db), "show", "wenzhou-it-milna")
    assert "did you mean wenzhou-it-milan" in typo.stderr


def test_report_json_holds_what_the_text_report_shows(bundled_db: Path, run_cli: RunCli) -> None:
    db = str(bundled_db)
    contents = cli_json(run_cli, "--db", db, "report")
    text = run_cli("--db", db, "report", check=True).stdout
    assert contents["events"], "the report's events are in its JSON"
    for event in contents["events"]:
        assert event["id"] in text
    for claim in contents["claims"]:
        assert claim["id"] in text
    assert f"{contents['stats']['stations']} stations in {contents['stats']['countries']} countries" in text
    for kind, count in contents["statements"].items():
        assert f"{kind} {count}" in text
    assert contents["built_at"] in text and contents["redacted"] is True


def test_a_stations_status_now_is_derived_from_its_events(bundled_db: Path, run_cli: RunCli) -> None:
    """Reported -> under investigation -> ordered closed -> closed, from host-government events, never typed."""
    db = str(bundled_db)
    closed = cli_json(run_cli, "--db", db, "stations", "--status-now", "closed")
    assert "fuzhou-us-new-york" in {s["id"] for s in closed}
    new_york = next(s for s in closed if s["id"] == "fuzhou-us-new-york")
    events = {e["id"]: e for e in cli_json(run_cli, "--db", db, "events")}
    shown_by = events[new_york["status_now_event"]]
    assert shown_by["type"] == "closure" and "fuzhou-us-new-york" in shown_by["station"]
    assert new_york["status_now_date"] == shown_by["date"]
    arrests = cli_json(run_cli, "--db", db, "events", "--type", "arrest")
    assert arrests and {e["type"] for e in arrests} == {"arrest"}
    # a station no host-government event names is as reported
    quiet = cli_json(run_cli, "--db", db, "stations", "--status-now", "reported")
    named = {
        sid
        for e in events.values()
        if e["type"] in ("investigation", "closure-order", "closure")
        for sid in e["station"]
    }
    assert quiet and not named & {s["id"] for s in quiet}
