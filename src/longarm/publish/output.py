"""Where a site is written: never over a user's folder, never half-written.

A published site carries a manifest (``longarm-site.json``) listing every file
longarm wrote. Publishing to a folder that exists is allowed only when it is
empty or is such a site with nothing added by hand; anything else is refused.
The new site is built in a hidden sibling folder and swapped in by renaming,
so a failed publish leaves the previous site exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "longarm-site.json"
GENERATOR = "longarm"


class PublishError(Exception):
    """A target folder longarm will not write to; ``str()`` is the one-line message users see."""


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("generator") != GENERATOR:
        return None
    return manifest


def check_target(out_dir: Path) -> None:
    """Refuse an OUT_DIR that publishing would damage; say why in one line."""
    if out_dir.is_symlink():
        raise PublishError(f"{out_dir}: is a symbolic link; give the folder itself")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise PublishError(f"{out_dir}: exists and is not a folder; refusing to replace it")
    if not any(out_dir.iterdir()):
        return
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise PublishError(
            f"{out_dir}: exists and is not a longarm site (no {MANIFEST}); refusing to replace it "
            "(choose a new or empty folder)"
        )
    added = sorted(files_under(out_dir) - set(manifest.get("files", [])) - {MANIFEST})
    if added:
        shown = ", ".join(added[:3]) + (f" and {len(added) - 3} more" if len(added) > 3 else "")
        raise PublishError(
            f"{out_dir}: holds files longarm did not write ({shown}); refusing to replace it "
            "(move them out or choose another folder)"
        )


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A fresh sibling folder to build in; on success it replaces ``out_dir``, on failure it is removed."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = out_dir.with_name(f".{out_dir.name}.longarm-new-{os.getpid()}")
    old = out_dir.with_name(f".{out_dir.name}.longarm-old-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if out_dir.exists():
        os.replace(out_dir, old)
        try:
            os.replace(stage, out_dir)
        except OSError:
            os.replace(old, out_dir)
            shutil.rmtree(stage, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(stage, out_dir)


def write_manifest(folder: Path, info: dict[str, Any]) -> None:
    manifest = {"generator": GENERATOR, **info, "files": sorted(files_under(folder))}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
