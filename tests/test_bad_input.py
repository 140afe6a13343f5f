"""Bad input: one line naming file and line, exit code 2, and no partial database."""

from __future__ import annotations

import hashlib
import os
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
    # YAML keeps the last of two equal keys silently; a data file may not
    "duplicate-key": (
        "stations.yaml",
        "  country: FR\n",
        "  country: AO\n  country: FR\n",
        "'country' is given twice in this block (first at line",
    ),
    "duplicate-cite-key": (
        "stations.yaml",
        '      quote: "Table 1: France | ALPHA | ✓"\n',
        '      quote: "Table 1: France | ALPHA | ✓"\n      quote: "Table 1: Italy"\n',
        "'quote' is given twice in this cite",
    ),
    "nul-character": ("stations.yaml", "  country: FR\n", "  country: F\x00R\n", "a character YAML does not allow"),
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


def test_a_quote_without_spaces_is_measured_in_characters(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    before = _digest(built)
    line = _replace(mini_data / "stations.yaml", 'quote: "Table 1: France | ALPHA | ✓"', f'quote: "{"a" * 1_000_000}"')
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, f"stations.yaml:{line}: quote too long (1 words, 0 CJK characters, 1000000")
    assert _digest(built) == before


def test_nesting_past_the_recursion_limit(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    (mini_data / "persons.yaml").write_text("[" * 10_000, encoding="utf-8")
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "persons.yaml:1: malformed YAML: nested too deeply")


def test_a_dangling_symlink_in_the_data_folder(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    (mini_data / "events.yaml").unlink()
    (mini_data / "events.yaml").symlink_to(mini_data / "gone.yaml")
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "events.yaml:0: cannot read this file (a symbolic link to nothing)")


def test_an_empty_data_folder_is_refused_unless_asked(tmp_path: Path, built: Path, run_cli: RunCli) -> None:
    before = _digest(built)
    empty = tmp_path / "empty"
    empty.mkdir()
    _assert_one_line_error(run_cli("--db", str(built), "build", "--data", str(empty)), "no .yaml data files")
    (empty / "stations.yaml").write_text("# nothing yet\n", encoding="utf-8")
    result = run_cli("--db", str(built), "build", "--data", str(empty))
    _assert_one_line_error(result, "the data files hold no statements (--allow-empty builds an empty database)")
    assert _digest(built) == before
    allowed = run_cli("--db", str(built), "build", "--data", str(empty), "--allow-empty")
    assert allowed.returncode == 0 and "built" in allowed.stdout, allowed.stderr
    assert _digest(built) != before


def damage(db: Path) -> None:
    """Overwrite pages in the middle of a database: the header and the meta table still read."""
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = bytes((n * 37 + 11) % 256 for n in range(8192))
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["check"], ["report"], ["stations"], ["publish", "site"]])
def test_a_damaged_database_says_so_and_how_to_recover(command: list[str], built: Path, run_cli: RunCli) -> None:
    damage(built)
    before = _digest(built)
    result = run_cli("--db", str(built), *command)
    _assert_one_line_error(result, f"{built}: damaged (")
    assert result.stderr.strip().endswith("rebuild with `longarm build`")
    assert _digest(built) == before


def test_build_over_a_damaged_database_keeps_it(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    damage(built)
    before = _digest(built)
    result = run_cli("--db", str(built), "build", "--data", str(mini_data))
    _assert_one_line_error(result, "its history cannot be carried into a new build; move it aside")
    assert _digest(built) == before, "the damaged file (and whatever history can be saved from it) is left as it was"
    built.rename(built.with_name("damaged.db"))
    assert run_cli("--db", str(built), "build", "--data", str(mini_data)).returncode == 0


def test_temporaries_of_a_dead_build_are_removed(built: Path, mini_data: Path, run_cli: RunCli) -> None:
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    leftovers = [built.with_name(f".{built.name}.{dead}.tmp"), built.with_name(f".{built.name}.{dead}.tmp-journal")]
    running = built.with_name(f".{built.name}.{os.getpid()}.tmp")  # this process is alive: its file stays
    for path in [*leftovers, running]:
        path.write_bytes(b"half-written")
    assert run_cli("--db", str(built), "build", "--data", str(mini_data)).returncode == 0
    assert not any(path.exists() for path in leftovers)
    assert running.exists()
    running.unlink()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 10_000, "JSON nested too deeply to read"),
        (b'{"a":' * 3_000 + b"1" + b"}" * 3_000, "JSON nested too deeply to read"),
        (b'{"id": "x", "claims": [], "n": ' + b"9" * 5_000 + b"}", "a JSON number too long to read"),
        (b"Patrol and Persuade\n\nA report.\n" * 40, "plain text (80 lines), not `longarm extract --json`"),
        (b"<!doctype html><html><body>\n<p>x</p>\n</html>\n", "an HTML page (3 lines)"),
    ],
    ids=["brackets", "objects", "long-integer", "text", "html"],
)
def test_review_import_of_what_is_not_extract_output(
    content: bytes, message: str, built: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    app_db = built.with_name("work.app.db")
    ok = tmp_path / "ok.json"
    ok.write_text('{"id": "d1", "claims": [{"sentence": "福州市公安局在米兰设立服务站。"}]}', encoding="utf-8")
    assert run_cli("--db", str(built), "review", "import", str(ok)).returncode == 0
    before = _digest(app_db)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = run_cli("--db", str(built), "review", "import", str(bad))
    _assert_one_line_error(result, f"bad.json: {message}")
    assert result.stdout == ""
    assert _digest(app_db) == before, "a refused import changes nothing"
