"""The entity kinds, their properties and the enumerations, read from ``model.yaml``.

The model is data (as FollowTheMoney declares its schemata): the loader, the
SQLite views, the checks, the exports and every label a reader sees come from
this one declaration instead of each keeping its own list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Enumeration:
    """A closed set of values with the words a reader sees for each (``labels`` keeps the order)."""

    name: str
    labels: dict[str, str]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, value: str | None, default: str = "unknown") -> str:
        """The reader's word for a value; an empty value reads as ``default``, an unlisted one as itself."""
        if not value:
            return default
        return self.labels.get(value, value)


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool = False
    multi: bool = False
    range: str | None = None
    values: tuple[str, ...] = ()
    enum: str | None = None  # the enumeration its values come from, for their labels


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    file: str
    properties: dict[str, Property] = field(default_factory=dict)


@cache
def _declared() -> dict[str, Any]:
    text = resources.files("longarm").joinpath("model.yaml").read_text(encoding="utf-8")
    declared: dict[str, Any] = yaml.safe_load(text)
    return declared


@cache
def enumerations() -> dict[str, Enumeration]:
    """Every named enumeration: those properties use (``enum: NAME``) and those the read side
    computes (a station's revelation status), each value with its label."""
    return {
        name: Enumeration(name, {str(k): str(v) for k, v in labels.items()})
        for name, labels in _declared()["enumerations"].items()
    }


def enumeration(name: str) -> Enumeration:
    return enumerations()[name]


def property_label(name: str) -> str:
    """The words a reader sees for a property (``model.yaml``'s ``labels``, else its name in words)."""
    labels: dict[str, str] = _declared().get("labels") or {}
    return labels.get(name) or name.replace("_", " ").capitalize()


@cache
def kinds() -> dict[str, Kind]:
    result: dict[str, Kind] = {}
    for name, spec in _declared()["kinds"].items():
        props = {}
        for prop, p in spec["properties"].items():
            values = enumerations()[p["enum"]].values if "enum" in p else tuple(p.get("values", ()))
            props[prop] = Property(
                name=prop,
                type=p["type"],
                required=bool(p.get("required", False)),
                multi=bool(p.get("multi", False)),
                range=p.get("range"),
                values=values,
                enum=p.get("enum"),
            )
        result[name] = Kind(name=name, label=spec["label"], file=spec["file"], properties=props)
    return result
