"""A small database whose source `bureau-news` has a URL and a capture of it, for tests that link captures."""

from __future__ import annotations

from pathlib import Path

from longarm.archive import Capture, source_urls
from longarm.archive.importer import import_file
from longarm.archive.index import CaptureIndex
from longarm.ledger.store import Store, build
from tests.archive.test_import import SOURCE_URL, write_warc


def mini_db_with_capture(mini_data: Path, tmp_path: Path) -> tuple[Path, Capture]:
    """Build the mini dataset with a URL on `bureau-news`, import a WARC of that page; return db and capture."""
    sources = mini_data / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("- id: bureau-news\n", f"- id: bureau-news\n  url: {SOURCE_URL}\n"),
        encoding="utf-8",
    )
    db = tmp_path / "longarm.db"
    build(db, mini_data)
    warc = tmp_path / "page.warc.gz"
    with warc.open("wb") as out:
        write_warc(out)
    store = Store(db)
    with CaptureIndex(db.parent / "captures", writable=True) as index:
        captured = import_file(warc, index, source_urls(store)).captures
    store.close()
    return db, next(c for c in captured if c.ok and "0406" in c.url)
