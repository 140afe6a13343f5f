"""Benchmark `longarm publish`: the bundled dataset, and a generated one of 10,000 stations.

Reports wall time and peak memory of the real command in a child process
(peak resident set size, as the kernel counts it). Not a timed test: it
prints numbers for the README.

    make bench-publish
    python -m benchmarks.bench_publish --stations 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generated_dataset import write_dataset
from longarm.ledger.store import build


def run_child(args: list[str]) -> tuple[float, float, dict[str, object]]:
    """(seconds, peak MiB, JSON output) of one `longarm` run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "longarm", *args, "--json"], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"longarm {' '.join(args)} failed: {result.stderr.strip()}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; each run here is larger than the last.
    peak = max(peak_kib, before) / 1024
    return seconds, peak, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=10_000, help="stations in the generated dataset")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as tmp:
        folder = Path(tmp)
        bundled_db = folder / "bundled.db"
        build(bundled_db)
        seconds, peak, out = run_child(["--db", str(bundled_db), "publish", str(folder / "site-bundled")])
        print(f"bundled dataset: {out['pages']} pages, publish {seconds:.2f} s (whole process), peak {peak:.0f} MiB")
        print(f"  of which publishing itself: {out['seconds']} s")

        data = folder / "generated"
        write_dataset(data, options.stations)
        started = time.perf_counter()
        counts = build(folder / "generated.db", data)
        print(
            f"generated dataset: {options.stations} stations, {counts['statements']} statements "
            f"(build {time.perf_counter() - started:.1f} s, not part of the publish figure)"
        )
        seconds, peak, out = run_child(["--db", str(folder / "generated.db"), "publish", str(folder / "site")])
        size = sum(p.stat().st_size for p in (folder / "site").rglob("*") if p.is_file()) / 2**20
        print(
            f"publish {options.stations} stations: {out['pages']} pages + {len(out['data_files'])} data files "  # type: ignore[arg-type]
            f"({size:.0f} MiB) in {seconds:.1f} s (whole process; publishing itself {out['seconds']} s), "
            f"peak memory {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main()
