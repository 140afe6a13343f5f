"""Logging in and out of the review queue: CSRF-checked forms, HttpOnly session cookies, throttled failures."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from longarm.web import auth
from longarm.web.state import error_page, html, web

SESSION_COOKIE = "longarm_session"
LOGIN_CSRF_COOKIE = "longarm_login_csrf"

router = APIRouter(include_in_schema=False)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    secure = web(request).config.secure_cookies
    response.set_cookie(name, value, max_age=max_age, httponly=True, secure=secure, samesite="strict", path="/")


def user_of(request: Request) -> tuple[auth.User | None, str]:
    """The logged-in user of a request and their CSRF token ("" when nobody is logged in)."""
    db = web(request).db
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
    site = web(request).live.snapshot().site
    body = site.page("login.html", "login.html", "Log in", csrf=token, error=error, username=username,
                     next=next_page)  # fmt: skip
    response = html(body, status)
    response.headers["cache-control"] = "no-store"
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/login.html")
async def login_form(request: Request) -> Response:
    return login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    state = web(request)
    form = await request.form()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not same_origin(request) or not auth.same_token(str(form.get("csrf", "")), expected):
        return error_page(state.live, 403, "403", "The form had expired or came from elsewhere; reload and try again.")
    name, password = str(form.get("username", ""))[:100], str(form.get("password", ""))
    # The connection's peer, or what a proxy named in `serve --forwarded-allow-ips` says it is.
    client = request.client.host if request.client else "unknown"
    try:
        _user, token = await auth.login(state.db, name, password, client)
    except auth.Throttled as exc:
        response = login_page(request, f"Too many failed logins; try again in {exc.wait} s.", name, 429)
        response.headers["retry-after"] = str(exc.wait)
        return response
    except auth.AuthError as exc:
        return login_page(request, str(exc), name, 401)
    target = str(form.get("next", ""))
    target = (
        target if target.startswith("review/") and ".." not in target and "//" not in target else "review/index.html"
    )
    response = RedirectResponse(f"/{target}", 303)
    set_cookie(request, response, SESSION_COOKIE, token, auth.SESSION_SECONDS)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    user, csrf = user_of(request)
    if user is not None and auth.same_token(str(form.get("csrf", "")), csrf):
        auth.logout(web(request).db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/index.html", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
