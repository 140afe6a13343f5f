"""Reconcile what is stated against what is documented.

Three comparisons the report's authors made by hand:
- totals a report states (102 stations in 53 countries) against what its own
  table adds up to;
- "newly revealed" against "reported earlier", computed by diffing editions
  (a station is new when it is in an edition and known to be absent from the
  previous one), never typed by hand;
- each jurisdiction's official count claims against the stations documented.
Mismatches are findings with the numbers on both sides; nothing is hidden.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from longarm.ledger.store import Store

NEW = "new"
EARLIER = "earlier"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Finding:
    check: str
    scope: str
    stated: int | None
    computed: int | None
    message: str
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def jurisdiction_names(store: Store) -> dict[str, str]:
    """Station-running jurisdictions, id -> short name, in the data file's order."""
    rows = store.rows(
        "SELECT entity_id, MIN(data_file) AS file, MIN(data_line) AS line FROM current_statement "
        "WHERE kind = 'jurisdiction' GROUP BY entity_id ORDER BY file, line, entity_id"
    )
    names = {j["id"]: j["name"] for j in store.entities("jurisdiction")}
    return {r["entity_id"]: names[r["entity_id"]] for r in rows}


def revelation_status(station: dict[str, Any], edition: dict[str, Any] | None) -> str:
    """new / earlier / unknown relative to the edition before ``edition`` (a report's own edition)."""
    previous = edition.get("previous") if edition else None
    if not previous:
        return UNKNOWN
    if previous in station["not_in_edition"]:
        return NEW
    if previous in station["in_edition"]:
        return EARLIER
    return UNKNOWN


def station_statuses(
    store: Store, edition: dict[str, Any] | None, inherited: dict[str, str] | None = None
) -> dict[str, str]:
    """Station id -> new / earlier / unknown in ``edition``. A report's own edition diffs the one before
    it; an update carries the status its report gave each station, and a station it adds is new."""
    stations = store.entities("station")
    if edition is None:
        return {s["id"]: UNKNOWN for s in stations}
    if edition.get("report"):
        return {s["id"]: revelation_status(s, edition) for s in stations}
    return {s["id"]: (inherited or {}).get(s["id"], NEW) for s in stations}


def stations_with_status(store: Store, statuses: dict[str, str]) -> list[dict[str, Any]]:
    result = []
    for station in store.entities("station"):
        station["status"] = statuses.get(station["id"], UNKNOWN)
        result.append(station)
    return result


def _stated(store: Store, edition_id: str | None, names: dict[str, str]) -> dict[str, Any]:
    stated: dict[str, Any] = {"by_jurisdiction": {}}
    if edition_id is None:
        return stated
    claims = [
        c
        for c in store.entities("claim")
        if c["claimant"] == "report" and c["edition"] == edition_id and not c["place"]
    ]
    for claim in claims:
        figures = {
            key: int(claim[field])
            for key, field in (
                ("stations", "stations"),
                ("countries", "countries"),
                ("earlier", "earlier_stations"),
                ("new", "new_stations"),
            )
            if claim[field] is not None
        }
        if claim["jurisdiction"]:
            name = names.get(claim["jurisdiction"], claim["jurisdiction"])
            stated["by_jurisdiction"].setdefault(name, {}).update(figures)
        else:
            stated.update(figures)
    return stated


def statistics(
    store: Store,
    edition: dict[str, Any] | None,
    statuses: dict[str, str],
    report_stats: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The figures `longarm stats` prints for one edition, with every stated-versus-computed finding.

    ``edition`` is a report's own edition, or an update whose stated figures, Table 1 rows and
    findings are those of its report (``report_stats``, computed from the report's edition alone)."""
    names = jurisdiction_names(store)
    stations = stations_with_status(store, statuses)
    by_jurisdiction = Counter(names.get(s["jurisdiction"], s["jurisdiction"]) for s in stations)
    by_country = Counter(s["country"] for s in stations)
    by_status = Counter(s["status"] for s in stations)
    status_by_jurisdiction: dict[str, Counter[str]] = {}
    for s in stations:
        status_by_jurisdiction.setdefault(names.get(s["jurisdiction"], s["jurisdiction"]), Counter())[s["status"]] += 1
    inherited = report_stats if edition is not None and not edition.get("report") else None
    table_countries = list(inherited["table_countries"] if inherited else edition["table_country"] if edition else [])
    computed = {
        "stations": len(stations),
        "countries": len(by_country),
        "table_countries": len(table_countries),
        "table_countries_without_station": sorted(set(table_countries) - set(by_country)),
        "new": by_status[NEW],
        "earlier": by_status[EARLIER],
        "unknown": by_status[UNKNOWN],
        "by_jurisdiction": {
            name: {
                "stations": by_jurisdiction[name],
                **{k: status_by_jurisdiction[name][k] for k in (NEW, EARLIER, UNKNOWN)},
            }
            for name in by_jurisdiction
        },
    }
    if inherited:
        stated, found = inherited["stated"], inherited["findings"]
    else:
        stated = _stated(store, edition["id"] if edition else None, names)
        found = [f.as_dict() for f in findings(stated, computed, edition) + disagreements(store, edition)]
    ordered = {name: by_jurisdiction[name] for name in names.values() if name in by_jurisdiction}
    ordered.update({k: v for k, v in by_jurisdiction.items() if k not in ordered})
    return {
        "edition": edition["label"] if edition else None,
        "edition_id": edition["id"] if edition else None,
        "report": inherited["edition"] if inherited else (edition["label"] if edition else None),
        "stations": len(stations),
        "countries": len(by_country),
        "by_jurisdiction": ordered,
        "by_country": dict(sorted(by_country.items())),
        "by_precision": dict(Counter(s["location_precision"] for s in stations)),
        "by_status": {k: by_status[k] for k in (NEW, EARLIER, UNKNOWN)},
        "stated": stated,
        "computed": computed,
        "table_countries": table_countries,
        "findings": found,
    }


def disagreements(store: Store, edition: dict[str, Any] | None) -> list[Finding]:
    """Where sources disagree about an edition (this one or the one before it), both sides kept:

    - a station that one source places in an edition and another says was absent from it;
    - claims about how many stations a place had in an edition that give different numbers.
    """
    if edition is None:
        return []
    about = [e for e in (edition.get("previous"), edition["id"]) if e]
    labels = {e["id"]: e["label"] for e in store.entities("edition")}
    result: list[Finding] = []
    for station in store.entities("station"):
        for edition_id in about:
            if edition_id in station["in_edition"] and edition_id in station["not_in_edition"]:
                sides = {
                    prop: sorted(
                        {
                            st["source_id"]
                            for st in store.statements(entity_id=station["id"])
                            if st["prop"] == prop and st["value"] == edition_id
                        }
                    )
                    for prop in ("in_edition", "not_in_edition")
                }
                label = labels.get(edition_id, edition_id)
                result.append(
                    Finding(
                        "edition-disputed",
                        station["id"],
                        None,
                        None,
                        f"Sources disagree whether station {station['id']} was in {label}: "
                        f"in it per {', '.join(sides['in_edition'])}; absent per {', '.join(sides['not_in_edition'])}",
                        (sides["in_edition"] + sides["not_in_edition"])[0],
                    )
                )
    by_place: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for claim in store.entities("claim"):
        if claim["place"] and claim["edition"] in about and claim["stations"] is not None:
            by_place.setdefault((claim["edition"], claim["place"]), []).append(claim)
    places = store.places()
    for (edition_id, place), claims in sorted(by_place.items()):
        counts = sorted({int(c["stations"]) for c in claims}, reverse=True)
        if len(counts) < 2:
            continue
        name = places.get(place, {}).get("name", place)
        sides_text = "; ".join(
            f"{c['stations']} per {', '.join(c['sources'])}" for c in sorted(claims, key=lambda c: -int(c["stations"]))
        )
        documented = sum(1 for s in store.entities("station") if s["place"] == place and edition_id in s["in_edition"])
        result.append(
            Finding(
                "sources-disagree",
                name,
                counts[0],
                counts[-1],
                f"Sources on {labels.get(edition_id, edition_id)} disagree on the stations in {name}: {sides_text}; "
                f"the dataset places {documented} there",
                sorted({src for c in claims for src in c["sources"]})[0],
            )
        )
    return result


def findings(stated: dict[str, Any], computed: dict[str, Any], edition: dict[str, Any] | None) -> list[Finding]:
    source = edition["report"] if edition else None
    label = edition["label"] if edition else "the report"
    result: list[Finding] = []

    def compare(check: str, scope: str, said: int | None, found: int, what: str, extra: str = "") -> None:
        if said is None or said == found:
            return
        result.append(
            Finding(
                check,
                scope,
                said,
                found,
                f"{label} states {said} {what}; the documented data give {found}{extra}",
                source,
            )
        )

    compare("total-stations", "all", stated.get("stations"), computed["stations"], "stations", " (Table 1 as given)")
    compare(
        "total-countries",
        "all",
        stated.get("countries"),
        computed["countries"],
        "countries",
        " with a station entry",
    )
    empty = computed["table_countries_without_station"]
    if empty:
        result.append(
            Finding(
                "table-rows-without-entry",
                "all",
                computed["table_countries"],
                computed["countries"],
                f"Table 1 has {computed['table_countries']} country rows, of which {len(empty)} "
                f"({', '.join(empty)}) have no station entry",
                source,
            )
        )
    unknown = computed["unknown"]
    hedge = f" ({unknown} more cannot be placed in either edition from the text)" if unknown else ""
    compare("new-stations", "all", stated.get("new"), computed["new"], "newly revealed stations", hedge)
    compare("earlier-stations", "all", stated.get("earlier"), computed["earlier"], "earlier-reported stations", hedge)
    if stated.get("earlier") is not None and stated.get("new") is not None and stated.get("stations") is not None:
        total = stated["earlier"] + stated["new"]
        if total != stated["stations"]:
            result.append(
                Finding(
                    "stated-sum",
                    "all",
                    stated["stations"],
                    total,
                    f"{label} states {stated['stations']} stations but {stated['earlier']} + {stated['new']} = {total}",
                    source,
                )
            )
    implied_earlier = 0
    for name, said in stated.get("by_jurisdiction", {}).items():
        found = computed["by_jurisdiction"].get(name, {"stations": 0, NEW: 0})
        compare("jurisdiction-stations", name, said.get("stations"), found["stations"], f"{name} stations")
        if said.get("new") is not None:
            jur_unknown = found.get(UNKNOWN, 0)
            jur_hedge = f" identified by name ({jur_unknown} of its stations are unattributed)" if jur_unknown else ""
            compare("jurisdiction-new", name, said["new"], found[NEW], f"new {name} stations", jur_hedge)
            implied_earlier += found["stations"] - said["new"]
    if stated.get("earlier") is not None and stated.get("by_jurisdiction"):
        covered = set(stated["by_jurisdiction"])
        implied_earlier += sum(v["stations"] for k, v in computed["by_jurisdiction"].items() if k not in covered)
        if implied_earlier != stated["earlier"]:
            result.append(
                Finding(
                    "implied-earlier",
                    "all",
                    stated["earlier"],
                    implied_earlier,
                    f"{label} states {stated['earlier']} earlier stations; its table minus its stated new stations "
                    f"per jurisdiction leaves {implied_earlier}",
                    source,
                )
            )
    return result


def running_root(jurisdictions: dict[str, dict[str, Any]], jurisdiction_id: str | None) -> str | None:
    """The station-running jurisdiction a unit belongs to (itself, or the nearest parent that runs
    stations, e.g. Libao town -> Nantong); None if there is none."""
    seen: set[str] = set()
    current = jurisdiction_id
    while current and current not in seen:
        seen.add(current)
        row = jurisdictions.get(current, {})
        if row.get("runs_stations") == "true":
            return current
        current = row.get("parent")
    return None


def claims_ledger(store: Store) -> list[dict[str, Any]]:
    """Each official count claim beside what is documented for that jurisdiction (and its units).

    Coverage is documented-now over claimed-then: above 1 means the report
    documents more than the bureau had claimed at that date, below 1 that some
    claimed stations are not (yet) documented. Claims about other systems
    (liaison networks, OCSCs) are listed but not compared.
    """
    jurisdictions = {j["id"]: j for j in store.entities("jurisdiction")}

    def root(jid: str | None) -> str | None:
        return running_root(jurisdictions, jid)

    stations_by_jurisdiction: dict[str, list[dict[str, Any]]] = {}
    for station in store.entities("station"):
        stations_by_jurisdiction.setdefault(station["jurisdiction"], []).append(station)
    ledger = []
    official = [c for c in store.entities("claim") if c["claimant"] == "official"]
    for claim in sorted(official, key=lambda c: (root(c["jurisdiction"]) or "~", c["system"], c["date"])):
        column = root(claim["jurisdiction"])
        documented = stations_by_jurisdiction.get(column, []) if column else []
        counts = {
            "stations": len(documented),
            "countries": len({s["country"] for s in documented}),
            "cities": len({s["place"] for s in documented if s["place"] and s["location_precision"] == "city"}),
        }
        row = dict(claim)
        row["jurisdiction_name"] = jurisdictions.get(claim["jurisdiction"] or "", {}).get("name")
        row["documented"] = counts if claim["system"] == "stations" and column else None
        row["coverage"] = (
            {
                what: round(counts[what] / int(claim[what]), 2)
                for what in ("stations", "countries", "cities")
                if claim[what] and int(claim[what]) > 0
            }
            if row["documented"]
            else None
        )
        ledger.append(row)
    return ledger
