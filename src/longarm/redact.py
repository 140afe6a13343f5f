"""Redaction of sensitive persons (targets and victims) from every public output.

Names of people flagged ``sensitive`` are replaced wherever they occur: in the
person's own record, and inside quotes and notes that mention them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from longarm.store import Store

REDACTED = "[redacted: sensitive person]"


def sensitive_person_ids(store: Store) -> set[str]:
    return {p["id"] for p in store.entities("person") if p["sensitive"] == "true"}


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
    parts = ([rf"\b(?:{'|'.join(latin)})\b"] if latin else []) + other
    pattern = re.compile("|".join(parts))
    return lambda text: pattern.sub(REDACTED, text)


def redact_record(record: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    """Apply ``redact`` to every text field of a flat record (lists of text included)."""
    result: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, str):
            result[key] = redact(value)
        elif isinstance(value, list):
            result[key] = [redact(v) if isinstance(v, str) else v for v in value]
        else:
            result[key] = value
    return result
