"""Show a capture as an inert HTML page: the words of the archived page, and nothing that runs or loads.

A reader following a citation to its local copy must not execute the original
page's scripts or make it phone home: official pages carry analytics, and a
request from a reader's browser to the original server would tell that server
who is reading about it. So the page is rebuilt from the capture with the
``nh3`` sanitiser (Rust's ammonia) keeping only text-structure tags and no URL
attributes at all (no ``src``, ``href``, ``srcset``, ``style`` or event
handlers; scripts, styles, frames, forms, media and SVG go with their
content), and a Content-Security-Policy of ``default-src 'none'`` forbids any
load that might still slip through. The one link left is the header's link to
the original URL, which loads nothing until a reader clicks it. Sensitive
names are blanked with the dataset's redactor like every other output.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import nh3

from longarm.archive.index import Capture
from longarm.archive.warc import read_response
from longarm.model.urls import BadUrl, check_web_url
from longarm.textdecode import TEXT_TYPES, decode_as, is_html, media_type

KEPT_TAGS = (nh3.ALLOWED_TAGS - {"img", "area", "map"}) | {"main", "section", "tfoot"}
KEPT_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
DROPPED_WITH_CONTENT = {
    "script", "style", "title", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "video", "audio", "canvas", "textarea", "select", "button", "head",
}  # fmt: skip
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"

PAGE_STYLE = """
body { font: 16px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 52rem; margin: 0 auto; padding: 0 1rem 3rem; color: #1a1a1a; }
header.longarm-capture { background: #fff7d6; border: 1px solid #d9c27a; padding: .75rem 1rem; margin: 1rem 0 2rem;
       font-size: 14px; }
header.longarm-capture code { font-size: 12px; word-break: break-all; }
main table { border-collapse: collapse; } main td, main th { border: 1px solid #ccc; padding: .2rem .4rem; }
pre { white-space: pre-wrap; }
"""


def sanitise_html(html: str) -> str:
    """The page's text structure with everything that could run or load removed."""
    return nh3.clean(
        html,
        tags=set(KEPT_TAGS),
        attributes=KEPT_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
        clean_content_tags=DROPPED_WITH_CONTENT,
    )


def render_capture(
    capture: Capture, archive_dir: Path, redact: Callable[[str], str] | None = None, lang: str | None = None
) -> str:
    """A complete, self-contained, inert HTML page for ``capture`` (read from its WARC)."""
    blank = redact or (lambda text: text)
    stored = read_response(
        archive_dir / capture.warc_path, capture.record_offset, capture.record_id, capture.warc_member
    )
    kind, _ = media_type(capture.content_type)
    # the capture's own charset, chosen when it was made, and the rule page_text used to read it
    if is_html(stored.content, capture.content_type):
        body = sanitise_html(decode_as(stored.content, capture.charset, capture.content_type))
    elif kind in TEXT_TYPES:
        text = decode_as(stored.content, capture.charset, capture.content_type)
        body = f"<pre>{escape(text)}</pre>"
    else:
        body = (
            f"<p>This capture is {escape(kind or 'of unknown type')}, {capture.payload_length} bytes; it is not "
            "shown here. Its original bytes are in the WARC file named above.</p>"
        )
    return _page(capture, blank(body), blank(capture.title or capture.final_url), lang)


def _page(capture: Capture, body: str, title: str, lang: str | None) -> str:
    try:
        original = f'<a href="{escape(check_web_url(capture.url))}" rel="noreferrer nofollow">{escape(capture.url)}</a>'
    except BadUrl:
        original = escape(capture.url)
    hops = len(capture.redirect_chain) - 1
    redirected = (
        f" (redirected {hops}× to <code>{escape(capture.final_url)}</code>)" if capture.final_url != capture.url else ""
    )
    stamp = (
        f" Timestamped by <code>{escape(capture.tsa_url or '')}</code> at {escape(capture.timestamped_at or '')}."
        if capture.timestamp_path
        else ""
    )
    lang_attr = f' lang="{escape(lang)}"' if lang else ""
    return f"""<!doctype html>
<html{lang_attr}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Archived copy: {escape(title)}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<header class="longarm-capture">
<p><strong>Archived copy</strong> of {original}{redirected}, captured {escape(capture.fetched_at)},
HTTP {capture.status}.{stamp}</p>
<p>Capture <code>{escape(capture.id)}</code> · payload SHA-256 <code>{escape(capture.payload_sha256)}</code> ·
WARC <code>{escape(capture.warc_path)}</code> SHA-256 <code>{escape(capture.warc_sha256)}</code></p>
<p>Shown inert: scripts, styles, frames, images, forms and links of the original are removed and nothing is loaded
from elsewhere. The WARC file keeps the original bytes.</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""
