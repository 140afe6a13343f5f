"""A real `longarm serve` in a subprocess on 127.0.0.1, as a user starts it, for the process-level tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from benchmarks.bench_serve import free_port


def cli_env(home: Path) -> dict[str, str]:
    return dict(os.environ, XDG_DATA_HOME=str(home / "xdg"), COLUMNS="200", PYTHONIOENCODING="utf-8")


@contextmanager
def longarm_serve(db: Path, *options: str, port: int | None = None) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`longarm --db DB serve --port P OPTIONS`, answering at the yielded URL; stopped (and its children) after."""
    port = port or free_port()
    command = [sys.executable, "-m", "longarm", "--db", str(db), "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=cli_env(db.parent), start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    f"serve exited {process.returncode}: {process.stderr.read() if process.stderr else ''}"
                )
            try:
                if httpx.get(url + "/api/meta", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("serve did not answer within 60 s")
            time.sleep(0.2)
        yield process, url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the session this test started, workers included
        process.wait(timeout=10)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc, Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
