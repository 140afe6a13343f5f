"""HEAD answers like GET on every GET route (monitoring tools and link checkers send it), with no body."""

from __future__ import annotations

from tests.web.conftest import Server, logged_in


def get_paths(server: Server) -> list[str]:
    """Every GET path of the API (from its own OpenAPI document, ids filled in) and of the site."""
    with server.client() as client:
        spec = client.get("/api/openapi.json").json()
        station = client.get("/api/stations", params={"limit": 1}).json()["items"][0]["id"]
    fill = {"{station_id}": station, "{entity_id}": station, "{code}": "IT", "{country}": "IT"}
    paths = []
    for path, operations in spec["paths"].items():
        if "get" in operations:
            for name, value in fill.items():
                path = path.replace(name, value)
            if "{" not in path:
                paths.append(path)
    return [*paths, "/", "/index.html", f"/station/{station}.html", "/check.html?country=IT", "/search.html?q=Milan",
            "/login.html", "/assets/site.css", "/api/openapi.json", "/api/docs", "/no-such-page.html"]  # fmt: skip


def test_head_is_get_without_the_body(server: Server) -> None:
    paths = get_paths(server)
    assert len(paths) > 20
    with server.client() as client:
        for path in paths:
            get = client.get(path)
            head = client.head(path)
            assert head.status_code == get.status_code != 405, f"HEAD {path}: {head.status_code}"
            assert head.content == b"", path
            assert head.headers.get("content-type") == get.headers.get("content-type"), path
            if "content-length" in get.headers:
                assert head.headers["content-length"] == get.headers["content-length"], path


def test_head_on_pages_behind_a_login(server: Server) -> None:
    with server.client() as anonymous:
        assert anonymous.head("/review/index.html").status_code == 303
    client, _ = logged_in(server, "rita")
    assert client.head("/review/index.html").status_code == 200
    assert client.head("/review/audit.html").status_code == 200
    assert client.post("/review/index.html").status_code == 405, "other methods are still refused"
    client.close()
