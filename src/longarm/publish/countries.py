"""Country outlines for the maps, and the one point a country-precision station is drawn at.

The outlines are Natural Earth 1:110m (the world view) and 1:50m (drawn once a
map is zoomed in), converted once by ``scripts/build_country_geometry.py`` and
shipped in ``data/``. Label points are computed from the 1:110m outlines.

Where a station is known only to the country, the maps and the GeoJSON export
place it at the country's *label point*, computed from the outline by one rule
(never typed by hand):

1. take the country's largest polygon (by area in degrees), so that France is
   drawn in Europe rather than between Europe and French Guiana, and the
   United States not in Canada between Alaska and the lower 48;
2. use that polygon's area centroid if it lies inside the polygon;
3. otherwise (a crescent-shaped country) take the horizontal line through the
   centroid's latitude and use the midpoint of its widest stretch inside the
   polygon.

Such a point says "somewhere in this country" and is always drawn as a ring
and flagged, never as if the city were known.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

Point = tuple[float, float]
Polygon = list[list[list[float]]]  # outer ring, then holes; each ring a list of [lon, lat]


@cache
def country_geometry(scale: str = "110m") -> dict[str, Any]:
    """The shipped GeoJSON FeatureCollection (1:110m, or 1:50m for maps zoomed in), keyed by ISO alpha-2 in ``id``."""
    text = resources.files("longarm.publish").joinpath(f"data/countries-{scale}.geojson").read_text(encoding="utf-8")
    collection: dict[str, Any] = json.loads(text)
    return collection


def _ring_area_and_centroid(ring: list[list[float]]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, (ring[0][0], ring[0][1])
    return area, (cx / (6 * area), cy / (6 * area))


def polygon_area(polygon: Polygon) -> float:
    outer, *holes = polygon
    return abs(_ring_area_and_centroid(outer)[0]) - sum(abs(_ring_area_and_centroid(h)[0]) for h in holes)


def _crossings(ring: list[list[float]], y: float) -> list[float]:
    """Longitudes where the horizontal line at latitude ``y`` crosses the ring (half-open rule)."""
    xs = []
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 <= y) != (y1 <= y):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return xs


def contains(polygon: Polygon, point: Point) -> bool:
    """Even-odd rule over the outer ring and its holes."""
    x, y = point
    return sum(1 for ring in polygon for cx in _crossings(ring, y) if cx > x) % 2 == 1


def label_point(polygons: list[Polygon]) -> Point:
    """The point the module docstring defines, as (lon, lat) rounded to 2 decimals."""
    largest = max(polygons, key=polygon_area)
    _area, centroid = _ring_area_and_centroid(largest[0])
    if not contains(largest, centroid):
        y = centroid[1]
        xs = sorted(x for ring in largest for x in _crossings(ring, y))
        if len(xs) < 2:  # a line exactly through a vertex only; keep the centroid rather than fail
            return round(centroid[0], 2), round(y, 2)
        stretches = [(xs[i + 1] - xs[i], xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        _width, west, east = max(stretches)
        centroid = ((west + east) / 2, y)
    return round(centroid[0], 2), round(centroid[1], 2)


@cache
def country_label_points() -> dict[str, Point]:
    """ISO alpha-2 -> (lon, lat) for every country in the shipped outlines."""
    return {
        feature["id"]: label_point(feature["geometry"]["coordinates"])
        for feature in country_geometry()["features"]
        if feature["id"]
    }
