"""The site as a function of (catalog, page path) -> HTML, with no file system assumed.

`longarm publish` writes every page of ``Site.paths()`` to disk; `longarm serve`
can answer a request for a path with ``Site.render(path)``. All links are
relative to the page (``root`` is ``""`` or ``"../"``), so a published site
works from ``file://`` as well as from any web host.

Everything the pages show comes from the catalog (``longarm.catalog``), the
read model the CLI prints too, so the site and `longarm stations --json` never
disagree; this module only renders.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache, cached_property
from typing import Any, NamedTuple

from babel import Locale
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from longarm import __version__
from longarm.catalog import Catalog
from longarm.catalog.redact import REDACTED
from longarm.catalog.rows import station_title
from longarm.geo import country_name
from longarm.model import enumeration, kinds, property_label
from longarm.publish import maps, words
from longarm.publish.timeline import timeline_axis


class EventSection(NamedTuple):
    """A group of events as the report discusses them, on the country page and the country check."""

    key: str
    types: tuple[str, ...]
    title: str  # on the country page
    check_title: str  # on the country check, which answers a reader's question


EVENT_SECTIONS = [
    EventSection("cooperation", ("bilateral-agreement", "joint-patrol", "cooperation"),
                 "Bilateral police agreements and joint patrols",
                 "Police cooperation with China: agreements and joint patrols"),
    EventSection("persuasion", ("persuasion-to-return",), "Persuasion-to-return cases",
                 "Documented persuasion-to-return cases"),
    EventSection("response", ("host-response",), "Host-government responses", "What the host government has done"),
    EventSection("other", ("opening", "licence-ceremony", "liaison-hiring", "meeting", "statement"),
                 "Openings, ceremonies and other events", "Openings, ceremonies and other events"),
]  # fmt: skip
NAV = [
    ("index.html", "Overview"),
    ("stations.html", "Stations"),
    ("timeline.html", "Timeline"),
    ("claims.html", "Claims ledger"),
    ("countries.html", "Countries"),
    ("jurisdictions.html", "Jurisdictions"),
    ("sources.html", "Sources"),
    ("since.html", "Since the report"),
    ("about.html", "Data & method"),
]


# Pages only the live app (`longarm serve`) has: they answer queries or need a login.
LIVE_NAV = [
    ("check.html", "Country check"),
    ("search.html", "Search"),
    ("review/index.html", "Review"),
]


class PageNotFound(LookupError):
    """No page at this path; `serve` answers 404."""


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("longarm.publish", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    statuses, precisions = enumeration("station_status"), enumeration("location_precision")
    event_types = enumeration("event_type")
    env.filters["status_label"] = lambda s: statuses.label(s or "unknown")
    env.filters["precision_label"] = lambda p: precisions.label(p, "unknown")
    env.filters["status_now_label"] = enumeration("station_status_now").label
    env.filters["event_label"] = lambda t: event_types.labels.get(t, t)
    env.filters["country_name"] = country_name
    env.filters["percent"] = lambda v: f"{v:.0%}"
    media, availability = enumeration("source_medium"), enumeration("source_availability")
    env.filters["medium_label"] = lambda m: media.label(m, "")
    env.filters["availability_label"] = lambda a: availability.label(a)
    env.filters["language_name"] = language_name
    env.filters["enum_label"] = lambda value, name: enumeration(name).label(value, "")
    env.filters["station_title"] = station_title
    env.filters["station_record"] = station_record
    return env


@cache
def _english() -> Locale:
    return Locale("en")


def language_name(code: str | None) -> str:
    """'Chinese' for zh: the English name of a language code (CLDR, via Babel); the code if unknown."""
    if not code:
        return "unknown"
    try:
        return str(_english().languages.get(code.split("-")[0], code))
    except (ValueError, TypeError):
        return code


def station_record(row: dict[str, Any]) -> dict[str, Any]:
    """One station as a list's download gives it: flat, named columns; no coordinates unless the city is known."""
    return {
        "id": row["id"],
        "station": station_title(row),
        "jurisdiction": row["jurisdiction"],
        "jurisdiction_id": row["jurisdiction_id"],
        "country": row["country"],
        "country_name": row["country_name"],
        "place_name": row["place_name"],
        "table_1_entry": row["table_cell"],
        "location_precision": row["location_precision"],
        "lat": row["lat"],
        "lon": row["lon"],
        "opened": row["opened"],
        "opened_precision": row["opened_precision"],
        "status": row["status"] or "unknown",
        "sources": len(row["sources"]),
    }


class Site:
    """Every page of the published site, rendered on demand from one store."""

    def __init__(
        self, catalog: Catalog, live: bool = False, captures: dict[str, Any] | None = None, base_url: str | None = None
    ) -> None:
        """``live``: pages for `longarm serve` (search box, country check, review links); a static
        site has none of these, having no server to answer a query. ``captures`` (source id -> the
        capture to link, as ``longarm.archive.latest_captures`` gives) adds, beside each citation, the
        source's original URL and its local archived copy, in both: a link makes no request until a
        reader follows it, and the copy is a page of the site itself. ``base_url``: where the site is
        hosted, so that each page says how to cite it with an absolute address."""
        self.catalog = catalog
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.live = live
        self.captures = captures or {}
        self.env = environment()

    # --- what pages there are ---------------------------------------------------------------

    def paths(self) -> list[str]:
        fixed = [path for path, _ in NAV]
        return [
            *fixed,
            *(f"station/{s['id']}.html" for s in self.catalog.stations),
            *(f"country/{code}.html" for code in self.catalog.country_codes),
            *(f"jurisdiction/{jid}.html" for jid in self.catalog.entities["jurisdiction"]),
            *(f"source/{sid}.html" for sid in self.catalog.entities["source"]),
        ]

    @cached_property
    def path_set(self) -> frozenset[str]:
        return frozenset(self.paths())

    def render(self, path: str) -> str:
        """The HTML of one page; ``PageNotFound`` for a path the site does not have."""
        section, _, leaf = path.partition("/")
        if not leaf:
            fixed: dict[str, Callable[[], str]] = {
                "index.html": self.home,
                "stations.html": self.station_list,
                "timeline.html": self.timeline,
                "claims.html": self.claims_page,
                "countries.html": self.country_list,
                "jurisdictions.html": self.jurisdiction_list,
                "sources.html": self.source_list,
                "since.html": self.since_page,
                "about.html": self.about,
            }
            if section in fixed:
                return fixed[section]()
            raise PageNotFound(path)
        key = leaf.removesuffix(".html")
        if not leaf.endswith(".html") or "/" in key:
            raise PageNotFound(path)
        if section == "station" and key in self.catalog.station_by_id:
            return self.station_page(key)
        if section == "country" and key in self.catalog.country_codes:
            return self.country_page(key)
        if section == "jurisdiction" and key in self.catalog.entities["jurisdiction"]:
            return self.jurisdiction_page(key)
        if section == "source" and key in self.catalog.entities["source"]:
            return self.source_page(key)
        raise PageNotFound(path)

    # --- each page's data, written beside it as JSON (station/X.html -> station/X.json) -------------

    def data(self, path: str) -> dict[str, Any]:
        """What a page shows, as data: the rows and records behind it, with names beside ids."""
        if path not in self.path_set:
            raise PageNotFound(path)
        section, _, leaf = path.partition("/")
        key = leaf.removesuffix(".html")
        catalog = self.catalog
        page: dict[str, Any] = {"page": path, "title": self.title_of(path)}
        if section == "index.html":
            return page | {"stats": catalog.stats, "table_1": catalog.grid,
                           "map_2": maps.country_status_data(catalog.stations, catalog.grid)}  # fmt: skip
        if section == "stations.html":
            return page | {"stations": [station_record(s) for s in catalog.stations]}
        if section == "timeline.html":
            return page | {"events": self.event_records(catalog.events)}
        if section == "claims.html":
            return page | {"claims": self.claim_records(), "stated": catalog.stats["stated"]}
        if section == "countries.html":
            return page | {"countries": self.country_records()}
        if section == "jurisdictions.html":
            return page | {"jurisdictions": self.jurisdiction_records()}
        if section == "sources.html":
            return page | {"sources": self.source_records()}
        if section == "since.html":
            editions = [e.as_dict() for e in catalog.editions.chain if e.released]
            return page | {"edition": catalog.edition, "changes": catalog.since_report, "editions": editions}
        if section == "about.html":
            from longarm.publish import exports

            return page | {"downloads": exports.describe_downloads(), "database": catalog.meta}
        if section == "station":
            return page | {
                "station": station_record(catalog.station_by_id[key]),
                "detail": catalog.detail(key),
                "events": self.event_records(catalog.events_by_station.get(key, [])),
            }
        if section == "country":
            return page | {
                "country": key,
                "name": country_name(key),
                "stations": [station_record(s) for s in catalog.stations_by_country.get(key, [])],
                "events": self.event_records(catalog.events_by_country.get(key, [])),
            }
        if section == "jurisdiction":
            return page | {
                "jurisdiction": catalog.entities["jurisdiction"][key],
                "stations": [station_record(s) for s in catalog.stations_by_jurisdiction.get(key, [])],
                "claims": catalog.claims_by_jurisdiction.get(key, []),
                "events": self.event_records(catalog.events_by_jurisdiction.get(key, [])),
                "evidence": catalog.detail(key),
            }
        if section == "source":
            return page | {
                "source": catalog.entities["source"][key],
                "citation": self.source_title(key),
                "supports": [
                    {"kind": st["kind"], "id": st["entity_id"], "name": self.entity_name(st["kind"], st["entity_id"]),
                     "property": st["prop"], "value": st["value"], "quote": st["quote"], "lang": st["lang"]}
                    for st in catalog.statements_by_source.get(key, [])
                ],
            }  # fmt: skip
        raise PageNotFound(path)

    def title_of(self, path: str) -> str:
        section, _, leaf = path.partition("/")
        key = leaf.removesuffix(".html")
        fixed = {href: label for href, label in NAV} | {"index.html": "Overseas police service stations"}
        if section in fixed:
            return fixed[section]
        if section == "station":
            return station_title(self.catalog.station_by_id[key])
        return self.entity_name(section, key) if section in ("country", "jurisdiction", "source") else path

    def since_page(self) -> str:
        """What changed since the report (computed by diffing editions), and every edition there is."""
        changes = self.catalog.since_report
        editions = [e.as_dict() for e in self.catalog.editions.chain if e.released]
        return self.page(
            "since.html", "since.html", "Since the report", changes=changes, editions=editions,
            shown=self.catalog.edition,
        )  # fmt: skip

    # --- shared pieces -----------------------------------------------------------------------

    def page(self, template: str, path: str, title: str, root: str | None = None, **context: Any) -> str:
        """Any page in the site's frame; the live app renders its own pages (search, review) through this.
        ``root`` overrides the relative root (an error page answers at any depth, so it uses "/")."""
        root = "../" * path.count("/") if root is None else root
        return self.env.get_template(template).render(
            root=root,
            path=path,
            title=title,
            nav=NAV + LIVE_NAV if self.live else NAV,
            live=self.live,
            source_links=self.source_links,
            source_title=self.source_title,
            entity_name=self.entity_name,
            facts=self.facts,
            edition=self.catalog.edition,
            include_sensitive=self.catalog.include_sensitive,
            redacted_marker=REDACTED,
            version=__version__,
            built_at=self.catalog.meta.get("built_at"),
            link=self._linker(root),
            cite=None if self.live else self.citation(path, title),
            json_href=path.rpartition("/")[2].removesuffix(".html") + ".json" if path in self.path_set else None,
            **context,
        )

    def href(self, kind: str, key: str, root: str = "") -> str:
        """The page of an entity, relative to ``root``; empty where the site has no page for it."""
        if kind == "station" and key in self.catalog.station_by_id:
            return f"{root}station/{key}.html"
        if kind == "country" and key in self.catalog.country_codes:
            return f"{root}country/{key}.html"
        if kind in ("jurisdiction", "source") and key in self.catalog.entities[kind]:
            return f"{root}{kind}/{key}.html"
        if kind == "event":
            return f"{root}timeline.html#event-{key}"
        if kind == "claim":
            # Official claims are rows of the ledger; a report's own totals are compared on the overview.
            return f"{root}claims.html#claim-{key}" if key in self.catalog.claim_by_id else f"{root}index.html#findings"
        return ""

    def _linker(self, root: str) -> Callable[[str, str], str]:
        return lambda kind, key: self.href(kind, key, root)

    def source_links(self, source_id: str) -> dict[str, Any]:
        """The cited source's original URL (http(s) only) and its local capture, if any."""
        from longarm.model.urls import BadUrl, check_web_url

        links: dict[str, Any] = {"url": None, "capture": None}
        source = self.catalog.entities["source"].get(source_id, {})
        try:
            links["url"] = check_web_url(source["url"]) if source.get("url") else None
        except BadUrl:
            links["url"] = None
        capture = self.captures.get(source_id)
        if capture is not None:
            links["capture"] = {"href": f"capture/{capture.id}.html", "fetched_at": capture.fetched_at}
        return links

    def _events_with_citations(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [dict(e, citations=self.catalog.citations(e["id"])) for e in events]

    def _jurisdiction_name(self, jid: str | None) -> str:
        return str(self.catalog.entities["jurisdiction"].get(jid or "", {}).get("name") or jid or "")

    # --- pages -------------------------------------------------------------------------------

    def home(self) -> str:
        # Colours follow Table 1's columns: the jurisdictions that run a station, in the data's order.
        map_stations = maps.station_map_data(self.catalog.stations, list(self.catalog.grid["jurisdictions"]))
        return self.page(
            "home.html",
            "index.html",
            "Overseas police service stations",
            stats=self.catalog.stats,
            grid=self.catalog.grid,
            map_stations=map_stations,
            map_countries=maps.country_status_data(self.catalog.stations, self.catalog.grid),
            located_count=len(map_stations["stations"]),
            ring_count=len(map_stations["rings"]),
            jurisdiction_ids={name: jid for jid, name in self.catalog.running.items()},
            status_now_labels=enumeration("station_status_now").labels,
        )

    def station_list(self) -> str:
        return self.page(
            "stations.html",
            "stations.html",
            "Stations",
            stations=self.catalog.stations,
            jurisdictions=sorted({s["jurisdiction"] for s in self.catalog.stations}),
            countries=sorted({(s["country_name"], s["country"]) for s in self.catalog.stations}),
        )

    def station_page(self, station_id: str) -> str:
        row = self.catalog.station_by_id[station_id]
        detail = self.catalog.detail(station_id)
        assert detail is not None
        events = self.catalog.events_by_station.get(station_id, [])
        return self.page(
            "station.html",
            f"station/{station_id}.html",
            self.station_title(row),
            station=row,
            detail=detail,
            citations=self.catalog.citations(station_id),
            events=self._events_with_citations(events),
            unit=self._jurisdiction_name(detail["properties"].get("unit")),
            # This station only: a country's page carries its whole map, and a station page repeating
            # it made a 10,000-station site 2 GB (every page held its country's hundreds of stations).
            local_map=maps.local_map_data([row], list(self.catalog.grid["jurisdictions"]), row["country"]),
        )

    def timeline(self) -> str:
        labels = enumeration("event_type").labels
        types = [t for t in labels if any(e["type"] == t for e in self.catalog.events)]
        return self.page(
            "timeline.html",
            "timeline.html",
            "Timeline",
            events=self._events_with_citations(self.catalog.events),
            records=self.event_records(self.catalog.events),
            axis=timeline_axis(self.catalog.events, types, labels),
            types=types,
        )

    def event_records(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Events as the timeline's download gives them: names beside ids, no internal fields."""
        labels = enumeration("event_type").labels
        return [
            {"id": e["id"], "date": e["date"], "date_precision": e["date_precision"], "date_end": e["date_end"],
             "type": e["type"], "type_label": labels.get(e["type"], e["type"]), "title": e["title"],
             "summary": e["summary"], "countries": [country_name(c) for c in e["country"]],
             "jurisdictions": e["jurisdiction_names"],
             "stations": [self.entity_name("station", s) for s in e["station"]], "count": e["count"],
             "note": e["note"], "sources": [self.source_title(x) for x in e["sources"]]}
            for e in events
        ]  # fmt: skip

    def claims_page(self) -> str:
        return self.page(
            "claims.html",
            "claims.html",
            "Claims ledger",
            claims=self.catalog.claims,
            records=self.claim_records(),
            findings=self.catalog.stats["findings"],
            stated=self.catalog.stats["stated"],
        )

    def claim_records(self) -> list[dict[str, Any]]:
        return [
            {"id": c["id"], "date": c["date"], "jurisdiction": c["jurisdiction_name"] or c["jurisdiction"],
             "system": c["system"], "qualifier": c.get("qualifier") or "exact", "claimed_stations": c.get("stations"),
             "claimed_countries": c.get("countries"), "claimed_cities": c.get("cities"),
             "documented_stations": (c["documented"] or {}).get("stations"),
             "documented_countries": (c["documented"] or {}).get("countries"),
             "documented_cities": (c["documented"] or {}).get("cities"),
             "term_used": c.get("unit_term"), "sources": [self.source_title(x) for x in c["sources"]]}
            for c in self.catalog.claims
        ]  # fmt: skip

    def country_list(self) -> str:
        rows = self.catalog.country_rows
        return self.page("countries.html", "countries.html", "Countries", rows=rows, records=self.country_records())

    def country_records(self) -> list[dict[str, Any]]:
        return [
            {"code": r["code"], "country": r["name"], "name_zh": r["name_zh"], "stations": r["stations"],
             "run_by": r["jurisdiction_names"], "newly_revealed": r["status"].get("new", 0),
             "reported_earlier": r["status"].get("earlier", 0), "not_attributable": r["status"].get("unknown", 0),
             "events": r["events"]}
            for r in self.catalog.country_rows
        ]  # fmt: skip

    def country_page(self, code: str) -> str:
        stations = self.catalog.stations_by_country.get(code, [])
        events = self._events_with_citations(self.catalog.events_by_country.get(code, []))
        sections = [(section.title, [e for e in events if e["type"] in section.types]) for section in EVENT_SECTIONS]
        return self.page(
            "country.html",
            f"country/{code}.html",
            country_name(code),
            code=code,
            stations=stations,
            jurisdictions=Counter(s["jurisdiction"] for s in stations),
            jurisdiction_ids={s["jurisdiction"]: s["jurisdiction_id"] for s in stations},
            sections=sections,
            in_table=code in self.catalog.table_countries,
            local_map=self._local_map(code),
        )

    def _local_map(self, code: str) -> dict[str, Any]:
        stations = self.catalog.stations_by_country.get(code, [])
        return maps.local_map_data(stations, list(self.catalog.grid["jurisdictions"]), code)

    def jurisdiction_list(self) -> str:
        jurisdictions = self.catalog.entities["jurisdiction"]
        children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for j in jurisdictions.values():
            parent = j["parent"] if j["parent"] in jurisdictions else None
            children[parent].append(j)
        counts = Counter(s["jurisdiction_id"] for s in self.catalog.stations)
        return self.page(
            "jurisdictions.html",
            "jurisdictions.html",
            "Jurisdictions",
            children=children,
            counts=counts,
            records=self.jurisdiction_records(),
        )

    def jurisdiction_records(self) -> list[dict[str, Any]]:
        jurisdictions = self.catalog.entities["jurisdiction"]
        counts = Counter(s["jurisdiction_id"] for s in self.catalog.stations)
        return [
            {"id": jid, "name": j["name"], "name_full": j.get("name_full"), "name_zh": j.get("name_zh") or [],
             "level": j.get("level"), "part_of": jurisdictions.get(j.get("parent") or "", {}).get("name"),
             "stations": counts.get(jid, 0)}
            for jid, j in sorted(jurisdictions.items(), key=lambda kv: kv[1]["name"])
        ]  # fmt: skip

    def jurisdiction_page(self, jid: str) -> str:
        jurisdiction = self.catalog.entities["jurisdiction"][jid]
        return self.page(
            "jurisdiction.html",
            f"jurisdiction/{jid}.html",
            jurisdiction["name"],
            jurisdiction=jurisdiction,
            parent=self.catalog.entities["jurisdiction"].get(jurisdiction["parent"] or ""),
            units=self.catalog.units_by_parent.get(jid, []),
            stations=self.catalog.stations_by_jurisdiction.get(jid, []),
            claims=self.catalog.claims_by_jurisdiction.get(jid, []),
            events=self._events_with_citations(self.catalog.events_by_jurisdiction.get(jid, [])),
            citations=self.catalog.citations(jid),
        )

    def source_list(self) -> str:
        return self.page(
            "sources.html", "sources.html", "Sources", rows=self.catalog.source_rows, records=self.source_records()
        )

    def source_records(self) -> list[dict[str, Any]]:
        sources = self.catalog.entities["source"]
        return [
            dict(r, url=sources.get(r["id"], {}).get("url"), citation=self.source_title(r["id"]))
            for r in self.catalog.source_rows
        ]

    def source_page(self, sid: str) -> str:
        sources = self.catalog.entities["source"]
        source = sources[sid]
        supported: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for st in self.catalog.statements_by_source.get(sid, []):
            supported[(st["kind"], st["entity_id"])].append(st)
        entries = [
            {
                "kind": kind,
                "label": kinds()[kind].label,
                "id": entity_id,
                "name": self.entity_name(kind, entity_id),
                "statements": statements,
                "quotes": sorted({(st["quote"], st["lang"], st.get("gloss") or "") for st in statements}),
            }
            for (kind, entity_id), statements in supported.items()
        ]
        return self.page(
            "source.html",
            f"source/{sid}.html",
            source["title"] or source["publisher"],
            source=source,
            entries=entries,
            cited_in=[
                self.catalog.entities["source"][c] for c in source["cited_in"] if c in self.catalog.entities["source"]
            ],
        )

    def entity_name(self, kind: str, entity_id: str) -> str:
        """What a reader calls an entity: a station's title, a country's name, a source's title; the id last."""
        if kind == "station" and entity_id in self.catalog.station_by_id:
            return self.station_title(self.catalog.station_by_id[entity_id])
        if kind == "source":
            return self.source_title(entity_id)
        if kind == "country":
            return country_name(entity_id)
        if kind == "place":
            place = self.catalog.places.get(entity_id)
            return str(place["name"]) if place else entity_id
        entity = self.catalog.entities.get(kind, {}).get(entity_id, {})
        return str(entity.get("name") or entity.get("title") or entity.get("label") or entity_id)

    def station_title(self, row: dict[str, Any]) -> str:
        return station_title(row)

    def citation(self, path: str, title: str) -> dict[str, str]:
        """How to cite a page: title, dataset, edition, build date and address (absolute with a base URL)."""
        built = str(self.catalog.meta.get("built_at") or "")[:10]
        edition = self.catalog.edition["label"] if self.catalog.edition else None
        dataset = f"longarm dataset ({edition})" if edition else "longarm dataset"
        url = f"{self.base_url}{path}" if self.base_url else path
        text = f"“{title}”. {dataset}, built {built or 'undated'}."
        return {"text": text, "url": url, "absolute": "yes" if self.base_url else ""}

    def facts(self, statements: list[dict[str, Any]], kind: str | None = None) -> list[str]:
        """Statements in words, one line per property: 'Jurisdiction: Ministry of Public Security',
        'Country: China, Italy', 'Opened: 2016-05 (month precision)'; a value said twice is shown once."""
        values: dict[str, list[str]] = {}
        for st in statements:
            prop = words.find_property(kind or st.get("kind"), st["prop"])
            value = words.value_words(prop, str(st["value"]), self.entity_name, country_name, language_name)
            precision = f" ({st['precision']} precision)" if st.get("precision") else ""
            said = values.setdefault(property_label(st["prop"]), [])
            if value + precision not in said:
                said.append(value + precision)
        return [f"{label}: {', '.join(said)}" for label, said in values.items()]

    def source_title(self, source_id: str) -> str:
        """A source as a reference list gives it: 'Safeguard Defenders, “Patrol and Persuade” (2022-12)'."""
        source = self.catalog.entities["source"].get(source_id)
        if not source:
            return source_id
        title = source.get("title_en") or source.get("title")
        publisher = source.get("publisher") or ""
        date = source.get("date") or "undated"
        return f"{publisher}, “{title}” ({date})" if title and publisher else f"{title or publisher} ({date})"

    def about(self) -> str:
        from longarm.publish import exports, ftm

        return self.page(
            "about.html",
            "about.html",
            "Data & method",
            downloads=exports.describe_downloads(),
            ftm_mapping=ftm.MAPPING,
            meta=self.catalog.meta,
            counts=Counter(st["kind"] for sts in self.catalog.statements_by_entity.values() for st in sts),
        )

    # --- live pages ------------------------------------------------------------------------------

    def check_choices(self) -> list[dict[str, Any]]:
        """Countries (and the cities within them that have a station) to choose on the country check."""
        choices = []
        for code in self.catalog.country_codes:
            cities = sorted(
                {(s["place"], s["place_name"]) for s in self.catalog.stations_by_country.get(code, []) if s["place"]},
                key=lambda p: p[1] or "",
            )
            choices.append({"code": code, "name": country_name(code), "places": cities})
        return choices

    def country_check(self, code: str, place: str | None = None) -> dict[str, Any]:
        """What a person deciding whether to travel, or whom to trust, needs about one country or city.

        Every line carries the numbers of its citations (``refs``), which index ``citations``: the
        source, the quote in its original language, and (live) the original URL and local capture.
        """
        if code not in self.catalog.country_codes:
            raise PageNotFound(f"check/{code}")
        if place is not None and self.catalog.places.get(place, {}).get("country") != code:
            raise PageNotFound(f"check/{code}/{place}")
        notes: dict[tuple[str, str], int] = {}
        citations: list[dict[str, Any]] = []

        def cite(entity_id: str, props: tuple[str, ...] = ()) -> list[int]:
            refs = []
            for c in self.catalog.citations(entity_id):
                if props and not any(st["prop"] in props for st in c["statements"]):
                    continue
                key = (c["source_id"], c["quote"])
                if key not in notes:
                    notes[key] = len(citations) + 1
                    citations.append(
                        {"n": notes[key], "source_id": c["source_id"], "source": c["source"], "quote": c["quote"],
                         "lang": c["lang"], "gloss": c["gloss"], "links": self.source_links(c["source_id"])}
                    )  # fmt: skip
                refs.append(notes[key])
            return sorted(set(refs))

        stations = self.catalog.stations_by_country.get(code, [])
        here = [s for s in stations if place is None or s["place"] == place]
        elsewhere = [s for s in stations if place is not None and s["place"] != place]

        def station_line(s: dict[str, Any]) -> dict[str, Any]:
            return {"station": s, "refs": cite(s["id"], ("jurisdiction", "country", "place", "location_precision",
                                                        "opened"))}  # fmt: skip

        by_jurisdiction: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in stations:
            by_jurisdiction[s["jurisdiction_id"]].append(s)
        jurisdictions = []
        for jid, its in sorted(by_jurisdiction.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            entity = self.catalog.entities["jurisdiction"].get(jid, {})
            parent = self.catalog.entities["jurisdiction"].get(entity.get("parent") or "", {})
            jurisdictions.append(
                {"id": jid, "name": entity.get("name", jid), "name_zh": entity.get("name_zh") or [],
                 "parent": parent.get("name"), "stations": len(its),
                 "places": sorted({s["place_name"] for s in its if s["place_name"]}),
                 "unlocated": sum(1 for s in its if not s["place_name"]),
                 "refs": sorted({n for s in its for n in cite(s["id"], ("jurisdiction",))})}
            )  # fmt: skip
        events = self.catalog.events_by_country.get(code, [])
        sections = []
        for section in EVENT_SECTIONS:
            chosen = [e for e in events if e["type"] in section.types]
            if place is not None:  # events at the chosen city first
                chosen.sort(key=lambda e: place not in e["place"])
            sections.append(
                {"key": section.key, "title": section.check_title,
                 "events": [{"event": e, "here": place in e["place"] if place else False, "refs": cite(e["id"])}
                            for e in chosen]}
            )  # fmt: skip
        place_row = self.catalog.places.get(place or "")
        return {
            "country": code,
            "country_name": country_name(code),
            "place": place,
            "place_name": place_row["name"] if place_row else None,
            "stations_here": [station_line(s) for s in here],
            "stations_elsewhere": [station_line(s) for s in elsewhere],
            "unlocated": sum(1 for s in stations if not s["place_name"]),
            "jurisdictions": jurisdictions,
            "sections": sections,
            "in_table": code in self.catalog.table_countries,
            "citations": citations,
            "edition": self.catalog.edition["label"] if self.catalog.edition else None,
        }

    def check_page(self, code: str | None = None, place: str | None = None) -> str:
        check = self.country_check(code, place) if code else None
        title = "Country check"
        if check:
            title = f"Country check: {check['place_name'] + ', ' if check['place_name'] else ''}{check['country_name']}"
        return self.page(
            "check.html", "check.html", title, check=check, choices=self.check_choices(), chosen_place=place
        )

    def search_page(self, query: str, hits: list[Any], total: int, offset: int, limit: int) -> str:
        return self.page(
            "search.html", "search.html", "Search", query=query, hits=hits, total=total, offset=offset, limit=limit
        )
