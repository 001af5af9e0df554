"""Renderers show the city's clock whatever UTC offset the itinerary file stores."""

from __future__ import annotations

import datetime as dt

from _sample import sample_itinerary

from maps.calendar_ics import calendar_bytes
from maps.folium_map import build_map, map_html
from maps.gpx_export import gpx_text
from tours.itinerary import Itinerary


def _in_utc(itinerary: Itinerary) -> Itinerary:
    """The same instants, stored in UTC (as another tool may write the JSON)."""

    def utc(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC)
        if isinstance(value, dict):
            return {key: utc(item) for key, item in value.items()}
        if isinstance(value, list):
            return [utc(item) for item in value]
        return value

    return Itinerary.model_validate(utc(itinerary.model_dump()))


def test_map_times_are_city_local_for_an_itinerary_stored_in_utc() -> None:
    local = sample_itinerary()
    stored_utc = _in_utc(local)
    first = local.days[0].stops[0]
    expected = f"{first.start:%H:%M}\\u2013{first.end:%H:%M}"
    wrong = f"{first.start.astimezone(dt.UTC):%H:%M}\\u2013"
    html = map_html(build_map(stored_utc, days=[1]))
    assert expected in html
    assert wrong not in html


def test_ics_and_gpx_unchanged_for_itinerary_stored_in_utc() -> None:
    local = sample_itinerary()
    assert calendar_bytes(_in_utc(local)) == calendar_bytes(local)
    assert gpx_text(_in_utc(local)) == gpx_text(local)
