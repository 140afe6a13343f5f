"""Integrity of a set of statements: defined ids, references, sources, required values.

One implementation serves both the loader (which stops at the first problem,
naming file and line) and `longarm check` on a database (which lists them all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from longarm.geo import places
from longarm.model import Statement, kinds


@dataclass(frozen=True)
class Problem:
    message: str
    data_file: str | None = None
    data_line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "file": self.data_file, "line": self.data_line}


def problems_in(statements: Iterable[Statement], require_definitions: bool = False) -> list[Problem]:
    """Every integrity problem, in data-file order.

    With ``require_definitions``, an entity must appear in its kind's main file
    (``stations.yaml``): a block in an evidence file with a mistyped id is then
    a dangling reference rather than a new, half-described entity.
    """
    statements = list(statements)
    model = kinds()
    problems: list[Problem] = []

    def report(st: Statement, message: str) -> None:
        problems.append(Problem(message, st.data_file, st.data_line))

    first: dict[tuple[str, str], Statement] = {}
    defined: dict[str, set[str]] = defaultdict(set)
    for st in statements:
        first.setdefault((st.kind, st.entity_id), st)
        if not require_definitions or (st.data_file and Path(st.data_file).name == model[st.kind].file):
            defined[st.kind].add(st.entity_id)
    for (kind, entity_id), st in first.items():
        if entity_id not in defined[kind]:
            report(st, f"{kind} '{entity_id}' is not defined in {model[kind].file}")
    known_places = places()
    for st in statements:
        if st.source_id not in defined["source"]:
            report(st, f"{st.kind} '{st.entity_id}': cite names unknown source '{st.source_id}'")
        if not st.quote.strip():
            report(st, f"{st.kind} '{st.entity_id}': statement '{st.prop}' has no quote")
        prop = model[st.kind].properties.get(st.prop)
        if prop is None:
            report(st, f"{st.kind} has no property '{st.prop}'")
            continue
        if prop.type == "ref":
            target = prop.range or ""
            exists = st.value in known_places if target == "place" else st.value in defined[target]
            if not exists:
                report(st, f"{st.kind} '{st.entity_id}': {st.prop} names no {target} with id '{st.value}'")
    values: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for st in statements:
        values[(st.kind, st.entity_id)][st.prop].add(st.value)
    for (kind, entity_id), props in values.items():
        for prop in model[kind].properties.values():
            if prop.required and prop.name not in props:
                report(first[(kind, entity_id)], f"{kind} '{entity_id}' has no '{prop.name}' (required)")
        if kind == "station":
            problems.extend(_station_problems(entity_id, props, first[(kind, entity_id)], known_places))
    return sorted(problems, key=lambda p: (p.data_file or "", p.data_line or 0))


def _station_problems(
    entity_id: str, props: dict[str, set[str]], st: Statement, known_places: dict[str, Any]
) -> list[Problem]:
    """A station's place, country and precision must agree: never a city we do not know."""
    problems = []
    where = (st.data_file, st.data_line)
    precision = next(iter(props.get("location_precision", set())), None)
    for place_id in props.get("place", set()):
        place = known_places.get(place_id)
        if place is not None and place.country not in props.get("country", set()):
            problems.append(Problem(f"station '{entity_id}': place '{place_id}' is in {place.country}", *where))
        if place is not None and precision in ("city", "region") and place.kind != precision:
            problems.append(
                Problem(f"station '{entity_id}': precision {precision} but '{place_id}' is a {place.kind}", *where)
            )
    if precision in ("city", "region", "point") and not props.get("place"):
        problems.append(Problem(f"station '{entity_id}': precision {precision} needs a place", *where))
    if precision == "country" and props.get("place"):
        problems.append(Problem(f"station '{entity_id}': country precision cannot name a place", *where))
    return problems


def integrity_problems(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Problems in a built database's current statement rows, e.g. after hand edits or a bad import."""
    statements = [Statement.from_row(row) for row in rows if row["kind"] in kinds()]
    # A station exists only through statements, each with a source; a source that is not in the
    # dataset is what "a station without a source" looks like here, and problems_in reports it.
    return [p.as_dict() for p in problems_in(statements)]
