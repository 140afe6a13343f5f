"""Files on their way into the archive: written aside, renamed into place, then indexed.

A WARC file is written to a hidden temporary file named with the writer's
process id (``.NAME.PID.tmp``) and renamed into place; its captures are
indexed after that. From just before the rename until the index has
committed its captures the file is pending: a hidden marker beside it,
``.NAME.pending``, says so, and ``CaptureIndex.add`` removes it. A process
killed on the way leaves a temporary file (removed by the next writer, once
its process is gone) or a pending file: not a capture deleted, so `verify`
names it as pending instead of failing, and importing the same file again
indexes it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.tmp$")
_MARKER = re.compile(r"^\.(.+)\.pending$")


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def marker_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.pending")


def mark(path: Path) -> None:
    """Say that ``path`` is about to appear in the archive without its captures indexed yet."""
    marker_path(path).write_text(f"{os.getpid()}\n", encoding="ascii")


def clear(path: Path) -> None:
    marker_path(path).unlink(missing_ok=True)


def is_pending(path: Path) -> bool:
    return marker_path(path).exists()


def marked_files(archive_dir: Path) -> Iterator[Path]:
    """The files that carry a pending marker (whether or not they exist)."""
    for marker in archive_dir.rglob(".*.pending"):
        found = _MARKER.match(marker.name)
        if found:
            yield marker.with_name(found.group(1))


def writer_alive(path: Path) -> bool:
    """Whether the process that marked ``path`` pending is still running (it may be placing it now)."""
    try:
        pid = int(marker_path(path).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return False
    return pid == os.getpid() or _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_temporaries(archive_dir: Path) -> list[Path]:
    """Delete the temporary files of writers that are no longer running; the files removed."""
    removed = []
    for path in archive_dir.rglob(".*.tmp"):
        found = _TEMPORARY.match(path.name)
        if found and int(found.group(1)) != os.getpid() and not _alive(int(found.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
