"""What every route of `longarm serve` reads: the live data, the review database and the config.

One ``WebState`` per app, on ``app.state.web``; routes are plain functions in modules by area
(pages, login, review, api) that get it from the request, so no route is a closure.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse

from longarm.ledger.reviewdb import AppDB
from longarm.web.live import LiveData
from longarm.web.middleware import plain_page

log = logging.getLogger("longarm.web")

CACHEABLE = {"x-longarm-cacheable": "1"}
CONFIG_ENV = "LONGARM_SERVE_CONFIG"


@dataclass(frozen=True)
class ServeConfig:
    db: str
    app_db: str
    include_sensitive: bool = False
    archive_dir: str | None = None
    secure_cookies: bool = True
    max_upload: int = 10 * 2**20
    cache_entries: int = 4096

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeConfig:
        return cls(**json.loads(os.environ[CONFIG_ENV]))


@dataclass(frozen=True)
class WebState:
    live: LiveData
    db: AppDB
    config: ServeConfig


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def html(body: str, status: int = 200, cacheable: bool = False) -> HTMLResponse:
    return HTMLResponse(body, status, headers=CACHEABLE if cacheable else None)


def error_page(live: LiveData, status: int, title: str, message: str) -> HTMLResponse:
    try:
        site = live.snapshot().site
        body = site.page("error.html", "error.html", title, root="/", message=message)
    except Exception:  # the error page must never fail itself
        log.exception("error page failed")
        body = plain_page(status, message)
    return html(body, status)
