"""The data behind the site as standard files in ``OUT_DIR/data/``.

CSV per entity kind plus every statement, one JSON document, GeoJSON of the
stations, FollowTheMoney entities (``ftm.py``), a Frictionless data package
(``datapackage.py``) and the SQLite database itself. Every file goes through
the same redaction as the pages: a sensitive person's name is replaced in
records, quotes and notes, in the SQLite copy too (which is then vacuumed so
the old text does not linger in free pages).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

from longarm.catalog import Catalog
from longarm.catalog.redact import STATEMENT_TEXT_FIELDS, redacted_statement
from longarm.ledger.store import STATEMENT_COLUMNS
from longarm.model import Kind, kinds
from longarm.publish.countries import country_label_points

STATION_EXTRA_COLUMNS = ["jurisdiction_name", "country_name", "place_name", "lat", "lon", "status"]
PLACE_COLUMNS = ["id", "name", "country", "kind", "lat", "lon", "geonameid", "subdivision"]
MULTI_SEPARATOR = ";"


def entity_columns(kind: Kind) -> list[str]:
    columns = ["id"]
    for prop in kind.properties.values():
        columns.append(prop.name)
        if prop.type == "date":
            columns.append(f"{prop.name}_precision")
    columns.append("sources")
    if kind.name == "station":
        columns.extend(STATION_EXTRA_COLUMNS)
    return columns


def describe_downloads() -> list[tuple[str, str]]:
    """(file under data/, what it is) for every export, in the order the About page lists them."""
    files = [
        ("datapackage.json", "Frictionless data package: the CSV files below with their schemas, sources and licence"),
        ("statements.csv", "every statement: entity, property, value, precision, source, quote, language, origin"),
    ]
    files.extend(
        (f"{name}.csv", f"one row per {kind.label.lower()}; several values in one cell are separated by ';'")
        for name, kind in kinds().items()
    )
    files.extend(
        [
            ("places.csv", "the gazetteer: places named by the dataset, with GeoNames ids and coordinates"),
            ("longarm.json", "one JSON document: statistics, findings, Table 1, stations, claims ledger, events"),
            (
                "stations.geojson",
                "stations as GeoJSON points; precision in the properties; stations known only to their country "
                "at the country's label point with located=false, or with no geometry",
            ),
            ("entities.ftm.json", "FollowTheMoney entities, one JSON object per line"),
            ("longarm.db", "the SQLite database itself (opens in Datasette or any SQLite client)"),
        ]
    )
    return files


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    return value


def write_csv(handle: TextIO, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """A header and one line per row, for the files and the API alike: several values in one cell
    are separated by ``MULTI_SEPARATOR``; None is an empty cell."""
    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, columns, rows)


def entity_records(catalog: Catalog, kind: str) -> list[dict[str, Any]]:
    """The (redacted) entity rows of one kind, with a station's derived columns filled in."""
    records = []
    for entity in catalog.entities[kind].values():
        record = entity
        if kind == "station" and entity["id"] in catalog.station_by_id:
            row = catalog.station_by_id[entity["id"]]
            record = dict(
                entity,
                jurisdiction_name=row["jurisdiction"],
                country_name=row["country_name"],
                place_name=row["place_name"],
                lat=row["lat"],
                lon=row["lon"],
                status=row["status"],
            )
        records.append(record)
    return records


def statement_records(catalog: Catalog) -> Iterable[dict[str, Any]]:
    for statements in catalog.statements_by_entity.values():
        yield from statements


def write_csvs(catalog: Catalog, folder: Path) -> list[str]:
    written = []
    for name, kind in kinds().items():
        _write_csv(folder / f"{name}.csv", entity_columns(kind), entity_records(catalog, name))
        written.append(f"{name}.csv")
    _write_csv(folder / "statements.csv", STATEMENT_COLUMNS, statement_records(catalog))
    _write_csv(folder / "places.csv", PLACE_COLUMNS, sorted(catalog.places.values(), key=lambda p: p["id"]))
    return [*written, "statements.csv", "places.csv"]


def write_json(catalog: Catalog, folder: Path) -> str:
    document = {
        "generator": "longarm",
        "edition": catalog.edition["label"] if catalog.edition else None,
        "built_at": catalog.meta.get("built_at"),
        "redacted": not catalog.include_sensitive,
        "statistics": catalog.stats,
        "table1": catalog.grid,
        "stations": catalog.stations,
        "claims": catalog.claims,
        "events": catalog.events,
        "entities": {kind: entity_records(catalog, kind) for kind in kinds() if kind != "station"},
    }
    (folder / "longarm.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return "longarm.json"


def station_features(stations: Iterable[dict[str, Any]], at_country_points: bool = True) -> list[dict[str, Any]]:
    """One feature per station. One with no city point is drawn at its country's label point with
    located=false where ``at_country_points`` (the published file, for maps), and has no geometry
    otherwise (the API: a client then invents no point); its precision is in the properties either way."""
    label_points = country_label_points() if at_country_points else {}
    features = []
    for s in stations:
        if s["lat"] is not None and s["lon"] is not None:
            geometry: dict[str, Any] | None = {"type": "Point", "coordinates": [s["lon"], s["lat"]]}
            basis = "place"
        elif s["country"] in label_points:
            lon, lat = label_points[s["country"]]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            basis = "country-label-point"
        else:
            geometry, basis = None, None
        properties = {
            "id": s["id"],
            "jurisdiction": s["jurisdiction"],
            "jurisdiction_id": s["jurisdiction_id"],
            "country": s["country"],
            "country_name": s["country_name"],
            "place": s["place"],
            "place_name": s["place_name"],
            "location_precision": s["location_precision"],
            "located": basis == "place",
            "geometry_basis": basis,
            "table_cell": s["table_cell"],
            "opened": s["opened"],
            "opened_precision": s["opened_precision"],
            "status": s["status"],
            "sources": s["sources"],
            "page": f"station/{s['id']}.html",
        }
        features.append({"type": "Feature", "id": s["id"], "geometry": geometry, "properties": properties})
    return features


def write_geojson(catalog: Catalog, folder: Path) -> str:
    collection = {"type": "FeatureCollection", "features": station_features(catalog.stations)}
    (folder / "stations.geojson").write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return "stations.geojson"


def write_sqlite(catalog: Catalog, folder: Path) -> str:
    """A copy of the database with the same redaction as every other output, and the statements
    reviewed in `longarm serve` (which live in the app database, laid over the built file) in it
    as current statements, so that the copy holds the dataset the pages show."""
    target = folder / "longarm.db"
    with closing(sqlite3.connect(target)) as copy:
        catalog.copy_built_database(copy)  # the built file only: the overlay is an attached database
        copy.row_factory = sqlite3.Row
        copy.execute("DELETE FROM meta WHERE key = 'data_dir'")  # a local path on the curator's machine
        # History (statements no longer current) is redacted as well as the current statements.
        rows = [dict(r) for r in copy.execute("SELECT * FROM statement")]
        updates = []
        for st in rows:
            record = catalog.statement_by_original_id.get(st["id"]) or redacted_statement(st, catalog.redact)
            if record != st:
                updates.append((*(record[c] for c in ("id", *STATEMENT_TEXT_FIELDS, "data_file")), st["id"]))
        assignments = ", ".join(f"{c} = ?" for c in ("id", *STATEMENT_TEXT_FIELDS, "data_file"))
        copy.executemany(f"UPDATE statement SET {assignments} WHERE id = ?", updates)
        # Reviewed statements become current in the copy, whose current statements are those last
        # seen in its build (one the data files once had is in its history: it is current again).
        built_at = catalog.meta["built_at"]
        built = {st["id"] for st in rows if st["last_seen"] == built_at}
        reviewed = [
            {**st, "last_seen": built_at}
            for original, st in catalog.statement_by_original_id.items()
            if original not in built
        ]
        copy.executemany(
            f"INSERT INTO statement ({', '.join(STATEMENT_COLUMNS)}) VALUES ({','.join('?' * len(STATEMENT_COLUMNS))}) "
            "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
            ([st[c] for c in STATEMENT_COLUMNS] for st in reviewed),
        )
        if not catalog.include_sensitive:
            copy.execute("INSERT OR REPLACE INTO meta VALUES ('redacted', 'sensitive persons')")
        copy.commit()
        copy.execute("VACUUM")
    return "longarm.db"
