"""Dump everything `longarm extract` finds in a fixed set of texts, and compare two such dumps byte for byte.

For speed work on the extractor, whose output must not change at all::

    python scripts/check_extract_equivalence.py dump /tmp/before.jsonl.gz      # on the code before
    python scripts/check_extract_equivalence.py dump /tmp/after.jsonl.gz       # on the code after
    python scripts/check_extract_equivalence.py compare /tmp/before.jsonl.gz /tmp/after.jsonl.gz

It takes the extractor as it is (rules, gazetteer, evaluation files), so after a merge the baseline is dumped
again from the merged main (a second worktree) and compared with the branch's dump.

The texts, each read with the memo of sentence readings off (every sentence read afresh) and then on (the memo
emptied first, and the texts read twice so that the second reading comes from the memo):

- every passage of tests/extract_eval/*.yaml, one document each, with its publication date;
- the benchmark's claim-dense corpus (benchmarks/bench_extract.py: the evaluation passages, shuffled and
  repeated), ``--dense-mb`` MB, read whole as one stream (as the benchmark reads it) and document by document;
- the benchmark's news-like corpus, ``--news-mb`` MB, the same two ways.

Each line of a dump is one document's full JSON (``Extraction.as_dict()`` and ``stations()``), with the
section, mode and document number; ``compare`` names the first line that differs and where in it. Exit 0 when
the dumps are identical, 1 when they differ, 2 on bad input.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "extract_eval"
sys.path.insert(0, str(ROOT))  # benchmarks/ is a folder of the repository, not an installed package


def _passages() -> list[tuple[str, str | None]]:
    """(text, publication date) of every evaluation passage, in file order."""
    found: list[tuple[str, str | None]] = []
    for path in sorted(EVAL.glob("*.yaml")):
        for passage in yaml.safe_load(path.read_text("utf-8")) or []:
            if "text" in passage:  # a file of labels only (second_reading.yaml) holds no passages
                date = passage.get("pub_date")
                found.append((passage["text"], None if date is None else str(date)))
    return found


def _documents(path: Path) -> list[str]:
    """A generated corpus's documents (separated by blank lines, as the benchmark writes them)."""
    return [d for d in path.read_text("utf-8").split("\n\n") if d.strip()]


def _records(dense_mb: float, news_mb: float) -> Iterator[dict[str, Any]]:
    from benchmarks.bench_extract import generate_corpus, generate_dense_corpus

    from longarm.extract import Extraction, extract_bytes, extract_document, memo

    def record(section: str, mode: str, number: int, result: Extraction) -> dict[str, Any]:
        return {"section": section, "mode": mode, "doc": number, **result.as_dict(), "stations": result.stations()}

    passages = _passages()
    with tempfile.TemporaryDirectory() as folder:
        dense, news = Path(folder) / "dense.txt", Path(folder) / "news.txt"
        generate_dense_corpus(dense, dense_mb)
        generate_corpus(news, news_mb, 0.002)
        corpora = [("dense", dense, _documents(dense)), ("news", news, _documents(news))]
        for mode, size, rounds in (("memo-off", 0, 1), ("memo-on", 8192, 2)):
            memo.MEMO_SIZE = size
            memo._memo.clear()
            for round_ in range(rounds):
                for number, (text, date) in enumerate(passages):
                    yield record(f"eval#{round_}", mode, number, extract_document(text, date))
                for name, path, documents in corpora:
                    with path.open("rb") as stream:
                        yield record(f"{name}-stream#{round_}", mode, 0, extract_bytes(stream))
                    for number, text in enumerate(documents):
                        yield record(f"{name}-documents#{round_}", mode, number, extract_document(text))


def dump(out: Path, dense_mb: float, news_mb: float) -> None:
    count = 0
    # no name, mtime=0: the same output is the same file
    with out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed:
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="\n")
        for row in _records(dense_mb, news_mb):
            text.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        text.flush()
        text.detach()
    print(f"{out}: {count} documents")


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
        yield from handle


def compare(before: Path, after: Path) -> int:
    count = 0
    for count, (old, new) in enumerate(zip(_lines(before), _lines(after), strict=False), start=1):
        if old != new:
            at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b) if old[:1] else 0
            where = json.loads(old)
            print(
                f"line {count} differs ({where['section']}, {where['mode']}, document {where['doc']}), "
                f"at character {at}:\n  before: ...{old[max(0, at - 200) : at + 200]}\n"
                f"  after:  ...{new[max(0, at - 200) : at + 200]}"
            )
            return 1
    rest_before, rest_after = sum(1 for _ in _lines(before)), sum(1 for _ in _lines(after))
    if rest_before != rest_after:
        print(f"{before}: {rest_before} documents, {after}: {rest_after}")
        return 1
    print(f"identical: {count} documents")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write the extractor's output on the fixed texts to a .jsonl.gz file")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--dense-mb", type=float, default=3, help="claim-dense corpus size (default 3 MB)")
    dumping.add_argument("--news-mb", type=float, default=6, help="news-like corpus size (default 6 MB)")
    comparing = commands.add_parser("compare", help="compare two dumps: exit 0 if identical, 1 if not")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.dense_mb, args.news_mb)
        return
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"{path}: no such dump", file=sys.stderr)
            sys.exit(2)
    sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
