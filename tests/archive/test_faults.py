"""`archive --import` killed (kill -9) at random moments: the index and the manifest stay consistent, `verify`
passes right after the kill, and importing the same file again finishes the job and leaves nothing behind."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from longarm.archive.manifest import read_manifest
from longarm.ledger.store import build

PAGES = 400  # enough that an import takes over a second (their text is extracted)
ROUNDS = 6  # each a fresh archive, its import killed once at a random moment, then run again


def crawl(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(PAGES):
            body = (
                f"<html><head><title>Page {number}</title></head><body><article>"
                + f"<p>Paragraph {number}: the station opened in 2019 in the city centre.</p>" * 20
                + "</article></body></html>"
            ).encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.org/news/{number}.html",
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": "2022-10-01T10:00:00Z"},
                )
            )


def longarm(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "longarm", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def verified(db: Path, folder: Path, env: dict[str, str]) -> dict[str, object]:
    done = longarm("--db", str(db), "verify", "--archive-dir", str(folder), "--json", env=env)
    output, error = done.communicate(timeout=120)
    assert "Traceback" not in error and done.returncode in (0, 1), error
    report: dict[str, object] = json.loads(output)
    assert done.returncode == (0 if report["ok"] else 1)
    return report


def test_an_import_killed_at_random_moments(mini_data: Path, tmp_path: Path) -> None:
    seed = int(os.environ.get("LONGARM_FAULT_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    db = tmp_path / "db" / "longarm.db"
    build(db, mini_data)
    warc = tmp_path / "crawl.warc.gz"
    crawl(warc)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"))
    outcomes = []
    started = time.perf_counter()  # an import run to the end first: kill moments are drawn within its duration
    measured = longarm(
        "--db", str(db), "archive", "--import", str(warc), "--archive-dir", str(tmp_path / "whole"), env=env
    )
    measured.communicate(timeout=300)
    duration = time.perf_counter() - started
    assert measured.returncode == 0
    for round_number in range(ROUNDS):
        folder = tmp_path / f"archive-{round_number}"
        command = ["--db", str(db), "archive", "--import", str(warc), "--archive-dir", str(folder), "--json"]
        started = time.perf_counter()
        run = longarm(*command, env=env)
        try:
            run.communicate(timeout=rng.uniform(0.05, 1.0) * duration)
            outcomes.append("finished")
            duration = min(duration, time.perf_counter() - started)  # a machine less loaded than at first
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
            outcomes.append("killed")
        report = verified(db, folder, env)
        assert report["ok"], f"seed {seed}, round {round_number}: {report['problems']}"
        if outcomes[-1] == "killed":  # where the kill landed: before the copy, while pending, after the commit
            outcomes[-1] += "-pending" if report["pending_files"] else "-indexed" if report["captures"] else "-early"
        manifest = read_manifest(folder)
        assert not manifest.problems, f"seed {seed}: {manifest.problems}"
        # all of the file's pages are indexed or none (one transaction); the manifest holds no line
        # without its row (verify), and at most lacks the lines of the one import that was cut short
        assert report["captures"] in (0, PAGES), f"seed {seed}"
        assert len(manifest.entries) + len(report["not_yet_in_manifest"]) == report["captures"]  # type: ignore[arg-type]

        again = longarm(*command, env=env)
        _output, error = again.communicate(timeout=120)
        assert again.returncode == 0, f"seed {seed}: {error}"
        report = verified(db, folder, env)
        assert report["ok"] and report["captures"] == PAGES and report["manifest_entries"] == PAGES, f"seed {seed}"
        assert report["pending_files"] == [] and report["not_yet_in_manifest"] == []
        left = sorted(p.name for p in folder.rglob(".*") if p.name != ".manifest.lock")
        assert left == [], f"seed {seed}: left behind {left}"
    print(f"import faults (seed {seed}): {outcomes}")
    assert sum(o.startswith("killed") for o in outcomes) >= ROUNDS // 2, f"seed {seed}: {outcomes}"
