"""The extractor against the labelled passages: fails below the floors, or when the sets break their own rules.

Two evaluation sets (tests/extract_eval/README.md):
- real_dev.yaml / real_test.yaml: passages from real pages, split by a hash of the page's URL; the floors
  sit just below today's scores, so any new miss fails;
- dev.yaml / heldout*.yaml: the first, self-written set, kept as a regression set.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from longarm.extract.scoring import FIELDS, evaluate, is_negative, load_passages, score

EVAL = Path(__file__).parent / "extract_eval"
REAL = ("real_dev.yaml", "real_test.yaml")
# held-out files of the regression set are frozen: an edit to them shows here
FROZEN = {
    "heldout.yaml": "e01c6d0e2a06e157431fc12ad0a471898b4663e8ccbb525128cd9901c046c2ad",
    "heldout2.yaml": "8cc35add6f6cf0cde3f6cee725be9e5eea68925f1957538ea9c3974f02e63065",
}
# F1 floors, just below today's scores (README's extract section gives the test figures)
REAL_FLOORS = {
    "real_dev.yaml": {"countries": 0.93, "cities": 0.94, "jurisdictions": 0.93, "counts": 0.93, "dates": 0.80},
    "real_test.yaml": {"countries": 0.86, "cities": 0.85, "jurisdictions": 0.82, "counts": 0.86, "dates": 0.70},
}
# look-alikes with a host place: at most today's number
NEGATIVES_WITH_HOSTS = {"real_dev.yaml": 0, "real_test.yaml": 13}
# the regression set: 1.00 everywhere but counts, labelled before the real-text guide counted an elliptical
# "one in Markham" (d24, d30, h26) and with a slip in heldout2 (k01 labels no count for 新设两个…服务站)
REGRESSION_FLOORS = {
    "dev.yaml": {**dict.fromkeys(FIELDS, 0.99), "counts": 0.94},
    "heldout.yaml": {**dict.fromkeys(FIELDS, 0.99), "counts": 0.96},
    "heldout2.yaml": {**dict.fromkeys(FIELDS, 0.99), "counts": 0.88},
}


def _real_passages() -> dict[str, list[dict[str, Any]]]:
    return {name: load_passages(EVAL / name) for name in REAL}


def split_of(url: str) -> str:
    """The set a page's passages belong to: decided by its URL, before anyone reads the extractor's output."""
    return "real_dev.yaml" if hashlib.sha256(url.encode()).digest()[0] % 2 == 0 else "real_test.yaml"


def _reserved_urls_file() -> Path | None:
    """shared/reserved-urls.txt in a folder above the repository (the project's shared folder), if there is one."""
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "reserved-urls.txt"
        if candidate.is_file():
            return candidate
    return None


def _page_key(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    return parts.netloc.lower().removeprefix("www.") + urllib.parse.unquote(parts.path).rstrip("/")


def test_no_evaluation_page_is_reserved() -> None:
    reserved_file = _reserved_urls_file()
    if reserved_file is None:
        pytest.skip("no shared/reserved-urls.txt above the repository")
    reserved = {
        _page_key(line) for line in reserved_file.read_text(encoding="utf-8").splitlines() if line.startswith("http")
    }
    used = [p["url"] for passages in _real_passages().values() for p in passages]
    assert reserved and used
    assert not [url for url in used if _page_key(url) in reserved]


def test_real_sets_are_big_enough_and_split_by_page() -> None:
    sets = _real_passages()
    passages = [p for ps in sets.values() for p in ps]
    assert len(passages) >= 150
    assert sum(p["lang"] == "zh" for p in passages) >= 60
    assert sum(p["lang"] == "en" for p in passages) >= 60
    assert sum(is_negative(p) for p in passages) >= 30
    traditional = [p for p in passages if any(c in p["text"] for c in "國設們華僑台灣倫敦紐約")]
    assert len(traditional) >= 15
    assert len({p["id"] for p in passages}) == len(passages)
    for name, ps in sets.items():
        for passage in ps:
            assert passage["url"].startswith("http"), passage["id"]
            assert split_of(passage["url"]) == name, f"{passage['id']} belongs to {split_of(passage['url'])}"
            assert is_negative(passage) <= (not passage["expected"]), passage["id"]
            assert 0 < len(passage["text"]) <= 1200, passage["id"]


@pytest.mark.parametrize("name", sorted(REAL_FLOORS))
def test_real_f1_per_field_stays_above_floor(name: str) -> None:
    report = evaluate(load_passages(EVAL / name))
    below = {f: round(report.scores[f].f1, 2) for f in FIELDS if report.scores[f].f1 < REAL_FLOORS[name][f]}
    # the test set's differences are not printed: its errors are not read while writing rules
    detail = report.misses if name == "real_dev.yaml" else "see `make eval` (scores only)"
    assert not below, f"{name}: F1 below floor {below}; {detail}"


@pytest.mark.parametrize("name", REAL)
def test_real_negatives_report_no_host(name: str) -> None:
    report = evaluate(load_passages(EVAL / name))
    assert report.negatives >= 10
    # the target is none; 24 test look-alikes got a host after r38 (two more since r36's agency rule, three of
    # r37's), 13 since r39's look-alike model sets aside what reads like one, 12 after r41, 13 after r42 (which
    # ones is not read)
    ceiling = NEGATIVES_WITH_HOSTS[name]
    # a bare number: pytest would print a list named in the assertion, and the test set's ids are not read
    count = len(report.negatives_with_hosts)
    named = f": {report.negatives_with_hosts}" if name == "real_dev.yaml" else ""
    assert count <= ceiling, f"{name}: {count} negatives with hosts{named}"


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_held_out_sets_are_frozen(name: str) -> None:
    digest = hashlib.sha256((EVAL / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], f"{name} changed: held-out passages are frozen"


@pytest.mark.parametrize("name", sorted(REGRESSION_FLOORS))
def test_regression_f1_per_field_stays_above_floor(name: str) -> None:
    scores, misses = score(load_passages(EVAL / name))
    below = {f: round(scores[f].f1, 2) for f in FIELDS if scores[f].f1 < REGRESSION_FLOORS[name][f]}
    assert not below, f"{name}: F1 below floor {below}; differences: {misses}"


def test_regression_negative_passages_yield_nothing() -> None:
    for name in REGRESSION_FLOORS:
        negatives = [p for p in load_passages(EVAL / name) if not p["expected"]]
        scores, misses = score(negatives)
        assert all(s.false_positives == 0 for s in scores.values()), (name, misses)
