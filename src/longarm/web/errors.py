"""How `longarm serve` answers what went wrong: each typed error has its HTTP status.

A ``ReviewNotFound`` is 404, a ``ReviewConflict`` 409, any other ``ReviewError`` 422, a
``PageNotFound`` 404, a malformed parameter 422 naming it; anything else is a logged 500
that shows no traceback. Under ``/api`` the answer is JSON, elsewhere an error page.
"""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from longarm.ledger.errors import EditionNotFound, ReviewConflict, ReviewError, ReviewNotFound
from longarm.publish.site import PageNotFound
from longarm.web.live import LiveData
from longarm.web.middleware import plain_page
from longarm.web.state import error_page, log


def install(api: FastAPI, live: LiveData) -> None:
    """Map what routes raise to HTTP statuses: JSON under /api, an error page elsewhere."""

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "No such page.", 405: "This address does not take that method."}.get(
            exc.status_code, str(exc.detail)
        )
        if request.url.path.startswith("/api"):
            return Response(json.dumps({"error": message}), exc.status_code, media_type="application/json")
        return error_page(live, exc.status_code, f"{exc.status_code}", message)

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
        return error_page(live, 422, "422", f"Malformed request: {text}")

    @api.exception_handler(ReviewError)
    async def refused(request: Request, exc: ReviewError) -> Response:
        status = 404 if isinstance(exc, ReviewNotFound) else 409 if isinstance(exc, ReviewConflict) else 422
        if request.url.path.startswith("/api"):
            return Response(json.dumps({"error": str(exc)}, ensure_ascii=False), status, media_type="application/json")
        return error_page(live, status, {404: "Not found", 409: "Cannot do that now"}.get(status, "Refused"), str(exc))

    @api.exception_handler(EditionNotFound)
    async def no_edition(request: Request, exc: EditionNotFound) -> Response:
        if request.url.path.startswith("/api"):
            return Response(json.dumps({"error": str(exc)}, ensure_ascii=False), 404, media_type="application/json")
        return error_page(live, 404, "404", str(exc))

    @api.exception_handler(PageNotFound)
    async def no_page(request: Request, exc: PageNotFound) -> Response:
        if request.url.path.startswith("/api"):
            return Response('{"error": "no such page"}', 404, media_type="application/json")
        return error_page(live, 404, "404", "No such page.")

    @api.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        if request.url.path.startswith("/api"):
            return Response('{"error": "internal error"}', 500, media_type="application/json")
        return HTMLResponse(plain_page(500, "Something went wrong on the server; it has been logged."), 500)
