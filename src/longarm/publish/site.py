"""The site as a function of (store, page path) -> HTML, with no file system assumed.

`longarm publish` writes every page of ``Site.paths()`` to disk; `longarm serve`
can answer a request for a path with ``Site.render(path)``. All links are
relative to the page (``root`` is ``""`` or ``"../"``), so a published site
works from ``file://`` as well as from any web host.

Everything the pages show comes from the read-side shapes the CLI prints
(views, reconcile), loaded once per Site, so the site and `longarm stations
--json` never disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from longarm import __version__, views
from longarm.geo import country_name
from longarm.model import kinds
from longarm.publish import maps
from longarm.publish.timeline import timeline_axis
from longarm.reconcile import claims_ledger, jurisdiction_names, latest_edition, stations_with_status, statistics
from longarm.redact import REDACTED, redact_record, redacted_entity, redacted_statement, redactor
from longarm.store import Store

STATUS_LABELS = {"new": "newly revealed", "earlier": "reported earlier", "unknown": "not attributable"}
PRECISION_LABELS = {
    "point": "exact point",
    "city": "city known",
    "region": "region known",
    "country": "country only (exact location unknown)",
}
EVENT_LABELS = {
    "opening": "opening",
    "licence-ceremony": "licence ceremony",
    "persuasion-to-return": "persuasion to return",
    "bilateral-agreement": "bilateral agreement",
    "joint-patrol": "joint patrol",
    "liaison-hiring": "liaison hiring",
    "host-response": "host-government response",
    "cooperation": "police cooperation",
    "meeting": "meeting",
    "statement": "official statement",
    "investigation": "host investigation",
    "closure-order": "closure ordered",
    "closure": "closure",
    "arrest": "arrest",
    "charges": "charges",
    "conviction": "conviction",
    "denial": "host denial",
    "other": "other host response",
}


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
    ("about.html", "Data & method"),
]


# Pages only the live app (`longarm serve`) has: they answer queries or need a login.
LIVE_NAV = [
    ("check.html", "Country check"),
    ("search.html", "Search"),
    ("review/index.html", "Review"),
]


def _index(
    rows: Iterable[dict[str, Any]], keys: Callable[[dict[str, Any]], Iterable[str | None]]
) -> dict[str, list[dict[str, Any]]]:
    """key -> the rows that have it among their ``keys`` (each row once per key, in order)."""
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for key in dict.fromkeys(keys(row)):
            if key:
                index[key].append(row)
    return index


def _redacted_already(text: str) -> str:
    """The redactor of rows the Site has redacted already."""
    return text


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
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s or "unknown", s)
    env.filters["precision_label"] = lambda p: PRECISION_LABELS.get(p or "", p or "unknown")
    env.filters["event_label"] = lambda t: EVENT_LABELS.get(t, t)
    env.filters["country_name"] = country_name
    env.filters["percent"] = lambda v: f"{v:.0%}"
    return env


class Site:
    """Every page of the published site, rendered on demand from one store."""

    def __init__(
        self,
        store: Store,
        include_sensitive: bool = False,
        live: bool = False,
        captures: dict[str, Any] | None = None,
    ) -> None:
        """``live``: pages for `longarm serve` (search box, country check, review links); a static
        site has none of these, having no server to answer a query. ``captures`` (source id -> the
        capture to link, as ``longarm.archive.latest_captures`` gives) adds, beside each citation, the
        source's original URL and its local archived copy, in both: a link makes no request until a
        reader follows it, and the copy is a page of the site itself."""
        self.store = store
        self.include_sensitive = include_sensitive
        self.live = live
        self.captures = captures or {}
        # For the few texts rendered from elsewhere (archived captures); every row below is redacted
        # once, here, and the pages, exports, FtM, the API and search only read these rows.
        self.redact: Callable[[str], str] = redactor(store, include_sensitive)
        self.env = environment()
        self.stats = statistics(store)
        self.edition = latest_edition(store)
        self.entities = {
            kind: {e["id"]: redacted_entity(kind, e, self.redact, include_sensitive) for e in store.entities(kind)}
            for kind in kinds()
        }
        self.stations = [redact_record(s, self.redact) for s in views.station_rows(store, stations_with_status(store))]
        self.station_by_id = {s["id"]: s for s in self.stations}
        self.grid = views.table_grid(store)
        self.events = views.event_rows(store, self.redact)
        self.claims = [redact_record(c, self.redact) for c in claims_ledger(store)]
        self.places = store.places()
        self.lookups = views.DetailLookups(self.entities["source"], self.places, self.edition)
        self.running = jurisdiction_names(store)
        # Statements redacted by the exports' rule: a changed one gets a new id (see redacted_statement).
        # ``statement_by_original_id`` is for matching the database's rows; its keys are never shown.
        self.statement_by_original_id: dict[str, dict[str, Any]] = {}
        self.statements_by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.statements_by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for original in store.statements():
            st = redacted_statement(original, self.redact)
            self.statement_by_original_id[original["id"]] = st
            self.statements_by_entity[st["entity_id"]].append(st)
            self.statements_by_source[st["source_id"]].append(st)
        self.source_rows = views.source_rows(store, self.redact, self.statement_by_original_id.values())
        self._details: dict[str, dict[str, Any] | None] = {}
        self._citations: dict[str, list[dict[str, Any]]] = {}

    # --- what pages there are ---------------------------------------------------------------

    def paths(self) -> list[str]:
        fixed = [path for path, _ in NAV]
        return [
            *fixed,
            *(f"station/{s['id']}.html" for s in self.stations),
            *(f"country/{code}.html" for code in self.country_codes),
            *(f"jurisdiction/{jid}.html" for jid in self.entities["jurisdiction"]),
            *(f"source/{sid}.html" for sid in self.entities["source"]),
        ]

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
                "about.html": self.about,
            }
            if section in fixed:
                return fixed[section]()
            raise PageNotFound(path)
        key = leaf.removesuffix(".html")
        if not leaf.endswith(".html") or "/" in key:
            raise PageNotFound(path)
        if section == "station" and key in self.station_by_id:
            return self.station_page(key)
        if section == "country" and key in self.country_codes:
            return self.country_page(key)
        if section == "jurisdiction" and key in self.entities["jurisdiction"]:
            return self.jurisdiction_page(key)
        if section == "source" and key in self.entities["source"]:
            return self.source_page(key)
        raise PageNotFound(path)

    @cached_property
    def claim_by_id(self) -> dict[str, dict[str, Any]]:
        """The claims ledger's rows (official count claims) by id."""
        return {c["id"]: c for c in self.claims}

    @cached_property
    def event_by_id(self) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in self.events}

    @cached_property
    def events_by_station(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["station"])

    @cached_property
    def stations_by_country(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.stations, lambda s: [s["country"]])

    @cached_property
    def events_by_country(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["country"])

    @cached_property
    def stations_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        """The stations a jurisdiction runs, or one of its units does (a unit's page lists them too)."""
        return _index(self.stations, lambda s: [s["jurisdiction_id"], self._unit_of(s["id"])])

    @cached_property
    def units_by_parent(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.entities["jurisdiction"].values(), lambda j: [j["parent"]])

    @cached_property
    def claims_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.claims, lambda c: [c["jurisdiction"]])

    @cached_property
    def events_by_jurisdiction(self) -> dict[str, list[dict[str, Any]]]:
        return _index(self.events, lambda e: e["jurisdiction"])

    @cached_property
    def table_countries(self) -> set[str]:
        """The countries with a row in Table 1."""
        return {row["country"] for row in self.grid["rows"]}

    @cached_property
    def country_rows(self) -> list[dict[str, Any]]:
        """One row per country the dataset names: the Countries page, ``/api/countries`` and search read them."""
        rows = []
        for code in self.country_codes:
            stations = self.stations_by_country.get(code, [])
            rows.append(
                {
                    "code": code,
                    "name": country_name(code),
                    "name_zh": country_name(code, "zh"),
                    "stations": len(stations),
                    "jurisdictions": sorted({s["jurisdiction_id"] for s in stations}),
                    "jurisdiction_names": sorted({s["jurisdiction"] for s in stations}),
                    "status": Counter(s["status"] for s in stations),
                    "events": len(self.events_by_country.get(code, [])),
                }
            )
        return rows

    @cached_property
    def country_codes(self) -> list[str]:
        """Every country the dataset names: with stations, as Table 1 rows, or where events happened."""
        codes = {s["country"] for s in self.stations} | self.table_countries
        codes |= {c for e in self.events for c in e["country"]}
        return sorted(codes, key=country_name)

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
            edition=self.edition,
            include_sensitive=self.include_sensitive,
            redacted_marker=REDACTED,
            version=__version__,
            built_at=self.store.meta.get("built_at"),
            link=self._linker(root),
            **context,
        )

    def href(self, kind: str, key: str, root: str = "") -> str:
        """The page of an entity, relative to ``root``; empty where the site has no page for it."""
        if kind == "station" and key in self.station_by_id:
            return f"{root}station/{key}.html"
        if kind == "country" and key in self.country_codes:
            return f"{root}country/{key}.html"
        if kind in ("jurisdiction", "source") and key in self.entities[kind]:
            return f"{root}{kind}/{key}.html"
        if kind == "event":
            return f"{root}timeline.html#event-{key}"
        if kind == "claim":
            # Official claims are rows of the ledger; a report's own totals are compared on the overview.
            return f"{root}claims.html#claim-{key}" if key in self.claim_by_id else f"{root}index.html#findings"
        return ""

    def _linker(self, root: str) -> Callable[[str, str], str]:
        return lambda kind, key: self.href(kind, key, root)

    def source_links(self, source_id: str) -> dict[str, Any]:
        """The cited source's original URL (http(s) only) and its local capture, if any."""
        from longarm.archive.urls import BadUrl, check_web_url

        links: dict[str, Any] = {"url": None, "capture": None}
        source = self.entities["source"].get(source_id, {})
        try:
            links["url"] = check_web_url(source["url"]) if source.get("url") else None
        except BadUrl:
            links["url"] = None
        capture = self.captures.get(source_id)
        if capture is not None:
            links["capture"] = {"href": f"capture/{capture.id}.html", "fetched_at": capture.fetched_at}
        return links

    def citations(self, entity_id: str) -> list[dict[str, Any]]:
        """An entity's evidence, one entry per (source, quote) with the statements it backs.

        Made once per entity (an event's are on four kinds of page); callers read it, never change it.
        """
        if entity_id not in self._citations:
            self._citations[entity_id] = self._grouped_citations(entity_id)
        return self._citations[entity_id]

    def _grouped_citations(self, entity_id: str) -> list[dict[str, Any]]:
        detail = self.detail(entity_id)
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for st in detail["statements"] if detail else []:
            entry = grouped.setdefault(
                (st["source_id"], st["quote"]),
                {"source_id": st["source_id"], "source": st["source"], "quote": st["quote"], "lang": st["lang"]}
                | {"statements": [], "notes": []},
            )
            entry["statements"].append(st)
            if st["note"] and st["note"] not in entry["notes"]:
                entry["notes"].append(st["note"])
        return list(grouped.values())

    def detail(self, entity_id: str) -> dict[str, Any] | None:
        """One entity with every statement (``views.detail_of``), made once per entity; read-only."""
        if entity_id not in self._details:
            statements = self.statements_by_entity.get(entity_id)
            detail = None
            if statements:
                kind = statements[0]["kind"]
                entity = self.entities[kind].get(entity_id, {})
                detail = views.detail_of(entity_id, kind, entity, statements, self.lookups, _redacted_already)
            self._details[entity_id] = detail
        return self._details[entity_id]

    def _events_with_citations(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [dict(e, citations=self.citations(e["id"])) for e in events]

    def _jurisdiction_name(self, jid: str | None) -> str:
        return str(self.entities["jurisdiction"].get(jid or "", {}).get("name") or jid or "")

    # --- pages -------------------------------------------------------------------------------

    def home(self) -> str:
        # Colours follow Table 1's columns: the jurisdictions that run a station, in the data's order.
        map_stations = maps.station_map_data(self.stations, list(self.grid["jurisdictions"]))
        return self.page(
            "home.html",
            "index.html",
            "Overseas police service stations",
            stats=self.stats,
            grid=self.grid,
            map_stations=map_stations,
            map_countries=maps.country_status_data(self.stations, self.grid),
            located_count=len(map_stations["stations"]),
            ring_count=len(map_stations["rings"]),
            jurisdiction_ids={name: jid for jid, name in self.running.items()},
        )

    def station_list(self) -> str:
        return self.page(
            "stations.html",
            "stations.html",
            "Stations",
            stations=self.stations,
            jurisdictions=sorted({s["jurisdiction"] for s in self.stations}),
            countries=sorted({(s["country_name"], s["country"]) for s in self.stations}),
        )

    def station_page(self, station_id: str) -> str:
        row = self.station_by_id[station_id]
        detail = self.detail(station_id)
        assert detail is not None
        events = self.events_by_station.get(station_id, [])
        where = row["place_name"] or f"exact location unknown in {row['country_name']}"
        return self.page(
            "station.html",
            f"station/{station_id}.html",
            f"{row['jurisdiction']} station — {where}",
            station=row,
            detail=detail,
            citations=self.citations(station_id),
            events=self._events_with_citations(events),
            unit=self._jurisdiction_name(detail["properties"].get("unit")),
        )

    def timeline(self) -> str:
        types = [t for t in EVENT_LABELS if any(e["type"] == t for e in self.events)]
        return self.page(
            "timeline.html",
            "timeline.html",
            "Timeline",
            events=self._events_with_citations(self.events),
            axis=timeline_axis(self.events, types, EVENT_LABELS),
            types=types,
        )

    def claims_page(self) -> str:
        return self.page(
            "claims.html",
            "claims.html",
            "Claims ledger",
            claims=self.claims,
            findings=self.stats["findings"],
            stated=self.stats["stated"],
        )

    def country_list(self) -> str:
        return self.page("countries.html", "countries.html", "Countries", rows=self.country_rows)

    def country_page(self, code: str) -> str:
        stations = self.stations_by_country.get(code, [])
        events = self._events_with_citations(self.events_by_country.get(code, []))
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
            in_table=code in self.table_countries,
        )

    def jurisdiction_list(self) -> str:
        jurisdictions = self.entities["jurisdiction"]
        children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for j in jurisdictions.values():
            parent = j["parent"] if j["parent"] in jurisdictions else None
            children[parent].append(j)
        counts = Counter(s["jurisdiction_id"] for s in self.stations)
        return self.page(
            "jurisdictions.html",
            "jurisdictions.html",
            "Jurisdictions",
            children=children,
            counts=counts,
        )

    def jurisdiction_page(self, jid: str) -> str:
        jurisdiction = self.entities["jurisdiction"][jid]
        return self.page(
            "jurisdiction.html",
            f"jurisdiction/{jid}.html",
            jurisdiction["name"],
            jurisdiction=jurisdiction,
            parent=self.entities["jurisdiction"].get(jurisdiction["parent"] or ""),
            units=self.units_by_parent.get(jid, []),
            stations=self.stations_by_jurisdiction.get(jid, []),
            claims=self.claims_by_jurisdiction.get(jid, []),
            events=self._events_with_citations(self.events_by_jurisdiction.get(jid, [])),
            citations=self.citations(jid),
        )

    def _unit_of(self, station_id: str) -> str | None:
        unit = self.entities["station"].get(station_id, {}).get("unit")
        return str(unit) if unit else None

    def source_list(self) -> str:
        return self.page("sources.html", "sources.html", "Sources", rows=self.source_rows)

    def source_page(self, sid: str) -> str:
        source = self.entities["source"][sid]
        supported: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for st in self.statements_by_source.get(sid, []):
            supported[(st["kind"], st["entity_id"])].append(st)
        entries = [
            {
                "kind": kind,
                "label": kinds()[kind].label,
                "id": entity_id,
                "name": self._entity_name(kind, entity_id),
                "statements": statements,
                "quotes": sorted({(st["quote"], st["lang"]) for st in statements}),
            }
            for (kind, entity_id), statements in supported.items()
        ]
        return self.page(
            "source.html",
            f"source/{sid}.html",
            source["title"] or source["publisher"],
            source=source,
            entries=entries,
            cited_in=[self.entities["source"][c] for c in source["cited_in"] if c in self.entities["source"]],
        )

    def _entity_name(self, kind: str, entity_id: str) -> str:
        entity = self.entities[kind].get(entity_id, {})
        if kind == "station" and entity_id in self.station_by_id:
            row = self.station_by_id[entity_id]
            return f"{row['jurisdiction']} — {row['place_name'] or row['country_name']}"
        return str(entity.get("name") or entity.get("title") or entity.get("label") or entity_id)

    def about(self) -> str:
        from longarm.publish import exports, ftm

        return self.page(
            "about.html",
            "about.html",
            "Data & method",
            downloads=exports.describe_downloads(),
            ftm_mapping=ftm.MAPPING,
            meta=self.store.meta,
            counts=Counter(st["kind"] for sts in self.statements_by_entity.values() for st in sts),
        )

    # --- live pages ------------------------------------------------------------------------------

    def check_choices(self) -> list[dict[str, Any]]:
        """Countries (and the cities within them that have a station) to choose on the country check."""
        choices = []
        for code in self.country_codes:
            cities = sorted(
                {(s["place"], s["place_name"]) for s in self.stations_by_country.get(code, []) if s["place"]},
                key=lambda p: p[1] or "",
            )
            choices.append({"code": code, "name": country_name(code), "places": cities})
        return choices

    def country_check(self, code: str, place: str | None = None) -> dict[str, Any]:
        """What a person deciding whether to travel, or whom to trust, needs about one country or city.

        Every line carries the numbers of its citations (``refs``), which index ``citations``: the
        source, the quote in its original language, and (live) the original URL and local capture.
        """
        if code not in self.country_codes:
            raise PageNotFound(f"check/{code}")
        if place is not None and self.places.get(place, {}).get("country") != code:
            raise PageNotFound(f"check/{code}/{place}")
        notes: dict[tuple[str, str], int] = {}
        citations: list[dict[str, Any]] = []

        def cite(entity_id: str, props: tuple[str, ...] = ()) -> list[int]:
            refs = []
            for c in self.citations(entity_id):
                if props and not any(st["prop"] in props for st in c["statements"]):
                    continue
                key = (c["source_id"], c["quote"])
                if key not in notes:
                    notes[key] = len(citations) + 1
                    citations.append(
                        {"n": notes[key], "source_id": c["source_id"], "source": c["source"], "quote": c["quote"],
                         "lang": c["lang"], "links": self.source_links(c["source_id"])}
                    )  # fmt: skip
                refs.append(notes[key])
            return sorted(set(refs))

        stations = self.stations_by_country.get(code, [])
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
            entity = self.entities["jurisdiction"].get(jid, {})
            parent = self.entities["jurisdiction"].get(entity.get("parent") or "", {})
            jurisdictions.append(
                {"id": jid, "name": entity.get("name", jid), "name_zh": entity.get("name_zh") or [],
                 "parent": parent.get("name"), "stations": len(its),
                 "places": sorted({s["place_name"] for s in its if s["place_name"]}),
                 "unlocated": sum(1 for s in its if not s["place_name"]),
                 "refs": sorted({n for s in its for n in cite(s["id"], ("jurisdiction",))})}
            )  # fmt: skip
        events = self.events_by_country.get(code, [])
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
        place_row = self.places.get(place or "")
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
            "in_table": code in self.table_countries,
            "citations": citations,
            "edition": self.edition["label"] if self.edition else None,
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
