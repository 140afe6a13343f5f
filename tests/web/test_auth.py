"""Access: public reading, logged-in reviewing, argon2 hashes, cookie flags, CSRF, login rate limits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from longarm.web.app import ServeConfig
from longarm.web.auth import MAX_FAILURES
from tests.conftest import RunCli, cli_json
from tests.web.conftest import PASSWORD, Server, csrf_of, logged_in


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
