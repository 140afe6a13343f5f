"""The files every page loads: stylesheet, scripts, Leaflet, Leaflet.markercluster and the country outlines.

Leaflet comes from the xstatic-leaflet package (installed with longarm), so
the site needs no CDN. The outlines are wrapped as a script
(``window.LONGARM_COUNTRIES = …``) rather than fetched as JSON, because
browsers refuse fetch() from pages opened with file://.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet

from longarm.publish.countries import country_geometry

LEAFLET_FILES = [
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
]
OWN_FILES = ["site.css", "site.js", "review.js", "search.js"]
# Leaflet.markercluster (npm, MIT) clusters and spreads co-located stations; shipped in static/markercluster.
MARKERCLUSTER_FILES = ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css", "MIT-LICENCE.txt"]


def _leaflet(name: str) -> bytes:
    data = (Path(xstatic.pkg.leaflet.BASE_DIR) / name).read_bytes()
    if name == "leaflet.js":
        # The source map is not shipped; a dangling reference would make devtools request it.
        data = data.replace(b"//# sourceMappingURL=leaflet.js.map", b"")
    return data


@cache
def site_assets() -> dict[str, bytes]:
    """Site-relative path -> content, for `publish` to write and `serve` to answer."""
    files = {
        f"assets/{name}": resources.files("longarm.publish").joinpath(f"static/{name}").read_bytes()
        for name in OWN_FILES
    }
    files.update({f"assets/leaflet/{name}": _leaflet(name) for name in LEAFLET_FILES})
    static = resources.files("longarm.publish").joinpath("static/markercluster")
    files.update({f"assets/markercluster/{name}": static.joinpath(name).read_bytes() for name in MARKERCLUSTER_FILES})
    outlines = json.dumps(country_geometry(), separators=(",", ":"))
    files["assets/countries.js"] = f"window.LONGARM_COUNTRIES = {outlines};\n".encode()
    # The 1:50m outlines are large: site.js loads them only once a map is zoomed in to country level.
    fine = json.dumps(country_geometry("50m"), separators=(",", ":"))
    files["assets/countries-50m.js"] = f"window.LONGARM_COUNTRIES_FINE = {fine};\n".encode()
    return files
