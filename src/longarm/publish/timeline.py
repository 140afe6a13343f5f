"""The timeline's time axis: one lane per event type, each event drawn over the span its date allows.

A date's precision is data: an event dated only to a year is drawn as a bar
across that year, one dated to a month across that month, one dated to a day
as a short mark. Nothing is placed more exactly than the source allows.
"""

from __future__ import annotations

import calendar
import math
from typing import Any

WIDTH = 960
LANE_HEIGHT = 26
LEFT = 170  # room for lane labels
TOP = 24
MIN_MARK = 5.0
RIGHT = 30  # room for the last year label


def date_span(value: str) -> tuple[float, float]:
    """A date as the span of fractional years it covers: '2016' -> (2016.0, 2017.0)."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return float(year), year + 1.0
    month = parts[1]
    if len(parts) == 2:
        return year + (month - 1) / 12, year + month / 12
    days = 366 if calendar.isleap(year) else 365
    day_of_year = sum(calendar.monthrange(year, m)[1] for m in range(1, month)) + parts[2] - 1
    return year + day_of_year / days, year + (day_of_year + 1) / days


def timeline_axis(events: list[dict[str, Any]], types: list[str], labels: dict[str, str]) -> dict[str, Any] | None:
    """The axis of ``events``: a lane for each of ``types`` (in that order) that has a dated event."""
    dated = [e for e in events if e["date"]]
    if not dated:
        return None
    spans = {e["id"]: date_span(e["date"]) for e in dated}
    ends = {e["id"]: date_span(e["date_end"])[1] for e in dated if e.get("date_end")}
    first = int(min(start for start, _ in spans.values()))
    last = max(first + 1, math.ceil(max(ends.get(eid, end) for eid, (_, end) in spans.items())))
    dated_types = {e["type"] for e in dated}
    types = [t for t in types if t in dated_types]
    lanes = {t: i for i, t in enumerate(types)}
    scale = (WIDTH - LEFT - RIGHT) / (last - first)

    def x(year: float) -> float:
        return round(LEFT + (year - first) * scale, 1)

    marks = []
    for e in dated:
        start, end = spans[e["id"]]
        end = ends.get(e["id"], end)
        width = max(MIN_MARK, x(end) - x(start))
        marks.append(
            {
                "id": e["id"],
                "type": e["type"],
                "x": x(start),
                "y": TOP + lanes[e["type"]] * LANE_HEIGHT + 6,
                "width": round(width, 1),
                "title": f"{e['date']}{' – ' + e['date_end'] if e.get('date_end') else ''}: {e['title']}",
            }
        )
    step = 1 if last - first <= 12 else 2 if last - first <= 24 else 5
    return {
        "width": WIDTH,
        "height": TOP + len(types) * LANE_HEIGHT + 24,
        "lanes": [
            {"type": t, "label": labels[t], "y": TOP + i * LANE_HEIGHT, "mid": TOP + i * LANE_HEIGHT + 13}
            for i, t in enumerate(types)
        ],
        "ticks": [{"x": x(year), "year": year} for year in range(first, last + 1, step)],
        "marks": marks,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + len(types) * LANE_HEIGHT,
        "undated": len(events) - len(dated),
    }
