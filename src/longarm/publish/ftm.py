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

from longarm.geo import country_name

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

    from longarm.publish.site import Site

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


def entities(site: Site) -> Iterator[EntityProxy]:
    jurisdictions = site.entities["jurisdiction"]
    persons = site.entities["person"]
    shown_persons = {pid for pid, p in persons.items() if site.include_sensitive or p.get("sensitive") != "true"}
    exported: set[str] = set()

    def emit(proxy: EntityProxy) -> EntityProxy:
        if proxy.id:
            exported.add(proxy.id)
        return proxy

    for sid, source in site.entities["source"].items():
        yield emit(
            _make(
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
        )
    for jid, j in jurisdictions.items():
        yield emit(
            _make(
                "PublicBody",
                ftm_id("jurisdiction", jid),
                name=j["name_full"] or j["name"],
                alias=[j["name"], *j["name_zh"]],
                country="CN",
                topics="gov.security" if j["organ"] in (None, "public-security") else "gov",
                classification=j["level"],
                notes=j["note"],
            )
        )
        if j["parent"] in jurisdictions:
            yield emit(
                _make(
                    "Membership",
                    ftm_id("unit-of", jid),
                    member=ftm_id("jurisdiction", jid),
                    organization=ftm_id("jurisdiction", j["parent"]),
                    role="sub-unit",
                )
            )
    for s in site.stations:
        entity = site.entities["station"][s["id"]]
        where = s["place_name"] or country_name(s["country"])
        address_id = None
        if s["place_name"]:
            address_id = ftm_id("address", s["id"])
            region = s["location_precision"] == "region"
            yield emit(
                _make(
                    "Address",
                    address_id,
                    full=f"{s['place_name']}, {s['country_name']}",
                    city=None if region else s["place_name"],
                    region=s["place_name"] if region else None,
                    country=s["country"],
                    summary=f"location precision: {s['location_precision']}",
                )
            )
        yield emit(
            _make(
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
        )
        yield emit(
            _make(
                "Directorship",
                ftm_id("runs", s["id"]),
                director=ftm_id("jurisdiction", s["jurisdiction_id"]),
                organization=ftm_id("station", s["id"]),
                role="runs overseas police service station",
            )
        )
    for pid in shown_persons:
        p = persons[pid]
        yield emit(
            _make(
                "Person",
                ftm_id("person", pid),
                name=p["name"],
                alias=p["name_zh"],
                position=p["role"],
                country=p["country"],
                notes=p["note"],
            )
        )
        if p["affiliation"] in jurisdictions:
            yield emit(
                _make(
                    "Employment",
                    ftm_id("employment", pid),
                    employer=ftm_id("jurisdiction", p["affiliation"]),
                    employee=ftm_id("person", pid),
                    role=p["role"],
                )
            )
    for e in site.events:
        involved = [ftm_id("station", sid) for sid in e["station"] if sid in site.station_by_id]
        involved += [ftm_id("person", pid) for pid in e["person"] if pid in shown_persons]
        yield emit(
            _make(
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
        )
    yield from _documentation(site, exported)


def _documentation(site: Site, exported: set[str]) -> Iterator[EntityProxy]:
    """One Documentation per (exported entity, source), carrying the quotes as its summary."""
    for entity_id, statements in site.statements_by_entity.items():
        kind = statements[0]["kind"]
        target = ftm_id(kind, entity_id)
        if target not in exported:
            continue
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


def write_ftm(site: Site, folder: Path) -> str:
    with (folder / FILENAME).open("w", encoding="utf-8") as handle:
        for proxy in entities(site):
            handle.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return FILENAME
