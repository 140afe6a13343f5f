"""`/api/docs`: the API's Swagger UI, served from this server so that it works offline and under the CSP.

FastAPI's own docs page loads Swagger UI from a CDN with an inline script; the app's
Content-Security-Policy (scripts from this server only) blocks both, and an offline
newsroom has no CDN. Here the page links Swagger UI's script and stylesheet from the
``fastapi-offline`` package (Swagger UI 5, Apache-2.0, shipped as package data) and starts
it from ``static/api-docs.js``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from longarm.web.state import CACHEABLE

DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/api/openapi.json"

_FILES = {
    "swagger-ui-bundle.js": (resources.files("fastapi_offline") / "static" / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (resources.files("fastapi_offline") / "static" / "swagger-ui.css", "text/css"),
    "api-docs.js": (resources.files("longarm.web") / "static" / "api-docs.js", "text/javascript"),
}

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>longarm API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{OPENAPI_PATH}"></div>
<script src="{DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="{DOCS_PATH}/api-docs.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH)
async def docs_page() -> HTMLResponse:
    return HTMLResponse(_PAGE, headers=CACHEABLE)


@router.get(DOCS_PATH + "/{name}")
async def docs_asset(name: str) -> Response:
    found = _FILES.get(name)
    if found is None:
        return Response(b'{"error":"no such file"}', 404, media_type="application/json")
    return Response(_read(name), media_type=f"{found[1]}; charset=utf-8", headers=CACHEABLE)


@cache
def _read(name: str) -> bytes:
    """A file's bytes, read once per process (Swagger UI's bundle is 1.5 MB)."""
    return _FILES[name][0].read_bytes()
