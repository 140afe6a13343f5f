"""The model as data: enumerations with their labels, one validator per value type, statements as rows."""

from __future__ import annotations

import pytest

from longarm.model import (
    STATEMENT_COLUMNS,
    InvalidValue,
    Statement,
    enumeration,
    enumerations,
    kinds,
    normalise_value,
)


@pytest.mark.parametrize("bad", ["2023-02-30", "2023-04-31", "2021-02-29", "0000", "0000-01", "2016-13", "2019-1"])
def test_dates_that_no_calendar_has_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_value(kinds()["station"].properties["opened"], bad)


@pytest.mark.parametrize(("good", "precision"), [("2024-02-29", "day"), ("2016-05", "month"), ("2016", "year")])
def test_a_date_keeps_the_precision_of_its_form(good: str, precision: str) -> None:
    assert normalise_value(kinds()["station"].properties["opened"], good) == (good, precision)


def test_every_enum_property_takes_its_values_from_a_named_enumeration_with_labels() -> None:
    for kind in kinds().values():
        for prop in kind.properties.values():
            if prop.type == "enum":
                assert prop.values and any(e.values == prop.values for e in enumerations().values()), prop.name
    assert enumeration("station_status").label("unknown") == "not attributable"
    assert enumeration("location_precision").label(None) == "unknown"
    assert enumeration("event_type").label("host-response") == "host-government response"


def test_a_statement_is_a_row_and_back() -> None:
    st = Statement("station", "x-it", "country", "IT", "src", "“quote”", "en", precision=None, data_line=3)
    row = dict(zip(STATEMENT_COLUMNS, st.as_row("2026-01-01", "2026-01-02"), strict=True))
    assert row["id"] == st.id and row["first_seen"] == "2026-01-01" and row["data_line"] == 3
    assert Statement.from_row(row) == st


def test_huge_numbers_are_refused_not_crashed_on() -> None:
    with pytest.raises(InvalidValue):
        normalise_value(kinds()["event"].properties["count"], "9" * 5000)


def test_a_property_reads_the_same_on_the_pages_and_in_the_exports() -> None:
    from longarm.model import property_label
    from longarm.model.schema import _declared
    from longarm.publish.datapackage import column_label

    labels = _declared()["labels"]
    properties = {name for kind in kinds().values() for name in kind.properties}
    assert set(labels) <= properties, f"labels for no property: {set(labels) - properties}"
    for name, label in labels.items():
        assert column_label(name) == property_label(name) == label
