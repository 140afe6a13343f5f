"""Faults: `build`, `review import` and `serve` killed with SIGKILL at random points; nothing lost or left behind.

Each scenario runs a bounded number of times (RUNS) with kill delays drawn from
a seeded generator over the command's own duration, measured first: some kills
land before the command has done anything, some in the middle, some after.
After every kill the database is one of the two whole states (the old one or
the new one), SQLite finds no damage, and the next run of the same command
finishes and leaves no temporary file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.faults.serving import alive, children, cli_env, longarm_serve

RUNS = 5
RANDOM = random.Random(14)


def longarm(home: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "longarm", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(home))


def timed(home: Path, *args: str) -> float:
    start = time.monotonic()
    process = longarm(home, *args)
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return time.monotonic() - start


def kill_after(process: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL ``process`` after ``delay`` s unless it finished; whether it was killed."""
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
        return True


def sound(db: Path) -> None:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", db


def statement_ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return {row[0] for row in con.execute("SELECT id FROM statement")}


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f".{db.name}."))


def test_build_killed_at_random_points(bundled_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    kept = statement_ids(db)
    duration = timed(tmp_path, "--db", str(db), "build")
    killed = 0
    for _ in range(RUNS):
        before = db.read_bytes()
        process = longarm(tmp_path, "--db", str(db), "build")
        killed += kill_after(process, RANDOM.uniform(0.1, duration * 1.2))
        sound(db)
        assert db.read_bytes() == before or statement_ids(db) >= kept, "the old database or a whole new one"
    assert killed >= 2, "most runs were killed before they finished"
    timed(tmp_path, "--db", str(db), "build")
    assert leftovers(db) == [], "the next build removes what killed ones left"
    assert statement_ids(db) >= kept, "no statement lost"


def candidates_file(path: Path, documents: int) -> Path:
    records = [
        {"id": f"doc-{n}", "url": f"https://example.org/{n}", "title": f"Document {n}",
         "claims": [{"sentence": f"福州市公安局在米兰设立了第{n}个海外警务服务站。", "start": 0, "end": 20}]}
        for n in range(documents)
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def queue_state(app_db: Path) -> tuple[int, list[tuple[object, ...]]]:
    with sqlite3.connect(f"file:{app_db}?mode=ro", uri=True) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        candidates = int(con.execute("SELECT COUNT(*) FROM candidate").fetchone()[0])
        audit = con.execute("SELECT id, at, actor, action, detail FROM audit ORDER BY id").fetchall()
    return candidates, audit


def test_review_import_killed_at_random_points(bundled_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    app_db = tmp_path / "longarm.app.db"
    first = candidates_file(tmp_path / "first.jsonl", 50)
    timed(tmp_path, "--db", str(db), "review", "import", str(first))
    whole = queue_state(app_db)[0] + 2000  # the first file's candidates and every one of the big file's
    big = candidates_file(tmp_path / "big.jsonl", 2000)
    duration = timed(tmp_path, "--db", str(tmp_path / "probe.db"), "review", "import", str(big))
    killed = 0
    for _ in range(RUNS):
        count, audit = queue_state(app_db)
        process = longarm(tmp_path, "--db", str(db), "review", "import", str(big))
        killed += kill_after(process, RANDOM.uniform(0.05, duration * 1.2))
        after, audit_after = queue_state(app_db)
        assert audit_after[: len(audit)] == audit, "the audit log only grows"
        assert after in (count, whole), f"all of an import or none of it: {count} -> {after}"
    assert killed >= 2, "most runs were killed before they finished"
    timed(tmp_path, "--db", str(db), "review", "import", str(big))
    final, _ = queue_state(app_db)
    assert final == whole, "every candidate once, none lost"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(("-journal", ".tmp"))]


@pytest.mark.parametrize("run", range(3))
def test_serve_killed_at_random_points(bundled_db: Path, tmp_path: Path, run: int) -> None:
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    subprocess.run([sys.executable, "-m", "longarm", "--db", str(db), "user", "add", "ada", "--role", "admin",
                    "--password-stdin"], input="correct horse battery\n", text=True, env=cli_env(tmp_path),
                   check=True, capture_output=True)  # fmt: skip
    with longarm_serve(db, "--workers", "2") as (master, url):
        _before, audit = queue_state(tmp_path / "longarm.app.db")
        workers = children(master.pid)
        with httpx.Client(base_url=url, timeout=10) as client:
            for _ in range(RANDOM.randint(0, 20)):
                assert client.get("/api/stations", params={"limit": 5}).status_code == 200
            page = client.get("/login.html")
            token = page.text.split('name="csrf" value="')[1].split('"')[0]
            client.post("/login", data={"csrf": token, "username": "ada", "password": "wrong password"})
        time.sleep(RANDOM.uniform(0, 0.5))
        os.kill(master.pid, signal.SIGKILL)
        master.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers), "no process of the server is left"
        _after, audit_after = queue_state(tmp_path / "longarm.app.db")
        assert audit_after[: len(audit)] == audit
        port = int(url.rsplit(":", 1)[1])
    with longarm_serve(db, "--workers", "2", port=port) as (_again, url_again):
        assert httpx.get(url_again + "/api/meta", timeout=10).status_code == 200
