"""The look-alike model: the shipped weights are scikit-learn's fit on the dev set, read back in plain Python,
and a document it reads as a look-alike has its claims set aside, as a user sees it."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from longarm.extract import extract_document
from longarm.extract.lookalike_model import WEIGHTS, char_wb_counts, lookalike_model, model_text
from tests.conftest import RunCli, cli_json

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "extract_eval" / "real_dev.yaml"
SHIPPED = ROOT / "src" / "longarm" / "extract" / WEIGHTS
# ours, of a look-alike kind of the evaluation set (joint patrols abroad) that the rules alone take for a station
PATROL = (
    "Tourists can call the police liaison office in Rome, set up with Italian police in 2019 to help Chinese "
    "visitors during joint patrols."
)
STATION = "Safeguard Defenders said the Fuzhou police ran an overseas police service station in Toronto."


def _trainer() -> Any:
    script = ROOT / "scripts" / "train_lookalike_model.py"
    spec = importlib.util.spec_from_file_location("train_lookalike_model", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_weights_are_the_fit_on_todays_dev_set() -> None:
    """Refitting on real_dev.yaml gives the shipped weights: a dev set changed without a refit fails here."""
    shipped = json.loads(gzip.decompress(SHIPPED.read_bytes()))
    assert shipped["trained_on"].endswith(hashlib.sha256(DEV.read_bytes()).hexdigest())
    vectorizer, model = _trainer().fit(yaml.safe_load(DEV.read_text(encoding="utf-8")))
    assert list(vectorizer.get_feature_names_out()) == shipped["ngrams"]
    assert max(abs(a - b) for a, b in zip(model.coef_[0], shipped["coef"], strict=True)) < 1e-6
    assert max(abs(a - b) for a, b in zip(vectorizer.idf_, shipped["idf"], strict=True)) < 1e-6


def test_plain_python_reads_as_scikit_learn_does() -> None:
    passages = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    texts = [p["text"] for p in passages] + [PATROL, STATION, "a  b\tc", "x", ""]
    vectorizer, model = _trainer().fit(passages)
    theirs = model.predict_proba(vectorizer.transform([model_text(t) for t in texts]))[:, 1]
    ours = [lookalike_model().probability(t) for t in texts]
    assert max(abs(a - b) for a, b in zip(theirs, ours, strict=True)) < 1e-6
    analyse = vectorizer.build_analyzer()
    for text in ("a  b\tc", "中 文\n b", " x ", "ab", "Chinese police 在罗马"):
        assert char_wb_counts(model_text(text)) == _counted(analyse(model_text(text))), text


def _counted(grams: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for gram in grams:
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def test_a_look_alike_is_set_aside_and_a_station_is_not() -> None:
    patrol = extract_document(PATROL)
    assert patrol.claims == [] and patrol.summary.countries == []
    assert patrol.set_aside is not None and patrol.set_aside.probability > patrol.set_aside.threshold
    assert patrol.set_aside.sentences == [PATROL]
    kept = extract_document(PATROL, lookalikes=True)
    assert kept.summary.countries == ["IT"] and kept.set_aside is None
    station = extract_document(STATION)
    assert station.set_aside is None and station.summary.countries == ["CA"]


def test_extract_says_what_it_set_aside(tmp_path: Path, run_cli: RunCli) -> None:
    story = tmp_path / "patrol.txt"
    story.write_text(PATROL, encoding="utf-8")
    text = run_cli("extract", str(story), check=True).stdout
    assert "look-alike" in text and "--keep-look-alikes" in text
    data = cli_json(run_cli, "extract", str(story))
    assert data["claims"] == [] and data["set_aside"]["reason"] == "look-alike"
    assert data["set_aside"]["sentences"] == [PATROL]
    kept = cli_json(run_cli, "extract", "--keep-look-alikes", str(story))
    assert kept["summary"]["cities"] == [{"name": "Rome", "country": "IT"}] and "set_aside" not in kept
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "p1", "text": PATROL}) + "\n", encoding="utf-8")
    line = json.loads(run_cli("extract", "--jsonl", str(corpus), check=True).stdout)
    assert line["id"] == "p1" and line["set_aside"]["reason"] == "look-alike"


@pytest.mark.parametrize("text", [PATROL, STATION])
def test_the_verdict_is_the_same_read_afresh_or_remembered(text: str) -> None:
    first, again = extract_document(text).as_dict(), extract_document(text).as_dict()
    assert first == again
