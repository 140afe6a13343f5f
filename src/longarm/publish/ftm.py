"""The dataset as FollowTheMoney entities (JSON lines), for Aleph, OpenSanctions tooling and the like.

FtM has no "overseas police station" schema; the mapping below picks the
closest and says how, and the About page prints this same table. Count
claims and editions have no FtM counterpart and stay in the CSV/JSON exports.
Sensitive persons are left out entirely unless --include-sensitive: an FtM
Person needs a name, and a placeholder name would make every redacted person
look like one entity to de-duplication tools.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from longarm.catalog import Catalog
from longarm.geo import country_name

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

MAPPING = [
    (
        "station",
        "Organization",
        "name from jurisdiction and place; country; opening date as incorporationDate; topics gov.security",
    ),
    (
        "station place",
        "Address",
        "city (or region) and country only, no coordinates: the place is a city, not an "
        "address; linked from the station's addressEntity",
    ),
    (
        "station run by jurisdiction",
        "Directorship",
        "director = the running jurisdiction, organization = the station, role 'runs overseas police service station'",
    ),
    ("jurisdiction", "PublicBody", "name, Chinese names as alias, country CN, topics gov.security"),
    (
        "jurisdiction parent",
        "Membership",
        "member = the sub-unit, organization = its parent, role 'sub-unit' (FtM's "
        "parent property is deprecated, and Ownership needs an Asset, which a public body is not)",
    ),
    ("source", "Article", "title, publisher, author, publishedAt, language, sourceUrl"),
    ("citation", "Documentation", "one per (entity, source): entity, document = the source, summary = the quotes"),
    (
        "event",
        "Event",
        "name, date, endDate, country, summary; organizer = jurisdictions; involved = stations and "
        "non-sensitive persons",
    ),
    ("person (not sensitive)", "Person", "name, Chinese name as alias, position = role, country"),
    ("person affiliation", "Employment", "employer = the jurisdiction, employee = the person, role"),
    ("claim, edition", "—", "no FtM counterpart: in the CSV, JSON and SQLite exports"),
]
FILENAME = "entities.ftm.json"
# The kinds of which every entity is exported (persons: those not sensitive, unless included).
ENTITY_KINDS = ("source", "jurisdiction", "station", "event")


def ftm_id(kind: str, entity_id: str) -> str:
    return f"longarm-{kind}-{entity_id}"


def _make(schema: str, entity_id: str, **properties: Any) -> EntityProxy:
    from followthemoney import model  # imported when an export is written, not for the About page's MAPPING

    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            if value not in (None, ""):
                proxy.add(prop, value)
    return proxy


def entities(catalog: Catalog) -> Iterator[EntityProxy]:
    jurisdictions = catalog.entities["jurisdiction"]
    persons = catalog.entities["person"]
    shown_persons = _shown_persons(catalog)
    for sid, source in catalog.entities["source"].items():
        yield _make(
            "Article",
            ftm_id("source", sid),
            title=source["title"] or source["publisher"],
            publisher=source["publisher"],
            author=source["author"],
            publishedAt=source["date"],
            language=source["lang"],
            sourceUrl=source["url"],
            summary=source["title_en"],
            notes=source["note"],
        )
    for jid, j in jurisdictions.items():
        yield _make(
            "PublicBody",
            ftm_id("jurisdiction", jid),
            name=j["name_full"] or j["name"],
            alias=[j["name"], *j["name_zh"]],
            country="CN",
            topics="gov.security" if j["organ"] in (None, "public-security") else "gov",
            classification=j["level"],
            notes=j["note"],
        )
        if j["parent"] in jurisdictions:
            yield _link("Membership", ftm_id("unit-of", jid), "sub-unit",
                        member=("jurisdiction", jid), organization=("jurisdiction", j["parent"]))  # fmt: skip
    for s in catalog.stations:
        entity = catalog.entities["station"][s["id"]]
        where = s["place_name"] or country_name(s["country"])
        address_id = None
        if s["place_name"]:
            address_id = ftm_id("address", s["id"])
            region = s["location_precision"] == "region"
            yield _make(
                "Address",
                address_id,
                full=f"{s['place_name']}, {s['country_name']}",
                city=None if region else s["place_name"],
                region=s["place_name"] if region else None,
                country=s["country"],
                summary=f"location precision: {s['location_precision']}",
            )
        yield _make(
            "Organization",
            ftm_id("station", s["id"]),
            name=entity["name"] or f"{s['jurisdiction']} overseas police service station, {where}",
            alias=entity["name_zh"],
            country=s["country"],
            incorporationDate=s["opened"],
            addressEntity=address_id,
            topics="gov.security",
            summary=f"location precision: {s['location_precision']}; edition status: {s['status']}",
            notes=entity["note"],
        )
        yield _link("Directorship", ftm_id("runs", s["id"]), "runs overseas police service station",
                    director=("jurisdiction", s["jurisdiction_id"]), organization=("station", s["id"]))  # fmt: skip
    for pid, p in persons.items():  # in id order: the export is the same file for the same data
        if pid not in shown_persons:
            continue
        yield _make(
            "Person",
            ftm_id("person", pid),
            name=p["name"],
            alias=p["name_zh"],
            position=p["role"],
            country=p["country"],
            notes=p["note"],
        )
        if p["affiliation"] in jurisdictions:
            yield _link("Employment", ftm_id("employment", pid), p["role"],
                        employer=("jurisdiction", p["affiliation"]), employee=("person", pid))  # fmt: skip
    for e in catalog.events:
        involved = [ftm_id("station", sid) for sid in e["station"] if sid in catalog.station_by_id]
        involved += [ftm_id("person", pid) for pid in e["person"] if pid in shown_persons]
        yield _make(
            "Event",
            ftm_id("event", e["id"]),
            name=e["title"],
            date=e["date"],
            endDate=e["date_end"],
            country=e["country"],
            summary=e["summary"] or "",
            notes=e["note"] or "",
            organizer=[ftm_id("jurisdiction", j) for j in e["jurisdiction"] if j in jurisdictions],
            involved=involved,
            keywords=e["type"],
        )
    yield from _documentation(catalog, shown_persons)


def _shown_persons(catalog: Catalog) -> set[str]:
    """The persons exported: not the sensitive ones (unless included), whom a placeholder name would merge."""
    persons = catalog.entities["person"]
    return {pid for pid, p in persons.items() if catalog.include_sensitive or p.get("sensitive") != "true"}


def _link(schema: str, link_id: str, role: str, **ends: tuple[str, str]) -> EntityProxy:
    """A relation (Membership, Directorship, Employment) between two exported entities, each end (kind, id)."""
    return _make(schema, link_id, role=role, **{prop: ftm_id(*end) for prop, end in ends.items()})


def _documentation(catalog: Catalog, shown_persons: set[str]) -> Iterator[EntityProxy]:
    """One Documentation per (exported entity, source), carrying the quotes as its summary: every
    source, jurisdiction, station and event is exported, and the persons shown."""
    for entity_id, statements in catalog.statements_by_entity.items():
        kind = statements[0]["kind"]
        if kind not in ENTITY_KINDS and not (kind == "person" and entity_id in shown_persons):
            continue
        target = ftm_id(kind, entity_id)
        quotes: dict[str, list[str]] = {}
        for st in statements:
            bucket = quotes.setdefault(st["source_id"], [])
            if st["quote"] not in bucket:
                bucket.append(st["quote"])
        for source_id, texts in quotes.items():
            yield _make(
                "Documentation",
                ftm_id("cites", f"{kind}-{entity_id}-{source_id}"),
                entity=target,
                document=ftm_id("source", source_id),
                role="cited as evidence",
                summary=" | ".join(f"“{t}”" for t in texts),
            )


def write_ftm(catalog: Catalog, folder: Path) -> str:
    with (folder / FILENAME).open("w", encoding="utf-8") as handle:
        for proxy in entities(catalog):
            handle.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return FILENAME
