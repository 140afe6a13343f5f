"""The web app: the published site's pages rendered live, the JSON API, search, country check, review.

This module assembles it; the routes live in modules by area (``pages``, ``login``,
``review``, ``api``), the ASGI layers in ``middleware``, the error mapping in ``errors``.

One rendering path: every page, the live-only ones included, is rendered by
``longarm.publish.site.Site`` from the same templates `longarm publish` uses
(the site knows it is live and then adds the search box, the country check,
the review links and links to each cited source's original and archived copy).
Page URLs are the static site's paths, so its relative links work unchanged.

Public pages and API answers are the same for every reader (nothing about the
logged-in user is on them), so they are cached in memory as finished bytes,
keyed by the data version (``LiveData.key``) and the request's path and query;
a review decision or a rebuild changes the version and so every key. The
cache answers before FastAPI routes anything, which is what lets two workers
on two cores serve a hundred concurrent readers in a few milliseconds each.

Untrusted text (quotes, pasted text, imported files, query parameters) only
ever reaches a page through Jinja's autoescaping or ``markupsafe.escape``; SQL
only through bound parameters. Every response carries a Content-Security-Policy
that allows scripts and styles from this server only; archived captures get
the archive's stricter ``default-src 'none'``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.types import ASGIApp

from longarm import __version__
from longarm.ledger.reviewdb import AppDB
from longarm.web import apidocs, errors, login, pages, review
from longarm.web.api import router as api_router
from longarm.web.live import LiveData
from longarm.web.middleware import BodyLimit, HeadAsGet, ResponseCache, SecurityHeaders
from longarm.web.state import CONFIG_ENV, ServeConfig, WebState

__all__ = ["CONFIG_ENV", "ServeConfig", "app_from_env", "create_app"]


def create_app(config: ServeConfig) -> ASGIApp:
    app_db = AppDB(Path(config.app_db))
    archive_dir = Path(config.archive_dir) if config.archive_dir else None
    live = LiveData(Path(config.db), app_db, config.include_sensitive, archive_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Render data and search index ready before the first request, on the event loop's thread:
        # the store's SQLite connection belongs to the thread that opened it, and every handler runs there.
        live.snapshot()
        yield

    api = FastAPI(
        lifespan=lifespan,
        title="longarm",
        version=__version__,
        description="Evidence on overseas police service stations: every fact a statement with a source and a quote.",
        docs_url=None,  # served by apidocs: Swagger UI from this server, under the CSP
        redoc_url=None,
        openapi_url=apidocs.OPENAPI_PATH,
    )
    api.state.app_db = app_db
    api.state.web = WebState(live, app_db, config)
    api.include_router(api_router(live.public))
    api.include_router(apidocs.router)
    for routes in (pages.router, login.router, review.router, pages.site_router):  # the site's catch-all last
        api.include_router(routes)
    errors.install(api, live)
    return SecurityHeaders(HeadAsGet(BodyLimit(ResponseCache(api, live, config.cache_entries), config.max_upload)))


def app_from_env() -> ASGIApp:
    """The factory uvicorn's workers call (`longarm serve --workers N`); the config comes in the environment."""
    return create_app(ServeConfig.from_env())
