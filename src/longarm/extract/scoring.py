"""Precision, recall and F1 per field of `longarm extract` against labelled passages.

A labelled file is YAML: a list of passages with ``id``, ``text``, optional
``pub_date`` and ``lang``, and ``expected`` holding any of countries, cities,
jurisdictions, counts, dates (tests/extract_eval/README.md is the labelling
guide). Scores are micro-averaged over passages: every predicted item that
is not expected is a false positive, so a negative passage that yields
anything costs precision.

    python -m longarm.extract.scoring tests/extract_eval/dev.yaml
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from longarm.extract import extract_document

FIELDS = ("countries", "cities", "jurisdictions", "counts", "dates")


@dataclass
class FieldScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _items(field: str, values: Iterable[Any]) -> set[Any]:
    result: set[Any] = set()
    for value in values:
        if field == "cities":
            result.add((str(value["name"]).casefold(), value["country"]))
        elif field == "jurisdictions":
            result.add(str(value["name"] if isinstance(value, dict) else value).casefold())
        elif field == "counts":
            result.add((value["what"], int(value["value"]), value.get("qualifier", "exact")))
        else:
            result.add(str(value))
    return result


def load_passages(path: Path) -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return passages


def score(passages: list[dict[str, Any]]) -> tuple[dict[str, FieldScore], list[dict[str, Any]]]:
    """Scores per field, and the passages where prediction and label differ."""
    scores = {f: FieldScore() for f in FIELDS}
    misses: list[dict[str, Any]] = []
    for passage in passages:
        pub_date = str(passage["pub_date"]) if passage.get("pub_date") else None
        summary = extract_document(passage["text"], pub_date).summary.as_dict()
        expected = passage.get("expected") or {}
        differences = {}
        for field in FIELDS:
            got, want = _items(field, summary[field]), _items(field, expected.get(field, []))
            scores[field].true_positives += len(got & want)
            scores[field].false_positives += len(got - want)
            scores[field].false_negatives += len(want - got)
            if got != want:
                differences[field] = {"extra": sorted(map(str, got - want)), "missing": sorted(map(str, want - got))}
        if differences:
            misses.append({"id": passage["id"], **differences})
    return scores, misses


def table(scores: dict[str, FieldScore]) -> str:
    lines = ["| field | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    for field, s in scores.items():
        lines.append(f"| {field} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    for name in argv:
        passages = load_passages(Path(name))
        scores, misses = score(passages)
        print(f"{name}: {len(passages)} passages")
        print(table(scores))
        for miss in misses:
            print("  ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
