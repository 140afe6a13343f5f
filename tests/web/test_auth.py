"""Access: public reading, logged-in reviewing, argon2 hashes, cookie flags, CSRF, login rate limits."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from longarm.ledger.reviewdb import AppDB
from longarm.web import auth
from longarm.web.app import ServeConfig
from longarm.web.auth import MAX_FAILURES, MAX_PER_ADDRESS, NAME_DELAY
from tests.conftest import RunCli, cli_json
from tests.web.conftest import PASSWORD, Server, csrf_of, logged_in, serve


def test_user_add_stores_an_argon2_hash(tmp_path: Path, run_cli: RunCli, mini_data: Path) -> None:
    db = str(tmp_path / "u.db")
    run_cli("--db", db, "build", "--data", str(mini_data), check=True)
    import subprocess
    import sys

    def add(*args: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "longarm", "--db", db, "user", "add", *args, "--password-stdin", "--json"],
            input=password + "\n", capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    made = add("bob", "--role", "admin", password="a long password")
    assert made.returncode == 0, made.stderr
    assert '"role": "admin"' in made.stdout
    again = add("bob", password="a long password")
    assert again.returncode == 2 and "exists already" in again.stderr
    short = add("carol", password="short")
    assert short.returncode == 2 and "password" in short.stderr
    bad_name = add("<script>", password="a long password")
    assert bad_name.returncode == 2
    stored = sqlite3.connect(tmp_path / "u.app.db").execute("SELECT password_hash FROM user").fetchone()[0]
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    users = cli_json(run_cli, "--db", db, "user", "list")
    assert users == [{"name": "bob", "role": "admin", "created_at": users[0]["created_at"]}]
    elsewhere = run_cli("--db", db, "user", "list", "--app-db", str(tmp_path / "other.db"))
    assert elsewhere.returncode == 2, "the app database is always <db>.app.db, the one every command reads"


def test_reviewing_needs_a_login_and_reading_does_not(server: Server) -> None:
    with server.client() as client:
        assert client.get("/index.html").status_code == 200
        assert client.get("/api/stations").status_code == 200
        queue = client.get("/review/index.html")
        assert queue.status_code == 303 and queue.headers["location"].startswith("/login.html")
        assert client.post("/review/paste", data={"text": "x", "csrf": "x"}).status_code == 401
        assert client.post("/review/decision/1/reverse", data={"csrf": "x"}).status_code == 401


def test_session_cookie_flags_and_csrf(server: Server) -> None:
    client = server.client()
    page = client.get("/login.html")
    login_cookie = page.headers["set-cookie"]
    assert "httponly" in login_cookie.lower() and "samesite=strict" in login_cookie.lower()
    no_token = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert no_token.status_code == 403
    wrong_origin = client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": "alice", "password": PASSWORD},
        headers={"origin": "http://evil.example"},
    )
    assert wrong_origin.status_code == 403
    ok = client.post("/login", data={"csrf": csrf_of(page.text), "username": "alice", "password": PASSWORD})
    assert ok.status_code == 303
    session = ok.headers["set-cookie"].lower()
    assert "longarm_session=" in session and "httponly" in session and "samesite=strict" in session
    assert "secure" not in session, "this test server runs plain HTTP on loopback with secure cookies off"
    forged = client.post("/review/paste", data={"csrf": "forged", "text": "福州市公安局在葡萄牙设立服务站"})
    assert forged.status_code == 403
    client.close()
    user, csrf = logged_in(server, "ada")
    assert user.post("/logout", data={"csrf": csrf}).status_code == 303
    assert user.get("/review/index.html").status_code == 303, "the session ended"


def test_login_attempts_are_rate_limited(isolated_server: Server) -> None:
    with isolated_server.client() as client:
        token = csrf_of(client.get("/login.html").text)
        for _ in range(MAX_FAILURES):
            wrong = client.post("/login", data={"csrf": token, "username": "alice", "password": "wrong password"})
            assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
        limited = client.post("/login", data={"csrf": token, "username": "alice", "password": PASSWORD})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_cookies_are_secure_unless_serving_plain_http_on_loopback(isolated_server: Server) -> None:
    from starlette.testclient import TestClient

    from longarm.web.app import create_app

    config = ServeConfig(db=str(isolated_server.db), app_db=str(isolated_server.app_db), secure_cookies=True)
    with TestClient(create_app(config), base_url="https://longarm.example") as client:
        assert "secure" in client.get("/login.html").headers["set-cookie"].lower()


@pytest.fixture
def fresh_server(bundled_db: Path, tmp_path: Path) -> Iterator[Server]:
    """A server whose login counts start at zero, for one test."""
    yield from serve(bundled_db, tmp_path / "fresh.app.db", {"alice": "reviewer", "bob": "reviewer"})


def client_at(server: Server, address: str) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x.y.z is this machine's loopback)."""
    return httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def try_login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/login.html").text)
    return client.post("/login", data={"csrf": token, "username": name, "password": password})


def test_failures_elsewhere_never_lock_the_owner_out(fresh_server: Server) -> None:
    with client_at(fresh_server, "127.0.0.2") as attacker, client_at(fresh_server, "127.0.0.3") as owner:
        for _ in range(MAX_FAILURES + 3):
            try_login(attacker, "alice", "wrong password")
        assert try_login(attacker, "alice", PASSWORD).status_code == 429, "the guessing address is held back"
        answer = try_login(owner, "alice", PASSWORD)
        if answer.status_code == 429:  # at most a short pause after the name's last failed try
            wait = int(answer.headers["retry-after"])
            assert wait <= NAME_DELAY + 1
            time.sleep(wait)
            answer = try_login(owner, "alice", PASSWORD)
        assert answer.status_code == 303, "the right password from another address gets in"


def test_one_address_may_fail_only_so_often_whatever_the_names(fresh_server: Server) -> None:
    with client_at(fresh_server, "127.0.0.4") as prober, client_at(fresh_server, "127.0.0.5") as other:
        statuses = [try_login(prober, f"name{n}", "wrong password").status_code for n in range(MAX_PER_ADDRESS)]
        assert statuses == [401] * MAX_PER_ADDRESS
        assert try_login(prober, "bob", PASSWORD).status_code == 429, "the address's cap holds for every name"
        assert try_login(other, "bob", PASSWORD).status_code == 303, "another address is not affected"


def test_back_off_doubles_with_each_failure_and_a_success_clears_it(tmp_path: Path) -> None:
    db = AppDB(tmp_path / "x.app.db")
    now = time.time()

    def fail_at(at: float, client: str = "192.0.2.1", name: str = "alice", ok: int = 0) -> None:
        with db.transaction() as con:
            con.execute(
                "INSERT INTO login_attempt (at, client, username, ok) VALUES (?, ?, ?, ?)", (at, client, name, ok)
            )

    for _ in range(MAX_FAILURES):
        fail_at(now - 100)
    assert auth.retry_after(db, "192.0.2.1", "alice") == 0, f"{auth.BACKOFF_FIRST} s after the fifth failure"
    fail_at(now - 10)
    # whole seconds, rounded up, from a clock that has moved on a little since ``now``
    assert auth.retry_after(db, "192.0.2.1", "alice") in (2 * auth.BACKOFF_FIRST - 10, 2 * auth.BACKOFF_FIRST - 9)
    fail_at(now - 10)
    assert auth.retry_after(db, "192.0.2.1", "alice") in (4 * auth.BACKOFF_FIRST - 10, 4 * auth.BACKOFF_FIRST - 9)
    assert auth.retry_after(db, "192.0.2.2", "alice") == 0, "from elsewhere the name's last failure was 10 s ago"
    fail_at(now - 1, ok=1)
    assert auth.retry_after(db, "192.0.2.1", "alice") == 0, "a success clears the count"
    db.close()


def test_logins_do_not_hold_up_reads(fresh_server: Server) -> None:
    """argon2 runs off the event loop: a read sent while logins are being hashed is answered before most of them.
    (The logins use unknown names, which are verified against a stand-in hash as long as real ones.)"""
    finished: list[str] = []
    with client_at(fresh_server, "127.0.2.1") as first:  # the unknown-name hash exists from now on
        assert try_login(first, "nobody", "wrong").status_code == 401
    clients = [client_at(fresh_server, f"127.0.1.{n}") for n in range(12)]
    tokens = [csrf_of(client.get("/login.html").text) for client in clients]
    ready = threading.Barrier(len(clients) + 1)

    def login(n: int) -> None:
        ready.wait()
        clients[n].post("/login", data={"csrf": tokens[n], "username": f"nobody{n}", "password": "wrong"})
        finished.append(f"login {n}")

    logins = [threading.Thread(target=login, args=(n,)) for n in range(len(clients))]
    for thread in logins:
        thread.start()
    with fresh_server.client() as reader:
        reader.get("/api/meta")  # connected and warm
        ready.wait()
        time.sleep(0.2)  # the logins have reached the server (hashing one takes longer than this)
        assert reader.get("/api/meta").status_code == 200
        finished.append("read")
    for thread in logins:
        thread.join()
    for client in clients:
        client.close()
    # on the loop, each hash holds every request up: the read would come after most logins
    assert finished.index("read") < len(clients) // 2, f"the read waited for logins: {finished}"


def audit_rows(client: httpx.Client) -> list[tuple[str, str]]:
    """(who, what) of every row of the audit page the client sees."""
    import re

    page = client.get("/review/audit.html")
    assert page.status_code == 200
    return re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)</td><td>([a-z-]+)", page.text)


def test_a_reader_sees_the_work_in_the_audit_log_but_not_others_logins(server: Server) -> None:
    reviewer, csrf = logged_in(server, "alice")
    pasted = reviewer.post(
        "/review/paste", data={"csrf": csrf, "text": "福州市公安局在葡萄牙波尔图设立了海外警务服务站。"}
    )
    assert pasted.status_code == 303
    reader, _ = logged_in(server, "rita")
    seen = audit_rows(reader)
    assert any(who == "alice" and what != "login" for who, what in seen), f"alice's work is shown: {seen}"
    assert ("rita", "login") in seen, "a user sees their own logins"
    assert not [row for row in seen if row[1] == "login" and row[0] != "rita"], "nobody else's login row"
    admin, _ = logged_in(server, "ada")
    assert ("alice", "login") in audit_rows(admin), "an admin sees every login"
    for client in (reviewer, reader, admin):
        client.close()
