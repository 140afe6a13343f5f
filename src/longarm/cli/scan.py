"""`longarm scan`: station claims across a crawl (WARC, JSONL, folders of pages), on Dask, resumable."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from longarm.cli.support import console, emit_json, fail, json_option, parse_size
from longarm.scan.checkpoint import ScanPlan
from longarm.scan.cluster import ClusterError, InProcess, PartitionFailure, dask_runner
from longarm.scan.inputs import InputError, Problem
from longarm.scan.partition import PartitionResult
from longarm.scan.scanner import DEFAULT_PARTITION_SIZE, ScanError, ScanSummary, prepare, run_plan

PROBLEMS_SHOWN = 20
_SCHEDULER = re.compile(r"^(tcp|tls|inproc|ucx)://[^\s/]+(:\d+)?$")


@click.command("scan")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Candidates file to write: one JSON line per document holding a claim.",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted scan of the same inputs, skipping what it did.")
@click.option("--workers", type=int, help="Worker processes of the local Dask cluster [default: one per core].")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Run on this existing Dask cluster instead.")
@click.option("--in-process", is_flag=True, help="Run in this process without Dask (debugging, small inputs).")
@click.option(
    "--partition-size",
    default=f"{DEFAULT_PARTITION_SIZE // 2**20}MiB",
    show_default=True,
    metavar="SIZE",
    help="Input bytes per unit of work (large files are split at record boundaries).",
)
@json_option
def scan_command(
    inputs: tuple[str, ...],
    out: Path,
    resume: bool,
    workers: int | None,
    scheduler: str | None,
    in_process: bool,
    partition_size: str,
    as_json: bool,
) -> None:
    """Scan a crawl for station claims with the extractor of `longarm extract`, on Dask.

    INPUT is a WARC or WARC.gz file (CC-NEWS layout), a JSONL file of
    {"id", "text", "url", "date"} objects, an HTML or text file, or a folder
    of any of these. Documents are streamed; a cheap station-term pre-filter
    runs before the full extractor. Each document holding a claim becomes one
    line of --out, with its id, URL, date, where it is in the input, the
    summary and the claims with their spans.

    Work is split per file and, for large files, per byte range starting at a
    record (a gzip member, a line). Finished parts are checkpointed beside
    --out: after a crash or Ctrl-C, --resume does only the rest. A corrupt
    gzip member or a truncated record is reported and skipped.

    \b
    Example:
      longarm scan CC-NEWS-20240101*.warc.gz --out candidates.jsonl
      longarm scan corpus.jsonl pages/ --out candidates.jsonl --workers 8
      longarm scan crawl/ --out candidates.jsonl --scheduler tcp://10.0.0.5:8786 --resume
    """
    runner_options = _check_options(out, workers, scheduler, in_process)
    try:
        size = parse_size(partition_size)
    except ValueError:
        fail(f"--partition-size {partition_size}: not a size (examples: 32MiB, 64MB, 500000)")
    if size < 4096:
        fail(f"--partition-size {partition_size}: too small (at least 4KiB)")
    stderr = Console(stderr=True, highlight=False, markup=False)
    progress = BarProgress(stderr)
    started = time.perf_counter()
    try:
        # inputs and checkpoint first: a user error should not wait for a cluster to start
        checkpoint, plan = prepare(list(inputs), out, size, resume)
        if runner_options is None:
            summary = run_plan(checkpoint, plan, InProcess(), progress, started)
        else:
            with dask_runner(*runner_options) as runner:
                summary = run_plan(checkpoint, plan, runner, progress, started)
    except (InputError, ScanError, ClusterError) as exc:
        progress.stop()
        fail(str(exc))
    except KeyboardInterrupt:
        progress.stop()
        fail(f"interrupted; finished partitions are checkpointed: rerun with --resume to finish {out}")
    progress.stop()
    if as_json:
        emit_json(summary.as_dict())
    else:
        _print_summary(console, summary)


def _check_options(
    out: Path, workers: int | None, scheduler: str | None, in_process: bool
) -> tuple[str | None, int | None] | None:
    """(scheduler, workers) for a Dask run, None for an in-process one; fails on a bad combination."""
    if not out.parent.is_dir():
        fail(f"--out {out}: folder {out.parent} does not exist")
    if out.is_dir():
        fail(f"--out {out}: is a folder")
    if workers is not None and workers < 1:
        fail("--workers must be at least 1")
    if scheduler is not None and workers is not None:
        fail("--workers sizes the local cluster; an existing cluster (--scheduler) has its own workers")
    if in_process and (scheduler is not None or workers is not None):
        fail("--in-process runs without Dask: it takes neither --workers nor --scheduler")
    if scheduler is not None and not _SCHEDULER.match(scheduler):
        fail(f"--scheduler {scheduler}: expected an address like tcp://HOST:PORT")
    return None if in_process else (scheduler, workers)


class BarProgress:
    """A rich progress bar over input bytes, with documents/s and MB/s; problems printed as they come."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.problems_shown = 0
        self.bar = Progress(
            TextColumn("scanning"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn(
                "{task.fields[documents]:,} docs  {task.fields[docs_rate]:,.0f} docs/s  {task.fields[mb_rate]:.1f} MB/s"
            ),
            TextColumn("{task.fields[candidates]:,} candidates"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
            transient=True,
        )
        self.task: TaskID | None = None
        self.started_at = time.perf_counter()
        self.documents = 0
        self.bytes = 0
        self.candidates = 0

    def started(self, plan: ScanPlan, finished_bytes: int) -> None:
        self.started_at = time.perf_counter()
        total = sum(p.size for p in plan.partitions)
        self.task = self.bar.add_task(
            "scan", total=max(total, 1), completed=finished_bytes, documents=0, docs_rate=0.0, mb_rate=0.0, candidates=0
        )
        self.bar.start()

    def finished(self, result: PartitionResult) -> None:
        for problem in result.problems:
            self._problem(problem)
        self.documents += result.stats.documents
        self.bytes += result.stats.input_bytes
        self.candidates += result.stats.candidates
        elapsed = max(time.perf_counter() - self.started_at, 1e-9)
        if self.task is not None:
            self.bar.update(
                self.task,
                advance=result.stats.input_bytes,
                documents=self.documents,
                docs_rate=self.documents / elapsed,
                mb_rate=self.bytes / elapsed / 1e6,
                candidates=self.candidates,
            )

    def failed(self, failure: PartitionFailure) -> None:
        self.bar.console.print(f"error: partition {failure.index} failed: {failure.message}")

    def _problem(self, problem: Problem) -> None:
        self.problems_shown += 1
        if self.problems_shown <= PROBLEMS_SHOWN:
            self.bar.console.print(f"warning: {problem}")
        elif self.problems_shown == PROBLEMS_SHOWN + 1:
            self.bar.console.print("warning: more problems; --json lists them all")

    def stop(self) -> None:
        self.bar.stop()


def _print_summary(out: Console, summary: ScanSummary) -> None:
    data: dict[str, Any] = summary.as_dict()
    resumed = (
        f" ({data['partitions_resumed']} of {data['partitions']} partitions done earlier)"
        if data["partitions_resumed"]
        else ""
    )
    out.print(
        f"scanned {data['documents']:,} documents ({data['input_bytes'] / 1e6:,.1f} MB){resumed} "
        f"in {data['seconds']:.1f} s with {data['workers']} worker(s): "
        f"{data['documents_per_second']:,.0f} docs/s, {data['mb_per_second']:.1f} MB/s"
    )
    problems = f", {len(data['problems'])} problem(s) skipped" if data["problems"] else ""
    out.print(f"{data['candidates']:,} candidate document(s) -> {data['out']}{problems}")
