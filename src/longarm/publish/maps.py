"""What the two maps draw, as plain data the page embeds and ``site.js`` hands to Leaflet.

Map 1 draws one marker per station whose place has coordinates (a city),
coloured by running jurisdiction. A station known only to its country, or to a
region without shipped coordinates, is never drawn as if its city were known:
such stations are grouped per (country, jurisdiction) into one ring at the
country's label point (see ``countries.py``), with the count in its label.

Map 2 shades each country by which kinds of station it holds, counting every
station: reported earlier, newly revealed (both computed by diffing editions),
and not attributable to either edition from the text, in any combination.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from longarm.catalog.rows import station_title
from longarm.geo import country_name
from longarm.publish.countries import country_label_points

# Okabe-Ito: distinguishable with the common forms of colour blindness.
JURISDICTION_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# Map 2's categories: which kinds of station a country holds, every station counted. A country
# whose stations include some that cannot be attributed to an edition says so in its category
# (a lighter shade of the same hue), so no country is shown as "newly revealed only" while it
# also holds stations of unknown edition.
STATUS_COLOURS = {
    "new": "#D55E00",
    "new-unattributed": "#F3B48A",
    "earlier": "#0072B2",
    "earlier-unattributed": "#8DC4E8",
    "both": "#CC79A7",
    "both-unattributed": "#EBC3DA",
    "unattributed": "#9a9a9a",
    "table-only": "#ffffff",
}
STATUS_LEGEND = {
    "new": "every station newly revealed",
    "new-unattributed": "newly revealed stations and stations of unknown edition (none reported earlier)",
    "earlier": "every station reported earlier",
    "earlier-unattributed": "earlier-reported stations and stations of unknown edition (none newly revealed)",
    "both": "earlier-reported and newly revealed stations, every station attributed",
    "both-unattributed": "earlier-reported, newly revealed and unknown-edition stations",
    "unattributed": "no station attributable to an edition from the text",
    "table-only": "a Table 1 row with no station entry",
}


def status_category(counts: dict[str, int]) -> str:
    """The Map 2 category of a country from its station counts by status (new, earlier, unknown)."""
    attributed = [status for status in ("new", "earlier") if counts.get(status)]
    if not attributed:
        return "unattributed" if counts.get("unknown") else "table-only"
    base = "both" if len(attributed) == 2 else attributed[0]
    return f"{base}-unattributed" if counts.get("unknown") else base


def jurisdiction_colours(names: list[str]) -> dict[str, str]:
    return {name: JURISDICTION_COLOURS[i % len(JURISDICTION_COLOURS)] for i, name in enumerate(names)}


def station_map_data(stations: list[dict[str, Any]], jurisdictions: list[str]) -> dict[str, Any]:
    """Map 1: the legend, one marker per located station, one ring per country and jurisdiction for the
    rest, the labels of places and countries, and the range of opening years for the time slider."""
    colours = jurisdiction_colours(jurisdictions)
    located, rings = station_markers(stations, colours)
    years = sorted({int(s["opened"][:4]) for s in stations if s["opened"]})
    return {
        "jurisdictions": [{"name": name, "colour": colour} for name, colour in colours.items()],
        "stations": located,
        "rings": rings,
        "labels": map_labels(stations),
        "years": [years[0], years[-1]] if years else None,
    }


def local_map_data(stations: list[dict[str, Any]], jurisdictions: list[str], country: str) -> dict[str, Any]:
    """The small map of a station or country page: its stations (or ring) and the country to frame."""
    data = station_map_data(stations, jurisdictions)
    data["country"] = country
    return data


def map_labels(stations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Names to write on the map: each city with a located station, each country with a station.
    A country's name sits at its label point (see ``countries.py``); a city's at its GeoNames point."""
    label_points = country_label_points()
    labels: dict[tuple[str, str], dict[str, Any]] = {}
    for s in stations:
        if s["lat"] is not None and s["lon"] is not None and s["place_name"]:
            labels[("city", s["place_name"])] = {
                "kind": "city",
                "name": s["place_name"],
                "lat": s["lat"],
                "lon": s["lon"],
            }
        point = label_points.get(s["country"])
        if point is not None:
            labels[("country", s["country"])] = {
                "kind": "country", "name": s["country_name"], "lat": point[1], "lon": point[0],
            }  # fmt: skip
    return sorted(labels.values(), key=lambda label: (label["kind"], label["name"]))


def _filter_fields(s: dict[str, Any]) -> dict[str, Any]:
    """What the map's filters test: the running jurisdiction, edition status, status now and the year opened."""
    return {
        "jurisdiction": s["jurisdiction"],
        "status": s["status"] or "unknown",
        "now": s["status_now"],
        "year": int(s["opened"][:4]) if s["opened"] else None,
    }


def station_markers(
    stations: list[dict[str, Any]], colours: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one marker per located station, one ring per country and jurisdiction for the rest)."""
    label_points = country_label_points()
    located = []
    by_place: dict[tuple[float, float], Counter[str]] = defaultdict(Counter)
    place_names: dict[tuple[float, float], str] = {}
    for s in stations:
        if s["lat"] is not None and s["lon"] is not None:
            by_place[(s["lat"], s["lon"])][s["jurisdiction"]] += 1
            place_names[(s["lat"], s["lon"])] = s["place_name"]
    # Stations in the same city share a point; each marker's label names them all.
    place_labels = {
        point: f"{place_names[point]}: "
        + ", ".join(f"{name} ({n} stations)" if n > 1 else name for name, n in sorted(counter.items()))
        for point, counter in by_place.items()
    }
    unlocated: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in stations:
        if s["lat"] is None or s["lon"] is None:
            unlocated[(s["country"], s["jurisdiction"])].append(s)
            continue
        located.append(
            {
                "id": s["id"],
                "lat": s["lat"],
                "lon": s["lon"],
                "colour": colours.get(s["jurisdiction"], "#444444"),
                "label": place_labels[(s["lat"], s["lon"])],
                "title": station_title(s),
                "href": f"station/{s['id']}.html",
                **_filter_fields(s),
            }
        )
    rings = []
    for (code, jurisdiction), group in sorted(unlocated.items()):
        point = label_points.get(code)
        if point is None:
            continue
        count = len(group)
        regions = sorted({s["place_name"] for s in group if s["place_name"]})
        within = f" (region: {', '.join(regions)})" if regions else ""
        rings.append(
            {
                "country": code,
                "lat": point[1],
                "lon": point[0],
                "colour": colours.get(jurisdiction, "#444444"),
                "count": count,
                "label": f"{jurisdiction}: {count} station{'s' if count > 1 else ''} in {country_name(code)}, "
                f"exact location unknown{within}",
                "href": f"country/{code}.html",
                "stations": [s["id"] for s in group],
                "members": [_filter_fields(s) for s in group],
                "jurisdiction": jurisdiction,
                "country_name": country_name(code),
                "within": within,
            }
        )
    return located, rings


def country_status_data(stations: list[dict[str, Any]], grid: dict[str, Any]) -> dict[str, Any]:
    """Map 2: each country's category (``status_category``), its counts, the legend with country counts."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "earlier": 0, "unknown": 0})
    for s in stations:
        counts[s["country"]][s["status"] or "unknown"] += 1
    countries: dict[str, dict[str, Any]] = {
        code: {"category": status_category(found), "name": country_name(code), "counts": found}
        for code, found in counts.items()
    }
    for row in grid["rows"]:
        countries.setdefault(
            row["country"],
            {"category": "table-only", "name": row["country_name"], "counts": {"new": 0, "earlier": 0, "unknown": 0}},
        )
    for code, entry in countries.items():
        entry["href"] = f"country/{code}.html"
    return {
        "countries": countries,
        "colours": STATUS_COLOURS,
        "legend": [
            {"category": c, "label": STATUS_LEGEND[c], "colour": STATUS_COLOURS[c], "count": n}
            for c in STATUS_COLOURS
            if (n := sum(1 for e in countries.values() if e["category"] == c))
        ],
    }
