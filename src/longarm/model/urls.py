"""Which URLs longarm archives, and when two URLs name the same page.

Sources, captures made here and captures imported from elsewhere (a Wayback
Machine download, a browsertrix crawl) spell the same page differently:
``http://www.gov.cn/a?b=1&a=2#top`` and ``https://gov.cn/a?a=2&b=1`` are one
page for the purpose of citing it. ``url_key`` folds those differences the way
web archives do (a SURT-like key), and nothing more: the path keeps its case
and its trailing slash, because servers treat those as different pages.
"""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import parse_qsl, urlencode, urlsplit

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadUrl(ValueError):
    """Not an absolute http(s) URL; the message says why."""


def check_web_url(text: str) -> str:
    """Return ``text`` stripped if it is an absolute http(s) URL with a host, else raise BadUrl."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a non-numeric port raises here
    except ValueError as exc:
        raise BadUrl(f"'{text}' is not a URL ({exc})") from None
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise BadUrl(f"'{text}' is not an http(s) URL")
    if not parts.hostname:
        raise BadUrl(f"'{text}' has no host")
    return url


def url_key(url: str) -> str:
    """A key under which every spelling of the same page meets (scheme, www., port, fragment, query order)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is no number, an unclosed "[" (a damaged WARC header): its own key
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    # a host IDNA cannot encode is kept as written; it still compares equal to itself
    with suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    host = host.removeprefix("www.")
    scheme = parts.scheme.lower()
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{netloc}{path}" + (f"?{query}" if query else "")
