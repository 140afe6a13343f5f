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
from longarm.model import Kind, kinds
from longarm.publish.exports import PLACE_COLUMNS, entity_columns

# The compiled dataset (facts, citations and brief quotes) is offered under an
# attribution licence; quotes remain their publishers' and are brief quotation.
DATA_LICENCE = {
    "name": "ODC-By-1.0",
    "title": "Open Data Commons Attribution License v1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
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
        fields.append({"name": column, "type": kind})
    return fields


def descriptor(catalog: Catalog) -> dict[str, Any]:
    resources = []
    for name, kind in kinds().items():
        schema: dict[str, Any] = {
            "fields": [_property_field(kind, c) for c in entity_columns(kind)],
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
                "encoding": "utf-8",
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
            "encoding": "utf-8",
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
            "encoding": "utf-8",
            "schema": {"fields": _plain_fields(PLACE_COLUMNS), "primaryKey": ["id"]},
        }
    )
    edition = catalog.edition
    reports = [catalog.entities["source"][e["report"]] for e in catalog.entities["edition"].values()]
    return {
        "name": "longarm-overseas-police-stations",
        "title": "Overseas police service stations: statements, sources and quotes"
        + (f" ({edition['label']})" if edition else ""),
        "description": "Every fact is a statement backed by a cited source, a brief quote in the original "
        "language and a precision. Names of sensitive persons are "
        + ("NOT redacted in this build." if catalog.include_sensitive else "redacted."),
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
