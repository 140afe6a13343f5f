"""The files every page loads: stylesheet, script, Leaflet and the country outlines.

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
    outlines = json.dumps(country_geometry(), separators=(",", ":"))
    files["assets/countries.js"] = f"window.LONGARM_COUNTRIES = {outlines};\n".encode()
    return files
