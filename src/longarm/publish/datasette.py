"""``data/metadata.json``: what Datasette needs to make ``longarm.db`` readable to a newcomer.

`datasette site/data/longarm.db -m site/data/metadata.json` then shows each table with a
title, a sentence on what a row is, the licence and source, column labels, sensible
facets, and hides the tables a reader never needs (the build's bookkeeping).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from longarm.catalog import Catalog
from longarm.ledger.store import STATEMENT_COLUMNS
from longarm.model import kinds
from longarm.publish.datapackage import DATA_LICENCE, column_label
from longarm.publish.exports import PLACE_COLUMNS, entity_columns

FILENAME = "metadata.json"
DATABASE = "longarm"  # Datasette names a database after its file

# What a row is, and the columns a reader narrows by first.
TABLES: dict[str, tuple[str, str, list[str]]] = {
    "station": (
        "Stations",
        "One row per overseas police service station, with the jurisdiction that runs it, where it is (as "
        "precisely as the sources say) and whether the report revealed it.",
        ["country_name", "jurisdiction_name", "status", "location_precision", "opened_precision"],
    ),
    "event": (
        "Events",
        "Openings, licence ceremonies, persuasion-to-return cases, agreements, joint patrols and host "
        "governments' responses.",
        ["type", "date_precision"],
    ),
    "claim": (
        "Official count claims",
        "What officials and reports said about how many stations, countries and cities there are.",
        ["claimant", "jurisdiction", "system", "qualifier"],
    ),
    "jurisdiction": ("Jurisdictions", "Chinese public security bureaus and other organs named.", ["level", "organ"]),
    "source": ("Sources", "Every publication cited, with its URL where one was found.", ["lang", "medium"]),
    "person": ("Persons", "Officials and others named; sensitive persons are redacted.", ["role", "country"]),
    "edition": ("Editions", "The reports whose tables the dataset follows.", []),
    "statement": (
        "Statements",
        "Every fact: one value of one property of one entity, with its source, a brief quote in the original "
        "language and its precision. Rows whose last_seen is not the build time are history.",
        ["kind", "prop", "lang", "origin", "source_id"],
    ),
    "current_statement": ("Current statements", "The statements of the current build.", ["kind", "prop", "lang"]),
    "place": ("Places", "The gazetteer: places named by the dataset, with GeoNames ids and coordinates.", ["country"]),
}
HIDDEN = ["meta", "station_derived"]


def _columns(name: str) -> list[str]:
    if name in kinds():
        return entity_columns(kinds()[name])
    if name == "place":
        return PLACE_COLUMNS
    return list(STATEMENT_COLUMNS)


def metadata(catalog: Catalog) -> dict[str, Any]:
    edition = catalog.edition
    report = catalog.entities["source"].get(edition["report"]) if edition else None
    source = f"{report['publisher']}, {report['title']}" if report else "the cited sources"
    tables: dict[str, Any] = {}
    for name, (title, description, facets) in TABLES.items():
        columns = _columns(name)
        tables[name] = {
            "title": title,
            "description": description,
            "columns": {c: column_label(c) for c in columns},
            "facets": [f for f in facets if f in columns],
            "sort": "id" if "id" in columns else None,
        }
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    return {
        "title": "longarm: overseas police service stations",
        "description": "Every fact is a statement backed by a cited source, a brief quote in the original "
        "language and a precision."
        + (" Names of sensitive persons are redacted." if not catalog.include_sensitive else ""),
        "license": DATA_LICENCE["title"],
        "license_url": DATA_LICENCE["path"],
        "source": f"{source} and {len(catalog.entities['source'])} further sources (see the source table)",
        **({"source_url": report["url"]} if report and report.get("url") else {}),
        "databases": {DATABASE: {"tables": tables}},
    }


def write_datasette_metadata(catalog: Catalog, folder: Path) -> str:
    (folder / FILENAME).write_text(json.dumps(metadata(catalog), ensure_ascii=False, indent=1), encoding="utf-8")
    return FILENAME
