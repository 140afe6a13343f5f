"""Convert Natural Earth countries (npm package world-atlas) to the GeoJSON the site ships.

Two scales are shipped: 1:110m for the world view and 1:50m, which the maps draw once
zoomed in to a country. Run once when the geometry should change; the outputs are committed:

    python scripts/build_country_geometry.py                  # both scales; fetches world-atlas with `npm pack`
    python scripts/build_country_geometry.py 110m countries-110m.json   # one scale from a local file

What it does, and why:
- decodes the TopoJSON (quantised, delta-encoded arcs) in plain Python, so the
  project needs no JavaScript toolchain to regenerate it;
- fixes the antimeridian: Natural Earth rings for Russia and Fiji jump from
  +180 to -180, which a flat (Leaflet) map draws as a stripe across the world.
  Each such ring is unwrapped into one continuous ring and clipped at +/-180
  into two rings, one on each side;
- leaves out Antarctica (no stations; on a Mercator map it only takes room);
- keys each country by ISO 3166-1 alpha-2 (from the numeric id via pycountry;
  Kosovo has no ISO code and gets the user-assigned XK that CLDR uses);
- rounds coordinates to 2 decimals (about 1 km, far finer than 1:110m) to keep
  the file small.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pycountry

WORLD_ATLAS = "world-atlas@2.0.2"
SCALES = ("110m", "50m")
DATA = Path(__file__).resolve().parent.parent / "src/longarm/publish/data"
DIGITS = 2
LEFT_OUT = {"010"}  # Antarctica
NO_NUMERIC_CODE = {"Kosovo": "XK"}

Point = tuple[float, float]
Ring = list[Point]


def fetch_world_atlas(folder: Path, scale: str) -> Path:
    """`npm pack` downloads the package tarball from the registry without installing anything."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=folder, check=True, capture_output=True)
    tarball = next(folder.glob("world-atlas-*.tgz"))
    source_file = f"package/countries-{scale}.json"
    with tarfile.open(tarball) as archive:
        archive.extract(source_file, folder, filter="data")
    return folder / source_file


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch(arcs: list[Ring], indexes: list[int]) -> Ring:
    """A ring from arc indexes; a negative index ~i means arc i reversed (TopoJSON)."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous: a jump of more than 180 degrees is a crossing of the antimeridian."""
    result = [ring[0]]
    offset = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(ring):
        if x1 - x0 > 180:
            offset -= 360
        elif x0 - x1 > 180:
            offset += 360
        result.append((x1 + offset, y1))
    return result


def clip(ring: Ring, edge: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman clipping of a closed ring against the vertical line x = edge."""

    def inside(p: Point) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    def crossing(p: Point, q: Point) -> Point:
        t = (edge - p[0]) / (q[0] - p[0])
        return (edge, p[1] + t * (q[1] - p[1]))

    output: Ring = []
    points = ring[:-1] if ring[0] == ring[-1] else ring
    for i, current in enumerate(points):
        previous = points[i - 1]
        if inside(current):
            if not inside(previous):
                output.append(crossing(previous, current))
            output.append(current)
        elif inside(previous):
            output.append(crossing(previous, current))
    if output:
        output.append(output[0])
    return output


def split_at_antimeridian(ring: Ring) -> list[Ring]:
    ring = unwrap(ring)
    low, high = min(x for x, _ in ring), max(x for x, _ in ring)
    if high > 180:
        east = [(x - 360, y) for x, y in clip(ring, 180, keep_below=False)]
        return [clip(ring, 180, keep_below=True), east]
    if low < -180:
        west = [(x + 360, y) for x, y in clip(ring, -180, keep_below=True)]
        return [clip(ring, -180, keep_below=False), west]
    return [ring]


def rounded(ring: Ring) -> list[list[float]]:
    result: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not result or point != result[-1]:
            result.append(point)
    if result and result[0] != result[-1]:
        result.append(result[0])
    return result


def polygons_of(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[list[list[float]]]]:
    """Each TopoJSON polygon as GeoJSON polygons; a crossing outer ring yields one polygon per side."""
    shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    result = []
    for shape in shapes:
        outer, *holes = (stitch(arcs, ring) for ring in shape)
        pieces = split_at_antimeridian(outer)
        hole_rings = [rounded(h) for h in holes]
        for piece in pieces:
            ring = rounded(piece)
            if len(ring) >= 4:
                # Holes never cross the antimeridian in this data; they stay with the unsplit polygon.
                result.append([ring, *(hole_rings if len(pieces) == 1 else [])])
    return result


def iso2(geometry: dict[str, Any]) -> str | None:
    numeric = geometry.get("id")
    if numeric is None:
        return NO_NUMERIC_CODE.get(geometry["properties"]["name"])
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def convert(topology: dict[str, Any], scale: str) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features: list[dict[str, Any]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = polygons_of(geometry, arcs)
        features.append(
            {
                "type": "Feature",
                "id": iso2(geometry),
                "properties": {
                    "iso2": iso2(geometry),
                    "iso_numeric": geometry.get("id"),
                    "name": geometry["properties"]["name"],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso2"] or "~", f["properties"]["name"]))
    return {
        "type": "FeatureCollection",
        "attribution": f"Natural Earth 1:{scale} admin-0 countries (public domain), via the npm package {WORLD_ATLAS}",
        "features": features,
    }


def build(scale: str, source: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        topology = json.loads((source or fetch_world_atlas(Path(tmp), scale)).read_text(encoding="utf-8"))
    collection = convert(topology, scale)
    target = DATA / f"countries-{scale}.geojson"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB, {len(collection['features'])} countries)")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in SCALES:
        build(sys.argv[1], Path(sys.argv[2]))
        return
    for scale in SCALES:
        build(scale)


if __name__ == "__main__":
    main()
