"""Agreement between two readings of the real-text extraction labels (the human ceiling).

Two steps, run in this order:

    python scripts/label_agreement.py blind [--out /tmp/agree/blind.yaml]
    python scripts/label_agreement.py compare [--second tests/extract_eval/second_reading.yaml]

``blind`` draws a fixed sample (seed 2026) of 40 passages from ``real_dev.yaml``
and 40 from ``real_test.yaml`` and writes them with their ``id``, ``lang``,
``pub_date`` and ``text`` only (no ``expected``, ``kind``, ``url`` or ``added``)
to a file outside the repository, so a second reader can label them without
seeing the first reading.

``compare`` scores the second reading against the first (the labels in
``real_*.yaml``, taken as reference) with the micro-averaged precision, recall
and F1 of ``longarm.extract.scoring`` (its field list and item normalising;
the extractor is never run), prints a table per set and overall, agreement on
which passages are look-alikes, and every field where the readings differ.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from longarm.extract.scoring import FIELDS, FieldScore, _items, _match_jurisdictions, is_negative

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "extract_eval"
SETS = ("real_dev", "real_test")
SEED = 2026
SAMPLE_SIZE = 40
BLIND_KEYS = ("id", "lang", "pub_date", "text")


def load(path: Path) -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return passages


def sample(set_name: str) -> list[dict[str, Any]]:
    """The same 40 passages of a set every time (one generator per set, seeded 2026)."""
    passages = load(EVAL_DIR / f"{set_name}.yaml")
    return random.Random(SEED).sample(passages, SAMPLE_SIZE)


def write_blind(out: Path) -> None:
    blind = []
    for set_name in SETS:
        for passage in sample(set_name):
            blind.append({key: passage[key] for key in BLIND_KEYS if passage.get(key) is not None})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(blind, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    print(f"wrote {len(blind)} passages to {out}")


def compare_field(field_name: str, first: dict[str, Any], second: dict[str, Any]) -> tuple[set[Any], set[Any]]:
    """The second reading's items and the first's, normalised as the scorer normalises them."""
    got = _items(field_name, second.get(field_name) or [])
    want = _items(field_name, first.get(field_name) or [])
    if field_name == "jurisdictions":
        got, want = _match_jurisdictions(got, want)
    return got, want


def table(rows: dict[str, dict[str, FieldScore]]) -> str:
    header = "| field | " + " | ".join(f"{name} P / R / F1 (items: first, second)" for name in rows) + " |"
    lines = [header, "| --- |" + " --- |" * len(rows)]
    for field_name in FIELDS:
        cells = []
        for scores in rows.values():
            s = scores[field_name]
            first_items, second_items = s.true_positives + s.false_negatives, s.true_positives + s.false_positives
            cells.append(f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f} ({first_items}, {second_items})")
        lines.append(f"| {field_name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare(second_path: Path) -> int:
    second = {p["id"]: p for p in load(second_path)}
    rows: dict[str, dict[str, FieldScore]] = {}
    overall = {f: FieldScore() for f in FIELDS}
    look_alike_lines = []
    differences = []
    for set_name in SETS:
        scores = {f: FieldScore() for f in FIELDS}
        both = first_only = second_only = neither = 0
        for passage in sample(set_name):
            if passage["id"] not in second:
                print(f"{second_path}: passage {passage['id']} has no second reading", file=sys.stderr)
                return 2
            reading = second[passage["id"]]
            first_negative, second_negative = is_negative(passage), bool(reading.get("negative"))
            both += first_negative and second_negative
            first_only += first_negative and not second_negative
            second_only += second_negative and not first_negative
            neither += not (first_negative or second_negative)
            if first_negative != second_negative:
                first_says = "look-alike" if first_negative else "about stations"
                second_says = "look-alike" if second_negative else "about stations"
                differences.append(f"{set_name} {passage['id']} look-alike: {first_says} vs {second_says}")
            for field_name in FIELDS:
                got, want = compare_field(field_name, passage.get("expected") or {}, reading.get("expected") or {})
                for target in (scores[field_name], overall[field_name]):
                    target.true_positives += len(got & want)
                    target.false_positives += len(got - want)
                    target.false_negatives += len(want - got)
                if got != want:
                    first_only_items = sorted(map(str, want - got))
                    second_only_items = sorted(map(str, got - want))
                    differences.append(
                        f"{set_name} {passage['id']} {field_name}: first only {first_only_items}, "
                        f"second only {second_only_items}"
                    )
        rows[set_name] = scores
        agreed = both + neither
        look_alike_lines.append(
            f"{set_name}: look-alike agreement {agreed}/{SAMPLE_SIZE} (both {both}, neither {neither}, "
            f"first only {first_only}, second only {second_only})"
        )
    rows["overall"] = overall
    print(table(rows))
    print()
    print("\n".join(look_alike_lines))
    print()
    print(f"{len(differences)} differences (first reading = real_*.yaml, second = {second_path.name}):")
    print("\n".join(differences))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    steps = parser.add_subparsers(dest="step", required=True)
    blind = steps.add_parser("blind", help="write the sampled passages without labels")
    blind.add_argument("--out", type=Path, default=Path("/tmp/agree/blind.yaml"))
    second = steps.add_parser("compare", help="score the second reading against the first")
    second.add_argument("--second", type=Path, default=EVAL_DIR / "second_reading.yaml")
    args = parser.parse_args(argv)
    if args.step == "blind":
        write_blind(args.out)
        return 0
    return compare(args.second)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
