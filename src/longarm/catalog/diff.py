"""What changed between two editions: computed from their catalogs, never typed.

Each side is a ``Catalog`` of one edition (its statements alone). An entity is **new since** when
the later edition has it and the earlier does not, **no longer** in the opposite case, and
**changed** when both have it but its values differ (property by property, values added and
removed) or, for a station, its computed status differs. Every entry names its kind, id and a
readable title, so the CLI, the site's "since the report" page and the API print the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from longarm.catalog.catalog import Catalog
from longarm.catalog.rows import station_title

KINDS = ("station", "event", "claim", "source", "jurisdiction", "person")


def _values(catalog: Catalog, entity_id: str) -> dict[str, set[str]]:
    values: dict[str, set[str]] = defaultdict(set)
    for st in catalog.statements_by_entity.get(entity_id, []):
        values[st["prop"]].add(st["value"])
    return values


def _title(catalog: Catalog, kind: str, entity_id: str) -> str:
    entity = catalog.entities[kind].get(entity_id, {})
    if kind == "station" and entity_id in catalog.station_by_id:
        return station_title(catalog.station_by_id[entity_id])
    if kind == "event":
        return " ".join(x for x in (str(entity.get("date") or ""), str(entity.get("title") or "")) if x)
    for field in ("name", "title", "publisher", "label"):
        if entity.get(field):
            return str(entity[field])
    return entity_id


def _entry(catalog: Catalog, kind: str, entity_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": kind, "id": entity_id, "title": _title(catalog, kind, entity_id)}
    if kind == "event":
        event = catalog.event_by_id.get(entity_id, {})
        entry |= {"type": event.get("type"), "date": event.get("date"), "country": event.get("country", [])}
    if kind == "station":
        entry["status"] = catalog.statuses.get(entity_id)
    return entry


def diff(before: Catalog, after: Catalog) -> dict[str, Any]:
    """The rows of `longarm diff A B`: new since, no longer, changed, per kind, in a stable order."""
    result: dict[str, Any] = {
        "from": before.edition,
        "to": after.edition,
        "new": [],
        "gone": [],
        "changed": [],
    }
    for kind in KINDS:
        old_ids = {e for e in before.statements_by_entity if before.kind_of(e) == kind}
        new_ids = {e for e in after.statements_by_entity if after.kind_of(e) == kind}
        result["new"] += [_entry(after, kind, e) for e in sorted(new_ids - old_ids)]
        result["gone"] += [_entry(before, kind, e) for e in sorted(old_ids - new_ids)]
        for entity_id in sorted(old_ids & new_ids):
            old, new = _values(before, entity_id), _values(after, entity_id)
            changes = [
                {"prop": prop, "added": sorted(new[prop] - old[prop]), "removed": sorted(old[prop] - new[prop])}
                for prop in sorted(set(old) | set(new))
                if old[prop] != new[prop]
            ]
            if kind == "station" and before.statuses.get(entity_id) != after.statuses.get(entity_id):
                changes.append(
                    {
                        "prop": "status",
                        "added": [after.statuses.get(entity_id, "unknown")],
                        "removed": [before.statuses.get(entity_id, "unknown")],
                    }
                )
            if changes:
                result["changed"].append(_entry(after, kind, entity_id) | {"changes": changes})
    result["counts"] = {
        "new": len(result["new"]),
        "gone": len(result["gone"]),
        "changed": len(result["changed"]),
    }
    return result
