"""A real HTTP server on 127.0.0.1 serving the pages the archive must cope with, and a dataset citing them."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from longarm.archive.fetch import FetchLimits
from longarm.ledger.store import build
from tests.archive.fake_tsa import FakeTsa

# Short limits keep the whole suite fast; the slow page sleeps longer than READ_TIMEOUT.
READ_TIMEOUT = 0.4
SLOW_SECONDS = 1.2
MAX_BYTES = 256 * 1024
TEST_LIMITS = FetchLimits(connect_timeout=2.0, read_timeout=READ_TIMEOUT, total_timeout=10.0, max_bytes=MAX_BYTES)

GBK_TEXT = "温州市公安局在意大利普拉托设立海外警侨服务站，为侨胞提供驾照换证等服务。"
BIG5_TEXT = "福州市公安局在加拿大多倫多設立海外警僑服務站，協助僑胞辦理證件。"
GB18030_TEXT = "青田县公安局在西班牙马德里设立华侨服务站，开展远程办理驾照业务。"
SCRIPTED_PAGE = """<!doctype html><html><head><title>Scripted page</title>
<script src="http://tracker.invalid/t.js"></script><script>document.write('tracked')</script>
<link rel="stylesheet" href="http://cdn.invalid/site.css"><style>body{background:url(http://cdn.invalid/bg.png)}</style>
</head><body onload="phoneHome()"><h1 style="color:red">Station opening</h1>
<p onclick="x()">The station opened in <b>2019</b>. Zed attended.</p>
<img src="http://cdn.invalid/photo.jpg" alt="photo"><iframe src="http://ads.invalid/"></iframe>
<a href="http://elsewhere.invalid/next" onmouseover="y()">next page</a>
<form action="http://collect.invalid/"><input name="q"></form></body></html>"""


def html_page(title: str, text: str, charset_meta: str | None = None, nav: str = "Home | News") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    paragraphs = "".join(f"<p>{text}</p>" for _ in range(6))
    return (
        f"<!doctype html><html><head>{meta}<title>{title}</title></head><body>"
        f"<nav>{nav}</nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counter = 0
    counter_lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def send(self, status: int, body: bytes, content_type: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.send(status, b"moved", Location=location)

    def do_GET(self) -> None:
        # the client gives up on purpose at the size cap and the timeout
        with suppress(BrokenPipeError, ConnectionResetError):
            self.route()

    def route(self) -> None:
        path = self.path
        if path == "/gbk.html":
            self.send(200, html_page("警侨服务站", GBK_TEXT, "gbk", nav="首页 | 新闻").encode("gbk"))
        elif path == "/big5.html":
            page = html_page("警僑服務站", BIG5_TEXT, nav="首頁 | 新聞")
            self.send(200, page.encode("big5"), "text/html; charset=big5")
        elif path == "/gb18030-undeclared.html":
            self.send(200, html_page("华侨服务站", GB18030_TEXT).encode("gb18030"), "text/html")
        elif path == "/redirect/1":
            self.redirect(301, "/redirect/2")
        elif path == "/redirect/2":
            self.redirect(302, f"http://{self.headers['Host']}/final.html")
        elif path == "/final.html":
            page = html_page("Final page", "The page the redirects lead to.")
            self.send(200, page.encode(), "text/html; charset=utf-8")
        elif path == "/missing":
            self.send(404, b"<html><body>Not found</body></html>")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.send(200, b"<html><body>finally</body></html>")
        elif path == "/huge":
            self.send(200, b"x" * (MAX_BYTES * 4), "text/plain")
        elif path == "/huge-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"y" * 65536
            for _ in range(MAX_BYTES * 4 // len(chunk)):
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/chunked.html":
            body = html_page("Chunked", "Sent in chunks.").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for start in range(0, len(body), 100):
                piece = body[start : start + 100]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip.html":
            body = gzip.compress(html_page("Compressed", "Sent gzip-encoded.").encode())
            self.send(200, body, "text/html; charset=utf-8", Content_Encoding="gzip")
        elif path == "/changing":
            with Handler.counter_lock:
                Handler.counter += 1
                count = Handler.counter
            self.send(200, html_page("Changing", f"Version {count} of this page.").encode(), "text/html; charset=utf-8")
        elif path == "/loop":
            self.redirect(302, "/loop")
        elif path == "/scripted.html":
            self.send(200, SCRIPTED_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
        else:
            self.send(404, b"no such test page")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = self.rfile.read(length)
        self.server.tsa_requests.append(request)  # type: ignore[attr-defined]
        if self.path == "/tsa":
            self.send(200, self.server.tsa.reply(request), "application/timestamp-reply")  # type: ignore[attr-defined]
        elif self.path == "/tsa-down":
            self.send(500, b"TSA unavailable", "text/plain")
        else:
            self.send(200, b"not a timestamp reply", "application/timestamp-reply")


@dataclass
class PageServer:
    base: str
    tsa_requests: list[bytes]
    tsa: FakeTsa

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.tsa_requests = []  # type: ignore[attr-defined]
    server.tsa = FakeTsa()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PageServer(
            base=f"http://127.0.0.1:{server.server_port}",
            tsa_requests=server.tsa_requests,  # type: ignore[attr-defined]
            tsa=server.tsa,  # type: ignore[attr-defined]
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def cited_data(mini_data: Path, page_server: PageServer) -> Path:
    """The mini dataset with source URLs on the test server: bureau-news is the GBK page,
    report-a the redirect chain; report-b keeps no URL."""
    path = mini_data / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- id: bureau-news\n", f"- id: bureau-news\n  url: {page_server.url('/gbk.html')}\n")
    text = text.replace("- id: report-a\n", f"- id: report-a\n  url: {page_server.url('/redirect/1')}\n")
    path.write_text(text, encoding="utf-8")
    return mini_data


@pytest.fixture
def cited_db(cited_data: Path, tmp_path: Path) -> Path:
    db = tmp_path / "work" / "longarm.db"
    build(db, cited_data)
    return db
