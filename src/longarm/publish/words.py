"""Plain words for reader pages: a statement reads "Jurisdiction: Ministry of Public Security",
never "`jurisdiction` = mps". Property names become labels, and a value becomes what it names:
an entity's name for a reference, a country's name for its code, an enumeration's label."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from longarm.model import enumeration, kinds
from longarm.model.schema import Property


@cache
def _properties() -> dict[tuple[str, str], Property]:
    return {(kind, name): p for kind, k in kinds().items() for name, p in k.properties.items()}


@cache
def _any_kind() -> dict[str, Property]:
    """A property by name alone, for a statement shown without its entity's kind (same name, same type)."""
    found: dict[str, Property] = {}
    for k in kinds().values():
        for name, p in k.properties.items():
            found.setdefault(name, p)
    return found


def _enum_label(prop: Property, value: str) -> str:
    return enumeration(prop.enum).label(value, value) if prop.enum else value


def value_words(
    prop: Property | None, value: str, name_of: Callable[[str, str], str], country_name: Callable[[str], str],
    language_name: Callable[[str], str],
) -> str:  # fmt: skip
    if prop is None:
        return value
    if prop.type == "ref" and prop.range:
        return name_of(prop.range, value)
    if prop.type == "country":
        return country_name(value)
    if prop.type == "enum":
        return _enum_label(prop, value)
    if prop.type == "bool":
        return "yes" if value in ("true", "1", "yes") else "no"
    if prop.type == "lang":
        return language_name(value)
    return value


def find_property(kind: str | None, prop: str) -> Property | None:
    return _properties().get((kind or "", prop)) or _any_kind().get(prop)
