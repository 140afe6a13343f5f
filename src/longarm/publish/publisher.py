"""`longarm publish`: the whole site and its exports from one store, written safely."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from longarm import __version__
from longarm.archive import Capture, CaptureIndexError, default_archive_dir, latest_captures
from longarm.catalog import Catalog
from longarm.ledger.errors import EditionNotFound
from longarm.ledger.store import Store
from longarm.publish.assets import site_assets
from longarm.publish.datapackage import write_datapackage
from longarm.publish.datasette import write_datasette_metadata
from longarm.publish.exports import write_csvs, write_geojson, write_json, write_sqlite, write_xlsx
from longarm.publish.ftm import write_ftm
from longarm.publish.output import PublishError, check_target, staged, write_manifest
from longarm.publish.search_index import static_index_script
from longarm.publish.site import Site

DATA_FOLDER = "data"
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class Published:
    out_dir: Path
    pages: int
    data_files: list[str]
    seconds: float
    redacted: bool


def publish(
    store: Store,
    out_dir: Path,
    include_sensitive: bool = False,
    progress: Progress | None = None,
    archive_dir: Path | None = None,
    base_url: str | None = None,
    edition: str | None = None,
) -> Published:
    """Render every page and export of one edition (by default the latest released) into a staged
    folder, then swap it in for ``out_dir``."""
    started = time.perf_counter()
    check_target(out_dir)
    report = progress or (lambda what, done, total: None)
    archive = archive_dir or default_archive_dir(store.path)
    try:
        captures = latest_captures(store, archive)
    except CaptureIndexError as exc:
        raise PublishError(str(exc)) from None
    try:
        catalog = Catalog(store, include_sensitive, edition)
    except EditionNotFound as exc:
        raise PublishError(str(exc)) from None
    site = Site(catalog, captures=captures, base_url=base_url)
    paths = site.paths()
    with staged(out_dir) as stage:
        for name, content in site_assets().items():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (stage / "assets/search-index.js").write_bytes(static_index_script(site))
        for folder in {p.rpartition("/")[0] for p in paths if "/" in p}:
            (stage / folder).mkdir(parents=True, exist_ok=True)
        for done, path in enumerate(paths, 1):
            (stage / path).write_text(site.render(path), encoding="utf-8")
            # Datasette's habit: the page's data beside it (station/X.html -> station/X.json).
            page_data = json.dumps(site.data(path), ensure_ascii=False, indent=1, default=str)
            (stage / path).with_suffix(".json").write_text(page_data + "\n", encoding="utf-8")
            if done % 200 == 0 or done == len(paths):
                report("pages", done, len(paths))
        if captures:
            _write_captures(catalog, captures, archive, stage / "capture")
        data = stage / DATA_FOLDER
        data.mkdir()
        writers: list[Callable[[Catalog, Path], str | list[str]]] = [
            write_csvs,
            write_xlsx,
            write_json,
            write_geojson,
            write_ftm,
            write_datapackage,
            write_sqlite,
            write_datasette_metadata,
        ]
        data_files: list[str] = []
        for done, writer in enumerate(writers, 1):
            written = writer(catalog, data)
            data_files.extend(written if isinstance(written, list) else [written])
            report("exports", done, len(writers))
        write_manifest(
            stage,
            {
                "longarm_version": __version__,
                "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database_built_at": store.meta.get("built_at"),
                "data_fingerprint": store.meta.get("data_fingerprint"),
                "edition": catalog.edition["label"] if catalog.edition else None,
                "redacted": not include_sensitive,
            },
        )
    return Published(
        out_dir, len(paths) + len(captures), data_files, time.perf_counter() - started, not include_sensitive
    )


def _write_captures(catalog: Catalog, captures: dict[str, Capture], archive: Path, folder: Path) -> None:
    """Archived copies of cited sources as pages of the site, inert (scripts and outside resources stripped)."""
    from longarm.archive.render import render_capture
    from longarm.archive.warc import WarcError

    folder.mkdir()
    for source_id, capture in captures.items():
        lang = catalog.entities["source"].get(source_id, {}).get("lang")
        try:
            page = render_capture(capture, archive, catalog.redact, lang)
        except WarcError as exc:
            raise PublishError(f"capture {capture.id} of {source_id}: {exc} (run `longarm verify`)") from None
        (folder / f"{capture.id}.html").write_text(page, encoding="utf-8")
