"""Renderers (maps, print, ICS, GPX, CSV): the reported position, city-local times, determinism.

Each test names the bug it guards against. They use the hand-built sample itinerary
(``_sample``), variations of it, and read the outputs back with independent tools.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import gpxpy
from _sample import sample_itinerary
from icalendar import Calendar

from maps._schedule import city_tz, day_rows
from maps.calendar_ics import calendar_bytes
from maps.folium_map import build_map, map_html, write_maps
from maps.gpx_export import gpx_text
from maps.print_pdf import render_print_html
from tours.itinerary import Itinerary, Leg, PlaceRef
from tours.outputs import write_exports

POSITION = PlaceRef(
    id="position-n30-660000-e104-070000",
    name_en="Reported position",
    name_zh="报告位置",
    category="street",
    lat=30.66,
    lon=104.07,
    notes="Where the guide reported the group.",
)


def _with_position(itinerary: Itinerary) -> Itinerary:
    """The sample with day 2's second leg split at a reported position (as `tours replan`)."""
    day = itinerary.days[1]
    items = list(day.items)
    index = next(i for i, item in enumerate(items) if isinstance(item, Leg) and i > 0)
    leg = items[index]
    assert isinstance(leg, Leg)
    middle = leg.start + (leg.end - leg.start) / 2
    half = leg.duration_s / 2
    first = leg.model_copy(
        update={
            "uid": "to-position@tours",
            "to_id": POSITION.id,
            "end": middle,
            "duration_s": half,
            "geometry": [leg.geometry[0], (POSITION.lat, POSITION.lon)],
        }
    )
    second = leg.model_copy(
        update={
            "uid": "from-position@tours",
            "from_id": POSITION.id,
            "start": middle,
            "duration_s": half,
            "geometry": [(POSITION.lat, POSITION.lon), leg.geometry[-1]],
        }
    )
    items[index : index + 1] = [first, second]
    new_day = day.model_copy(update={"items": items, "waypoints": [POSITION]})
    return itinerary.model_copy(update={"days": [itinerary.days[0], new_day]})


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


# --- a reported position (Day.waypoints) is named in every output ----------------------


def test_schedule_rows_name_the_reported_position_between_stops() -> None:
    plain = sample_itinerary()
    it = _with_position(plain)
    rows = day_rows(it.days[1], city_tz(it))
    passing = [row for row in rows if row.kind == "waypoint"]
    assert [row.place.id for row in passing] == [POSITION.id]
    row = passing[0]
    assert row.label == "P" and row.minutes is None
    index = rows.index(row)
    # the leg to the position is the previous stop's travel, the next leg is the position's
    assert rows[index - 1].travel[-1].to == POSITION
    assert row.travel[0].origin == POSITION
    assert rows[index + 1].arrived_by[0].origin == POSITION
    # numbering of the real stops is unchanged
    labels = [r.label for r in rows if r.kind != "waypoint"]
    assert labels == [r.label for r in day_rows(plain.days[1], city_tz(plain))]


def test_pdf_ics_gpx_name_the_reported_position(tmp_path: Path) -> None:
    it = _with_position(sample_itinerary())
    write_exports(it, tmp_path, formats={"pdf", "ics", "gpx", "csv"})
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp_path / "itinerary.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Reported position" in text and "报告位置" in text
    cal = Calendar.from_ical((tmp_path / "itinerary.ics").read_bytes())
    descriptions = [str(event["description"]) for event in cal.walk("VEVENT")]
    assert any("to Reported position (报告位置)" in d for d in descriptions)
    assert any("from Reported position (报告位置)" in d for d in descriptions)
    stop_events = [ev for ev in cal.walk("VEVENT") if "travel" not in ev.get("CATEGORIES").cats]
    assert len(stop_events) == sum(len(day.stops) for day in it.days)  # no extra stop event
    gpx = gpxpy.parse((tmp_path / "itinerary.gpx").read_text(encoding="utf-8"))
    names = [wpt.name or "" for wpt in gpx.waypoints]
    assert "D2-P Reported position / 报告位置" in names
    assert "Reported position" in (tmp_path / "itinerary.csv").read_text(encoding="utf-8-sig")


def test_map_marks_the_reported_position() -> None:
    it = _with_position(sample_itinerary())
    html = map_html(build_map(it, days=[2]))
    assert "Passing: Reported position" in html
    assert "\\u62a5\\u544a\\u4f4d\\u7f6e" in html or "报告位置" in html


# --- maps show the city's clock whatever offset the file stores -------------------------


def test_map_times_are_city_local_for_an_itinerary_stored_in_utc() -> None:
    local = sample_itinerary()
    stored_utc = _in_utc(local)
    first = local.days[0].stops[0]
    expected = f"{first.start:%H:%M}\\u2013{first.end:%H:%M}"
    wrong = f"{first.start.astimezone(dt.UTC):%H:%M}\\u2013"
    html = map_html(build_map(stored_utc, days=[1]))
    assert expected in html
    assert wrong not in html


# --- maps are byte-identical across runs ------------------------------------------------


def test_map_files_are_identical_across_runs(tmp_path: Path) -> None:
    it = sample_itinerary()
    first = write_maps(it, tmp_path / "a")
    second = write_maps(it, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    html = first[0].read_text(encoding="utf-8")
    assert re.search(r"map_0{32}\b", html)  # renumbered, not random


# --- print without day maps has no broken image -----------------------------------------


def test_print_without_map_has_no_empty_image() -> None:
    html = render_print_html(sample_itinerary(), map_pngs=())
    assert 'src=""' not in html
    assert "<figure" not in html


def test_ics_and_gpx_unchanged_for_itinerary_stored_in_utc() -> None:
    local = sample_itinerary()
    assert calendar_bytes(_in_utc(local)) == calendar_bytes(local)
    assert gpx_text(_in_utc(local)) == gpx_text(local)
