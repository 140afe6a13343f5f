"""Redaction of sensitive persons (targets and victims) from every public output.

Names of people flagged ``sensitive`` are replaced wherever they occur: in the
person's own record, and inside quotes, notes, titles and every other text
field that mentions them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from longarm.ledger.store import Store

REDACTED = "[redacted: sensitive person]"
# The fields a statement id hashes that redaction may change; see ``redacted_statement``.
STATEMENT_TEXT_FIELDS = ("value", "quote", "note", "gloss", "as_converted")


def redactor(store: Store, include_sensitive: bool = False) -> Callable[[str], str]:
    """A function that blanks sensitive names in a text (identity when included on purpose)."""
    if include_sensitive:
        return lambda text: text
    names: list[str] = []
    for person in store.entities("person"):
        if person["sensitive"] == "true":
            names.extend(n for n in (person["name"], person["name_zh"]) if n)
    if not names:
        return lambda text: text
    latin = [re.escape(n) for n in names if n.isascii()]
    other = [re.escape(n) for n in names if not n.isascii()]
    # Not inside a longer word ("Zed" is not in "Zedong"); (?<!\w) rather than \b, which would not
    # match before or after a name that begins or ends with punctuation ("Zhang W.").
    parts = ([rf"(?<!\w)(?:{'|'.join(latin)})(?!\w)"] if latin else []) + other
    pattern = re.compile("|".join(parts))
    return lambda text: pattern.sub(REDACTED, text)


def redact_record(record: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    """Apply ``redact`` to every text field of a flat record (lists of text included).

    ``redact`` replaces names within a text (no name spans two fields), so the texts are first
    checked together in one call: most records mention nobody, and a site redacts a great many.
    """
    texts = [v for v in record.values() if isinstance(v, str)]
    texts += [item for v in record.values() if isinstance(v, list) for item in v if isinstance(item, str)]
    joined = "\x00".join(texts)
    if redact(joined) == joined:
        return dict(record)
    result: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, str):
            result[key] = redact(value)
        elif isinstance(value, list):
            result[key] = [redact(v) if isinstance(v, str) else v for v in value]
        else:
            result[key] = value
    return result


def redacted_entity(
    kind: str, entity: dict[str, Any], redact: Callable[[str], str], include_sensitive: bool = False
) -> dict[str, Any]:
    """An entity with names blanked in every text field; a sensitive person's own names are blanked
    whole, whatever the text around them."""
    record = redact_record(entity, redact)
    if kind == "person" and entity.get("sensitive") == "true" and not include_sensitive:
        record["name"] = REDACTED
        if record.get("name_zh"):
            record["name_zh"] = REDACTED
    return record


def redacted_statement(st: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    """A statement with names blanked; one that changed also gets a new id.

    A statement id hashes the statement's text, so the original id of a
    redacted statement would let anyone confirm a guessed name. The new id
    hashes the redacted text instead (prefixed "r" so it cannot be mistaken
    for an original).
    """
    record = redact_record(st, redact)
    if any(record.get(field) != st.get(field) for field in STATEMENT_TEXT_FIELDS):
        key = "\x1f".join(
            str(record[field])
            for field in ("kind", "entity_id", "prop", "value", "source_id", "quote", "note", "data_line", "first_seen")
        )
        record["id"] = "r" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:19]
    # The curator's local path says nothing about the data and something about their machine.
    record["data_file"] = st["data_file"].replace("\\", "/").rpartition("/")[2] if st["data_file"] else None
    return record
