"""A Frictionless data package describing the CSV exports: schemas, keys, sources and licence.

Field types come from ``model.yaml``, so the package never drifts from the
data model. Partial dates ("2016-05") are strings, not Frictionless dates,
because their precision is data: each date column has a ``*_precision``
column beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from longarm import __version__
from longarm.catalog import Catalog
from longarm.ledger.store import STATEMENT_COLUMNS
from longarm.model import Kind, kinds, property_label
from longarm.publish.exports import CSV_ENCODING, PLACE_COLUMNS, entity_columns

# The compiled dataset (facts, citations, our glosses and notes) is offered under CC BY 4.0. The
# quotes remain their publishers' (brief quotation, with the source named); the report's own text
# and every cited publication keep their own rights, which this licence does not touch.
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SOURCES_RIGHTS = (
    "Quotes are brief quotations from the cited publications, which keep their own rights; the licence "
    "covers the compilation (which facts, how they are linked and described), not the sources' text."
)
# Columns of the exports that are no property of the model (a property's label is model.yaml's), where the
# name alone says too little.
COLUMN_LABELS = {
    "id": "Id",
    "status": "Revealed (new, earlier, or not attributable)",
    "status_now": "Status now (reported, under investigation, ordered closed, closed), from host-government events",
    "status_now_date": "Date of the event that shows the status now",
    "status_now_event": "Id of the event that shows the status now",
    "lat": "Latitude",
    "lon": "Longitude",
    "geonameid": "GeoNames id",
    "sources": "Source ids",
    "source_id": "Source id",
    "entity_id": "Entity id",
    "prop": "Property",
    "as_converted": "Quote as converted from the PDF",
    "gloss": "English gloss (ours)",
    "data_file": "Data file",
    "data_line": "Line in the data file",
}
THIRD_PARTY_SOURCES = [
    {"title": "GeoNames (city coordinates), CC BY 4.0", "path": "https://www.geonames.org/"},
    {
        "title": "Natural Earth 1:110m countries (label points), public domain",
        "path": "https://www.naturalearthdata.com/",
    },
]
FILENAME = "datapackage.json"
PRECISION_VALUES = {"date": ["day", "month", "year"]}
NUMBER_COLUMNS = {"lat", "lon"}
INTEGER_COLUMNS = {"geonameid", "data_line"}


def column_label(column: str) -> str:
    """A column's name in words: ``location_precision`` is "Location precision", ``name_zh`` "Name (Chinese)"."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    if column.endswith("_precision") and column != "location_precision":
        return f"{column_label(column.removesuffix('_precision'))}: precision"
    return property_label(column)


def _property_field(kind: Kind, column: str) -> dict[str, Any]:
    if column == "id":
        return {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}}
    if column == "sources":
        return {
            "name": column,
            "type": "string",
            "description": "ids of the sources backing this entity, ';'-separated",
        }
    if column.endswith("_precision") and column.removesuffix("_precision") in kind.properties:
        return {"name": column, "type": "string", "constraints": {"enum": PRECISION_VALUES["date"]}}
    if column in NUMBER_COLUMNS:
        return {"name": column, "type": "number"}
    prop = kind.properties.get(column)
    if prop is None:  # a derived column (station: place_name, status…)
        return {"name": column, "type": "string"}
    field: dict[str, Any] = {"name": column, "type": "string"}
    if prop.multi:
        field["description"] = "several values separated by ';'"
    elif prop.type == "int":
        field["type"] = "integer"
    elif prop.type == "bool":
        field["type"] = "boolean"
    elif prop.type == "enum":
        field["constraints"] = {"enum": list(prop.values)}
    elif prop.type == "date":
        field["description"] = "YYYY, YYYY-MM or YYYY-MM-DD; the precision is in the next column"
    elif prop.type == "country":
        field["constraints"] = {"pattern": "[A-Z]{2}"}
    elif prop.type == "ref":
        field["description"] = f"id of a {prop.range}"
    if prop.required and not prop.multi:
        field.setdefault("constraints", {})["required"] = True
    return field


def _plain_fields(columns: Sequence[str]) -> list[dict[str, Any]]:
    fields = []
    for column in columns:
        kind = "number" if column in NUMBER_COLUMNS else "integer" if column in INTEGER_COLUMNS else "string"
        fields.append({"name": column, "title": column_label(column), "type": kind})
    return fields


def _titled(field: dict[str, Any]) -> dict[str, Any]:
    return {"name": field["name"], "title": column_label(field["name"]), **field}


def descriptor(catalog: Catalog) -> dict[str, Any]:
    resources = []
    for name, kind in kinds().items():
        schema: dict[str, Any] = {
            "fields": [_titled(_property_field(kind, c)) for c in entity_columns(kind)],
            "primaryKey": ["id"],
        }
        if name == "station":
            schema["foreignKeys"] = [
                {"fields": ["jurisdiction"], "reference": {"resource": "jurisdiction", "fields": ["id"]}},
                {"fields": ["place"], "reference": {"resource": "places", "fields": ["id"]}},
            ]
        resources.append(
            {
                "name": name,
                "title": f"{kind.label} entities",
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": CSV_ENCODING,
                "schema": schema,
            }
        )
    statement_schema = {
        "fields": _plain_fields(STATEMENT_COLUMNS),
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["source_id"], "reference": {"resource": "source", "fields": ["id"]}}],
    }
    resources.append(
        {
            "name": "statements",
            "title": "Statements: every fact with its source, quote and precision",
            "path": "statements.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": CSV_ENCODING,
            "schema": statement_schema,
        }
    )
    resources.append(
        {
            "name": "places",
            "title": "Gazetteer of the places named",
            "path": "places.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": CSV_ENCODING,
            "schema": {"fields": _plain_fields(PLACE_COLUMNS), "primaryKey": ["id"]},
        }
    )
    edition = catalog.edition
    reports = [catalog.entities["source"][e["report"]] for e in catalog.entities["edition"].values() if e["report"]]
    return {
        "name": "longarm-overseas-police-stations",
        "title": "Overseas police service stations: statements, sources and quotes"
        + (f" ({edition['label']})" if edition else ""),
        "description": "Every fact is a statement backed by a cited source, a brief quote in the original "
        "language and a precision. Names of sensitive persons are "
        + ("NOT redacted in this build. " if catalog.include_sensitive else "redacted. ")
        + SOURCES_RIGHTS,
        "version": catalog.meta.get("data_fingerprint", __version__),
        "created": catalog.meta.get("built_at"),
        "licenses": [DATA_LICENCE],
        "sources": [
            *(
                {"title": f"{r['publisher']}: {r['title'] or r['id']}" + (f" ({r['date']})" if r["date"] else "")}
                for r in reports
            ),
            {"title": f"{len(catalog.entities['source'])} further publications cited: see source.csv"},
            *THIRD_PARTY_SOURCES,
        ],
        "keywords": ["overseas police service stations", "transnational repression", "open-source evidence"],
        "resources": resources,
    }


def write_datapackage(catalog: Catalog, folder: Path) -> str:
    text = json.dumps(descriptor(catalog), ensure_ascii=False, indent=1)
    (folder / FILENAME).write_text(text, encoding="utf-8")
    return FILENAME
