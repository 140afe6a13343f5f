"""The JSON API (`/api/...`), documented by FastAPI's OpenAPI at `/api/docs` and `/api/openapi.json`.

Every collection takes filters, ``limit`` (1-1000) and ``offset``, and answers
``{"total", "limit", "offset", "next", "items"}``; the same rows come as CSV
(``/api/stations.csv``) and, for things with a place, GeoJSON
(``/api/stations.geojson``). Ids are the dataset's own, stable across builds
(a statement's id is a hash of what it says and who says it). The rows are the
ones the pages show (the catalog, ``longarm.catalog``), redacted the same way. A malformed parameter
is a 422 naming it; an unknown id a 404.
"""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from longarm.catalog import Catalog
from longarm.catalog.filters import EventFilter, FilterError, StationFilter
from longarm.model import STATEMENT_COLUMNS, enumeration, kinds
from longarm.publish.exports import station_features, write_csv
from longarm.publish.site import PageNotFound
from longarm.web import search
from longarm.web.live import Snapshot
from longarm.web.state import CACHEABLE

# Where in the data files a statement was written says nothing a reader of the API needs.
API_STATEMENT_COLUMNS = [c for c in STATEMENT_COLUMNS if c not in ("data_file", "data_line")]

Limit = Annotated[int, Query(ge=1, le=1000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
# a code or a name, as the CLI and the site take it (resolved by longarm.catalog.filters)
CountryCode = Annotated[
    str | None,
    Query(min_length=2, max_length=60, description="ISO 3166-1 alpha-2 code or a country's name: IT, Italy, 意大利."),
]
DateBound = Annotated[
    str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD, inclusive.")
]
EntityId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", description="A stable entity id.")]


# The model's enumerations as the OpenAPI document lists them.
Precision = StrEnum("Precision", {v: v for v in enumeration("location_precision").values})  # type: ignore[misc]
Status = StrEnum("Status", {v: v for v in enumeration("station_status").values})  # type: ignore[misc]
StatusNow = StrEnum("StatusNow", {v.replace("-", "_"): v for v in enumeration("station_status_now").values})  # type: ignore[misc]
EventType = StrEnum("EventType", {t.replace("-", "_"): t for t in enumeration("event_type").values})  # type: ignore[misc]


class Page(BaseModel):
    total: int = Field(description="Rows matching the filters.")
    limit: int
    offset: int
    next: str | None = Field(description="The URL of the next page, if any.")
    items: list[dict[str, Any]]


class StationRow(BaseModel):
    id: str
    jurisdiction: str
    jurisdiction_id: str
    country: str
    country_name: str
    place: str | None
    place_name: str | None
    location_precision: str
    lat: float | None
    lon: float | None
    table_cell: str | None
    opened: str | None
    opened_precision: str | None
    status: str | None
    status_now: str
    status_now_date: str | None
    status_now_event: str | None
    sources: list[str]


class StationPage(Page):
    items: list[StationRow]  # type: ignore[assignment]


class ErrorBody(BaseModel):
    error: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such id."}}


def json_response(data: Any, status: int = 200, cacheable: bool = True) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status, media_type="application/json", headers=CACHEABLE if cacheable else None)


def not_found(what: str) -> Response:
    return json_response({"error": f"no {what}"}, 404, cacheable=False)


def bad_filter(exc: FilterError) -> Response:
    return json_response({"error": f"{exc.param}: {exc.message}", "problems": [
        {"field": exc.param, "message": exc.message}]}, 422, cacheable=False)  # fmt: skip


def _page(request: Request, rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    following = None
    if offset + limit < len(rows):
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "next": following,
        "items": rows[offset : offset + limit],
    }


def _csv(rows: list[dict[str, Any]]) -> Response:
    buffer = io.StringIO()
    write_csv(buffer, list(rows[0]) if rows else ["id"], rows)
    return Response(buffer.getvalue().encode(), media_type="text/csv; charset=utf-8", headers=CACHEABLE)


def _geojson(features: Iterable[dict[str, Any]]) -> Response:
    body = {"type": "FeatureCollection", "features": list(features)}
    return Response(json.dumps(body, ensure_ascii=False).encode(), media_type="application/geo+json", headers=CACHEABLE)


def _as(fmt: str, request: Request, rows: list[dict[str, Any]], limit: int, offset: int,
        geo: Callable[[list[dict[str, Any]]], Response] | None = None) -> Response:  # fmt: skip
    if fmt == "csv":
        return _csv(rows[offset : offset + limit])
    if fmt == "geojson" and geo is not None:
        return geo(rows[offset : offset + limit])
    return json_response(_page(request, rows, limit, offset))


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def known_parameters_only(request: Request) -> None:
    """Refuse a query parameter the route does not declare (422 naming it): `?since=2018` on a route
    without `since`, or a misspelt `?countyr=IT`, must not answer as if no filter had been asked for."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        takes = ", ".join(sorted(declared)) or "no parameters"
        raise RequestValidationError(
            [{"type": "extra_forbidden", "loc": ("query", name), "msg": f"unknown parameter (this route takes {takes})"}
             for name in unknown]
        )  # fmt: skip


# The edition a request asked for (``?edition=``, on every endpoint), set by the router's dependency.
_edition: ContextVar[str | None] = ContextVar("edition", default=None)


async def _edition_param(
    edition: Annotated[
        str | None,
        Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$", description="A released edition [default: the latest]."),
    ] = None,
) -> None:
    _edition.set(edition)


def router(public: Callable[[str | None], Snapshot]) -> APIRouter:
    """``public``: the snapshot of a released edition (``LiveData.public``)."""
    api = APIRouter(prefix="/api", dependencies=[Depends(known_parameters_only), Depends(_edition_param)])

    def snapshot() -> Snapshot:
        return public(_edition.get())

    def catalog() -> Catalog:
        return snapshot().catalog

    def one_entity(kind: str, tag: str, row_of: Callable[[Catalog, str], dict[str, Any] | None]) -> None:
        """`/api/<tag>/<id>`: one entity's row with its detail (every statement, its source and quote)."""

        async def one(entity_id: EntityId) -> Response:
            s = catalog()
            row = row_of(s, entity_id)
            if row is None:
                return not_found(f"{kind} '{entity_id}'")
            return json_response({**row, "detail": s.detail(entity_id)})

        api.add_api_route(f"/{tag}/{{entity_id}}", one, methods=["GET"], tags=[tag], responses=NOT_FOUND,
                          summary=f"One {kinds()[kind].label.lower()} with every statement")  # fmt: skip

    # --- stations --------------------------------------------------------------------------------

    def station_geojson(rows: list[dict[str, Any]]) -> Response:
        return _geojson(station_features(rows))

    def stations_endpoint(fmt: str) -> Callable[..., Awaitable[Response]]:
        async def endpoint(
            request: Request,
            country: CountryCode = None,
            jurisdiction: Annotated[str | None, Query(max_length=100, description="Id or name, e.g. wenzhou.")] = None,
            precision: Precision | None = None,
            status: Annotated[Status | None, Query(description="Newly revealed, reported earlier, or unknown.")] = None,
            status_now: Annotated[
                StatusNow | None, Query(description="What it is now, from host-government events.")
            ] = None,
            place: Annotated[str | None, Query(max_length=100, description="Gazetteer place id, e.g. milan.")] = None,
            since: DateBound = None,
            until: DateBound = None,
            limit: Limit = 100,
            offset: Offset = 0,
        ) -> Response:
            wanted = StationFilter(country=country, jurisdiction=jurisdiction, place=place,
                                   precision=precision.value if precision else None,
                                   status=status.value if status else None,
                                   status_now=status_now.value if status_now else None, since=since,
                                   until=until)  # fmt: skip
            c = catalog()
            try:
                rows = wanted.select(c.stations, c.entities["jurisdiction"], strict=False)
            except FilterError as exc:
                return bad_filter(exc)
            return _as(fmt, request, rows, limit, offset, station_geojson)

        return endpoint

    api.add_api_route("/stations", stations_endpoint("json"), methods=["GET"], response_model=StationPage,
                      summary="Stations, filtered", tags=["stations"])  # fmt: skip
    api.add_api_route("/stations.csv", stations_endpoint("csv"), methods=["GET"], summary="Stations as CSV",
                      tags=["stations"], response_class=Response)  # fmt: skip
    api.add_api_route("/stations.geojson", stations_endpoint("geojson"), methods=["GET"], tags=["stations"],
                      summary="Stations as GeoJSON (no geometry where only the country is known)",
                      response_class=Response)  # fmt: skip

    one_entity("station", "stations", lambda s, i: s.station_by_id.get(i))

    # --- countries -------------------------------------------------------------------------------

    @api.get("/countries", summary="Every country the dataset names, with counts", tags=["countries"])
    async def countries() -> Response:
        fields = ("code", "name", "name_zh", "stations", "jurisdictions", "events")
        rows = [{k: row[k] for k in fields} for row in catalog().country_rows]
        return json_response({"total": len(rows), "items": rows})

    @api.get("/countries/{code}", summary="The country check: who runs stations, cooperation, cases, responses",
             tags=["countries"], responses=NOT_FOUND)  # fmt: skip
    async def country(
        code: Annotated[str, Path(pattern=r"^[A-Za-z]{2}$")],
        place: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z0-9-]+$")] = None,
    ) -> Response:
        try:
            return json_response(snapshot().site.country_check(code.upper(), place))
        except PageNotFound:
            return not_found(f"country '{code}'" + (f" with place '{place}'" if place else ""))

    # --- jurisdictions, sources ------------------------------------------------------------------

    def entity_list(kind: str, rows_of: Callable[[Catalog], list[dict[str, Any]]], tag: str) -> None:
        def endpoint_for(fmt: str) -> Callable[..., Awaitable[Response]]:
            async def endpoint(request: Request, limit: Limit = 100, offset: Offset = 0) -> Response:
                return _as(fmt, request, rows_of(catalog()), limit, offset)

            return endpoint

        api.add_api_route(f"/{tag}", endpoint_for("json"), methods=["GET"], response_model=Page, tags=[tag],
                          summary=f"Every {kinds()[kind].label.lower()}")  # fmt: skip
        api.add_api_route(f"/{tag}.csv", endpoint_for("csv"), methods=["GET"], tags=[tag], response_class=Response,
                          summary=f"Every {kinds()[kind].label.lower()} as CSV")  # fmt: skip

        one_entity(kind, tag, lambda s, i: s.entities[kind].get(i))

    entity_list("jurisdiction", lambda s: list(s.entities["jurisdiction"].values()), "jurisdictions")
    entity_list("source", lambda s: s.source_rows, "sources")

    # --- statements ------------------------------------------------------------------------------

    def statements_endpoint(fmt: str) -> Callable[..., Awaitable[Response]]:
        async def endpoint(
            request: Request,
            entity: Annotated[str | None, Query(max_length=100, description="Entity id.")] = None,
            source: Annotated[str | None, Query(max_length=100, description="Source id.")] = None,
            kind: Annotated[str | None, Query(pattern="^(" + "|".join(kinds()) + ")$")] = None,
            prop: Annotated[str | None, Query(max_length=50)] = None,
            origin: Annotated[str | None, Query(max_length=100, description="curated, extracted, or exact.")] = None,
            limit: Limit = 100,
            offset: Offset = 0,
        ) -> Response:
            s = catalog()
            rows = list(s.statements())
            if entity:
                rows = s.statements_by_entity.get(entity, [])
            if source:
                rows = [r for r in rows if r["source_id"] == source]
            if kind:
                rows = [r for r in rows if r["kind"] == kind]
            if prop:
                rows = [r for r in rows if r["prop"] == prop]
            if origin:
                rows = [r for r in rows if r["origin"] == origin or r["origin"].split(":")[0] == origin]
            rows = [{c: r[c] for c in API_STATEMENT_COLUMNS} for r in rows]
            return _as(fmt, request, rows, limit, offset)

        return endpoint

    api.add_api_route("/statements", statements_endpoint("json"), methods=["GET"], response_model=Page,
                      tags=["statements"], summary="Statements, each with its source")  # fmt: skip
    api.add_api_route("/statements.csv", statements_endpoint("csv"), methods=["GET"], tags=["statements"],
                      response_class=Response, summary="Statements as CSV")  # fmt: skip

    # --- events, claims, search ------------------------------------------------------------------

    def event_features(rows: list[dict[str, Any]]) -> Response:
        places = catalog().places

        def point(row: dict[str, Any]) -> dict[str, Any] | None:
            for pid in row["place"]:
                p = places.get(pid)
                if p and p["lat"] is not None:
                    return {"type": "Point", "coordinates": [p["lon"], p["lat"]]}
            return None

        return _geojson({"type": "Feature", "id": r["id"], "geometry": point(r), "properties": r} for r in rows)

    def events_endpoint(fmt: str) -> Callable[..., Awaitable[Response]]:
        async def endpoint(
            request: Request,
            country: CountryCode = None,
            type: EventType | None = None,
            jurisdiction: Annotated[str | None, Query(max_length=100)] = None,
            station: Annotated[str | None, Query(max_length=100)] = None,
            since: DateBound = None,
            until: DateBound = None,
            limit: Limit = 100,
            offset: Offset = 0,
        ) -> Response:
            wanted = EventFilter(country=country, type=type.value if type else None, jurisdiction=jurisdiction,
                                 station=station, since=since, until=until)  # fmt: skip
            c = catalog()
            try:
                rows = wanted.select(c.events, c.entities["jurisdiction"], strict=False)
            except FilterError as exc:
                return bad_filter(exc)
            return _as(fmt, request, rows, limit, offset, event_features)

        return endpoint

    api.add_api_route("/events", events_endpoint("json"), methods=["GET"], response_model=Page, tags=["events"],
                      summary="Events in date order")  # fmt: skip
    api.add_api_route("/events.csv", events_endpoint("csv"), methods=["GET"], tags=["events"],
                      response_class=Response, summary="Events as CSV")  # fmt: skip
    api.add_api_route("/events.geojson", events_endpoint("geojson"), methods=["GET"], tags=["events"],
                      response_class=Response, summary="Events as GeoJSON (a point where a city is known)")  # fmt: skip

    one_entity("event", "events", lambda s, i: s.event_by_id.get(i))

    def claims_endpoint(fmt: str) -> Callable[..., Awaitable[Response]]:
        async def endpoint(request: Request, limit: Limit = 100, offset: Offset = 0) -> Response:
            return _as(fmt, request, catalog().claims, limit, offset)

        return endpoint

    api.add_api_route("/claims", claims_endpoint("json"), methods=["GET"], response_model=Page, tags=["claims"],
                      summary="Official count claims beside what is documented")  # fmt: skip
    api.add_api_route("/claims.csv", claims_endpoint("csv"), methods=["GET"], tags=["claims"],
                      response_class=Response, summary="Count claims as CSV")  # fmt: skip

    # a claim of the ledger with what is documented; a report's own totals (compared on the overview) as they are
    one_entity("claim", "claims", lambda s, i: s.claim_by_id.get(i) or s.entities["claim"].get(i))

    @api.get("/search", response_model=Page, tags=["search"], summary="Full-text search (Chinese and English)")
    async def search_endpoint(
        request: Request, q: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 50, offset: Offset = 0
    ) -> Response:
        snap = snapshot()
        search.ensure_index(request.app.state.app_db, snap.site, snap.key)  # the index follows the data version
        hits, total = search.search(request.app.state.app_db, snap.catalog.edition["id"], q, limit, offset)
        items = [{"kind": h.kind, "ref": h.ref, "href": "/" + h.href, "title": h.title,
                  "snippet_html": str(h.snippet)} for h in hits]  # fmt: skip
        following = str(request.url.include_query_params(offset=offset + limit)) if offset + limit < total else None
        return json_response({"total": total, "limit": limit, "offset": offset, "next": following, "items": items})

    @api.get("/meta", tags=["meta"], summary="Which data this server shows")
    async def meta() -> Response:
        snap = snapshot()
        return json_response(
            {"built_at": snap.catalog.meta.get("built_at"),
             "data_fingerprint": snap.catalog.meta.get("data_fingerprint"),
             "version": snap.key, "stations": len(snap.catalog.stations),
             "edition": snap.catalog.edition["id"], "edition_label": snap.catalog.edition["label"],
             "redacted": not snap.catalog.include_sensitive}
        )  # fmt: skip

    # --- editions ----------------------------------------------------------------------------------

    @api.get("/editions", tags=["editions"], summary="Every released edition, oldest first, and the one shown")
    async def editions() -> Response:
        c = catalog()
        return json_response({"shown": c.edition["id"], "items": [e.as_dict() for e in c.editions.released]})

    @api.get("/diff", tags=["editions"], summary="New since, no longer and changed between two released editions")
    async def edition_diff(
        before: Annotated[str, Query(alias="from", max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")],
        after: Annotated[str, Query(alias="to", max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")],
    ) -> Response:
        from longarm.catalog.diff import diff

        return json_response(diff(public(before).catalog, public(after).catalog))

    return api
