"""Load benchmark of `longarm serve` beside Datasette serving the same SQLite file.

wrk (Debian's) sends 100 concurrent connections for a fixed time to each URL,
on 127.0.0.1 only, and reports requests per second, p99 latency and errors.
Each server runs alone while it is measured (this machine has two cores, and
wrk needs some of them): `longarm serve --workers 2`, then `datasette serve -i`
(immutable, its fastest mode) on the same database file. Every URL is warmed
up first, so both servers are measured in their steady state. Not a timed
test: it prints a Markdown table for the README.

    make bench-serve
    python -m benchmarks.bench_serve --seconds 5
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from longarm.ledger.store import build

CONNECTIONS = 100
THREADS = 2
# (what, longarm URL, Datasette URL): the same rows or the same question on each side.
PAIRS = [
    ("API: stations in Italy (JSON)", "/api/stations?country=IT&limit=100",
     "/longarm/station.json?country=IT&_size=100&_shape=array"),
    ("API: one station (JSON)", "/api/stations/wenzhou-it-milan",
     "/longarm/station.json?id=wenzhou-it-milan&_shape=array"),
    ("Country check: Italy (HTML)", "/check.html?country=IT", "/longarm/station?country=IT"),
]  # fmt: skip


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the web tests start their servers on one too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running(command: list[str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} exited: {process.stderr.read().decode() if process.stderr else ''}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(probe, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"{' '.join(command)} did not start")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip()).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"rps": rps, "p99_ms": p99, "requests": requests, "errors": errors, "seconds": seconds}


def alone(url: str) -> float:
    """Median milliseconds of one request at a time: what a single reader waits."""
    times = []
    with httpx.Client(timeout=60) as client:
        for _ in range(7):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def measure(base: str, paths: list[str], seconds: int) -> list[dict[str, float]]:
    results = []
    for path in paths:
        single = alone(base + path)  # also the warm-up: caches filled
        wrk(base + path, 2)  # connections and workers started
        results.append({**wrk(base + path, seconds), "alone_ms": single})
    return results


def _cells(r: dict[str, float]) -> str:
    if r["requests"] == 0:  # every request still queued when the run ended: no latency to report
        return f"0 (none completed) | > {r['seconds']:.0f} s | {r['errors']:.0f} | {r['alone_ms']:.0f} ms"
    return f"{r['rps']:,.0f} | {r['p99_ms']:.1f} ms | {r['errors']:.0f} | {r['alone_ms']:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="Length of each measured run.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (make bench-serve does it)")
    datasette = Path(sys.executable).with_name("datasette")
    if not datasette.exists():
        raise SystemExit("datasette is not installed: pip install -e '.[bench]' (make bench-serve does it)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "longarm.db"
        build(db)
        ours, theirs = free_port(), free_port()
        longarm = [sys.executable, "-m", "longarm", "--db", str(db), "serve", "--port", str(ours), "--workers", "2"]
        with running(longarm, f"http://127.0.0.1:{ours}/api/meta"):
            mine = measure(f"http://127.0.0.1:{ours}", [p[1] for p in PAIRS], args.seconds)
        serve = [str(datasette), "serve", "-i", str(db), "--port", str(theirs), "--host", "127.0.0.1"]
        with running(serve, f"http://127.0.0.1:{theirs}/longarm.json"):
            other = measure(f"http://127.0.0.1:{theirs}", [p[2] for p in PAIRS], args.seconds)
    print(f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.seconds}s on 127.0.0.1; longarm serve --workers 2 vs datasette -i")
    print(
        "| request | longarm req/s | p99 | errors | one request alone "
        "| Datasette req/s | p99 | errors | one request alone |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (what, _, _), a, b in zip(PAIRS, mine, other, strict=True):
        print(f"| {what} | {_cells(a)} | {_cells(b)} |")
    failed = [what for (what, _, _), a, b in zip(PAIRS, mine, other, strict=True)
              if a["errors"] or not a["requests"] or a["p99_ms"] >= 50 or a["rps"] < b["rps"]]  # fmt: skip
    print(
        "targets (p99 < 50 ms, no errors, throughput >= Datasette's): " + ("met" if not failed else f"missed: {failed}")
    )


if __name__ == "__main__":
    main()
