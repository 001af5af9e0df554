"""The programme as an RFC 5545 calendar (icalendar): the stops and the travel between them.

One event per visit, appointment and meal, and one travel block per journey between stops:
the day's departure from the hotel, every transfer and the way back (category ``travel``).
The departure and every coach transfer carry reminders (VALARM), so nobody misses the coach;
appointments carry one too. Every description ends with the delegation's contacts.

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

from maps._clock import clock
from maps._names import Languages
from maps._schedule import (
    PASSING_KINDS,
    Row,
    address_in,
    city_tz,
    day_rows,
    place_facts,
)
from maps.i18n import N_
from tours.itinerary import Itinerary, stable_uid
from tours.modes import MODES

PRODID = "-//tours//delegation itinerary//EN"
#: How much later each revision's DTSTAMP is than the previous one's.
REVISION_STEP = dt.timedelta(minutes=1)
#: Reminders before the day's departure, a coach transfer and an appointment.
DEPARTURE_ALARMS = (dt.timedelta(minutes=30), dt.timedelta(minutes=10))
COACH_ALARMS = (dt.timedelta(minutes=10),)
APPOINTMENT_ALARMS = (dt.timedelta(minutes=15),)
#: Category of the travel blocks (the stops have their kind: visit, appointment, meal).
TRAVEL = "travel"
#: A journey whose legs mix travel modes, as its summary names it (a journey of one mode is
#: named by that mode's label in :data:`tours.modes.MODES`, as on the maps and the print).
MIXED_JOURNEY = N_("Coach and walk")


def revision_stamp(itinerary: Itinerary) -> dt.datetime:
    """``DTSTAMP`` of *itinerary*: its first day's start (UTC) plus one step per revision."""
    start = itinerary.days[0].start.astimezone(dt.UTC)
    return start + itinerary.revision * REVISION_STEP


def build_calendar(itinerary: Itinerary, *, language: str | None = None) -> Calendar:
    """A :class:`icalendar.Calendar` with one VEVENT per stop and the city's VTIMEZONE.

    Summaries and descriptions are in *language* (``None``: the delegation's first one);
    SUMMARY and DESCRIPTION carry it as their ``LANGUAGE`` parameter.
    """
    langs = Languages.of(itinerary, language=language)
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
                event = _event(itinerary, row, day_number=number, stamp=stamp, langs=langs)
                cal.add_component(event)
            if row.travel and index + 1 < len(rows):
                block = _travel_event(
                    itinerary, row, rows[index + 1], day_number=number, langs=langs
                )
                block.add("dtstamp", stamp)
                cal.add_component(block)
    return cal


def calendar_bytes(itinerary: Itinerary, *, language: str | None = None) -> bytes:
    """The ``.ics`` file content (CRLF line endings, folded as RFC 5545 requires)."""
    content: bytes = build_calendar(itinerary, language=language).to_ical()
    return content


def _event(
    itinerary: Itinerary, row: Row, *, day_number: int, stamp: dt.datetime, langs: Languages
) -> Event:
    t = langs.t
    language = {"language": t.lang}
    place = row.place
    name = langs.primary(place).text
    event = Event()
    event.add("uid", row.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", itinerary.revision)
    event.add("dtstart", row.start)
    event.add("dtend", row.end)
    summary = name if row.kind == "visit" else f"{row.what_in(t)}: {name}"
    event.add("summary", summary, parameters=language)
    location = langs.bilingual(place)
    if address := address_in(place, t):
        location += f", {address}"
    event.add("location", location)
    event.add("geo", vGeo((place.lat, place.lon)))
    event.add("categories", [row.kind])
    event.add(
        "description",
        _description(itinerary, row, day_number=day_number, langs=langs),
        parameters=language,
    )
    event.add("transp", "OPAQUE")
    if row.kind == "appointment":
        _add_alarms(event, APPOINTMENT_ALARMS, summary, langs=langs)
    return event


def _travel_event(
    itinerary: Itinerary, row: Row, after: Row, *, day_number: int, langs: Languages
) -> Event:
    """The journey from *row* to the next row *after*: departure, transfer or way back."""
    t = langs.t
    _ = t.gettext
    legs = row.travel
    first, last = legs[0], legs[-1]
    if first.start is None or last.end is None:
        msg = "travel without times; build rows with maps._schedule.day_rows"
        raise ValueError(msg)
    origin, target = row.place, after.place
    modes = {leg.mode for leg in legs}
    how = _(MODES[modes.pop()].label if len(modes) == 1 else MIXED_JOURNEY)
    names = {"how": how, "from": langs.primary(origin).text, "to": langs.primary(target).text}
    departure = row.kind == "start"
    if departure:
        summary = _("Departure from %(from)s: %(how)s to %(to)s") % names
    elif after.kind == "end":
        summary = _("Return: %(how)s to %(to)s") % names
    else:
        summary = _("%(how)s to %(to)s") % names
    event = Event()
    # the journey is named after where it leads, so a re-plan that keeps it keeps its UID;
    # a passing point (a coach stop) may be reached twice a day: there, also where from
    key = after.uid or f"{after.kind}:{target.id}"
    if after.kind == "waypoint":
        key += f"<{origin.id}"
    event.add("uid", stable_uid(TRAVEL, key, first.start.date()))
    event.add("sequence", itinerary.revision)
    event.add("dtstart", first.start)
    event.add("dtend", last.end)
    event.add("summary", summary, parameters={"language": t.lang})
    location = langs.joined(origin)
    if address := address_in(origin, t):
        location += f", {address}"
    event.add("location", location)
    event.add("geo", vGeo((origin.lat, origin.lon)))
    event.add("categories", [TRAVEL])
    values = {
        "num": day_number,
        "from": langs.joined(origin),
        "to": langs.joined(target),
        "leave": t.time(clock(first.start)),
        "arrive": t.time(clock(last.end)),
        "travel": row.travel_text_in(t),
    }
    lines = [
        _("Day %(num)s: leave %(from)s at %(leave)s, %(travel)s, arrive at %(to)s at %(arrive)s.")
        % values
    ]
    if origin.entrance:
        lines.append(_("Meeting point: %(point)s") % {"point": origin.entrance})
    if target_address := address_in(target, t):
        lines.append(_("Address of the destination: %(address)s") % {"address": target_address})
    lines += _contact_lines(itinerary, langs)
    lines.append(_("Map data %(attribution)s") % {"attribution": itinerary.city.attribution})
    event.add("description", "\n".join(lines), parameters={"language": t.lang})
    event.add("transp", "OPAQUE")
    if departure:
        _add_alarms(event, DEPARTURE_ALARMS, summary, langs=langs)
    elif any(leg.mode == "coach" for leg in legs):
        _add_alarms(event, COACH_ALARMS, summary, langs=langs)
    return event


def _add_alarms(
    event: Event, befores: tuple[dt.timedelta, ...], text: str, *, langs: Languages
) -> None:
    """A display reminder *before* the event's start for each of *befores*."""
    t = langs.t
    for before in befores:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        when = t.minutes(round(before.total_seconds() / 60))
        alarm.add("description", t.gettext("In %(time)s: %(what)s") % {"time": when, "what": text})
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _contact_lines(itinerary: Itinerary, langs: Languages) -> list[str]:
    contacts = itinerary.delegation.contacts
    if not contacts:
        return []
    return [langs.t.gettext("Contacts:"), *(f"- {contact}" for contact in contacts)]


def _description(itinerary: Itinerary, row: Row, *, day_number: int, langs: Languages) -> str:
    t = langs.t
    _ = t.gettext
    place = row.place
    where = langs.bilingual(place)
    lines = [
        _("Day %(num)s, stop %(stop)s: %(what)s at %(place)s")
        % {"num": day_number, "stop": row.label, "what": row.what_in(t), "place": where}
    ]
    if row.must_see:
        lines.append(_("Must-see."))
    if row.arrived_by:
        origin = row.arrived_by[0].origin
        values = {"travel": row.arrival_text_in(t)}
        if origin:
            values["place"] = langs.bilingual(origin)
            lines.append(_("Getting there: %(travel)s from %(place)s.") % values)
        else:
            lines.append(_("Getting there: %(travel)s.") % values)
    if row.travel:
        onward = row.travel[-1].to
        values = {"travel": row.travel_text_in(t)}
        if onward:
            values["place"] = langs.bilingual(onward)
            lines.append(_("Afterwards: %(travel)s to %(place)s.") % values)
        else:
            lines.append(_("Afterwards: %(travel)s.") % values)
    facts = [*place_facts(place, t), (_("Programme note"), row.note_in(t))]
    lines += [f"{label}: {text}" for label, text in facts if text]
    if restaurant := row.restaurant_in(t, local_language=langs.local):
        lines.append(restaurant)
    lines += _contact_lines(itinerary, langs)
    lines.append(_("Map data %(attribution)s") % {"attribution": itinerary.city.attribution})
    return "\n".join(lines)
