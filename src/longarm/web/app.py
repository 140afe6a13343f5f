"""The web app: the published site's pages rendered live, the JSON API, search, country check, review.

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

import json
import logging
import mimetypes
import os
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longarm import __version__
from longarm.publish.assets import site_assets
from longarm.publish.site import PageNotFound
from longarm.web import auth, review, search
from longarm.web.api import CACHEABLE, router
from longarm.web.appdb import AppDB
from longarm.web.live import LiveData

log = logging.getLogger("longarm.web")

SESSION_COOKIE = "longarm_session"
LOGIN_CSRF_COOKIE = "longarm_login_csrf"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no referrer to other hosts; Origin kept for our forms
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
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


# --- ASGI layers ---------------------------------------------------------------------------------


class SecurityHeaders:
    """Headers every response carries; a response that set its own CSP (a capture) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, before anything parses it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(scope, send, self.limit)
            return
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                chunks.append(message)
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await _too_large(scope, send, self.limit)
                return
            chunks.append(message)
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    wants_json = scope["path"].startswith("/api")
    text = f"the request is larger than {limit // 2**20} MiB"
    body = json.dumps({"error": text}).encode() if wants_json else _plain_page(413, text).encode()
    kind = b"application/json" if wants_json else b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def _plain_page(status: int, message: str) -> str:
    from html import escape

    return f"<!doctype html><meta charset='utf-8'><title>{status}</title><h1>{status}</h1><p>{escape(message)}</p>"


class ResponseCache:
    """Finished public responses in memory, keyed by (data version, path, query); LRU-bounded."""

    def __init__(self, app: ASGIApp, live: LiveData, entries: int) -> None:
        self.app = app
        self.live = live
        self.entries = entries
        self.cache: OrderedDict[tuple[str, str, bytes], tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.version = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        version = self.live.key()
        if version != self.version:
            self.cache.clear()
            self.version = version
        key = (version, scope["path"], scope["query_string"])
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
            return
        state: dict[str, Any] = {"keep": False, "parts": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                kept = [(k, v) for k, v in headers if k.lower() != b"x-longarm-cacheable"]
                state["keep"] = len(kept) != len(headers) and message["status"] == 200
                state["status"], state["headers"] = message["status"], kept
                message["headers"] = kept
            elif message["type"] == "http.response.body" and state["keep"]:
                state["parts"].append(message.get("body", b""))
                if not message.get("more_body", False) and scope["method"] == "GET":
                    self.cache[key] = (state["status"], state["headers"], b"".join(state["parts"]))
                    if len(self.cache) > self.entries:
                        self.cache.popitem(last=False)
            await send(message)

        await self.app(scope, receive, capture)


# --- the app -------------------------------------------------------------------------------------


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
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    api.state.app_db = app_db
    api.state.live = live
    api.state.config = config
    api.include_router(router(live.snapshot))
    _pages(api, live, app_db, config)
    _errors(api, live)
    return SecurityHeaders(BodyLimit(ResponseCache(api, live, config.cache_entries), config.max_upload))


def app_from_env() -> ASGIApp:
    """The factory uvicorn's workers call (`longarm serve --workers N`); the config comes in the environment."""
    return create_app(ServeConfig.from_env())


def _html(body: str, status: int = 200, cacheable: bool = False) -> HTMLResponse:
    return HTMLResponse(body, status, headers=CACHEABLE if cacheable else None)


def _error_page(live: LiveData, status: int, title: str, message: str) -> HTMLResponse:
    try:
        site = live.snapshot().site
        body = site.page("error.html", "error.html", title, root="/", message=message)
    except Exception:  # the error page must never fail itself
        log.exception("error page failed")
        body = _plain_page(status, message)
    return _html(body, status)


def _errors(api: FastAPI, live: LiveData) -> None:
    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "No such page.", 405: "This address does not take that method."}.get(
            exc.status_code, str(exc.detail)
        )
        if request.url.path.startswith("/api"):
            return Response(json.dumps({"error": message}), exc.status_code, media_type="application/json")
        return _error_page(live, exc.status_code, f"{exc.status_code}", message)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
            problems.append({"field": field, "message": str(error.get("msg", "invalid"))})
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        if request.url.path.startswith("/api"):
            return Response(
                json.dumps({"error": text, "problems": problems}, ensure_ascii=False),
                422,
                media_type="application/json",
            )
        return _error_page(live, 422, "422", f"Malformed request: {text}")

    @api.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        if request.url.path.startswith("/api"):
            return Response('{"error": "internal error"}', 500, media_type="application/json")
        return HTMLResponse(_plain_page(500, "Something went wrong on the server; it has been logged."), 500)


# --- pages ---------------------------------------------------------------------------------------


CountryParam = Annotated[str | None, Query(max_length=2, pattern=r"^([A-Za-z]{2})?$")]
PlaceParam = Annotated[str | None, Query(max_length=100, pattern=r"^([a-z0-9][a-z0-9-]*)?$")]
Status = Annotated[str, Query(pattern="^(pending|accepted|rejected|same|all)$")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _pages(api: FastAPI, live: LiveData, db: AppDB, config: ServeConfig) -> None:
    def site_page(path: str) -> Response:
        try:
            return _html(live.snapshot().site.render(path), cacheable=True)
        except PageNotFound:
            return _error_page(live, 404, "404", "No such page.")

    @api.get("/", include_in_schema=False)
    async def home() -> Response:
        return site_page("index.html")

    @api.get("/assets/{name:path}", include_in_schema=False)
    async def asset(name: str) -> Response:
        data = site_assets().get(f"assets/{name}")
        if data is None:
            return _error_page(live, 404, "404", "No such file.")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = {**CACHEABLE, "cache-control": "public, max-age=3600"}
        return Response(data, media_type=kind, headers=headers)

    @api.get("/check.html", include_in_schema=False)
    async def check(country: CountryParam = None, place: PlaceParam = None) -> Response:
        site = live.snapshot().site
        code = country.upper() if country else None
        if place and not code:
            code = site.places.get(place, {}).get("country")
        try:
            return _html(site.check_page(code, place or None), cacheable=True)
        except PageNotFound:
            return _error_page(live, 404, "404", "No country check for this country or city.")

    @api.get("/search.html", include_in_schema=False)
    async def search_page(
        q: Annotated[str, Query(max_length=200)] = "",
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> Response:
        snap = live.snapshot()
        hits, total = search.search(db, q, 50, offset) if q.strip() else ([], 0)
        return _html(snap.site.search_page(q, hits, total, offset, 50), cacheable=True)

    @api.get("/capture/{capture_id}.html", include_in_schema=False)
    async def capture(capture_id: str) -> Response:
        from longarm.archive import capture_page
        from longarm.archive.render import CONTENT_SECURITY_POLICY as CAPTURE_POLICY
        from longarm.archive.warc import WarcError

        snap = live.snapshot()
        try:
            html = capture_page(snap.store, capture_id, live.archive_dir, live.include_sensitive)
        except KeyError:
            return _error_page(live, 404, "404", "No such capture.")
        except WarcError:
            return _error_page(
                live, 404, "404", "The stored copy of this capture is missing or damaged (see `longarm verify`)."
            )
        return HTMLResponse(html, headers={**CACHEABLE, "content-security-policy": CAPTURE_POLICY})

    # --- login ------------------------------------------------------------------------------

    def cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, secure=config.secure_cookies, samesite="strict", path="/"
        )

    def user_of(request: Request) -> tuple[auth.User | None, str]:
        token = request.cookies.get(SESSION_COOKIE, "")
        user = auth.session_user(db, token)
        return user, (auth.csrf_token(db, token) if user else "")

    def same_origin(request: Request) -> bool:
        origin = request.headers.get("origin") or request.headers.get("referer")
        if not origin or origin == "null":
            return origin is None
        return urlsplit(origin).netloc == request.headers.get("host", "")

    def login_page(request: Request, error: str = "", username: str = "", status: int = 200) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or auth.new_token()
        next_page = request.query_params.get("next", "")
        if not next_page.startswith("review/"):
            next_page = "review/index.html"
        site = live.snapshot().site
        body = site.page("login.html", "login.html", "Log in", csrf=token, error=error, username=username,
                         next=next_page)  # fmt: skip
        response = _html(body, status)
        response.headers["cache-control"] = "no-store"
        cookie(response, LOGIN_CSRF_COOKIE, token, 3600)
        return response

    @api.get("/login.html", include_in_schema=False)
    async def login_form(request: Request) -> Response:
        return login_page(request)

    @api.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
        if not same_origin(request) or not auth.same_token(str(form.get("csrf", "")), expected):
            return _error_page(live, 403, "403", "The form had expired or came from elsewhere; reload and try again.")
        name, password = str(form.get("username", ""))[:100], str(form.get("password", ""))
        client = request.client.host if request.client else "unknown"
        wait = auth.retry_after(db, client, name.strip())
        if wait:
            response = login_page(request, f"Too many failed logins; try again in {wait} s.", name, 429)
            response.headers["retry-after"] = str(wait)
            return response
        try:
            _user, token = auth.login(db, name, password, client)
        except auth.AuthError as exc:
            return login_page(request, str(exc), name, 401)
        target = str(form.get("next", ""))
        target = (
            target
            if target.startswith("review/") and ".." not in target and "//" not in target
            else "review/index.html"
        )
        response = RedirectResponse(f"/{target}", 303)
        cookie(response, SESSION_COOKIE, token, auth.SESSION_SECONDS)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
        return response

    @api.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = await request.form()
        user, csrf = user_of(request)
        if user is not None and auth.same_token(str(form.get("csrf", "")), csrf):
            auth.logout(db, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/index.html", 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # --- review -----------------------------------------------------------------------------

    def review_page(request: Request, template: str, path: str, title: str, http_status: int = 200,
                    **context: Any) -> Response:  # fmt: skip
        user, csrf = user_of(request)
        if user is None:
            return RedirectResponse(f"/login.html?next={path}", 303)
        site = live.snapshot().site
        notice = {"imported": "Candidates added.", "decided": "Decision recorded.", "reversed": "Decision reversed.",
                  "none": "The extractor found no claim sentence in this text."}  # fmt: skip
        context.setdefault("error", "")
        body = site.page(template, path, title, user=user, csrf=csrf,
                         notice=notice.get(request.query_params.get("done", ""), ""), **context)  # fmt: skip
        response = _html(body, http_status)
        response.headers["cache-control"] = "no-store"
        return response

    async def reviewer_form(request: Request) -> tuple[auth.User | None, dict[str, Any], Response | None]:
        """The posted form of a logged-in reviewer whose CSRF token matches; else the response to give."""
        user, csrf = user_of(request)
        if user is None:
            return None, {}, _error_page(live, 401, "401", "Log in to review.")
        form = await request.form(max_files=1, max_fields=40, max_part_size=config.max_upload)
        if not same_origin(request) or not auth.same_token(str(form.get("csrf", "")), csrf):
            return None, {}, _error_page(live, 403, "403", "The form had expired or came from elsewhere; reload it.")
        if not user.can_review:
            return None, {}, _error_page(live, 403, "403", "Your account may read the queue but not decide.")
        return user, dict(form), None

    @api.get("/review/", include_in_schema=False)
    async def review_root() -> Response:
        return RedirectResponse("/review/index.html", 303)

    @api.get("/review/index.html", include_in_schema=False)
    async def queue(
        request: Request,
        status: Status = "pending",
        offset: Offset = 0,
    ) -> Response:
        rows, total = review.candidates(db, None if status == "all" else status, 50, offset)
        return review_page(request, "review.html", "review/index.html", "Review queue", rows=rows, total=total,
                           status=status, offset=offset, limit=50)  # fmt: skip

    def queue_error(request: Request, message: str, status: int) -> Response:
        rows, total = review.candidates(db, "pending", 50, 0)
        return review_page(request, "review.html", "review/index.html", "Review queue", status, rows=rows,
                           total=total, offset=0, limit=50, error=message, status="pending")  # fmt: skip

    @api.post("/review/paste", include_in_schema=False)
    async def paste(request: Request) -> Response:
        user, form, refused = await reviewer_form(request)
        if refused or user is None:
            return refused or Response(status_code=403)
        try:
            result = review.add_pasted(
                db, str(form.get("text", "")), user.name, url=str(form.get("url") or "") or None,
                title=str(form.get("title") or "") or None, publisher=str(form.get("publisher") or "") or None,
                date=str(form.get("date") or "") or None,
            )  # fmt: skip
        except review.ReviewError as exc:
            return queue_error(request, str(exc), 422)
        done = "imported" if result.candidates or result.duplicates else "none"
        return RedirectResponse(f"/review/index.html?done={done}", 303)

    @api.post("/review/import", include_in_schema=False)
    async def upload(request: Request) -> Response:
        user, form, refused = await reviewer_form(request)
        if refused or user is None:
            return refused or Response(status_code=403)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return queue_error(request, "file: choose a file to import", 422)
        data = await upload.read()
        name = (upload.filename or "upload")[:200]
        try:
            review.import_candidates(db, data, name, user.name)
        except review.ReviewError as exc:
            return queue_error(request, f"file: {exc}", 422)
        return RedirectResponse("/review/index.html?done=imported", 303)

    def candidate_page(request: Request, candidate_id: str, error: str = "", status: int = 200,
                       form: dict[str, Any] | None = None) -> Response:  # fmt: skip
        item = review.candidate(db, candidate_id)
        if item is None:
            return _error_page(live, 404, "404", "No such candidate.")
        data = live.snapshot().review_data
        fields = review.proposal(item, data)
        if form:
            fields.update({k: str(form[k]) for k in fields if isinstance(form.get(k), str)})
        places = sorted(((pid, p["name"], p["country"]) for pid, p in data.places.items()), key=lambda p: (p[2], p[1]))
        return review_page(
            request, "candidate.html", f"review/candidate/{candidate_id}.html", "Candidate", status, candidate=item,
            fields=fields, jurisdictions=data.running(), places=places, suggestions=review.suggestions(fields, data),
            error=error,
        )  # fmt: skip

    @api.get("/review/candidate/{candidate_id}.html", include_in_schema=False)
    async def candidate(request: Request, candidate_id: str) -> Response:
        if not review.is_candidate_id(candidate_id):
            return _error_page(live, 404, "404", "No such candidate.")
        return candidate_page(request, candidate_id)

    @api.post("/review/candidate/{candidate_id}/decide", include_in_schema=False)
    async def decide(request: Request, candidate_id: str) -> Response:
        user, form, refused = await reviewer_form(request)
        if refused or user is None:
            return refused or Response(status_code=403)
        if not review.is_candidate_id(candidate_id) or review.candidate(db, candidate_id) is None:
            return _error_page(live, 404, "404", "No such candidate.")
        text = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            review.decide(db, live.snapshot().review_data, candidate_id, text.get("action", ""), text, user.name)
        except review.ReviewError as exc:
            return candidate_page(request, candidate_id, str(exc), 422, text)
        return RedirectResponse(f"/review/candidate/{candidate_id}.html?done=decided", 303)

    @api.post("/review/decision/{decision_id}/reverse", include_in_schema=False)
    async def reverse(request: Request, decision_id: int) -> Response:
        user, form, refused = await reviewer_form(request)
        if refused or user is None:
            return refused or Response(status_code=403)
        try:
            result = review.reverse(db, decision_id, user.name, str(form.get("reason") or "") or None)
        except review.ReviewError as exc:
            return _error_page(live, 404 if "no decision" in str(exc) else 409, "Cannot reverse", str(exc))
        return RedirectResponse(f"/review/candidate/{result['candidate']}.html?done=reversed", 303)

    @api.get("/review/audit.html", include_in_schema=False)
    async def audit(request: Request, offset: Offset = 0) -> Response:
        rows, total = review.audit_log(db, 200, offset)
        return review_page(request, "audit.html", "review/audit.html", "Audit log", rows=rows, total=total,
                           offset=offset, limit=200)  # fmt: skip

    # --- every other page of the site -------------------------------------------------------

    @api.get("/{path:path}", include_in_schema=False)
    async def page(path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            return Response('{"error": "no such API endpoint; see /api/docs"}', 404, media_type="application/json")
        return site_page(path)
