"""Property-based tests of what a stranger can hand longarm: a data folder and a file for `review import`.

Any input gives a result or the module's one typed, one-line error (which the
CLI prints and exits 2 on), never another exception; a refused import leaves
the app database exactly as it was. Bounded by example count (derandomized:
the same inputs every run) so the module runs in well under a minute.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from longarm.ledger.datafiles import load
from longarm.ledger.errors import DataError, ReviewError
from longarm.ledger.review import import_candidates
from longarm.ledger.reviewdb import AppDB
from tests.conftest import FIXTURES

EXAMPLES = 150
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))  # fmt: skip

MINI_STATIONS = (FIXTURES / "mini" / "stations.yaml").read_text(encoding="utf-8")
YAML_BITS = ["\n", "- ", "  ", ": ", "id", "cite", "quote", "source", "country", "[", "]", "{", "}", "&a", "*a",
             "!!python/object", "'", '"', "#", "|", ">", "\x00", "\t", "---", "...", "? ", ",", "%YAML 1.1",
             "米兰", "\ufeff", "\u202e", "9" * 40, "a" * 500]  # fmt: skip


def one_line(error: Exception) -> None:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text, repr(text)


# A valid file cut and spliced with YAML's own syntax, or text or bytes from nowhere.
edited_yaml = st.builds(
    lambda cut, insert, keep: MINI_STATIONS[:cut] + insert + MINI_STATIONS[cut + keep :],
    st.integers(0, len(MINI_STATIONS)),
    st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=20), max_size=8).map("".join),
    st.integers(0, 200),
).map(str.encode)
data_file = edited_yaml | st.text(max_size=2000).map(str.encode) | st.binary(max_size=2000)


@BOUNDED
@given(content=data_file)
def test_the_data_file_loader(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        shutil.copytree(FIXTURES / "mini", folder)
        (folder / "stations.yaml").write_bytes(content)
        try:
            statements = load(folder)
        except DataError as exc:
            one_line(exc)
            assert exc.path.startswith(str(folder)), exc
        else:
            assert all(st.data_file for st in statements)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)
claim = st.fixed_dictionaries(
    {"sentence": st.text(max_size=80) | st.just("福州市公安局在米兰设立服务站。")},
    optional={"start": json_values, "end": json_values, "jurisdictions": json_values, "cities": json_values,
              "countries": json_values, "dates": json_values},
)  # fmt: skip
record = st.fixed_dictionaries(
    {"claims": st.lists(claim | json_values, max_size=4)},
    optional={"id": json_values, "url": json_values, "title": json_values, "date": json_values,
              "error": json_values, "lang": json_values},
)  # fmt: skip
as_file = st.one_of(
    record.map(json.dumps),
    st.lists(record | json_values, max_size=4).map(json.dumps),
    st.lists(record | json_values, max_size=4).map(lambda items: "\n".join(json.dumps(i) for i in items)),
    json_values.map(json.dumps),
    st.integers(0, 6000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 6000).map(lambda digits: '{"claims": [], "n": ' + "7" * digits + "}"),
).map(str.encode)
import_file = as_file | st.text(max_size=1000).map(str.encode) | st.binary(max_size=1000)


def app_state(path: Path) -> str:
    """Every row of every table: what an import may change only when it succeeds."""
    with sqlite3.connect(path) as con:
        dump = "\n".join(con.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


@BOUNDED
@given(content=import_file)
def test_review_import(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "x.app.db"
        db = AppDB(path)
        try:
            before = app_state(path)
            try:
                result: Any = import_candidates(db, content, "fuzz.json", "fuzzer")
            except ReviewError as exc:
                one_line(exc)
                assert app_state(path) == before, "a refused import changes nothing"
            else:
                for problem in result.skipped:
                    assert "\n" not in problem
        finally:
            db.close()
