"""Throughput, memory and scaling of `longarm scan` on a generated crawl of at least 2 GB.

    make bench-scan               # or: python -m benchmarks.bench_scan --gb 2 --workers 1,2

Generates (once, under /tmp, never committed; reused while its spec is the
same) a synthetic crawl from benchmarks/scan_corpus.py: half WARC.gz in the
CC-NEWS layout (HTML pages of 20-40 KB of script and navigation around an
article), half JSONL articles, in files of 256 MiB. 2% of documents carry a
claim and 10% everyday station words that pass the pre-filter.

Each format is scanned with a LocalCluster of 1 and then 2 worker processes
(a fresh cluster each time, started before the clock starts), and the two
outputs are checked to be identical. Reported: documents/s, MB/s of input
bytes on disk (and decompressed for WARC.gz), the peak resident memory of
each worker, and the 1 -> 2 worker scaling of documents/s.

Two numbers say what the machine allowed: the scaling of a pure-Python loop
from 1 to 2 processes (best of 3, measured first: the ceiling for any
CPU-bound Python on this machine), and, for each scan, the CPU seconds that
other processes took while it ran (all busy CPU time in /proc/stat minus the
scan's own workers and driver). On a shared or virtual machine both vary, so
each scan waits (up to 2 minutes) for a quiet moment, and one that other
processes disturbed (took over 5% of its CPU time) is run again, up to
--attempts times; the fastest attempt is reported, with the count. Not a
timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.scan_corpus import CorpusSpec, write_jsonl, write_warc
from longarm.scan import dask_runner, run_scan

FILE_SIZE = 256 * 2**20
SPEC = CorpusSpec()
CORPUS_VERSION = f"scan-bench-1:{SPEC}"


def _generate(job: tuple[str, str, int]) -> None:
    kind, path, seed = job
    if kind == "warc.gz":
        write_warc(Path(path), seed=seed, target_bytes=FILE_SIZE, spec=SPEC)
    else:
        write_jsonl(Path(path), seed=seed, target_bytes=FILE_SIZE, spec=SPEC)


def corpus(folder: Path, gigabytes: float) -> dict[str, list[Path]]:
    """The generated files by format, made now unless an identical corpus is already there."""
    per_format = math.ceil(gigabytes * 1e9 / 2 / FILE_SIZE)
    files = {
        "warc.gz": [folder / "warc" / f"CC-NEWS-SYNTH-{n:05d}.warc.gz" for n in range(per_format)],
        "jsonl": [folder / "jsonl" / f"articles-{n:05d}.jsonl" for n in range(per_format)],
    }
    stamp = folder / "corpus.json"
    wanted = {"version": CORPUS_VERSION, "files": {k: [str(p) for p in v] for k, v in files.items()}}
    present = all(p.exists() for paths in files.values() for p in paths)
    if present and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return files
    if folder.exists():
        shutil.rmtree(folder)
    for paths in files.values():
        paths[0].parent.mkdir(parents=True)
    jobs = [(kind, str(path), seed) for kind, paths in files.items() for seed, path in enumerate(paths)]
    started = time.perf_counter()
    print(f"generating {len(jobs)} files of {FILE_SIZE >> 20} MiB in {folder} ...", flush=True)
    with multiprocessing.Pool(os.cpu_count()) as pool:
        pool.map(_generate, jobs)
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    stamp.write_text(json.dumps(wanted))
    return files


def machine_busy_seconds() -> float:
    """CPU seconds spent busy by every process on the machine since boot (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _count(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def reference_scaling(rounds: int = 3, n: int = 20_000_000) -> float:
    """How much faster two processes finish two pure-Python loops than one process finishes one: best of ``rounds``."""
    best = 0.0
    with multiprocessing.Pool(2) as pool:
        for _ in range(rounds):
            alone = _count(n)
            started = time.perf_counter()
            pool.map(_count, [n, n])
            best = max(best, 2 * alone / (time.perf_counter() - started))
    return best


def wait_for_quiet(limit: float = 120.0, window: float = 2.0) -> None:
    """Until other processes use under a fifth of one core for ``window`` seconds, or ``limit`` passes."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = machine_busy_seconds()
        time.sleep(window)
        if machine_busy_seconds() - before < 0.2 * window:
            return


def best_scan(paths: list[Path], workers: int, out: Path, attempts: int) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for attempt in range(1, attempts + 1):
        wait_for_quiet()
        row = scan(paths, workers, out)
        row["attempts"] = attempt
        if best is None or row["seconds"] < best["seconds"]:
            best = {**row}
        best["attempts"] = attempt
        if row["other_cpu_seconds"] <= 0.05 * row["scan_cpu_seconds"]:
            break
    assert best is not None
    return best


def scan(paths: list[Path], workers: int, out: Path) -> dict[str, Any]:
    with dask_runner(workers=workers) as runner:
        workers_before = sum(runner.client.run(own_cpu_seconds).values())
        busy_before, driver_before = machine_busy_seconds(), own_cpu_seconds()
        summary = run_scan([str(p) for p in paths], out, runner)
        busy = machine_busy_seconds() - busy_before
        ours = sum(runner.client.run(own_cpu_seconds).values()) - workers_before + own_cpu_seconds() - driver_before
    data = summary.as_dict()
    seconds = summary.seconds
    return {
        "workers": workers,
        "documents": data["documents"],
        "candidates": data["candidates"],
        "prefilter_passed": data["prefilter_passed"],
        "input_mb": data["input_bytes"] / 1e6,
        "decompressed_mb": data["decompressed_bytes"] / 1e6,
        "seconds": seconds,
        "documents_per_second": data["documents"] / seconds,
        "mb_per_second": data["input_bytes"] / 1e6 / seconds,
        "decompressed_mb_per_second": data["decompressed_bytes"] / 1e6 / seconds,
        "peak_memory_mb_per_worker": max(data["worker_peak_memory_mb"].values()),
        "problems": len(data["problems"]),
        "scan_cpu_seconds": ours,
        "other_cpu_seconds": max(busy - ours, 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gb", type=float, default=2.0, help="corpus size on disk, both formats together")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/longarm-scan-bench"))
    parser.add_argument("--attempts", type=int, default=3, help="runs of a scan that other processes disturbed")
    args = parser.parse_args()
    files = corpus(args.dir / "corpus", args.gb)
    counts = [int(n) for n in args.workers.split(",")]
    wait_for_quiet()
    ceiling = reference_scaling()
    print(f"\nthis machine: a pure-Python loop runs {ceiling:.2f}x faster on 2 processes than on 1 (best of 3)")
    results: dict[str, list[dict[str, Any]]] = {}
    for kind, paths in files.items():
        size = sum(p.stat().st_size for p in paths) / 1e9
        print(f"\n{kind}: {len(paths)} files, {size:.2f} GB", flush=True)
        outputs: list[bytes] = []
        for workers in counts:
            out = args.dir / f"candidates-{kind}-{workers}.jsonl"
            row = best_scan(paths, workers, out, args.attempts)
            results.setdefault(kind, []).append(row)
            outputs.append(out.read_bytes())
            print(
                f"  {workers} worker(s): {row['documents']:,} docs in {row['seconds']:.1f} s = "
                f"{row['documents_per_second']:,.0f} docs/s, {row['mb_per_second']:.1f} MB/s"
                + (f" ({row['decompressed_mb_per_second']:.1f} MB/s decompressed)" if kind == "warc.gz" else "")
                + f", peak {row['peak_memory_mb_per_worker']:.0f} MB per worker, {row['candidates']:,} candidates"
                + f"; other processes took {row['other_cpu_seconds']:.0f} CPU s meanwhile"
                + f" (fastest of {row['attempts']} run(s))",
                flush=True,
            )
        assert all(o == outputs[0] for o in outputs), "outputs differ between worker counts"
    print(
        "\n| input | workers | documents | seconds | docs/s | MB/s on disk | MB/s decompressed | peak MB/worker "
        "| other processes' CPU s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind, rows in results.items():
        for row in rows:
            print(
                f"| {kind} | {row['workers']} | {row['documents']:,} | {row['seconds']:.1f} | "
                f"{row['documents_per_second']:,.0f} | {row['mb_per_second']:.1f} | "
                f"{row['decompressed_mb_per_second']:.1f} | {row['peak_memory_mb_per_worker']:.0f} | "
                f"{row['other_cpu_seconds']:.0f} |"
            )
    if len(counts) >= 2:
        print()
        for kind, rows in results.items():
            ratio = rows[1]["documents_per_second"] / rows[0]["documents_per_second"]
            print(f"scaling {counts[0]} -> {counts[1]} workers, {kind}: {ratio:.2f}x")
        total = [sum(rows[i]["seconds"] for rows in results.values()) for i in range(2)]
        print(f"scaling {counts[0]} -> {counts[1]} workers, whole corpus: {total[0] / total[1]:.2f}x")
        print(f"(a pure-Python loop on this machine: {ceiling:.2f}x)")
    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "reference_scaling": ceiling,
        "results": results,
    }
    (args.dir / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nresults: {args.dir / 'results.json'}")


if __name__ == "__main__":
    main()
