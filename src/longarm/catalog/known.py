"""Mark each extracted (jurisdiction, country, city) as known (a documented station) or new."""

from __future__ import annotations

import json
from typing import Any

from longarm.catalog.reconcile import running_root
from longarm.ledger.store import Store

KNOWN = "known"
NEW = "new"


class StationIndex:
    """The documented stations of a store, for comparing extracted candidates against."""

    def __init__(self, store: Store) -> None:
        self.jurisdictions = {j["id"]: j for j in store.entities("jurisdiction")}
        self.stations = store.entities("station")
        self.place_names: dict[str, set[str]] = {}
        for place_id, place in store.places().items():
            variants = json.loads(place["variants"]) if place["variants"] else []
            self.place_names[place_id] = {n.casefold() for n in (place["name"], *variants)}

    def running_jurisdiction(self, name: str | None, name_zh: str | None = None) -> str | None:
        """The station-running jurisdiction id an extracted name belongs to, if the store knows it."""
        if not name:
            return None
        wanted = name.casefold()
        core = (name_zh or "").rstrip("市县区")
        for jid, row in self.jurisdictions.items():
            zh_names = row.get("name_zh") or []
            if row["name"].casefold() == wanted or (len(core) >= 2 and any(z.startswith(core) for z in zh_names)):
                return running_root(self.jurisdictions, jid) or jid
        return None

    def match(self, jurisdiction: str | None, country: str, city: str | None, name_zh: str | None = None) -> str | None:
        """The documented station an extracted (jurisdiction, country, city) is, or None when it is new.
        Without a city, any station of that jurisdiction in that country matches."""
        root = self.running_jurisdiction(jurisdiction, name_zh)
        if jurisdiction and root is None:
            return None
        for station in self.stations:
            if station["country"] != country or (root is not None and station["jurisdiction"] != root):
                continue
            if city is None:
                return str(station["id"])
            if station["place"] and city.casefold() in self.place_names.get(station["place"], set()):
                return str(station["id"])
        return None

    def status(self, jurisdiction: str | None, country: str, city: str | None, name_zh: str | None = None) -> str:
        return KNOWN if self.match(jurisdiction, country, city, name_zh) else NEW


def mark(rows: list[dict[str, Any]], index: StationIndex) -> list[dict[str, Any]]:
    return [{**row, "status": index.status(row["jurisdiction"], row["country"], row["city"])} for row in rows]
