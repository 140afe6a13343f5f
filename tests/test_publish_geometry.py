"""The shipped country outlines, the label-point rule, and the timeline's time spans."""

from __future__ import annotations

import itertools
from importlib import resources

import pytest

from longarm.publish.countries import contains, country_geometry, country_label_points, label_point, polygon_area
from longarm.publish.timeline import date_span


def test_outlines_are_small_keyed_by_iso_and_never_cross_the_antimeridian() -> None:
    path = resources.files("longarm.publish").joinpath("data/countries-110m.geojson")
    assert len(path.read_bytes()) < 250_000
    features = country_geometry()["features"]
    codes = [f["id"] for f in features if f["id"]]
    assert len(codes) == len(set(codes)) and {"IT", "RU", "FJ", "US", "XK"} <= set(codes)
    for feature in features:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1], feature["id"]
                assert all(-180 <= x <= 180 for x, _ in ring), feature["id"]
                jumps = [1 for (x0, _), (x1, _) in itertools.pairwise(ring) if abs(x1 - x0) > 180]
                assert not jumps, f"{feature['id']} has a ring crossing the antimeridian"


def test_every_label_point_lies_in_its_country_largest_polygon() -> None:
    features = {f["id"]: f for f in country_geometry()["features"] if f["id"]}
    for code, point in country_label_points().items():
        largest = max(features[code]["geometry"]["coordinates"], key=polygon_area)
        assert contains(largest, point), code


def test_label_point_uses_the_largest_polygon_not_overseas_territory() -> None:
    lon, lat = country_label_points()["FR"]
    assert -5 < lon < 8 and 42 < lat < 51, "France is labelled in metropolitan France"
    lon, lat = country_label_points()["US"]
    assert -125 < lon < -67 and 25 < lat < 49, "the United States is labelled in the lower 48"


def test_label_point_of_a_crescent_falls_back_to_its_widest_stretch() -> None:
    # a C shape whose area centroid lies in the open middle
    crescent = [
        [
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 2.0],
            [2.0, 2.0],
            [2.0, 8.0],
            [10.0, 8.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [0.0, 0.0],
        ]
    ]
    lon, lat = label_point([crescent])
    assert contains(crescent, (lon, lat))


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [("2016", 2016.0, 2017.0), ("2016-05", 2016 + 4 / 12, 2016 + 5 / 12), ("2016-01-01", 2016.0, 2016 + 1 / 366)],
)
def test_a_date_spans_what_its_precision_allows(value: str, start: float, end: float) -> None:
    assert date_span(value) == pytest.approx((start, end))


def test_fine_outlines_cover_every_coarse_country_in_more_detail_at_a_reasonable_size() -> None:
    path = resources.files("longarm.publish").joinpath("data/countries-50m.geojson")
    assert len(path.read_bytes()) < 1_600_000, "the 1:50m outlines stay small enough to ship"
    coarse = {f["id"]: f for f in country_geometry()["features"] if f["id"]}
    fine = {f["id"]: f for f in country_geometry("50m")["features"] if f["id"]}
    assert set(coarse) <= set(fine)

    def points(feature: dict[str, object]) -> int:
        geometry = feature["geometry"]
        assert isinstance(geometry, dict)
        return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)

    for code in ("IT", "FR", "NL", "CA"):
        assert points(fine[code]) > 2 * points(coarse[code]), code
    for feature in fine.values():
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1] and all(-180 <= x <= 180 for x, _ in ring), feature["id"]
