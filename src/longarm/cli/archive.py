"""`longarm archive`, `longarm verify` and `longarm captures`: the archive on the command line."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from longarm.archive import default_archive_dir, link_sources, source_urls
from longarm.archive.index import Capture, CaptureIndex, CaptureIndexError
from longarm.cli import printers
from longarm.cli.support import (
    Context,
    console,
    emit_json,
    fail,
    format_option,
    json_option,
    parse_size,
    pass_context,
    show_rows,
)
from longarm.model.urls import BadUrl, check_web_url, url_key

if TYPE_CHECKING:
    from longarm.archive.capture import Outcome
    from longarm.archive.fetch import FetchLimits


def _existing_folder_or_new(_ctx: click.Context, _param: click.Parameter, given: Path | None) -> Path | None:
    if given is not None and given.exists() and not given.is_dir():
        fail(f"--archive-dir: {given} is not a folder")
    return given


# Shared by every command that reads or writes captures (archive, verify, captures, publish, serve).
archive_dir_option = click.option(
    "--archive-dir",
    type=click.Path(path_type=Path),
    callback=_existing_folder_or_new,  # fail() rather than click's usage error: one line
    help="Folder of WARC files and their index [default: 'captures' beside the database].",
)


def _archive_dir(ctx: Context, given: Path | None) -> Path:
    return given or default_archive_dir(ctx.db)


def _open_index(folder: Path, writable: bool) -> CaptureIndex:
    try:
        return CaptureIndex(folder, writable=writable)
    except CaptureIndexError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{folder}: cannot use this archive folder ({exc.strerror or exc})")


def _limits(timeout: str, max_size: str) -> FetchLimits:
    from longarm.archive.fetch import FetchLimits

    try:
        seconds = float(timeout)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        fail(f"--timeout: '{timeout}' is not a number of seconds between 0 and 3600")
    try:
        cap = parse_size(max_size)
    except ValueError:
        fail(f"--max-size: '{max_size}' is not a size such as 50MB, 256KiB or 1048576")
    return FetchLimits(
        connect_timeout=seconds, read_timeout=seconds, total_timeout=max(seconds * 6, seconds + 10), max_bytes=cap
    )


@click.command("archive")
@click.argument("urls", nargs=-1)
@click.option("--all-sources", is_flag=True, help="Capture every source in the dataset that has a URL.")
@click.option(
    "--dry-run", is_flag=True, help="List what would be captured and what is skipped (and why); fetch nothing."
)
@click.option(
    "--import",
    "import_files",
    multiple=True,
    metavar="FILE",
    help="Import a .warc, .warc.gz or .wacz made elsewhere (repeatable).",
)
@archive_dir_option
@click.option(
    "--timeout",
    default="30",
    show_default=True,
    metavar="SECONDS",
    help="Connect and read timeout per request (the whole capture gets at least six times that).",
)
@click.option("--max-size", default="50MB", show_default=True, help="Largest response kept; larger ones fail.")
@click.option(
    "--tsa-url",
    envvar="LONGARM_TSA_URL",
    metavar="URL",
    help="RFC 3161 timestamp authority to stamp each WARC's hash [env LONGARM_TSA_URL; none by default].",
)
@json_option
@pass_context
def archive_command(
    ctx: Context,
    urls: tuple[str, ...],
    all_sources: bool,
    dry_run: bool,
    import_files: tuple[str, ...],
    archive_dir: Path | None,
    timeout: str,
    max_size: str,
    tsa_url: str | None,
    as_json: bool,
) -> None:
    """Capture web pages to WARC files with hashes, or import WARC/WACZ files made elsewhere.

    Each page is fetched with redirects followed and recorded, written to its
    own WARC (request and response records for every hop), hashed (SHA-256
    of the payload and of the WARC file), its main text extracted (GBK,
    GB18030 and Big5 decoded), and linked to the source whose URL it is, and
    so to every statement citing that source. One failed URL never stops the
    rest; the summary lists each failure with its reason. A 404 is kept as
    evidence that the page was gone. Exit code 1 if any URL failed or was gone.

    \b
    Example:
      longarm archive https://example.org/news/2019/0406.html
      longarm archive --all-sources --dry-run
      longarm archive --all-sources --tsa-url https://tsa.example.org/tsr
      longarm archive --import wayback-download.warc.gz --import crawl.wacz
    """
    modes = sum((bool(urls), all_sources, bool(import_files)))
    if modes != 1:
        fail("give URLs, --all-sources or --import FILE (one of them)")
    folder = _archive_dir(ctx, archive_dir)
    if import_files:
        _import(ctx, folder, import_files, as_json)
        return
    limits = _limits(timeout, max_size)
    if tsa_url:
        try:
            check_web_url(tsa_url)
        except BadUrl as exc:
            fail(f"--tsa-url: {exc}")
    for url in urls:
        try:
            check_web_url(url)
        except BadUrl as exc:
            fail(str(exc))
    store = ctx.store()
    by_url = source_urls(store)
    skipped: list[dict[str, str]] = []
    if all_sources:
        work = []
        for source in store.entities("source"):
            if not source.get("url"):
                skipped.append({"source_id": source["id"], "reason": _no_url_reason(source)})
                continue
            try:
                work.append((check_web_url(source["url"]), source["id"]))
            except BadUrl as exc:
                skipped.append({"source_id": source["id"], "reason": str(exc)})
    else:
        work = [(url.strip(), by_url.get(url_key(url))) for url in urls]
    if dry_run:
        planned = [{"url": url, "source_id": source_id} for url, source_id in work]
        if as_json:
            emit_json({"would_capture": planned, "skipped": skipped,
                       "counts": {"would_capture": len(planned), "skipped": len(skipped)}})  # fmt: skip
        else:
            for row in planned:
                click.echo(f"would capture {row['source_id'] or '-'}\t{row['url']}")
            for row in skipped:
                click.echo(f"skip {row['source_id']}\t{row['reason']}")
            click.echo(f"{len(planned)} to capture, {len(skipped)} skipped (no URL)")
        return
    with _open_index(folder, writable=True) as index:
        outcomes = _capture_all(work, index, limits, tsa_url)
    citing = Counter(st["source_id"] for st in store.iter_statements())
    redact = ctx.catalog().redact
    rows = [_outcome_row(o, citing, by_url, redact) for o in outcomes]
    counts = Counter(r["state"] for r in rows)
    counts["skipped"] = len(skipped)
    if as_json:
        every = {state: counts[state] for state in ("captured", "unavailable", "failed", "skipped")}
        emit_json({"archive_dir": str(folder), "results": rows, "skipped": skipped, "counts": every})
    else:
        _print_outcomes(rows, skipped, counts, folder)
    sys.exit(1 if counts["failed"] or counts["unavailable"] else 0)


def _no_url_reason(source: dict[str, Any]) -> str:
    """Why a source has nothing to capture, as its url_status says."""
    checked = f" on {source['url_checked']}" if source.get("url_checked") else ""
    if source.get("url_status") == "not-found":
        return f"no URL: searched for{checked}, not found"
    return "no URL: not searched for yet"


def _capture_all(
    work: list[tuple[str, str | None]], index: CaptureIndex, limits: FetchLimits, tsa_url: str | None
) -> list[Outcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from longarm.archive.capture import Outcome, capture_url
    from longarm.archive.fetch import new_client

    outcomes: list[Outcome] = []
    progress = Progress(
        TextColumn("[bold]archiving"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    with progress, new_client(limits) as client:
        task = progress.add_task("", total=len(work))
        for url, source_id in work:
            progress.update(task, description=url[:80])
            try:
                outcome = capture_url(
                    url, index.archive_dir, limits, source_id=source_id, tsa_url=tsa_url, client=client
                )
                if outcome.capture is not None:
                    index.add([outcome.capture])
            except Exception as exc:  # one broken page (disk, odd bytes) must never stop the rest
                outcome = Outcome(url=url, source_id=source_id, reason=f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            progress.advance(task)
    return outcomes


def _outcome_row(
    outcome: Outcome, citing: Counter[str], by_url: dict[str, str], redact: Callable[[str], str]
) -> dict[str, Any]:
    capture = outcome.capture
    # a URL that is no source itself may redirect to one: the link is made at read time too
    source_id = outcome.source_id or (by_url.get(capture.final_url_key) if capture else None)
    return {
        "url": outcome.url,
        "state": outcome.state,
        "reason": outcome.reason,
        "source_id": source_id,
        "citing_statements": citing[source_id] if source_id else 0,
        "capture_id": capture.id if capture else None,
        "status": capture.status if capture else None,
        "final_url": capture.final_url if capture else None,
        "redirects": len(capture.redirect_chain) - 1 if capture else None,
        "fetched_at": capture.fetched_at if capture else None,
        "payload_sha256": capture.payload_sha256 if capture else None,
        "warc_path": capture.warc_path if capture else None,
        "warc_sha256": capture.warc_sha256 if capture else None,
        "charset": capture.charset if capture else None,
        "title": redact(capture.title) if capture and capture.title else None,
        "timestamp": capture.timestamped_at if capture else None,
        "timestamp_problem": outcome.timestamp_problem,
    }


def _print_outcomes(
    rows: list[dict[str, Any]], skipped: list[dict[str, str]], counts: Counter[str], folder: Path
) -> None:
    if rows:
        table = Table(title=f"archive: {folder}")
        table.add_column("state", no_wrap=True)
        table.add_column("url", overflow="fold")
        table.add_column("capture", no_wrap=True)
        table.add_column("source", overflow="fold")
        table.add_column("detail", overflow="fold")
        for r in rows:
            table.add_row(r["state"], r["url"], r["capture_id"] or "—", _source_cell(r), _detail(r))
        console.print(table)
    console.print(
        f"{counts['captured']} captured, {counts['unavailable']} unavailable, {counts['failed']} failed, "
        f"{counts['skipped']} skipped"
    )
    for r in rows:
        if r["state"] != "captured":
            console.print(f"  {r['state']}: {r['url']}: {r['reason']}")
    by_reason: dict[str, list[str]] = {}
    for s in skipped:
        by_reason.setdefault(s["reason"], []).append(s["source_id"])
    for reason, ids in by_reason.items():
        console.print(f"  skipped {len(ids)} sources ({reason}): {', '.join(ids)}")


def _source_cell(row: dict[str, Any]) -> str:
    return f"{row['source_id']} ({row['citing_statements']} statements)" if row["source_id"] else "—"


def _detail(row: dict[str, Any]) -> str:
    if row["state"] == "failed":
        return str(row["reason"])
    detail = f"HTTP {row['status']}"
    if row["redirects"]:
        detail += f" after {row['redirects']} redirect(s) to {row['final_url']}"
    if row["charset"]:
        detail += f", {row['charset']}"
    if row["timestamp"]:
        detail += f", timestamped {row['timestamp']}"
    if row["timestamp_problem"]:
        detail += f", no timestamp: {row['timestamp_problem']}"
    return detail


def _import(ctx: Context, folder: Path, files: tuple[str, ...], as_json: bool) -> None:
    from longarm.archive.importer import apply_import, plan_import
    from longarm.archive.warc import WarcError

    paths = [Path(f) for f in files]
    for path in paths:
        if not path.is_file():
            fail(f"--import: {path}: no such file")
    by_url = source_urls(ctx.store())
    plans = []
    for path in paths:  # every file read and checked before any is kept: all or nothing
        try:
            plans.append(plan_import(path, by_url))
        except WarcError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{path}: {exc.strerror or exc}")
    with _open_index(folder, writable=True) as index:
        try:
            results = [apply_import(plan, index, by_url) for plan in plans]
        except (WarcError, OSError) as exc:
            fail(str(exc))
    if as_json:
        emit_json(
            {
                "archive_dir": str(folder),
                "imports": [
                    {
                        "file": r.file,
                        "responses": r.responses,
                        "already_archived": r.already_archived,
                        "captures": [c.summary() for c in r.captures],
                    }
                    for r in results
                ],
            }
        )
        return
    for r in results:
        linked = sum(1 for c in r.captures if c.source_id)
        console.print(
            f"{r.file}: {len(r.captures)} captures imported ({linked} linked to sources), "
            f"{r.already_archived} already in the archive, from {r.responses} responses"
        )
        for c in r.captures:
            console.print(f"  {c.id}  {c.fetched_at}  HTTP {c.status}  {c.url}  source: {c.source_id or '—'}")


@click.command("verify")
@archive_dir_option
@click.option(
    "--rebuild-manifest",
    is_flag=True,
    help="Write the manifest of an archive made before it existed, from the captures indexed now; then verify.",
)
@json_option
@pass_context
def verify_command(ctx: Context, archive_dir: Path | None, rebuild_manifest: bool, as_json: bool) -> None:
    """Hold the capture index, the WARC files and the manifest against each other (exit code 1 on any difference).

    Every capture's WARC file is hashed and compared with its SHA-256
    recorded at capture, and its payload read back and re-hashed; timestamp
    tokens must vouch for their WARC. Every WARC file in the archive folder
    must be a capture's, and each page response in it (2xx HTML, text, PDF) a
    capture's record. Every line of the append-only manifest (manifest.jsonl,
    one per capture ever indexed) must have its capture, so a capture deleted
    from the index, or the whole index, is named. Each difference is one line:
    missing, changed, unreadable, payload-changed, timestamp, missing-row,
    not-as-in-manifest, record-without-capture, file-without-capture, manifest.

    An archive made before manifests has none: verify says so and fails until
    --rebuild-manifest writes one, which vouches only for what is indexed now.

    \b
    Example:
      longarm verify
      longarm verify --archive-dir /mnt/evidence/captures --json
    """
    from longarm.archive.manifest import rebuild
    from longarm.archive.verify import verify_archive

    folder = _archive_dir(ctx, archive_dir)
    rebuilt = None
    if rebuild_manifest:
        with _open_index(folder, writable=False) as index:
            captures = index.all()
        if not captures:
            fail(f"{folder}: no captures indexed, so no manifest to rebuild (the first capture starts one)")
        try:
            rebuilt = rebuild(folder, captures)
        except FileExistsError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{folder}: cannot write the manifest ({exc.strerror or exc})")
    with _open_index(folder, writable=False) as index:
        report = verify_archive(index)
    if as_json:
        emit_json(
            {
                "archive_dir": str(folder),
                "ok": report.ok,
                "captures": report.checked,
                "files": report.files,
                "records": report.records,
                "manifest_entries": report.manifest_entries,
                "manifest_head": report.manifest_head,
                "manifest_rebuilt": rebuilt,
                "problems": [vars(p) for p in report.problems],
                "pending_files": report.pending,
                "not_yet_in_manifest": report.not_in_manifest,
            }
        )
    else:
        if rebuilt is not None:
            console.print(f"wrote the manifest: {rebuilt} captures, as indexed now")
        for p in report.problems:
            console.print(str(p), markup=False, highlight=False, soft_wrap=True)
        for name in report.pending:
            console.print(
                f"note: {name} is pending: a capture or import stopped before indexing it; "
                f"import it again to index it, or delete it",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if report.not_in_manifest:
            console.print(
                f"note: {len(report.not_in_manifest)} capture(s) not yet in the manifest (a writer was stopped "
                f"after indexing them); the next `longarm archive` appends them",
                soft_wrap=True,
            )
        verdict = "all intact" if report.ok else f"{len(report.problems)} difference(s)"
        manifest = f", {report.manifest_entries} in the manifest" if report.manifest_head else ""
        console.print(
            f"{report.checked} captures in {report.files} files{manifest} under {folder}: {verdict}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    sys.exit(0 if report.ok else 1)


@click.command("captures")
@click.option("--source", "source_id", help="Only captures of this source.")
@click.option("--render", "render_id", metavar="CAPTURE_ID", help="Print one capture as an inert HTML page.")
@click.option("--text", "text_id", metavar="CAPTURE_ID", help="Print the main text extracted from one capture.")
@archive_dir_option
@format_option
@pass_context
def captures_command(
    ctx: Context,
    source_id: str | None,
    render_id: str | None,
    text_id: str | None,
    archive_dir: Path | None,
    fmt: str | None,
) -> None:
    """List captures with their source and the statements citing it; show one as text or inert HTML.

    \b
    Example:
      longarm captures
      longarm captures --source cuf-2017-11-29 --json
      longarm captures --format csv > captures.csv
      longarm captures --render 3f9a0c1d2e4b5a6c > capture.html
    """
    store = ctx.store()
    folder = _archive_dir(ctx, archive_dir)
    with _open_index(folder, writable=False) as index:
        captures = index.all()
    redact = ctx.catalog().redact
    if render_id or text_id:
        wanted = render_id or text_id
        capture = next((c for c in captures if c.id == wanted), None)
        if capture is None:
            fail(f"no capture with id '{wanted}' in {folder} (see `longarm captures`)")
        if render_id:
            from longarm.archive.render import render_capture
            from longarm.archive.warc import WarcError

            source = store.entity("source", capture.source_id) if capture.source_id else None
            try:
                page = render_capture(capture, folder, redact, source.get("lang") if source else None)
            except WarcError as exc:
                fail(f"{exc} (run `longarm verify`)")
            click.echo(page, nl=False)
        else:
            click.echo(redact(capture.text))
        return
    linked = {c.id: sid for sid, cs in link_sources(captures, source_urls(store)).items() for c in cs}
    if source_id is not None:
        if store.entity("source", source_id) is None:
            fail(f"no source with id '{source_id}' (see `longarm sources`)")
        captures = [c for c in captures if linked.get(c.id) == source_id]
    statements: dict[str, list[str]] = {}
    for st in store.iter_statements():
        statements.setdefault(st["source_id"], []).append(st["entity_id"])
    rows = [_capture_row(c, linked.get(c.id), statements, redact) for c in captures]
    show_rows(fmt, rows, printers.CAPTURE_COLUMNS, f"{len(rows)} captures: {folder}")


def _capture_row(
    capture: Capture, source_id: str | None, statements: dict[str, list[str]], redact: Any
) -> dict[str, Any]:
    row = capture.summary()
    row["source_id"] = source_id
    row["citing_statements"] = len(statements.get(source_id or "", []))
    row["citing_entities"] = sorted(set(statements.get(source_id or "", [])))
    row["title"] = redact(row["title"]) if row["title"] else None
    return row
