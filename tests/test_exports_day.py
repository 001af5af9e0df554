"""Exports used on the day, read back: calendar travel blocks and reminders, per-mode GPX
tracks and visiting-order waypoints, CSV stop numbers, addresses and times that add up,
tappable phone numbers in the print and the maps."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import gpxpy
import pytest
from _demo_fixtures import ItineraryCase
from icalendar import Calendar

from maps import write_maps
from maps._contacts import contact_parts
from maps._schedule import address_in, clock, day_rows, shown_minutes
from maps.i18n import translator
from tours.itinerary import Leg
from tours.outputs import write_exports


@pytest.fixture(scope="module")
def exported(itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"day-{itinerary_case.name}")
    write_exports(itinerary_case.itinerary, out, formats={"ics", "gpx", "csv", "html"})
    return out


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


# --- calendar --------------------------------------------------------------------------


def test_ics_has_a_departure_with_reminders_every_day(
    exported: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    cal = Calendar.from_ical((exported / "itinerary.ics").read_bytes())
    travel = [ev for ev in cal.walk("VEVENT") if "travel" in str(ev.get("CATEGORIES").cats)]
    departures = [ev for ev in travel if str(ev["SUMMARY"]).startswith("Departure")]
    assert len(departures) == len(it.days)
    for day, event in zip(it.days, departures, strict=True):
        assert abs((event.decoded("DTSTART") - day.legs[0].start).total_seconds()) < 1
        assert day.start_place.name_en in str(event["SUMMARY"])
        triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
        assert triggers == [dt.timedelta(minutes=-30), dt.timedelta(minutes=-10)]
        assert all(str(alarm["ACTION"]) == "DISPLAY" for alarm in event.walk("VALARM"))
        for contact in it.delegation.contacts:
            assert contact in str(event["DESCRIPTION"])


def test_ics_has_one_travel_block_per_journey_and_alarms_on_coaches(
    exported: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    cal = Calendar.from_ical((exported / "itinerary.ics").read_bytes())
    events = cal.walk("VEVENT")
    travel = [ev for ev in events if "travel" in str(ev.get("CATEGORIES").cats)]
    journeys = [
        row for day in it.days for row in day_rows(day, dt.UTC) if row.travel
    ]  # one journey from every row the group leaves
    assert len(travel) == len(journeys)
    assert len(events) - len(travel) == sum(len(day.stops) for day in it.days)
    uids = [str(ev["UID"]) for ev in events]
    assert len(set(uids)) == len(uids)
    for event, row in zip(travel, journeys, strict=True):
        # the calendar keeps whole seconds
        start, end = row.travel[0].start, row.travel[-1].end
        assert start is not None and end is not None
        assert abs((event.decoded("DTSTART") - start).total_seconds()) < 1
        assert abs((event.decoded("DTEND") - end).total_seconds()) < 1
        coach = any(leg.mode == "coach" for leg in row.travel)
        alarms = event.walk("VALARM")
        assert bool(alarms) == (coach or row.kind == "start")
    # appointments remind too; contacts are in every description
    for event in events:
        if "appointment" in str(event.get("CATEGORIES").cats):
            assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [
                dt.timedelta(minutes=-15)
            ]
        for contact in it.delegation.contacts:
            assert contact in str(event["DESCRIPTION"])


# --- GPX -------------------------------------------------------------------------------


def test_gpx_has_a_typed_track_per_walking_or_coach_stretch(
    exported: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    gpx = gpxpy.parse((exported / "itinerary.gpx").read_text(encoding="utf-8"))
    expected = []
    for number, day in enumerate(it.days, start=1):
        run: list[Leg] = []
        for leg in day.legs:
            if run and run[-1].mode != leg.mode:
                expected.append((number, run))
                run = []
            run.append(leg)
        if run:
            expected.append((number, run))
    expected = [
        (n, run) for n, run in expected if len({p for leg in run for p in leg.geometry}) > 1
    ]
    assert len(gpx.tracks) == len(expected)
    for track, (number, run) in zip(gpx.tracks, expected, strict=True):
        assert track.type == run[0].mode
        assert all(leg.mode == track.type for leg in run)
        assert track.name.startswith(f"Day {number} · ")
        points = [(p.latitude, p.longitude) for seg in track.segments for p in seg.points]
        assert points[0] == tuple(run[0].geometry[0])
        assert points[-1] == tuple(run[-1].geometry[-1])
    # consecutive tracks of one day change mode: walk and coach never share a track
    for a, b in itertools.pairwise(expected):
        if a[0] == b[0]:
            assert a[1][0].mode != b[1][0].mode


def test_gpx_waypoints_in_visiting_order_with_the_hotel_once_a_day(
    exported: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    gpx = gpxpy.parse((exported / "itinerary.gpx").read_text(encoding="utf-8"))
    names = [wpt.name or "" for wpt in gpx.waypoints]
    times = [wpt.time for wpt in gpx.waypoints]
    assert times == sorted(times)  # visiting order, day after day
    for number, day in enumerate(it.days, start=1):
        mine = [n for n in names if n.startswith(f"D{number}-")]
        hotel = [n for n in mine if day.start_place.name_en in n]
        assert len(hotel) == 1, hotel
        assert mine[0].startswith(f"D{number}-S ")
        labels = [n.split(" ")[0].split("-")[1] for n in mine]
        numbers = [int(label) for label in labels if label.isdigit()]
        assert numbers == list(range(1, len(day.stops) + 1))


# --- CSV -------------------------------------------------------------------------------


def test_csv_has_stop_numbers_addresses_and_times_that_add_up(
    exported: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    text = (exported / "itinerary.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"stop", "address"} <= set(rows[0])
    wrong = [
        row
        for row in rows
        if _minutes(row["end"]) - _minutes(row["start"]) != int(row["duration_min"])
    ]
    assert wrong == []
    items = [(n, item) for n, day in enumerate(it.days, 1) for item in day.items]
    numbers: dict[str, int] = {}
    for row, (_day_number, item) in zip(rows, items, strict=True):
        assert row["start"] == f"{clock(item.start.astimezone(ZoneInfo(it.city.timezone))):%H:%M}"
        if isinstance(item, Leg):
            assert row["stop"] == ""
            continue
        numbers[row["day"]] = numbers.get(row["day"], 0) + 1
        assert row["stop"] == str(numbers[row["day"]])
        assert row["address"].lstrip("'") == address_in(item.place, translator("en"))
        assert int(row["duration_min"]) == shown_minutes(item.start, item.end)
    assert sum(numbers.values()) == sum(len(day.stops) for day in it.days)


def test_print_time_and_minutes_agree_with_the_csv(exported: Path) -> None:
    html = (exported / "itinerary.html").read_text(encoding="utf-8")
    cells = re.findall(
        r'<td class="time"[^>]*>(\d\d:\d\d)–(\d\d:\d\d)</td>.*?<td class="dur">(\d+)</td>',
        html,
        re.S,
    )
    assert cells
    for start, end, minutes in cells:
        assert _minutes(end) - _minutes(start) == int(minutes)


# --- phone numbers ---------------------------------------------------------------------


def test_contact_numbers_become_tel_links() -> None:
    parts = contact_parts("Local guide: Li Wei, +86 138 0000 0000 (WeChat too)")
    assert [(p.text, p.tel) for p in parts] == [
        ("Local guide: Li Wei, ", ""),
        ("+86 138 0000 0000", "tel:+8613800000000"),
        (" (WeChat too)", ""),
    ]
    assert [p.tel for p in contact_parts("Room 1203, call 12345")] == [""]


def test_print_html_and_maps_link_every_contact_number(
    exported: Path, itinerary_case: ItineraryCase, tmp_path: Path
) -> None:
    it = itinerary_case.itinerary
    wanted = {p.tel for c in it.delegation.contacts for p in contact_parts(c) if p.tel}
    assert wanted
    html = (exported / "itinerary.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="(tel:\+\d+)"', html)) == wanted
    paths = write_maps(it, tmp_path)
    for path in paths:
        page = path.read_text(encoding="utf-8")
        # the timeline's HTML is a JSON string in the page: quotes are escaped there
        assert set(re.findall(r'href=\\"(tel:\+\d+)\\"', page)) == wanted, path.name
