"""What the ledger refuses, as types: presenters map each to an exit code or an HTTP status.

Every message is one line, safe to show, and names the file, field or id at fault.
"""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Bad input in a data file; ``str()`` is the one-line message users see."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class StoreError(Exception):
    """A database that cannot be used; the message says which file and why."""


class ReviewError(ValueError):
    """A candidate file, form or decision that cannot be used (HTTP 422)."""


class ReviewNotFound(ReviewError):
    """No candidate, decision or judgement with that id (HTTP 404)."""


class ReviewConflict(ReviewError):
    """The request is well formed but the state forbids it, e.g. reversing twice (HTTP 409)."""


class EditionNotFound(LookupError):
    """No edition of that name (HTTP 404, CLI exit 2); the message lists those there are."""
