"""The data behind the site as standard files in ``OUT_DIR/data/``.

CSV per entity kind plus every statement, the same tables as one Excel workbook,
one JSON document, GeoJSON of the stations, FollowTheMoney entities (``ftm.py``), a
Frictionless data package (``datapackage.py``), and the SQLite database itself with a
Datasette metadata file (``datasette.py``). Every file goes through the same
redaction as the pages: a sensitive person's name is replaced in records, quotes and
notes, in the SQLite copy too (which is then vacuumed so the old text does not linger
in free pages).

The CSV files are UTF-8 with a byte-order mark: Excel on Windows reads a CSV without
one in the local code page and shows Chinese text as mojibake; every CSV reader
worth the name skips the mark.

One rule for a station whose exact location is unknown (country precision), in every
geographic output (the GeoJSON file and the API's): no geometry, since no point is
known, and the country's label point in the ``country_point`` property for a map that
wants to draw the country's stations somewhere (the site's maps draw them as a ring
there).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from longarm.catalog import Catalog
from longarm.catalog.redact import STATEMENT_TEXT_FIELDS, redacted_statement
from longarm.ledger.store import STATEMENT_COLUMNS
from longarm.model import Kind, kinds
from longarm.publish.countries import country_label_points

STATION_EXTRA_COLUMNS = [
    "jurisdiction_name", "country_name", "place_name", "lat", "lon", "status",
    "status_now", "status_now_date", "status_now_event",
]  # fmt: skip
PLACE_COLUMNS = ["id", "name", "country", "kind", "lat", "lon", "geonameid", "subdivision"]
MULTI_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, so that Excel reads it as UTF-8
WORKBOOK = "longarm.xlsx"


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
        (WORKBOOK, "Excel workbook: the tables below, one sheet each, header row frozen"),
        (
            "datapackage.json",
            "Frictionless data package: the CSV files below with their schemas, sources and licence. The dataset "
            "is CC BY 4.0 (cite longarm and the report); quotes are brief quotations from the cited publications, "
            "which keep their own rights",
        ),
        (
            "statements.csv",
            "every statement: entity, property, value, precision, source, quote, language, origin. Every CSV file "
            "is UTF-8 with a byte-order mark, so Excel opens it with Chinese text intact (double-click it, or "
            "Data > From Text/CSV); other tools skip the mark (in Python: encoding='utf-8-sig')",
        ),
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
                "stations as GeoJSON points, precision in the properties; a station known only to its country has "
                "no geometry (located=false) and its country's label point in country_point",
            ),
            ("entities.ftm.json", "FollowTheMoney entities, one JSON object per line"),
            (
                "longarm.db",
                "the SQLite database itself, its station table with the columns of station.csv (several values in "
                "one cell as a JSON list); `datasette longarm.db -m metadata.json` browses it with titles and facets",
            ),
            ("metadata.json", "Datasette metadata for longarm.db: titles, licence, source, column labels, facets"),
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
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
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
                status_now=row["status_now"],
                status_now_date=row["status_now_date"],
                status_now_event=row["status_now_event"],
            )
        records.append(record)
    return records


def statement_records(catalog: Catalog) -> Iterable[dict[str, Any]]:
    for statements in catalog.statements_by_entity.values():
        yield from statements


def tables(catalog: Catalog) -> list[tuple[str, list[str], Iterable[dict[str, Any]]]]:
    """(name, columns, rows) of every table the CSV files and the workbook hold, in that order."""
    found: list[tuple[str, list[str], Iterable[dict[str, Any]]]] = [
        (name, entity_columns(kind), entity_records(catalog, name)) for name, kind in kinds().items()
    ]
    found.append(("statements", list(STATEMENT_COLUMNS), statement_records(catalog)))
    found.append(("places", PLACE_COLUMNS, sorted(catalog.places.values(), key=lambda p: p["id"])))
    return found


def write_csvs(catalog: Catalog, folder: Path) -> list[str]:
    written = []
    for name, columns, rows in tables(catalog):
        _write_csv(folder / f"{name}.csv", columns, rows)
        written.append(f"{name}.csv")
    return written


def _sheet_cell(sheet: Any, value: Any) -> Any:
    """A value whose text is always text: a quote that starts with '=' is not a formula in Excel. Only
    such a text gets a cell of its own (openpyxl reads a plain '=...' as a formula); every other value
    goes in as it is, which is most of the cost of a large workbook spared."""
    from openpyxl.cell import WriteOnlyCell

    plain = _cell(value)
    if not (isinstance(plain, str) and plain.startswith("=")):
        return plain
    cell = WriteOnlyCell(sheet, value=plain)
    cell.data_type = "s"
    return cell


def write_xlsx(catalog: Catalog, folder: Path) -> str:
    """The tables of the CSV files as one Excel workbook: a sheet each, header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, columns, rows in tables(catalog):
        sheet = workbook.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_sheet_cell(sheet, row.get(c)) for c in columns])
    # a fixed creation time: the same data makes the same workbook
    built = catalog.meta.get("built_at")
    if built:
        workbook.properties.created = datetime.fromisoformat(built).replace(tzinfo=None)
    workbook.properties.creator = "longarm"
    workbook.save(folder / WORKBOOK)
    return WORKBOOK


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


def station_features(stations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One feature per station, for the published file and the API alike: a point where its place
    is known (located=true); otherwise no geometry (a client invents no point), located=false, and
    its country's label point as ``country_point`` [lon, lat] for a map that draws it there."""
    label_points = country_label_points()
    features = []
    for s in stations:
        located = s["lat"] is not None and s["lon"] is not None
        geometry = {"type": "Point", "coordinates": [s["lon"], s["lat"]]} if located else None
        country_point = label_points.get(s["country"])
        properties = {
            "id": s["id"],
            "jurisdiction": s["jurisdiction"],
            "jurisdiction_id": s["jurisdiction_id"],
            "country": s["country"],
            "country_name": s["country_name"],
            "place": s["place"],
            "place_name": s["place_name"],
            "location_precision": s["location_precision"],
            "located": located,
            "country_point": list(country_point) if country_point else None,
            "table_cell": s["table_cell"],
            "opened": s["opened"],
            "opened_precision": s["opened_precision"],
            "status": s["status"],
            "status_now": s["status_now"],
            "status_now_date": s["status_now_date"],
            "sources": s["sources"],
            "page": f"station/{s['id']}.html",
        }
        features.append({"type": "Feature", "id": s["id"], "geometry": geometry, "properties": properties})
    return features


def write_geojson(catalog: Catalog, folder: Path) -> str:
    collection = {"type": "FeatureCollection", "features": station_features(catalog.stations)}
    (folder / "stations.geojson").write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return "stations.geojson"


def _add_station_columns(copy: sqlite3.Connection, catalog: Catalog) -> None:
    """The copy's ``station`` view gets the columns station.csv has beyond the statements (names,
    coordinates, revelation status), from a table the catalog fills: the same columns in every export."""
    extra = ", ".join(f"{c} {'REAL' if c in ('lat', 'lon') else 'TEXT'}" for c in STATION_EXTRA_COLUMNS)
    copy.execute(f"CREATE TABLE station_derived (id TEXT PRIMARY KEY, {extra})")
    copy.executemany(
        f"INSERT INTO station_derived VALUES (?, {', '.join('?' * len(STATION_EXTRA_COLUMNS))})",
        ([r["id"], *(r[c] for c in STATION_EXTRA_COLUMNS)] for r in entity_records(catalog, "station")),
    )
    (view,) = copy.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'station'").fetchone()
    select = view.split(" AS ", 1)[1]
    copy.execute("DROP VIEW station")
    copy.execute(
        f"CREATE VIEW station AS SELECT s.*, {', '.join(f'd.{c}' for c in STATION_EXTRA_COLUMNS)} "
        f"FROM ({select}) AS s LEFT JOIN station_derived AS d USING (id)"
    )


def write_sqlite(catalog: Catalog, folder: Path) -> str:
    """A copy of the database with the same redaction as every other output, and the statements
    reviewed in `longarm serve` (which live in the app database, laid over the built file) in it
    as current statements, so that the copy holds the dataset the pages show."""
    target = folder / "longarm.db"
    with closing(sqlite3.connect(target)) as copy:
        catalog.copy_built_database(copy)  # the built file only: the overlay is an attached database
        copy.row_factory = sqlite3.Row
        copy.execute("DELETE FROM meta WHERE key = 'data_dir'")  # a local path on the curator's machine
        built_at = catalog.meta["built_at"]
        scope = catalog.store.scoped_to
        if scope is not None:
            # the edition's statements alone: a later edition's (its events, its sources) are not in an
            # earlier edition's copy, as they are on none of its pages
            current = [r[0] for r in copy.execute("SELECT id FROM statement WHERE last_seen = ?", (built_at,))]
            copy.executemany("DELETE FROM statement WHERE id = ?", ((i,) for i in current if i not in scope))
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
        _add_station_columns(copy, catalog)
        copy.commit()
        copy.execute("VACUUM")
    return "longarm.db"
