"""A reported position (``Day.waypoints``, from ``tours replan --at``) is named in every output.

Uses the hand-built sample itinerary (``_sample``) with one leg split at the position, and
reads the outputs back with independent tools.
"""

from __future__ import annotations

from pathlib import Path

import gpxpy
from _pdf import pdf_text
from _sample import place_ref, sample_itinerary
from icalendar import Calendar

from maps._schedule import city_tz, day_rows
from maps.folium_map import build_map, map_html
from tours.itinerary import Itinerary, Leg
from tours.outputs import write_exports

POSITION = place_ref(
    "position-n30-660000-e104-070000",
    "Reported position",
    "报告位置",
    "street",
    (30.66, 104.07),
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
    text = pdf_text(tmp_path / "itinerary.pdf")
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
