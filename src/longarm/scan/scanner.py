"""One scan from inputs to the candidates file: plan, run, checkpoint, merge.

The driver plans the partitions, hands them to a runner (Dask or this
process), and records each one as it finishes; only when all are finished
does it merge the parts into the output. A killed scan is taken up again
with ``resume=True``: the same plan, minus the partitions already recorded.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from longarm.scan.checkpoint import Checkpoint, CheckpointError, ScanPlan
from longarm.scan.cluster import PartitionFailure, Runner
from longarm.scan.inputs import InputError, InputFile, Problem, discover, plan_partitions
from longarm.scan.partition import PartitionResult, PartitionStats

DEFAULT_PARTITION_SIZE = 32 * 1024 * 1024

# Tests only: after this many partitions are recorded, the driver kills its process group with
# SIGKILL, which is what a crash or `kill -9` does; the resumed scan must make up for it.
KILL_AFTER_ENV = "LONGARM_SCAN_TEST_KILL_AFTER"


class ScanError(Exception):
    """A scan that cannot start or finish; the message says why and what to do."""


class ScanProgress(Protocol):
    def started(self, plan: ScanPlan, finished_bytes: int) -> None: ...

    def finished(self, result: PartitionResult) -> None: ...

    def failed(self, failure: PartitionFailure) -> None: ...


@dataclass
class ScanSummary:
    out: str
    candidates: int
    partitions: int
    partitions_resumed: int  # finished by an earlier, interrupted run
    totals: PartitionStats  # the whole scan, earlier runs included
    this_run: PartitionStats  # the partitions this run did
    seconds: float  # this run's wall time, planning and merge included
    workers: int
    worker_peak_memory: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        run_seconds = max(self.seconds, 1e-9)
        return {
            "out": self.out,
            "candidates": self.candidates,
            "documents": self.totals.documents,
            "input_bytes": self.totals.input_bytes,
            "decompressed_bytes": self.totals.decompressed_bytes,
            "prefilter_passed": self.totals.prefilter_passed,
            "not_text": self.totals.not_text,
            "records_ignored": self.totals.records_ignored,
            "partitions": self.partitions,
            "partitions_resumed": self.partitions_resumed,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.this_run.documents / run_seconds, 1),
            "mb_per_second": round(self.this_run.input_bytes / run_seconds / 1e6, 2),
            "worker_peak_memory_mb": {k: round(v / 2**20, 1) for k, v in sorted(self.worker_peak_memory.items())},
            "problems": [p.as_dict() for p in self.problems],
        }


def prepare(inputs: Sequence[str], out: Path, partition_size: int, resume: bool) -> tuple[Checkpoint, ScanPlan]:
    """The checkpoint and plan to run: a new one, or (resume) the one on disk. Raises InputError,
    before anything is written, if the output (or its checkpoint) would be one of the inputs."""
    checkpoint = Checkpoint(out)
    check_output_is_no_input(out, checkpoint.folder, inputs)
    if checkpoint.exists():
        if not resume:
            raise ScanError(
                f"an unfinished scan for {out} is checkpointed in {checkpoint.folder}: "
                f"add --resume to finish it, or delete that folder to start over"
            )
        try:
            plan = checkpoint.load_plan()
        except CheckpointError as exc:
            raise ScanError(str(exc)) from exc
        if plan.inputs != list(inputs):
            raise ScanError(
                f"the checkpointed scan in {checkpoint.folder} read {' '.join(plan.inputs)}; "
                f"resume it with the same inputs, or delete the folder to start over"
            )
        check_output_is_no_input(out, checkpoint.folder, inputs, plan.files)
        return checkpoint, plan
    files = discover(inputs)
    check_output_is_no_input(out, checkpoint.folder, inputs, files)
    plan = ScanPlan(list(inputs), files, partition_size, plan_partitions(files, partition_size))
    checkpoint.start(plan)
    return checkpoint, plan


def check_output_is_no_input(
    out: Path, checkpoint_folder: Path, inputs: Sequence[str], files: Sequence[InputFile] = ()
) -> None:
    """InputError if writing ``out`` (or its checkpoint folder) could overwrite or delete an input:
    the same path, a symbolic or hard link to an input file, a path inside an input folder, or an
    input inside the checkpoint folder (which a fresh scan clears)."""
    target = out.resolve()  # follows a symbolic link at --out, and any in its folders
    scratch = checkpoint_folder.resolve()
    for name in inputs:
        given = Path(name).resolve()
        if target == given:
            link = " (a symbolic link to it)" if out.is_symlink() else ""
            raise InputError(f"--out {out}: is the input {name}{link}; write the candidates to another file")
        if given.is_dir() and target.is_relative_to(given):
            raise InputError(f"--out {out}: is inside the input folder {name}; write the candidates outside it")
        if given.is_relative_to(scratch):
            raise InputError(f"{name}: is inside {checkpoint_folder}, the checkpoint folder of --out {out}")
    try:
        written = os.stat(target)
    except OSError:
        return  # no file there yet: no input can be it
    for item in files:
        try:
            same = os.path.samestat(written, os.stat(item.path))
        except OSError:
            continue
        if same:
            raise InputError(f"--out {out}: is the same file as the input {item.path} (a hard link to it)")


def _kill_as_a_crash_would() -> None:
    if os.getpgrp() == os.getpid():  # a session leader (as the tests start it): its workers die with it
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def run_scan(
    inputs: Sequence[str],
    out: Path,
    runner: Runner,
    *,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    resume: bool = False,
    progress: ScanProgress | None = None,
) -> ScanSummary:
    """Scan ``inputs`` into ``out``; raises InputError, ScanError (after recording what finished)."""
    started = time.perf_counter()
    checkpoint, plan = prepare(inputs, out, partition_size, resume)
    return run_plan(checkpoint, plan, runner, progress, started)


def run_plan(
    checkpoint: Checkpoint,
    plan: ScanPlan,
    runner: Runner,
    progress: ScanProgress | None = None,
    started: float | None = None,
) -> ScanSummary:
    """Run the partitions of ``plan`` not yet finished in ``checkpoint``, then merge them into the output."""
    started = time.perf_counter() if started is None else started
    done = checkpoint.finished()
    totals = PartitionStats()
    problems: list[Problem] = []
    for entry in sorted(done.values(), key=lambda e: e.index):
        totals.add(entry.stats)
        problems.extend(entry.problems)
    todo = [p for p in plan.partitions if p.index not in done]
    if progress is not None:
        progress.started(plan, sum(p.size for p in plan.partitions if p.index in done))
    this_run = PartitionStats()
    failures: list[PartitionFailure] = []
    kill_after = int(os.environ.get(KILL_AFTER_ENV, "0"))
    recorded = 0
    for outcome in runner.run(todo):
        if isinstance(outcome, PartitionFailure):
            failures.append(outcome)
            if progress is not None:
                progress.failed(outcome)
            continue
        checkpoint.record(outcome)
        recorded += 1
        this_run.add(outcome.stats)
        problems.extend(outcome.problems)
        if progress is not None:
            progress.finished(outcome)
        if kill_after and recorded >= kill_after:
            _kill_as_a_crash_would()
    if failures:
        first = failures[0]
        raise ScanError(
            f"{len(failures)} partition(s) failed (first: partition {first.index}: {first.message}); "
            f"the others are checkpointed in {checkpoint.folder}: fix the cause and rerun with --resume"
        )
    totals.add(this_run)
    candidates = checkpoint.merge(plan.partitions)
    memory = runner.peak_memory()
    checkpoint.remove()
    return ScanSummary(
        out=str(checkpoint.out),
        candidates=candidates,
        partitions=len(plan.partitions),
        partitions_resumed=len(done),
        totals=totals,
        this_run=this_run,
        seconds=time.perf_counter() - started,
        workers=runner.workers,
        worker_peak_memory=memory,
        problems=problems,
    )
