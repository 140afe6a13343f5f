"""Precision, recall and F1 per field of `longarm extract` against labelled passages.

A labelled file is YAML: a list of passages with ``id``, ``text``, optional
``pub_date``, ``lang``, ``kind`` (``negative-...`` for a look-alike that is
not about stations), ``url`` and ``added``, and ``expected`` holding any of
countries, cities, jurisdictions, counts, dates (tests/extract_eval/README.md
is the labelling guide). Scores are micro-averaged over passages: every
predicted item that is not expected is a false positive, so a negative
passage that yields anything costs precision. Host places (countries, cities)
reported on negatives are counted on their own too.

    python -m longarm.extract.scoring [--misses] [--added ROUND] FILE...

prints a table per file; ``--misses`` also lists each passage where prediction
and label differ (for the dev set only: the test set's errors are not read);
``--added ROUND`` scores only the passages added in that round (``added: r2``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass
class Report:
    """The scores of one set of passages."""

    scores: dict[str, FieldScore]
    misses: list[dict[str, Any]]
    negatives: int = 0
    # negative passages for which a host country or city was reported
    negatives_with_hosts: list[str] = field(default_factory=list)


def _items(field_name: str, values: Iterable[Any]) -> set[Any]:
    result: set[Any] = set()
    for value in values:
        if field_name == "cities":
            result.add((str(value["name"]).casefold(), value["country"]))
        elif field_name == "jurisdictions":
            if isinstance(value, dict):
                result.add((str(value["name"]).casefold(), str(value.get("name_zh") or "")))
            else:
                result.add((str(value).casefold(), ""))
        elif field_name == "counts":
            result.add((value["what"], int(value["value"]), value.get("qualifier", "exact")))
        else:
            result.add(str(value))
    return result


def _match_jurisdictions(got: set[Any], want: set[Any]) -> tuple[set[Any], set[Any]]:
    """Predicted jurisdictions always carry name_zh; a label may leave it out (then the English name
    decides) or give it (丽水市, not 溧水区, for an English "Lishui"). Both sides as label keys."""
    got_keys: set[Any] = set()
    for name, name_zh in got:
        if (name, name_zh) in want:
            got_keys.add((name, name_zh))
        else:
            got_keys.add((name, ""))
    return got_keys, want


def is_negative(passage: dict[str, Any]) -> bool:
    return str(passage.get("kind") or "").startswith("negative")


def load_passages(path: Path) -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return passages


def evaluate(passages: list[dict[str, Any]]) -> Report:
    report = Report({f: FieldScore() for f in FIELDS}, [])
    for passage in passages:
        pub_date = str(passage["pub_date"]) if passage.get("pub_date") else None
        summary = extract_document(passage["text"], pub_date).summary.as_dict()
        expected = passage.get("expected") or {}
        differences = {}
        for field_name in FIELDS:
            got, want = _items(field_name, summary[field_name]), _items(field_name, expected.get(field_name, []))
            if field_name == "jurisdictions":
                got, want = _match_jurisdictions(got, want)
            s = report.scores[field_name]
            s.true_positives += len(got & want)
            s.false_positives += len(got - want)
            s.false_negatives += len(want - got)
            if got != want:
                extra, missing = sorted(map(str, got - want)), sorted(map(str, want - got))
                differences[field_name] = {"extra": extra, "missing": missing}
        if is_negative(passage):
            report.negatives += 1
            if summary["countries"] or summary["cities"]:
                report.negatives_with_hosts.append(passage["id"])
        if differences:
            report.misses.append({"id": passage["id"], **differences})
    return report


def score(passages: list[dict[str, Any]]) -> tuple[dict[str, FieldScore], list[dict[str, Any]]]:
    """Scores per field, and the passages where prediction and label differ."""
    report = evaluate(passages)
    return report.scores, report.misses


def table(scores: dict[str, FieldScore]) -> str:
    lines = ["| field | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    for field_name, s in scores.items():
        lines.append(f"| {field_name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m longarm.extract.scoring",
        description="Per-field precision, recall and F1 of `longarm extract` against labelled passages.",
        epilog="example: python -m longarm.extract.scoring --misses tests/extract_eval/real_dev.yaml",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a labelled YAML file")
    parser.add_argument(
        "--misses", action="store_true", help="list each passage where prediction and label differ (dev only)"
    )
    parser.add_argument("--added", metavar="ROUND", help="score only the passages added in that round (r2 ...)")
    args = parser.parse_args(argv)
    for path in args.files:
        try:
            passages = load_passages(path)
        except (OSError, yaml.YAMLError) as error:
            print(f"error: {path}: {error.__class__.__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
            return 2
        name = str(path)
        if args.added is not None:
            passages = [p for p in passages if p.get("added") == args.added]
            name = f"{name} (added {args.added})"
        report = evaluate(passages)
        print(f"{name}: {len(passages)} passages, {report.negatives} negatives")
        print(table(report.scores))
        print(f"negatives with a host place reported: {len(report.negatives_with_hosts)} of {report.negatives}")
        if args.misses:
            for miss in report.misses:
                print("  ", miss)
            if report.negatives_with_hosts:
                print("   negatives with hosts:", ", ".join(report.negatives_with_hosts))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
