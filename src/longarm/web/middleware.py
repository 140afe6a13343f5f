"""The ASGI layers around the app: security headers, HEAD as GET, a request-body limit, the response cache."""

from __future__ import annotations

import json
from collections import OrderedDict
from html import escape
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longarm.web.live import LiveData

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


def plain_page(status: int, message: str) -> str:
    """A page that needs no template: what answers when rendering itself is what failed."""
    return f"<!doctype html><meta charset='utf-8'><title>{status}</title><h1>{status}</h1><p>{escape(message)}</p>"


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


class HeadAsGet:
    """Answer HEAD on every GET route as GET would, without the body (FastAPI's routes take only GET;
    monitoring tools and link checkers send HEAD). The headers, Content-Length included, are GET's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


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
    body = json.dumps({"error": text}).encode() if wants_json else plain_page(413, text).encode()
    kind = b"application/json" if wants_json else b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


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
