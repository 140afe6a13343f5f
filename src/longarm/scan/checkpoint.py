"""The checkpoint of a scan: its plan, the partitions finished, their output, and the final merge.

It lives in a folder beside the output, ``<out>.scan/``:

- ``plan.json``: the inputs (with size and modification time, so a resume
  notices a changed file), the partitions and the extractor's engine;
  written once, atomically, when a scan starts;
- ``parts/part-NNNNNN.jsonl``: the candidate lines of one finished
  partition, written to a temporary file and renamed, so a part is whole or
  absent;
- ``finished.jsonl``: one line per finished partition (its counts and
  problems), appended after its part is renamed; a line torn by a kill is
  ignored.

A partition counts as finished when it has both its line and its part, so a
kill at any moment loses at most the partitions in flight, and rerunning a
partition rewrites the same part: nothing is counted twice. When every
partition is finished the parts are concatenated, byte for byte in plan
order, into the output (a temporary file in the checkpoint, renamed over
the output) and the folder is removed. Partitions never share a document, and each has one part, so each
document is in the output once.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from longarm.extract import ENGINE
from longarm.scan.inputs import InputFile, Partition, Problem
from longarm.scan.partition import PartitionResult, PartitionStats

PLAN_FORMAT = "longarm-scan-plan/1"
MERGE_BLOCK = 1024 * 1024


class CheckpointError(Exception):
    """A checkpoint that cannot be resumed as it is; the message says what to do."""


@dataclass
class ScanPlan:
    inputs: list[str]  # the INPUT arguments as given
    files: list[InputFile]
    partition_size: int
    partitions: list[Partition]
    engine: str = ENGINE

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "engine": self.engine,
            "inputs": self.inputs,
            "partition_size": self.partition_size,
            "files": [f.as_dict() for f in self.files],
            "partitions": [p.as_dict() for p in self.partitions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanPlan:
        if data.get("format") != PLAN_FORMAT:
            raise CheckpointError(f"checkpoint written by another version ({data.get('format')})")
        return cls(
            inputs=list(data["inputs"]),
            files=[InputFile.from_dict(f) for f in data["files"]],
            partition_size=data["partition_size"],
            partitions=[Partition.from_dict(p) for p in data["partitions"]],
            engine=data["engine"],
        )


@dataclass
class Finished:
    index: int
    stats: PartitionStats
    problems: list[Problem]


def write_atomically(path: Path, lines: Iterator[str] | Sequence[str]) -> None:
    """Write lines to a temporary file beside ``path``, flush it to disk, and rename it over ``path``."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with temporary.open("w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(line)
            stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)


class Checkpoint:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder = out.with_name(out.name + ".scan")
        self.plan_path = self.folder / "plan.json"
        self.finished_path = self.folder / "finished.jsonl"
        self.parts = self.folder / "parts"

    def exists(self) -> bool:
        return self.plan_path.exists()

    def part_path(self, index: int) -> Path:
        return self.parts / f"part-{index:06d}.jsonl"

    def start(self, plan: ScanPlan) -> None:
        """A fresh checkpoint for ``plan``, replacing any leftovers of an earlier one."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.parts.mkdir(parents=True)
        write_atomically(self.plan_path, [json.dumps(plan.as_dict(), ensure_ascii=False)])

    def load_plan(self) -> ScanPlan:
        try:
            plan = ScanPlan.from_dict(json.loads(self.plan_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(
                f"{self.plan_path}: unreadable checkpoint ({exc}); delete {self.folder} to start over"
            ) from exc
        if plan.engine != ENGINE:
            raise CheckpointError(
                f"the checkpoint in {self.folder} was made with {plan.engine}, this is {ENGINE}: "
                f"delete the folder to scan again"
            )
        for item in plan.files:
            try:
                stat = os.stat(item.path)
            except OSError:
                raise CheckpointError(f"{item.path}: input of the checkpointed scan is gone") from None
            if (stat.st_size, stat.st_mtime_ns) != (item.size, item.mtime_ns):
                raise CheckpointError(
                    f"{item.path}: changed since the checkpointed scan started; delete {self.folder} to start over"
                )
        for stale in self.parts.glob("*.tmp-*"):  # a part being written when the scan was killed
            stale.unlink()
        return plan

    def finished(self) -> dict[int, Finished]:
        done: dict[int, Finished] = {}
        if not self.finished_path.exists():
            return done
        with self.finished_path.open(encoding="utf-8") as stream:
            for line in stream:
                try:
                    data = json.loads(line)
                    entry = Finished(
                        data["index"],
                        PartitionStats.from_dict(data["stats"]),
                        [Problem.from_dict(p) for p in data["problems"]],
                    )
                except (ValueError, KeyError, TypeError):
                    continue  # the last line, torn by a kill
                if self.part_path(entry.index).exists():
                    done[entry.index] = entry
        return done

    def record(self, result: PartitionResult) -> None:
        write_atomically(self.part_path(result.index), result.lines)
        entry = {
            "index": result.index,
            "stats": result.stats.as_dict(),
            "problems": [p.as_dict() for p in result.problems],
        }
        with self.finished_path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
            stream.flush()
            os.fsync(stream.fileno())

    def merge(self, partitions: Sequence[Partition]) -> int:
        """Write the output from the parts, in plan order; the number of candidates."""
        # written inside the checkpoint (the same file system as the output, beside it), so a kill
        # during the merge leaves nothing beside the output: a resume clears it and merges again
        temporary = self.parts / f"merged.tmp-{os.getpid()}"
        count = 0
        with temporary.open("wb") as out:
            for partition in partitions:
                with self.part_path(partition.index).open("rb") as part:
                    while block := part.read(MERGE_BLOCK):
                        out.write(block)
                        count += block.count(b"\n")
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(self.out)
        return count

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
