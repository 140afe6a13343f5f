"""The review queue at the scale of a crawl: importing `longarm scan`'s candidates, and the queue page
under 20 concurrent reviewers.

    make bench-review            # or: python -m benchmarks.bench_review --documents 100000 --seconds 10

1. Generates (under /tmp, reused while its spec is the same; never committed) a JSONL crawl of
   ``--documents`` news articles: filler from benchmarks/scan_corpus.py (with its everyday station
   words that pass the pre-filter), 1% of them carrying an original station claim (a jurisdiction of
   the gazetteer, a city of the dataset's gazetteer, a month, in English or Chinese, from a few
   sentence patterns) and as many again reprints of those articles (another host, a later date, a
   wire prefix and a changed last line): 2,000 candidate documents in 100,000, half of them reprints.
2. Runs the real `longarm scan` over it (timed, for context) and then `longarm review import` of its
   output into a fresh review database: the number to keep under a minute. Reports how many
   candidates were added and how many joined a group of near-identical ones.
3. Starts `longarm serve --workers 2` on that database, logs a reviewer in, and sends the queue page
   (pending, and filtered to new claims sorted by date) from 20 concurrent connections (wrk, on
   127.0.0.1, with the reviewer's session cookie), reporting requests/s and p99 latency: the number
   to keep under 100 ms.

Not a timed test: numbers depend on the machine (2 shared cores here).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_serve import _ms, free_port, running
from benchmarks.scan_corpus import CorpusSpec, Writer
from longarm.geo import gazetteer
from longarm.ledger.store import build

CONNECTIONS = 20
CLAIM_SHARE = 0.01  # originals; as many reprints again
PASSWORD = "bench-review-password"
SPEC = CorpusSpec(claim_share=0.0)
EN_PATTERNS = (
    "The {j} Public Security Bureau opened an overseas police service station in {city} in {month} {year}, "
    "local media reported.",
    "According to the bureau, {j} police set up an overseas police service station in {city} in {month} {year}.",
    "In {month} {year} the {j} Public Security Bureau launched an overseas police service station in {city}.",
)
ZH_PATTERNS = (
    "{j}公安局于{year}年{m}月在{city}设立了海外警务服务站。",
    "据报道，{year}年{m}月，{j}公安局在{city}挂牌成立海外警务服务站。",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
WIRES = ("(Reuters) - ", "(AP) — ", "【转载】", "Reprinted from a wire service: ")


def _vocabulary(rng: random.Random) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(English, Chinese) jurisdiction names of the gazetteer and city names of the dataset's places."""
    names = gazetteer.names()
    jurisdictions = sorted(
        {
            (n.name, n.name_zh)
            for meanings in names.values()
            for n in meanings
            if n.kind == "jurisdiction" and n.level == "county" and n.name_zh.endswith(("市", "县"))
        }
    )
    cities: dict[str, tuple[str, str]] = {}
    for surface, meanings in names.items():
        for n in meanings:
            if n.kind == "city" and n.in_dataset and not surface.isascii():
                cities.setdefault(n.name, (n.name, surface))
    return rng.sample(jurisdictions, min(400, len(jurisdictions))), sorted(cities.values())


def _claim(rng: random.Random, jurisdictions: list[tuple[str, str]], cities: list[tuple[str, str]]) -> str:
    (j_en, j_zh), (c_en, c_zh) = rng.choice(jurisdictions), rng.choice(cities)
    year, month = rng.randint(2016, 2023), rng.randint(1, 12)
    if rng.random() < 0.3:
        return rng.choice(ZH_PATTERNS).format(j=j_zh, city=c_zh, year=year, m=month)
    return rng.choice(EN_PATTERNS).format(j=j_en, city=c_en, month=MONTHS[month - 1], year=year)


def write_crawl(path: Path, documents: int, seed: int = 15) -> dict[str, int]:
    rng = random.Random(seed)
    writer = Writer(seed, SPEC)
    jurisdictions, cities = _vocabulary(rng)
    originals: list[dict[str, Any]] = []
    reprint_at = set(rng.sample(range(documents), int(documents * CLAIM_SHARE)))
    original_at = set(rng.sample(sorted(set(range(documents)) - reprint_at), int(documents * CLAIM_SHARE)))
    counts = {"documents": 0, "originals": 0, "reprints": 0}
    with path.open("w", encoding="utf-8") as stream:
        for number in range(documents):
            _lang, _title, paragraphs, _claim_flag = writer.article()
            record: dict[str, Any] = {"id": f"doc-{number}", "url": f"https://news{number % 50}.example/{number}",
                                      "date": writer.date()}  # fmt: skip
            if number in original_at or (number in reprint_at and not originals):
                paragraphs = [*paragraphs[:2], _claim(rng, jurisdictions, cities), *paragraphs[2:]]
                record["text"] = writer.text(paragraphs)
                originals.append(record)
                counts["originals"] += 1
            elif number in reprint_at:
                source = rng.choice(originals)
                lines = source["text"].split("\n")
                lines[0] = rng.choice(WIRES) + lines[0]
                lines[-1] = "Copyright the original publisher. " + lines[-1][: len(lines[-1]) // 2]
                record["text"] = "\n".join(lines)
                record["date"] = max(record["date"], source["date"])
                counts["reprints"] += 1
            else:
                record["text"] = writer.text(paragraphs)
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["documents"] += 1
    return counts


def longarm(*args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        [sys.executable, "-m", "longarm", *args], input=stdin, capture_output=True, text=True, check=True
    ).stdout


def log_in(base: str) -> str:
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/login.html").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        response = client.post("/login", data={"csrf": csrf, "username": "bench", "password": PASSWORD})
        if response.status_code != 303:
            raise SystemExit(f"login failed: {response.status_code}")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def queue_load(url: str, cookie: str, seconds: int) -> dict[str, float]:
    """wrk from CONNECTIONS connections with the reviewer's session cookie (parsed as bench_serve does)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-H", f"Cookie: {cookie}",
         url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if found is None or p99 is None:
        raise SystemExit(f"wrk said: {out}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(found.group(1)), "p99_ms": _ms(p99.group(1)), "errors": int(non2xx.group(1)) if non2xx else 0}


def alone(url: str, cookie: str) -> tuple[float, float]:
    """Milliseconds of one request at a time: the first (the table rendered) and the median of the next 7."""
    times = []
    with httpx.Client(headers={"cookie": cookie}, timeout=60) as client:
        for _ in range(8):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times[0], sorted(times[1:])[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="Length of each measured wrk run.")
    parser.add_argument("--workers", type=int, default=2, help="Scan workers.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (make bench-review does it)")
    folder = Path("/tmp/longarm-bench-review")
    folder.mkdir(exist_ok=True)
    crawl = folder / f"crawl-{args.documents}.jsonl"
    spec = folder / f"crawl-{args.documents}.spec.json"
    version = json.dumps({"documents": args.documents, "claims": CLAIM_SHARE, "spec": str(SPEC), "v": 1})
    if not crawl.exists() or not spec.exists() or spec.read_text() != version:
        started = time.perf_counter()
        counts = write_crawl(crawl, args.documents)
        spec.write_text(version)
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s -> {crawl}")
    candidates = folder / "candidates.jsonl"
    for stale in folder.glob("candidates.jsonl*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    started = time.perf_counter()
    longarm("scan", str(crawl), "--out", str(candidates), "--workers", str(args.workers))
    scan_s = time.perf_counter() - started
    scanned = sum(1 for _ in candidates.open(encoding="utf-8"))
    print(f"longarm scan: {args.documents:,} documents -> {scanned:,} candidate documents in {scan_s:.1f} s")

    db = folder / "longarm.db"
    for old in folder.glob("longarm*.db*"):
        old.unlink()
    build(db)
    started = time.perf_counter()
    imported = json.loads(longarm("--db", str(db), "review", "import", str(candidates), "--json"))
    import_s = time.perf_counter() - started
    grouped = imported.get("grouped", 0)
    print(f"longarm review import: {import_s:.1f} s (target < 60 s) for {imported['documents']:,} documents, "
          f"{imported['candidates']:,} candidates, {grouped:,} joined a group of reprints")  # fmt: skip

    longarm("--db", str(db), "user", "add", "bench", "--role", "reviewer", "--password-stdin", stdin=PASSWORD + "\n")
    port = free_port()
    command = [sys.executable, "-m", "longarm", "--db", str(db), "serve", "--port", str(port), "--workers", "2"]
    base = f"http://127.0.0.1:{port}"
    pages = [
        ("queue, pending", "/review/index.html"),
        ("queue, new claims by date", "/review/index.html?known=new&sort=date"),
        ("queue, page 10", "/review/index.html?offset=450"),
    ]
    with running(command, f"{base}/api/meta"):
        cookie = log_in(base)
        with httpx.Client(headers={"cookie": cookie}, timeout=60) as client:
            first = client.get(base + pages[0][1])
            first.raise_for_status()
            shown = first.text.split('id="queue-count">', 1)[1].split("<", 1)[0]
        print(f"the queue says: {shown}")
        queue_load(base + pages[0][1], cookie, 2)  # workers and caches warm
        for label, path in pages:
            single = alone(base + path, cookie)
            result = queue_load(base + path, cookie, args.seconds)
            print(f"{label}: {result['rps']:,.0f} requests/s, p99 {result['p99_ms']:.1f} ms (target < 100 ms), "
                  f"{result['errors']:.0f} errors, {CONNECTIONS} connections; alone: first {single[0]:.1f} ms, "
                  f"then {single[1]:.1f} ms")  # fmt: skip
    with open("/proc/loadavg", encoding="ascii") as load:
        print(f"load average after the run: {load.read().split()[0]} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
