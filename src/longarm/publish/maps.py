"""What the two maps draw, as plain data the page embeds and ``site.js`` hands to Leaflet.

Map 1 draws one marker per station whose place has coordinates (a city),
coloured by running jurisdiction. A station known only to its country, or to a
region without shipped coordinates, is never drawn as if its city were known:
such stations are grouped per (country, jurisdiction) into one ring at the
country's label point (see ``countries.py``), with the count in its label.

Map 2 shades each country by whether its stations were reported earlier, are
newly revealed (both computed by diffing editions), both, or cannot be
attributed to either edition from the text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from longarm.geo import country_name
from longarm.publish.countries import country_label_points

# Okabe-Ito: distinguishable with the common forms of colour blindness.
JURISDICTION_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
STATUS_COLOURS = {
    "new": "#D55E00",
    "earlier": "#0072B2",
    "both": "#CC79A7",
    "unattributed": "#9a9a9a",
    "table-only": "#ffffff",
}
STATUS_LEGEND = {
    "new": "newly revealed stations only",
    "earlier": "earlier-reported stations only",
    "both": "both earlier-reported and newly revealed stations",
    "unattributed": "stations whose edition cannot be told from the text",
    "table-only": "a Table 1 row with no station entry",
}


def jurisdiction_colours(names: list[str]) -> dict[str, str]:
    return {name: JURISDICTION_COLOURS[i % len(JURISDICTION_COLOURS)] for i, name in enumerate(names)}


def station_map_data(stations: list[dict[str, Any]], jurisdictions: list[str]) -> dict[str, Any]:
    """Map 1: the legend, one marker per located station, one ring per country and jurisdiction for the rest."""
    colours = jurisdiction_colours(jurisdictions)
    located, rings = station_markers(stations, colours)
    return {
        "jurisdictions": [{"name": name, "colour": colour} for name, colour in colours.items()],
        "stations": located,
        "rings": rings,
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
                "href": f"station/{s['id']}.html",
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
            }
        )
    return located, rings


def country_status_data(stations: list[dict[str, Any]], grid: dict[str, Any]) -> dict[str, Any]:
    statuses: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "earlier": 0, "unknown": 0})
    for s in stations:
        statuses[s["country"]].add(s["status"] or "unknown")
        counts[s["country"]][s["status"] or "unknown"] += 1
    countries: dict[str, dict[str, Any]] = {}
    for code, found in statuses.items():
        if "new" in found and "earlier" in found:
            category = "both"
        elif "new" in found:
            category = "new"
        elif "earlier" in found:
            category = "earlier"
        else:
            category = "unattributed"
        countries[code] = {"category": category, "name": country_name(code), "counts": counts[code]}
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
