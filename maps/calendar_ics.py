"""The programme as an RFC 5545 calendar (icalendar): one event per visit, appointment, meal.

Events carry the itinerary's stable ``uid`` so re-importing an updated plan updates them
instead of duplicating; times are local to the city with a VTIMEZONE generated from zoneinfo.

Updates: every event's ``SEQUENCE`` is the itinerary's ``revision`` (0 for a fresh plan, one
more per ``tours replan``), and ``DTSTAMP`` is derived from the itinerary alone, so the same
itinerary always gives the same file: the start of its first day (UTC) plus ``revision``
minutes. Both grow with every re-plan (a re-plan keeps the first day), so calendar apps take
a re-planned file as the newer version of the events they already hold.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Timezone, vGeo

from maps._schedule import PASSING_KINDS, Row, city_tz, day_rows, place_facts
from tours.itinerary import Itinerary

PRODID = "-//tours//delegation itinerary//EN"
#: How much later each revision's DTSTAMP is than the previous one's.
REVISION_STEP = dt.timedelta(minutes=1)


def revision_stamp(itinerary: Itinerary) -> dt.datetime:
    """``DTSTAMP`` of *itinerary*: its first day's start (UTC) plus one step per revision."""
    start = itinerary.days[0].start.astimezone(dt.UTC)
    return start + itinerary.revision * REVISION_STEP


def build_calendar(itinerary: Itinerary) -> Calendar:
    """A :class:`icalendar.Calendar` with one VEVENT per stop and the city's VTIMEZONE."""
    tz = city_tz(itinerary)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", itinerary.title)
    cal.add("x-wr-timezone", itinerary.city.timezone)
    if not itinerary.days:
        return cal
    first, last = itinerary.days[0].date, itinerary.days[-1].date
    cal.add_component(
        Timezone.from_tzid(
            itinerary.city.timezone,
            first_date=first - dt.timedelta(days=1),
            last_date=last + dt.timedelta(days=2),
        )
    )
    stamp = revision_stamp(itinerary)
    for number, day in enumerate(itinerary.days, start=1):
        for row in day_rows(day, tz):
            if row.kind in PASSING_KINDS or row.end is None:
                continue
            cal.add_component(_event(itinerary, row, day_number=number, stamp=stamp))
    return cal


def calendar_bytes(itinerary: Itinerary) -> bytes:
    """The ``.ics`` file content (CRLF line endings, folded as RFC 5545 requires)."""
    return build_calendar(itinerary).to_ical()


def _event(itinerary: Itinerary, row: Row, *, day_number: int, stamp: dt.datetime) -> Event:
    place = row.place
    event = Event()
    event.add("uid", row.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", itinerary.revision)
    event.add("dtstart", row.start)
    event.add("dtend", row.end)
    summary = place.name_en if row.kind == "visit" else f"{row.what}: {place.name_en}"
    event.add("summary", summary)
    location = place.bilingual_name
    if place.address_zh:
        location += f", {place.address_zh}"
    event.add("location", location)
    event.add("geo", vGeo((place.lat, place.lon)))
    event.add("categories", [row.kind])
    event.add("description", _description(itinerary, row, day_number=day_number))
    event.add("transp", "OPAQUE")
    return event


def _description(itinerary: Itinerary, row: Row, *, day_number: int) -> str:
    place = row.place
    lines = [f"Day {day_number}, stop {row.label}: {row.what} at {place.bilingual_name}"]
    if row.must_see:
        lines.append("Must-see.")
    if row.arrived_by:
        origin = row.arrived_by[0].origin
        source = f" from {origin.bilingual_name}" if origin else ""
        lines.append(f"Getting there: {row.arrival_text}{source}.")
    if row.travel:
        onward = row.travel[-1].to
        target = f" to {onward.bilingual_name}" if onward else ""
        lines.append(f"Afterwards: {row.travel_text}{target}.")
    facts = [*place_facts(place), ("Programme note", row.note)]
    lines += [f"{label}: {text}" for label, text in facts if text]
    lines.append(f"Map data {itinerary.city.attribution}")
    return "\n".join(lines)
