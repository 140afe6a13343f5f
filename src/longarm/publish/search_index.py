"""What can be searched, for both searches: the live app's FTS index and the published site's own.

``documents`` lists every searchable thing once (a station, jurisdiction, country,
source, event or quote) with the words it is found by: its names in English, in
Chinese and in the local spelling (Milano, 米兰 and Milan all find Milan's
stations). The live app (``longarm.web.search``) loads these rows into SQLite
FTS5; ``publish`` writes the same rows as ``assets/search-index.js`` for the
static site's search box (``static/search.js``), which matches substrings, so a
two-character Chinese name such as 米兰 or 温州 is found too. Both are built from
the catalog's redacted rows: a name redacted on the pages cannot be searched for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from longarm.geo import country_name
from longarm.ledger.datafiles import CJK
from longarm.model import kinds

if TYPE_CHECKING:
    from longarm.publish.site import Site

# what a hit is, for a reader: an entity kind's label (model.yaml), or one of the two kinds of hit that are
# no entity
NOT_ENTITIES = {"country": "Country", "quote": "Quote"}


def kind_label(kind: str) -> str:
    entity = kinds().get(kind)
    return entity.label if entity else NOT_ENTITIES.get(kind, kind)


@cache
def chinese_city_names() -> dict[str, list[str]]:
    """GeoNames id -> the Chinese names the extraction gazetteer knows for that city (米兰 for Milan)."""
    from longarm.geo.gazetteer import names

    result: dict[str, list[str]] = {}
    for surface, meanings in names().items():
        if not CJK.search(surface):
            continue
        for meaning in meanings:
            if meaning.kind == "city":
                result.setdefault(meaning.key, []).append(surface)
    return result


def _words(value: Any) -> str:
    """A stored list (a JSON array such as '["Milano"]') as plain words; text as itself."""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v)
    text = str(value or "")
    if text.startswith("["):
        try:
            return _words(json.loads(text))
        except ValueError:
            return text
    return text


def _join(*parts: Any) -> str:
    return " ".join(text for part in parts if (text := _words(part)))


def documents(site: Site) -> Iterator[tuple[str, str, str, str, str]]:
    """(kind, ref, href, title, body) for every searchable thing, from the catalog's redacted rows
    and the site's addresses (root-relative)."""
    catalog = site.catalog
    for s in catalog.stations:
        entity = catalog.entities["station"].get(s["id"], {})
        place = catalog.places.get(s["place"] or "")
        variants = _words(place["variants"]) if place else ""
        if place and place["geonameid"]:
            variants += " " + " ".join(chinese_city_names().get(str(place["geonameid"]), []))
        runner = catalog.entities["jurisdiction"].get(s["jurisdiction_id"], {})
        body = _join(
            s["id"], s["jurisdiction"], runner.get("name_zh"), s["country_name"], country_name(s["country"], "zh"),
            s["place_name"], variants, s["table_cell"], entity.get("name"), entity.get("name_zh"),
            entity.get("locality"), entity.get("note"),
        )  # fmt: skip
        yield "station", s["id"], f"station/{s['id']}.html", site.station_title(s), body
    for jid, j in catalog.entities["jurisdiction"].items():
        body = _join(j["name"], j.get("name_full"), j.get("name_zh"), j.get("note"))
        yield "jurisdiction", jid, f"jurisdiction/{jid}.html", j["name"], body
    for row in catalog.country_rows:
        code = row["code"]
        body = f"{code} {row['name']} {row['name_zh']} {country_name(code, 'zh_Hant')}"
        href = f"check.html?country={code}" if site.live else f"country/{code}.html"
        yield "country", code, href, row["name"], body
    for sid, src in catalog.entities["source"].items():
        body = _join(
            src["publisher"], src.get("publisher_zh"), src.get("title"), src.get("title_en"), src.get("author"),
            src.get("date"), src.get("url"), src.get("note"),
        )  # fmt: skip
        yield "source", sid, f"source/{sid}.html", site.source_title(sid), body
    for e in catalog.events:
        body = _join(
            e["title"], e.get("summary"), e.get("note"), e["type"], [country_name(c) for c in e["country"]],
            [country_name(c, "zh") for c in e["country"]], e["jurisdiction_names"],
        )  # fmt: skip
        yield "event", e["id"], f"timeline.html#event-{e['id']}", e["title"], body
    seen: set[tuple[str, str]] = set()
    for entity_id, statements in catalog.statements_by_entity.items():
        for st in statements:
            key = (entity_id, st["quote"])
            if key in seen:
                continue
            seen.add(key)
            href = site.href(st["kind"], entity_id)
            if href:
                title = f"{site.entity_name(st['kind'], entity_id)}, quoted in {site.source_title(st['source_id'])}"
                yield "quote", f"{entity_id}:{st['source_id']}", href, title, st["quote"]


def static_index(site: Site) -> list[dict[str, str]]:
    """The published site's search index: one record per document (kind label, title, href, words)."""
    return [
        {"k": kind_label(kind), "t": title, "h": href, "b": body} for kind, _ref, href, title, body in documents(site)
    ]


def static_index_script(site: Site) -> bytes:
    """The index as a script that sets a global: pages opened from file:// cannot fetch() a JSON file."""
    text = json.dumps(static_index(site), ensure_ascii=False, separators=(",", ":"))
    return f"window.LONGARM_SEARCH = {text};\n".encode()
