"""Import captures made elsewhere: WARC files (Wayback Machine downloads) and WACZ packages (browsertrix).

The imported file is kept whole and byte for byte in ``<archive>/imported/``
(named by its SHA-256), and one capture is indexed per page in it: every 2xx
HTML, text or PDF response, and every response whose URL is a source's URL
(normalised, so ``http://www.x.cn/a`` meets ``https://x.cn/a``). Where a
source's URL answered with a redirect, the chain is followed inside the file
to the page it led to. Stylesheets, scripts and images a crawler also saved
stay in the file but get no capture of their own. The whole file is read
before anything is copied or indexed, so a corrupt file changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from longarm.archive import pending
from longarm.archive.capture import capture_from_record
from longarm.archive.index import Capture, CaptureIndex
from longarm.archive.text import is_document
from longarm.archive.warc import (
    ResponseHead,
    WarcError,
    check_complete,
    file_sha256,
    iter_response_heads,
    open_stored,
    read_response,
    reason,
)
from longarm.model.urls import url_key

IMPORT_FOLDER = "imported"
MAX_CHAIN = 10


@dataclass
class ImportResult:
    file: str
    captures: list[Capture] = field(default_factory=list)
    already_archived: int = 0
    responses: int = 0


def warc_members(path: Path) -> list[str | None]:
    """The WARCs to read in ``path``: itself, or a WACZ's ``archive/*.warc[.gz]`` members."""
    if path.suffix.lower() != ".wacz":
        return [None]
    try:
        with zipfile.ZipFile(path) as wacz:
            names = [n for n in wacz.namelist() if re.fullmatch(r"archive/[^/]+\.warc(\.gz)?", n)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise WarcError(f"{path.name}: not a readable WACZ ({reason(exc)})") from None
    if not names:
        raise WarcError(f"{path.name}: a WACZ with no archive/*.warc.gz inside")
    return [*sorted(names)]


def _copy_hashing(source: Path, target: Path) -> str:
    """Copy a file and return the SHA-256 of the bytes written: one read for both."""
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


Chosen = tuple[str, list[dict[str, object]], tuple[str | None, ResponseHead]]


@dataclass(frozen=True)
class ImportPlan:
    """A file read whole and checked, with the responses to keep: nothing is written yet."""

    path: Path
    sha256: str
    responses: int
    chosen: list[Chosen]


def plan_import(path: Path, sources_by_url: dict[str, str]) -> ImportPlan:
    """Read and check one WARC or WACZ file; raise WarcError if it cannot be imported."""
    heads: list[tuple[str | None, ResponseHead]] = []
    for member in warc_members(path):
        with open_stored(path, member) as stream:
            check_complete(stream, f"{path.name}:{member}" if member else path.name)
            heads.extend((member, head) for head in iter_response_heads(stream, f"{path.name}:{member or ''}"))
    if not heads:
        raise WarcError(f"{path.name}: no response records in this file")
    chosen = _choose(heads, sources_by_url)
    if not chosen:
        raise WarcError(
            f"{path.name}: none of its {len(heads)} responses is a page or a source's URL; nothing imported"
        )
    return ImportPlan(path, file_sha256(path), len(heads), chosen)


def import_file(path: Path, index: CaptureIndex, sources_by_url: dict[str, str]) -> ImportResult:
    """Import the pages of one WARC or WACZ file; raise WarcError (changing nothing) if it cannot be read."""
    return apply_import(plan_import(path, sources_by_url), index, sources_by_url)


def apply_import(plan: ImportPlan, index: CaptureIndex, sources_by_url: dict[str, str]) -> ImportResult:
    """Keep the file byte for byte in the archive and index its chosen responses as captures."""
    path, sha256 = plan.path, plan.sha256
    result = ImportResult(file=path.name, responses=plan.responses)
    known = index.known_records()
    fresh = [item for item in plan.chosen if (sha256, item[2][1].offset) not in known]
    result.already_archived = len(plan.chosen) - len(fresh)
    if not fresh:
        return result
    folder = index.archive_dir / IMPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / f"{sha256[:16]}-{_safe_name(path.name)}"
    created = not kept.exists()
    if created:
        tmp = pending.temporary_path(kept)
        try:
            copied = _copy_hashing(path, tmp)
            if copied != sha256:
                raise WarcError(f"{path.name}: changed while it was being imported; nothing imported")
            pending.mark(kept)  # until its captures are indexed (CaptureIndex.add clears it)
            tmp.replace(kept)
        finally:
            tmp.unlink(missing_ok=True)
    try:
        if not created and file_sha256(kept) != sha256:
            raise WarcError(f"{kept}: already in the archive with other bytes; run `longarm verify`")
        for requested, chain, (member, head) in fresh:
            stored = read_response(kept, head.offset, head.record_id, member)
            source_id = sources_by_url.get(url_key(requested)) or sources_by_url.get(url_key(head.url))
            result.captures.append(
                capture_from_record(
                    stored,
                    requested_url=requested,
                    redirect_chain=chain,
                    fetched_at=_iso(head.warc_date),
                    warc_path=kept.relative_to(index.archive_dir).as_posix(),
                    warc_member=member,
                    warc_sha256=sha256,
                    record_offset=head.offset,
                    source_id=source_id,
                    origin=f"imported:{path.name}",
                )
            )
        index.add(result.captures)
    except BaseException:
        if created:
            kept.unlink(missing_ok=True)
            pending.clear(kept)
        raise
    return result


def _choose(heads: list[tuple[str | None, ResponseHead]], sources_by_url: dict[str, str]) -> list[Chosen]:
    """Pages and source URLs, each followed through redirects, one capture per final record."""
    latest: dict[str, tuple[str | None, ResponseHead]] = {}
    for member, head in heads:
        key = url_key(head.url)
        if key not in latest or head.warc_date >= latest[key][1].warc_date:
            latest[key] = (member, head)
    chosen: dict[tuple[str | None, int], Chosen] = {}
    for member, head in heads:
        is_source = url_key(head.url) in sources_by_url
        is_page = 200 <= head.status < 300 and is_document(head.header("content-type"))
        if not (is_source or is_page):
            continue
        chain, final = _follow(head, member, latest)
        where = (final[0], final[1].offset)
        if where not in chosen or len(chain) > len(chosen[where][1]):
            chosen[where] = (head.url, chain, final)
    return [chosen[k] for k in sorted(chosen, key=lambda k: (k[0] or "", k[1]))]


def _follow(
    head: ResponseHead, member: str | None, latest: dict[str, tuple[str | None, ResponseHead]]
) -> tuple[list[dict[str, object]], tuple[str | None, ResponseHead]]:
    chain: list[dict[str, object]] = []
    current = (member, head)
    for _ in range(MAX_CHAIN):
        location = current[1].header("location")
        chain.append({"url": current[1].url, "status": current[1].status, "location": location})
        if not (300 <= current[1].status < 400 and location):
            break
        try:
            target = latest.get(url_key(urljoin(current[1].url, location)))
        except ValueError:  # a Location (or URL) urllib cannot parse: the chain ends here
            break
        if target is None or target[1] is current[1]:
            break
        current = target
    return chain, current


def _iso(warc_date: str) -> str:
    """WARC-Date is already ISO 8601 UTC (``2022-10-01T12:00:00Z``); store it as the index does."""
    return warc_date.replace("Z", "+00:00") if warc_date else ""


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "import.warc"
