"""The programme as an RFC 5545 calendar (icalendar): the stops and the travel between them.

One event per visit, appointment and meal, and one travel block per journey between stops:
the day's departure from the hotel, every transfer and the way back. The departure and every
coach transfer carry reminders (VALARM), so nobody misses the coach; appointments carry one
too. Every description ends with the delegation's contacts.

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

from icalendar import Alarm, Calendar, Event, Timezone, vGeo

from maps._schedule import PASSING_KINDS, Row, city_tz, day_rows, place_facts
from tours.itinerary import Itinerary, stable_uid

PRODID = "-//tours//delegation itinerary//EN"
#: How much later each revision's DTSTAMP is than the previous one's.
REVISION_STEP = dt.timedelta(minutes=1)
#: Reminders before the day's departure, a coach transfer and an appointment.
DEPARTURE_ALARMS = (dt.timedelta(minutes=30), dt.timedelta(minutes=10))
COACH_ALARMS = (dt.timedelta(minutes=10),)
APPOINTMENT_ALARMS = (dt.timedelta(minutes=15),)
#: Category of the travel blocks (the stops have their kind: visit, appointment, meal).
TRAVEL = "travel"


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
        rows = day_rows(day, tz)
        for index, row in enumerate(rows):
            if row.kind not in PASSING_KINDS and row.end is not None:
                cal.add_component(_event(itinerary, row, day_number=number, stamp=stamp))
            if row.travel and index + 1 < len(rows):
                block = _travel_event(itinerary, row, rows[index + 1], day_number=number)
                block.add("dtstamp", stamp)
                cal.add_component(block)
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
    if row.kind == "appointment":
        _add_alarms(event, APPOINTMENT_ALARMS, f"{row.what} at {place.name_en}")
    return event


def _travel_event(itinerary: Itinerary, row: Row, after: Row, *, day_number: int) -> Event:
    """The journey from *row* to the next row *after*: departure, transfer or way back."""
    legs = row.travel
    first, last = legs[0], legs[-1]
    if first.start is None or last.end is None:
        msg = "travel without times; build rows with maps._schedule.day_rows"
        raise ValueError(msg)
    origin, target = row.place, after.place
    modes = " + ".join(dict.fromkeys(leg.mode for leg in legs))
    departure = row.kind == "start"
    if departure:
        summary = f"Departure: {modes} from {origin.name_en} to {target.name_en}"
    elif after.kind == "end":
        summary = f"Return: {modes} to {target.name_en}"
    else:
        summary = f"{modes.capitalize()} to {target.name_en}"
    event = Event()
    # the journey is named after where it leads, so a re-plan that keeps it keeps its UID
    event.add(
        "uid", stable_uid(TRAVEL, after.uid or f"{after.kind}:{target.id}", first.start.date())
    )
    event.add("sequence", itinerary.revision)
    event.add("dtstart", first.start)
    event.add("dtend", last.end)
    event.add("summary", summary)
    event.add(
        "location", origin.bilingual_name + (f", {origin.address_zh}" if origin.address_zh else "")
    )
    event.add("geo", vGeo((origin.lat, origin.lon)))
    event.add("categories", [TRAVEL])
    lines = [
        f"Day {day_number}: leave {origin.bilingual_name} at {first.start:%H:%M}, "
        f"{row.travel_text}, arrive at {target.bilingual_name} at {last.end:%H:%M}."
    ]
    if origin.entrance:
        lines.append(f"Meeting point: {origin.entrance}")
    if target.address_zh:
        lines.append(f"Destination address: {target.address_zh}")
    lines += _contact_lines(itinerary)
    lines.append(f"Map data {itinerary.city.attribution}")
    event.add("description", "\n".join(lines))
    event.add("transp", "OPAQUE")
    if departure:
        _add_alarms(event, DEPARTURE_ALARMS, summary)
    elif any(leg.mode == "coach" for leg in legs):
        _add_alarms(event, COACH_ALARMS, summary)
    return event


def _add_alarms(event: Event, befores: tuple[dt.timedelta, ...], text: str) -> None:
    """A display reminder *before* the event's start for each of *befores*."""
    for before in befores:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"In {round(before.total_seconds() / 60)} min: {text}")
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _contact_lines(itinerary: Itinerary) -> list[str]:
    contacts = itinerary.delegation.contacts
    return ["Contacts:", *(f"- {contact}" for contact in contacts)] if contacts else []


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
    lines += _contact_lines(itinerary)
    lines.append(f"Map data {itinerary.city.attribution}")
    return "\n".join(lines)
