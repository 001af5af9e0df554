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

from maps._names import Languages
from maps._schedule import PASSING_KINDS, Row, city_tz, day_rows, place_facts
from tours.itinerary import Itinerary

PRODID = "-//tours//delegation itinerary//EN"
#: How much later each revision's DTSTAMP is than the previous one's.
REVISION_STEP = dt.timedelta(minutes=1)


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
        for row in day_rows(day, tz):
            if row.kind in PASSING_KINDS or row.end is None:
                continue
            cal.add_component(_event(itinerary, row, day_number=number, stamp=stamp, langs=langs))
    return cal


def calendar_bytes(itinerary: Itinerary, *, language: str | None = None) -> bytes:
    """The ``.ics`` file content (CRLF line endings, folded as RFC 5545 requires)."""
    return build_calendar(itinerary, language=language).to_ical()


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
    if place.address_zh:
        location += f", {place.address_zh}"
    event.add("location", location)
    event.add("geo", vGeo((place.lat, place.lon)))
    event.add("categories", [row.kind])
    event.add(
        "description",
        _description(itinerary, row, day_number=day_number, langs=langs),
        parameters=language,
    )
    event.add("transp", "OPAQUE")
    return event


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
    facts = [*place_facts(place, t), (_("Programme note"), row.note)]
    lines += [f"{label}: {text}" for label, text in facts if text]
    lines.append(_("Map data %(attribution)s") % {"attribution": itinerary.city.attribution})
    return "\n".join(lines)
