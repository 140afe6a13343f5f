"""Bad input: one line naming file and line, exit code 2, and no partial database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import RunCli


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _replace(path: Path, old: str, new: str) -> int:
    """Edit a data file; return the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _assert_one_line_error(result: object, fragment: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert fragment in lines[0], lines[0]


@pytest.fixture
def built(mini_data: Path, tmp_path: Path, run_cli: RunCli) -> Path:
    db = tmp_path / "work.db"
    run_cli("--db", str(db), "build", "--data", str(mini_data), check=True)
    return db


CASES = {
    "malformed-yaml": ("stations.yaml", "  country: FR\n", "  country: [FR\n", "malformed YAML"),
    "unknown-country": ("stations.yaml", "  country: FR\n", "  country: XX\n", "unknown country code 'XX'"),
    "lowercase-country": ("stations.yaml", "  country: FR\n", "  country: fr\n", "unknown country code 'fr'"),
    "dangling-jurisdiction": (
        "stations.yaml",
        "  jurisdiction: beta\n",
        "  jurisdiction: gamma\n",
        "no jurisdiction with id 'gamma'",
    ),
    "dangling-place": ("stations.yaml", "  place: prato\n", "  place: atlantis\n", "no place with id 'atlantis'"),
    "unknown-source": (
        "stations.yaml",
        '    - source: report-b\n      quote: "Table 1: France',
        '    - source: nowhere\n      quote: "Table 1: France',
        "unknown source 'nowhere'",
    ),
    "unknown-property": (
        "stations.yaml",
        "  table_cell: Prato\n",
        "  table_cel: Prato\n",
        "has no property 'table_cel'",
    ),
    "bad-date": ("stations-evidence.yaml", "  opened: 2016-05\n", "  opened: 2016-13\n", "no month 13"),
    "bad-enum": (
        "stations.yaml",
        "  location_precision: country\n",
        "  location_precision: somewhere\n",
        "is not one of",
    ),
    "evidence-for-undefined-station": (
        "stations-evidence.yaml",
        "- id: alpha-it-milan\n",
        "- id: alpha-it-milna\n",
        "is not defined in stations.yaml",
    ),
    "missing-required": ("persons.yaml", "  sensitive: false\n", "", "has no 'sensitive' (required)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_data_is_refused_with_file_and_line(case: str, built: Path, mini_data: Path, run_cli: RunCli) -> None:
    file_name, old, new, fragment = CASES[case]
    before = _digest(built)
    line = _replace(mini_data / file_name, old, new)
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, fragment)
    assert f"{file_name}:" in result.stderr
    if case not in ("missing-required", "evidence-for-undefined-station", "unknown-source"):
        assert f"{file_name}:{line}:" in result.stderr or f"{file_name}:{line + 1}:" in result.stderr
    assert _digest(built) == before, "a failed build must leave the previous database untouched"
    assert [p.name for p in built.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_station_without_source_is_refused(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    path = mini_data / "stations.yaml"
    text = path.read_text(encoding="utf-8")
    block_start = text.index("- id: alpha-fr")
    cite_start = text.index("  cite:", block_start)
    block_end = text.index("\n\n", cite_start)
    path.write_text(text[:cite_start] + text[block_end + 1 :], encoding="utf-8")
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "station 'alpha-fr' has no 'cite'")
    assert "stations.yaml:" in result.stderr


def test_overlong_quote_is_refused(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    long_quote = " ".join(["word"] * 60)
    _replace(mini_data / "stations.yaml", 'quote: "Table 1: France | ALPHA | ✓"', f'quote: "{long_quote}"')
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "quote too long")


def test_non_utf8_file_is_refused(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    (mini_data / "persons.yaml").write_bytes("- id: x\n  name: 张\n".encode("gb18030"))
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "not UTF-8")


def test_unknown_data_file_name_is_refused(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    (mini_data / "notes.yaml").write_text("- id: x\n", encoding="utf-8")
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "no entity kind for this file name")


def test_missing_data_folder(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("--db", str(tmp_path / "x.db"), "build", "--data", str(tmp_path / "nope"))
    _assert_one_line_error(result, "data folder not found")
    assert not (tmp_path / "x.db").exists()


def test_build_refuses_to_replace_a_foreign_file(tmp_path: Path, mini_data: Path, run_cli: RunCli) -> None:
    precious = tmp_path / "thesis.db"
    precious.write_text("not a database, someone's work", encoding="utf-8")
    result = run_cli("--db", str(precious), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "is not a longarm database")
    assert precious.read_text(encoding="utf-8") == "not a database, someone's work"


def test_read_commands_on_a_missing_or_foreign_db(tmp_path: Path, run_cli: RunCli) -> None:
    _assert_one_line_error(run_cli("--db", str(tmp_path / "none.db"), "stats"), "no such database")
    foreign = tmp_path / "foreign.db"
    foreign.write_text("plain text", encoding="utf-8")
    _assert_one_line_error(run_cli("--db", str(foreign), "stations"), "not a longarm database")


def test_bad_options_on_read_commands(built: Path, run_cli: RunCli) -> None:
    db = str(built)
    _assert_one_line_error(run_cli("--db", db, "stations", "--country", "XX"), "unknown country code 'XX'")
    _assert_one_line_error(run_cli("--db", db, "stations", "--jurisdiction", "Gotham"), "no stations run by 'Gotham'")
    _assert_one_line_error(run_cli("--db", db, "show", "no-such-station"), "no station or other entity")
    _assert_one_line_error(run_cli("--db", db, "events", "--type", "party"), "unknown event type 'party'")
