"""The extractor against the labelled passages: fails below the thresholds the README reports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from longarm.extract.scoring import FIELDS, load_passages, score

EVAL = Path(__file__).parent / "extract_eval"
# held-out files are frozen: an edit to them shows here
FROZEN = {
    "heldout.yaml": "e01c6d0e2a06e157431fc12ad0a471898b4663e8ccbb525128cd9901c046c2ad",
    "heldout2.yaml": "8cc35add6f6cf0cde3f6cee725be9e5eea68925f1957538ea9c3974f02e63065",
}
# the floor each field must keep: just below today's scores (1.00 everywhere but heldout2's counts,
# 0.89 because of a labelling slip in the frozen file: k01 labels no count for 新设两个…服务站), so any
# new miss fails; issue 3's targets were 0.90 (countries) and 0.80 (cities, counts)
THRESHOLDS = {
    "dev.yaml": dict.fromkeys(FIELDS, 0.99),
    "heldout.yaml": dict.fromkeys(FIELDS, 0.99),
    "heldout2.yaml": {**dict.fromkeys(FIELDS, 0.99), "counts": 0.88},
}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_held_out_sets_are_frozen(name: str) -> None:
    digest = hashlib.sha256((EVAL / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], f"{name} changed: held-out passages are frozen"


def test_there_are_enough_passages_of_each_kind() -> None:
    passages = [p for name in THRESHOLDS for p in load_passages(EVAL / name)]
    assert len(passages) >= 40
    assert {p["lang"] for p in passages} == {"zh", "en"}
    traditional = [p for p in passages if any(c in p["text"] for c in "國設縣們華僑")]
    negatives = [p for p in passages if not p["expected"]]
    assert len(traditional) >= 5 and len(negatives) >= 8
    assert len({p["id"] for p in passages}) == len(passages)


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_f1_per_field_stays_above_threshold(name: str) -> None:
    scores, misses = score(load_passages(EVAL / name))
    below = {f: round(scores[f].f1, 2) for f in FIELDS if scores[f].f1 < THRESHOLDS[name][f]}
    assert not below, f"{name}: F1 below threshold {below}; differences: {misses}"


def test_negative_passages_yield_nothing() -> None:
    for name in THRESHOLDS:
        negatives = [p for p in load_passages(EVAL / name) if not p["expected"]]
        scores, misses = score(negatives)
        assert all(s.false_positives == 0 for s in scores.values()), (name, misses)
