"""A real `longarm serve` for the web tests: uvicorn on 127.0.0.1 at a free port, in a thread.

The server reads a copy of the bundled dataset and its own app database with
three users; every test talks to it over HTTP, as a browser or client would.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from benchmarks.bench_serve import free_port

from longarm.ledger.reviewdb import AppDB
from longarm.web import auth
from longarm.web.app import ServeConfig, create_app

PASSWORD = "correct horse battery"
MAX_UPLOAD = 2 * 2**20


@dataclass
class Server:
    url: str
    db: Path
    app_db: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)


@contextmanager
def serving(config: ServeConfig) -> Iterator[str]:
    """The app of `longarm serve` in a thread at a free port, for the block; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve(db: Path, app_db: Path, users: dict[str, str] | None = None, **options: Any) -> Iterator[Server]:
    """A server on ``db`` whose app database ``app_db`` has ``users`` (name -> role), for a fixture."""
    database = AppDB(app_db)
    for name, role in (users or {}).items():
        auth.add_user(database, name, role, PASSWORD)
    database.close()
    with serving(ServeConfig(db=str(db), app_db=str(app_db), secure_cookies=False, **options)) as url:
        yield Server(url, db, app_db)


@pytest.fixture(scope="session")
def server(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "longarm.db"
    shutil.copy(bundled_db, db)
    users = {"alice": "reviewer", "rita": "reader", "ada": "admin"}
    yield from serve(db, folder / "longarm.app.db", users, max_upload=MAX_UPLOAD)


def csrf_of(html: str) -> str:
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def logged_in(server: Server, name: str = "alice") -> tuple[httpx.Client, str]:
    """A client with a session for ``name`` and the CSRF token of its forms."""
    client = server.client()
    page = client.get("/login.html")
    response = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": name, "password": PASSWORD, "next": "review/index.html"}
    )
    assert response.status_code == 303, response.text
    queue = client.get("/review/index.html")
    assert queue.status_code == 200
    return client, csrf_of(queue.text)


@pytest.fixture(scope="module")
def isolated_server(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own, for tests that trip the login rate limit (it would lock every other test out)."""
    yield from serve(bundled_db, tmp_path_factory.mktemp("isolated") / "x.app.db", {"alice": "reviewer"})
