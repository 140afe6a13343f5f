"""The statement: one value of one property of one entity, as one source supports it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import Any

CURATED = "curated"

# The statement table's columns in order: the one list every reader and writer of statements
# derives its columns from (the store's SCHEMA spells them out with their types; a test checks they agree).
STATEMENT_COLUMNS = (
    "id",
    "kind",
    "entity_id",
    "prop",
    "value",
    "precision",
    "source_id",
    "quote",
    "lang",
    "origin",
    "note",
    "first_seen",
    "last_seen",
    "data_file",
    "data_line",
    "gloss",
    "as_converted",
)


@dataclass(frozen=True)
class Statement:
    """One value of one property of one entity, as one source supports it."""

    kind: str
    entity_id: str
    prop: str
    value: str
    source_id: str
    quote: str
    lang: str
    origin: str = CURATED
    precision: str | None = None
    note: str | None = None
    data_file: str | None = None
    data_line: int | None = None
    # Our own short English rendering of a non-English quote, and the text a converted (OCR'd) copy
    # showed where it differs from the source as it reads; neither is part of the statement's identity.
    gloss: str | None = None
    as_converted: str | None = None

    @property
    def id(self) -> str:
        """A stable id: the same claim from the same source keeps its id across builds."""
        key = "\x1f".join((self.kind, self.entity_id, self.prop, self.value, self.source_id, self.quote))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def as_row(self, first_seen: str, last_seen: str) -> tuple[Any, ...]:
        """The statement as a row of the statement table, in ``STATEMENT_COLUMNS`` order."""
        values = {name: getattr(self, name) for name in _FIELD_NAMES}
        values.update(id=self.id, first_seen=first_seen, last_seen=last_seen)
        return tuple(values[column] for column in STATEMENT_COLUMNS)

    @classmethod
    def from_row(cls, row: Any) -> Statement:
        """A statement from a row of the statement table (a mapping with its columns)."""
        return cls(**{name: row[name] for name in _FIELD_NAMES})


_FIELD_NAMES = tuple(f.name for f in fields(Statement))
