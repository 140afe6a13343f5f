"""Untrusted text is inert: XSS and SQL-injection payloads through every input come back escaped or refused.

Every query parameter of the API and the pages, every field of every form
(login, paste, upload, accept, same station, reject, reverse) and the content
of an imported file gets each payload. Pages must never contain a payload's
markup unescaped, no response may be a 500 or carry a traceback, and the
databases must be intact afterwards.
"""

from __future__ import annotations

import json
import re
import sqlite3

import httpx

from tests.web.conftest import Server, logged_in

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
    "{{ 7*7 }}{% raw %}",
]
SQL = [
    "' OR 1=1 --",
    '"; DROP TABLE statement; --',
    "%' UNION SELECT name, password_hash, 1, 1, 1 FROM user --",
    'NEAR("a" "b") OR * ^',
    "\\",
    "'",
]
PAYLOADS = XSS + SQL
MARKUP = ["<script>alert", "<img src=x", "<svg/onload", "</textarea><script>", "onerror=alert(1)>"]
ALLOWED = {200, 303, 401, 403, 404, 409, 422, 429}


def check(response: httpx.Response, where: str) -> None:
    assert response.status_code in ALLOWED, f"{where}: HTTP {response.status_code}"
    assert "Traceback" not in response.text and 'File "' not in response.text, where
    kind = response.headers.get("content-type", "")
    if "html" in kind:
        for marker in MARKUP:
            assert marker not in response.text, f"{where}: unescaped {marker!r}"
        assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", response.text, re.I), where
    elif response.status_code == 303:
        assert response.headers["location"].startswith("/"), f"{where}: a redirect off this site"
    else:
        assert kind.startswith(("application/json", "text/csv", "application/geo+json")), where
    assert response.headers.get("x-content-type-options") == "nosniff", where


def test_every_query_parameter(server: Server) -> None:
    gets = {
        "/api/stations": ["country", "jurisdiction", "precision", "status", "place", "limit", "offset"],
        "/api/stations.csv": ["jurisdiction", "place"],
        "/api/stations.geojson": ["jurisdiction"],
        "/api/statements": ["entity", "source", "kind", "prop", "origin"],
        "/api/events": ["country", "type", "jurisdiction", "station"],
        "/api/search": ["q", "limit"],
        "/api/countries/IT": ["place"],
        "/api/claims": ["offset"],
        "/search.html": ["q", "offset"],
        "/check.html": ["country", "place"],
        "/review/index.html": ["status", "offset"],
        "/login.html": ["next"],
    }
    with server.client() as client:
        for path, names in gets.items():
            for name in names:
                for payload in PAYLOADS:
                    check(client.get(path, params={name: payload}), f"{path}?{name}={payload}")
        for payload in PAYLOADS:
            for template in ("/api/stations/{}", "/api/sources/{}", "/api/jurisdictions/{}", "/api/countries/{}",
                             "/station/{}.html", "/source/{}.html", "/capture/{}.html", "/{}"):  # fmt: skip
                check(client.get(template.format(httpx.URL(payload).raw_path.decode())), f"{template} {payload}")
        sqlish = client.get("/api/stations", params={"jurisdiction": "' OR 1=1 --"}).json()
        assert sqlish["total"] == 0, "a SQL payload is a value, never SQL"
        search = client.get("/api/search", params={"q": "' OR 1=1 --"}).json()
        assert search["total"] == 0
        union = client.get("/api/search", params={"q": "%' UNION SELECT name, password_hash FROM user --"}).json()
        assert "argon2" not in json.dumps(union)


def test_the_login_form(isolated_server: Server) -> None:
    with isolated_server.client() as anonymous:
        for payload in PAYLOADS:
            page = anonymous.get("/login.html")
            token = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert token
            for field in ("username", "password", "next", "csrf"):
                data = {"csrf": token.group(1), "username": "nobody", "password": "wrong password", "next": ""}
                data[field] = payload
                check(anonymous.post("/login", data=data), f"login {field}")


def test_every_review_form_field(server: Server) -> None:
    client, csrf = logged_in(server, "ada")
    for payload in PAYLOADS:
        for field in ("text", "url", "title", "publisher", "date"):
            data = {"csrf": csrf, "text": f"福州市公安局在葡萄牙波尔图设立了海外警务服务站。{payload}"}
            data[field] = payload if field != "text" else data["text"]
            response = client.post("/review/paste", data=data)
            check(response, f"paste {field}")
    # an imported file whose sentences, spans, url and title carry the payloads
    records = [
        {"id": f"x{n}", "url": payload, "title": payload,
         "claims": [{"sentence": f"{payload} 福州市公安局在{payload}设立服务站", "start": 0, "end": 40,
                     "jurisdictions": [{"name": payload, "text": "福州市", "start": len(payload) + 1,
                                        "end": len(payload) + 4}],
                     "cities": [{"name": payload, "country": payload, "text": payload, "start": 0, "end": 999}]}]}
        for n, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    upload = "\n".join(json.dumps(r) for r in records).encode()
    check(client.post("/review/import", data={"csrf": csrf}, files={"file": ("x.jsonl", upload)}), "import")
    check(
        client.post("/review/import", data={"csrf": csrf}, files={"file": ("x.bin", b"\xff\xfe\x00binary")}), "binary"
    )
    queue = client.get("/review/index.html", params={"status": "all"})
    check(queue, "queue")
    candidates = sorted(set(re.findall(r"review/candidate/(cand-[0-9a-f]{16})\.html", queue.text)))
    assert len(candidates) >= len(PAYLOADS)
    for candidate in candidates:
        check(client.get(f"/review/candidate/{candidate}.html"), "candidate page")
    fields = ["jurisdiction", "country", "place", "locality", "opened", "quote", "station_id", "target", "reason"]
    target = candidates[0]
    for payload in PAYLOADS:
        for field in fields:
            for action in ("accept", "same"):
                data = {
                    "csrf": csrf,
                    "action": action,
                    "jurisdiction": "nantong",
                    "country": "NZ",
                    "quote": "福州市公安局",
                }
                data[field] = payload
                check(client.post(f"/review/candidate/{target}/decide", data=data), f"{action} {field}")
        check(client.post(f"/review/candidate/{target}/decide", data={"csrf": csrf, "action": payload}), "action")
    check(client.post(f"/review/candidate/{target}/decide", data={"csrf": csrf, "action": "reject", "reason": XSS[0]}),
          "reject")  # fmt: skip
    page = client.get(f"/review/candidate/{target}.html")
    check(page, "decided candidate")
    decision = re.search(r"review/decision/(\d+)/reverse", page.text)
    assert decision
    check(
        client.post(f"/review/decision/{decision.group(1)}/reverse", data={"csrf": csrf, "reason": XSS[1]}), "reverse"
    )
    check(client.post("/review/decision/' OR 1=1/reverse", data={"csrf": csrf}), "reverse id")
    check(client.get("/review/audit.html"), "audit log")
    for payload in PAYLOADS:
        check(client.get(f"/api/stations/{httpx.URL(payload).raw_path.decode()}"), "after forms")
    # the databases are intact
    con = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    assert con.execute("SELECT COUNT(*) FROM statement").fetchone()[0] > 2000
    app = sqlite3.connect(f"file:{server.app_db}?mode=ro", uri=True)
    assert {r[0] for r in app.execute("SELECT name FROM user")} >= {"alice", "rita", "ada"}
    # what reviewers typed is stored as typed and shown escaped wherever the site and the API show it
    stored = {r[0] for r in app.execute("SELECT entity_id FROM overlay_statement WHERE kind = 'station'")}
    with server.client() as reader:
        for station_id in stored:
            for path in (f"/station/{station_id}.html", f"/api/stations/{station_id}", "/stations.html",
                         "/search.html?q=script", "/check.html?country=PT"):  # fmt: skip
                check(reader.get(path), path)


def test_control_characters_in_a_search_query(server: Server) -> None:
    """A NUL byte once ended FTS5's query string mid-phrase: a 500, and the connection was reset."""
    with server.client() as client:
        for query in ("a\x00b", "\x00", "米兰\x00", "Milan\x00Italy", "\x1f\x7fPrato", "a\x00" * 100):
            for path in ("/api/search", "/search.html"):
                response = client.get(path, params={"q": query})
                check(response, f"{path}?q={query!r}")
                assert response.status_code in (200, 422), f"{path}?q={query!r}: HTTP {response.status_code}"
                assert response.headers.get("connection") != "close", "the connection stays open"
            after = client.get("/api/search", params={"q": "Milan"})
            assert after.status_code == 200 and after.json()["total"] > 0, "the same connection answers the next one"
        nul = client.get("/api/search", params={"q": "Milan\x00"}).json()
        assert nul["total"] == client.get("/api/search", params={"q": "Milan"}).json()["total"]


def test_ids_too_large_for_sqlite_are_not_found(server: Server) -> None:
    client, csrf = logged_in(server, "alice")
    for path in ("/review/decision/99999999999999999999/reverse", "/review/judgement/99999999999999999999/reverse",
                 f"/review/decision/{2**63}/reverse", "/review/decision/0/reverse"):  # fmt: skip
        response = client.post(path, data={"csrf": csrf, "reason": "x"})
        check(response, path)
        assert response.status_code == 404, f"{path}: HTTP {response.status_code}"
    client.close()
