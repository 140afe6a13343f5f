"""The site's pages, live: every page `longarm publish` writes, plus the country check, search and captures."""

from __future__ import annotations

import json
import mimetypes
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from longarm.ledger.editions import WORKING
from longarm.publish.assets import site_assets
from longarm.publish.site import PageNotFound
from longarm.web import search
from longarm.web.login import user_of
from longarm.web.state import CACHEABLE, error_page, html, web

CountryParam = Annotated[str | None, Query(max_length=2, pattern=r"^([A-Za-z]{2})?$")]
PlaceParam = Annotated[str | None, Query(max_length=100, pattern=r"^([a-z0-9][a-z0-9-]*)?$")]

router = APIRouter(include_in_schema=False)
# The catch-all of every other path of the site; included after every other router.
site_router = APIRouter(include_in_schema=False)


def site_page(request: Request, path: str) -> Response:
    live = web(request).live
    edition = request.query_params.get("edition")
    if path.endswith(".json"):  # a page's data, as `longarm publish` writes it beside the page
        try:
            data = live.public(edition).site.data(path.removesuffix(".json") + ".html")
        except PageNotFound:
            return error_page(live, 404, "404", "No such page.")
        body = json.dumps(data, ensure_ascii=False, default=str)
        return Response(body, media_type="application/json", headers=CACHEABLE)
    try:
        if edition == WORKING:  # accepted, not released: for reviewers only, and never cached
            user, _ = user_of(request)
            if user is not None and user.can_review:
                response = html(live.snapshot(WORKING).site.render(path))
                response.headers["cache-control"] = "no-store"
                return response
        return html(live.public(edition).site.render(path), cacheable=True)
    except PageNotFound:
        return error_page(live, 404, "404", "No such page.")


@router.get("/")
async def home(request: Request) -> Response:
    return site_page(request, "index.html")


@router.get("/assets/{name:path}")
async def asset(request: Request, name: str) -> Response:
    data = site_assets().get(f"assets/{name}")
    if data is None:
        return error_page(web(request).live, 404, "404", "No such file.")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {**CACHEABLE, "cache-control": "public, max-age=3600"}
    return Response(data, media_type=kind, headers=headers)


@router.get("/check.html")
async def check(request: Request, country: CountryParam = None, place: PlaceParam = None) -> Response:
    live = web(request).live
    site = live.snapshot().site
    code = country.upper() if country else None
    if place and not code:
        code = site.catalog.places.get(place, {}).get("country")
    try:
        return html(site.check_page(code, place or None), cacheable=True)
    except PageNotFound:
        return error_page(live, 404, "404", "No country check for this country or city.")


@router.get("/search.html")
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    state = web(request)
    snap = state.live.public(request.query_params.get("edition"))
    hits: list[search.Hit] = []
    total = 0
    if q.strip():
        search.ensure_index(state.db, snap.site, snap.key)  # built for an edition when it is first searched
        hits, total = search.search(state.db, snap.catalog.edition["id"], q, 50, offset)
    return html(snap.site.search_page(q, hits, total, offset, 50), cacheable=True)


@router.get("/capture/{capture_id}.html")
async def capture(request: Request, capture_id: str) -> Response:
    from longarm.archive import capture_page
    from longarm.archive.render import CONTENT_SECURITY_POLICY as CAPTURE_POLICY
    from longarm.archive.warc import WarcError

    live = web(request).live
    snap = live.snapshot()
    try:
        page = capture_page(snap.store, capture_id, live.archive_dir, live.include_sensitive)
    except KeyError:
        return error_page(live, 404, "404", "No such capture.")
    except WarcError:
        return error_page(
            live, 404, "404", "The stored copy of this capture is missing or damaged (see `longarm verify`)."
        )
    return HTMLResponse(page, headers={**CACHEABLE, "content-security-policy": CAPTURE_POLICY})


@site_router.get("/{path:path}")
async def page(request: Request, path: str) -> Response:
    if path == "api" or path.startswith("api/"):
        return Response('{"error": "no such API endpoint; see /api/docs"}', 404, media_type="application/json")
    return site_page(request, path)
