"""`longarm serve` as a process: its workers die with it, a busy port is named, proxies are believed only when named."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from longarm.web.auth import MAX_PER_ADDRESS
from tests.faults.serving import alive, children, cli_env, longarm_serve
from tests.web.conftest import PASSWORD, csrf_of


@pytest.fixture
def served_db(bundled_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    return db


def test_kill_9_of_the_master_stops_every_worker(served_db: Path) -> None:
    with longarm_serve(served_db, "--workers", "2") as (master, url):
        workers = [pid for pid in children(master.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert len(workers) == 2, "two workers serve"
        os.kill(master.pid, signal.SIGKILL)
        master.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers), "no worker outlives its master"
        with pytest.raises(httpx.TransportError):
            httpx.get(url + "/api/meta", timeout=2)
        port = int(url.rsplit(":", 1)[1])
    # and the port is free again: a new server starts on it
    with longarm_serve(served_db, "--workers", "2", port=port) as (_again, url_again):
        assert httpx.get(url_again + "/api/meta", timeout=5).status_code == 200


def test_a_busy_port_is_named_before_serving_is_announced(served_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "longarm", "--db", str(served_db), "serve", "--port", str(port)],
            capture_output=True, text=True, env=cli_env(served_db.parent), timeout=60,
        )  # fmt: skip
    assert result.returncode == 2
    assert "serving" not in result.stdout
    assert result.stderr.strip() == (
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use); is another server running there? "
        "Try --port"
    )


def add_user(db: Path, name: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "longarm", "--db", str(db), "user", "add", name, "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=cli_env(db.parent), check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def log_in_as(url: str, name: str, password: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=url, timeout=30) as client:
        token = csrf_of(client.get("/login.html").text)
        response = client.post(
            "/login",
            data={"csrf": token, "username": name, "password": password},
            headers={"x-forwarded-for": forwarded_for},
        )
        return response.status_code


def audit_logins(db: Path) -> list[str]:
    with sqlite3.connect(db.with_suffix(".app.db")) as con:
        return [row[0] for row in con.execute("SELECT detail FROM audit WHERE action = 'login' ORDER BY id")]


def test_forwarded_for_is_believed_only_from_a_named_proxy(served_db: Path) -> None:
    add_user(served_db, "alice")
    with longarm_serve(served_db, "--workers", "1") as (_server, url):
        assert log_in_as(url, "alice", PASSWORD, "198.51.100.7") == 303
        # many names, each "from" a new address: the peer is 127.0.0.1 every time, so its cap applies
        statuses = [log_in_as(url, f"user{n}", "wrong password", f"203.0.113.{n}") for n in range(MAX_PER_ADDRESS + 1)]
        assert statuses[-1] == 429, "X-Forwarded-For from an unnamed peer does not dodge the per-address cap"
    with longarm_serve(served_db, "--workers", "1", "--forwarded-allow-ips", "127.0.0.1") as (_server, url):
        assert log_in_as(url, "alice", PASSWORD, "198.51.100.9") == 303
    assert audit_logins(served_db) == ["from 127.0.0.1", "from 198.51.100.9"], (
        "the spoofed address is never recorded; behind a named proxy the client's is"
    )
