"""A generated dataset of any size, written as the same YAML data files a curator writes.

It goes through the real loader and build, so a benchmark measures what a
user with a large dataset would meet. Places come from the bundled gazetteer;
country-precision stations are spread over the shipped country outlines.
Names are obviously synthetic ("Bureau 07", "Person 0042").
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from longarm.geo import places
from longarm.publish.countries import country_label_points

EVENT_TYPES = ["opening", "licence-ceremony", "persuasion-to-return", "joint-patrol", "host-response", "meeting"]


def _cite(source: str, quote: str) -> list[dict[str, str]]:
    return [{"source": source, "quote": quote, "lang": "en"}]


def _date(rng: random.Random) -> str:
    year = rng.randint(2014, 2022)
    form = rng.random()
    if form < 0.3:
        return str(year)
    if form < 0.7:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def write_dataset(folder: Path, stations: int, seed: int = 7) -> None:
    """Write a complete data folder with ``stations`` stations and proportionate other entities."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cities = [p for p in places().values() if p.kind == "city" and p.lat is not None]
    countries = sorted(c for c in country_label_points() if c not in ("CN", "XK"))
    n_sources = max(3, stations // 30)
    n_jurisdictions = max(2, min(24, stations // 400))
    sources: list[dict[str, Any]] = [
        {
            "id": "report",
            "publisher": "Generated NGO",
            "title": "Generated report",
            "date": "2022-12",
            "lang": "en",
            "medium": "ngo-report",
            "cite": _cite("report", "Generated report, December 2022"),
        },
        {
            "id": "report-earlier",
            "publisher": "Generated NGO",
            "title": "Earlier generated report",
            "date": "2022-09",
            "lang": "en",
            "medium": "ngo-report",
            "cite": _cite("report", "the earlier generated report"),
        },
    ]
    for i in range(n_sources):
        sources.append(
            {
                "id": f"news-{i:05d}",
                "publisher": f"Generated News {i % 50:02d}",
                "title": f"Article {i}",
                "date": _date(rng),
                "lang": rng.choice(["en", "zh"]),
                "medium": rng.choice(["news", "official", "state-media"]),
                "cite": _cite("report", f"article {i} cited"),
            }
        )
    source_ids = [s["id"] for s in sources[2:]]
    jurisdictions = [
        {
            "id": f"bureau-{i:02d}",
            "name": f"Bureau {i:02d}",
            "level": "city",
            "organ": "public-security",
            "runs_stations": "true",
            "cite": _cite("report", f"stations set up by Bureau {i:02d}"),
        }
        for i in range(n_jurisdictions)
    ]
    station_blocks = []
    station_ids = []
    for i in range(stations):
        jurisdiction = rng.randrange(n_jurisdictions)
        block: dict[str, Any] = {"id": f"st-{i:06d}", "jurisdiction": f"bureau-{jurisdiction:02d}"}
        if rng.random() < 0.7:
            city = rng.choice(cities)
            block.update(country=city.country, place=city.id, location_precision="city", table_cell=city.name)
        else:
            block.update(country=rng.choice(countries), location_precision="country", table_cell="✓")
        block["in_edition"] = ["latest", "earlier"] if rng.random() < 0.4 else "latest"
        if "earlier" not in block["in_edition"] and rng.random() < 0.7:
            block["not_in_edition"] = "earlier"
        block["cite"] = _cite("report", f"Table 1: {block['country']} | Bureau {jurisdiction:02d} | {i}")
        station_blocks.append(block)
        station_ids.append(block["id"])
        if rng.random() < 0.5:
            station_blocks.append(
                {
                    "id": block["id"],
                    "opened": _date(rng),
                    "name": f"Overseas service station {i}",
                    "cite": _cite(rng.choice(source_ids), f"station {i} opened with a ceremony"),
                }
            )
    table_countries = sorted({b["country"] for b in station_blocks if "country" in b})
    editions: list[dict[str, Any]] = [
        {"id": "earlier", "label": "Earlier, 2022-09", "date": "2022-09", "report": "report-earlier"},
        {
            "id": "latest",
            "label": "Latest, 2022-12",
            "date": "2022-12",
            "report": "report",
            "previous": "earlier",
            "table_country": table_countries,
        },
    ]
    for edition in editions:
        edition["cite"] = _cite("report", f"edition {edition['id']}")
    persons = [
        {
            "id": f"person-{i:04d}",
            "name": f"Person {i:04d}",
            "role": "target of persuasion to return" if i % 5 == 0 else "station head",
            "sensitive": "true" if i % 5 == 0 else "false",
            "cite": _cite("report", f"Person {i:04d} is named"),
        }
        for i in range(max(2, stations // 50))
    ]
    events = []
    for i in range(max(2, stations // 10)):
        kind = rng.choice(EVENT_TYPES)
        station = rng.choice(station_blocks[:])
        event: dict[str, Any] = {
            "id": f"event-{i:05d}",
            "type": kind,
            "title": f"Generated {kind} {i}",
            "date": _date(rng),
            "country": station.get("country", rng.choice(countries)),
            "jurisdiction": f"bureau-{rng.randrange(n_jurisdictions):02d}",
            "station": rng.choice(station_ids),
            "cite": _cite(rng.choice(source_ids), f"event {i} reported"),
        }
        if kind == "persuasion-to-return":
            person = rng.choice(persons)
            event["person"] = person["id"]
            event["cite"] = _cite(rng.choice(source_ids), f"{person['name']} was persuaded to return")
        events.append(event)
    claims = [
        {
            "id": f"claim-{i:04d}",
            "claimant": "official",
            "jurisdiction": f"bureau-{i % n_jurisdictions:02d}",
            "date": _date(rng),
            "system": "stations",
            "stations": rng.randint(5, 500),
            "countries": rng.randint(2, 60),
            "cite": _cite(rng.choice(source_ids), f"set up {i} stations"),
        }
        for i in range(max(2, stations // 100))
    ]
    claims.append(
        {
            "id": "stated-total",
            "claimant": "report",
            "edition": "latest",
            "date": "2022-12",
            "system": "stations",
            "stations": stations + 3,
            "cite": _cite("report", "stations in total"),
        }
    )
    for name, blocks in {
        "sources": sources,
        "editions": editions,
        "jurisdictions": jurisdictions,
        "stations": station_blocks,
        "persons": persons,
        "events": events,
        "claims": claims,
    }.items():
        text = yaml.safe_dump(blocks, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
