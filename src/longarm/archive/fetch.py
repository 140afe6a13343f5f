"""Fetch one page over HTTP the way an archivist would, keeping every hop.

Redirects are followed by hand rather than by the client so that each hop's
request and response can be written to the WARC: where a taken-down page now
redirects to a portal's front page, the redirect itself is the evidence.
Bodies are kept as the server sent them (content encoding intact) so the WARC
holds the original bytes; only the chunked transfer framing is gone, because
the HTTP client removes it (the header is renamed to say so).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from longarm import __version__
from longarm.model.urls import WEB_SCHEMES

# A placeholder until the project has a public home; site owners read this to learn who is fetching.
PROJECT_URL = "https://longarm.example/crawler"
USER_AGENT = f"longarm/{__version__} (+{PROJECT_URL}; evidence archiving of cited public pages)"

# Only encodings warcio can undo when the capture is read back for its text.
ACCEPT_ENCODING = "gzip, deflate"

# The client removed the chunked framing; a reader must not try to undo it again.
DECHUNKED_HEADER = "X-Longarm-Orig-Transfer-Encoding"


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one capture may take; a slow or huge page fails alone."""

    connect_timeout: float = 15.0
    read_timeout: float = 30.0
    total_timeout: float = 180.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 10


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response to it, as they went over the wire."""

    url: str
    request_line: str
    request_headers: list[tuple[str, str]]
    http_version: str
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    started_at: datetime
    server_ip: str | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == wanted), None)


@dataclass
class Fetched:
    """Every hop from the URL asked for to the page finally served (the last exchange)."""

    requested_url: str
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def final(self) -> Exchange:
        return self.exchanges[-1]

    def redirect_chain(self) -> list[dict[str, object]]:
        return [{"url": ex.url, "status": ex.status, "location": ex.header("location")} for ex in self.exchanges]


class FetchError(Exception):
    """No response worth keeping (timeout, too large, refused, redirect loop); the message is the reason."""


def new_client(limits: FetchLimits) -> httpx.Client:
    timeout = httpx.Timeout(
        connect=limits.connect_timeout, read=limits.read_timeout, write=limits.read_timeout, pool=limits.connect_timeout
    )
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, "Accept": "*/*"}
    return httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, trust_env=False)


def fetch(url: str, limits: FetchLimits, client: httpx.Client | None = None) -> Fetched:
    """Fetch ``url``, following and recording redirects, within ``limits``; raise FetchError on failure."""
    own_client = client is None
    active = client or new_client(limits)
    fetched = Fetched(requested_url=url)
    deadline = time.monotonic() + limits.total_timeout
    try:
        request: httpx.Request | None = active.build_request("GET", url)
        visits: Counter[str] = Counter()
        while request is not None:
            if len(fetched.exchanges) > limits.max_redirects:
                raise FetchError(f"more than {limits.max_redirects} redirects")
            visits[str(request.url)] += 1
            # once back is allowed: some sites set a cookie and redirect to the same URL
            if visits[str(request.url)] > 2:
                raise FetchError(f"redirect loop at {request.url}")
            if request.url.scheme not in WEB_SCHEMES:
                raise FetchError(f"redirected to a non-web URL: {request.url}")
            exchange, request = _exchange(active, request, limits, deadline)
            fetched.exchanges.append(exchange)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out: {_timeout_kind(exc, limits)}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
    finally:
        if own_client:
            active.close()
    return fetched


def _exchange(
    client: httpx.Client, request: httpx.Request, limits: FetchLimits, deadline: float
) -> tuple[Exchange, httpx.Request | None]:
    started_at = datetime.now(UTC)
    response = client.send(request, stream=True)
    server_ip = _server_ip(response)  # before the body: the socket may be closed once it is read
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise FetchError(f"response of {int(declared)} bytes exceeds the size cap of {limits.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(f"response exceeds the size cap of {limits.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"took longer than {limits.total_timeout:g} s in total")
            chunks.append(chunk)
        next_request = response.next_request if response.is_redirect else None
        exchange = Exchange(
            url=str(request.url),
            request_line=f"{request.method} {request.url.raw_path.decode('ascii')} {response.http_version}",
            request_headers=_decode_headers(request.headers.raw),
            http_version=response.http_version,
            status=response.status_code,
            reason=response.reason_phrase or "",
            response_headers=_kept_response_headers(response.headers.raw),
            body=b"".join(chunks),
            started_at=started_at,
            server_ip=server_ip,
        )
    finally:
        response.close()
    return exchange, next_request


def _decode_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    # HTTP header bytes are Latin-1 by definition; this round-trips every byte.
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _kept_response_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    headers = []
    for name, value in _decode_headers(raw):
        if name.lower() == "transfer-encoding" and "chunked" in value.lower():
            headers.append((DECHUNKED_HEADER, value))
        else:
            headers.append((name, value))
    return headers


def _server_ip(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        address = stream.get_extra_info("server_addr")
    except OSError:
        return None
    return str(address[0]) if isinstance(address, tuple) and address else None


def _timeout_kind(exc: httpx.TimeoutException, limits: FetchLimits) -> str:
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"no connection within {limits.connect_timeout:g} s"
    return f"no data within {limits.read_timeout:g} s"
