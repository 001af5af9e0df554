"""Fixed items at a venue that is closed then: an appointment, or a meal at a chosen restaurant.

The planner keeps appointments where and when the request puts them (the hosts may open a
venue for the delegation), so these are warnings for the planner, not errors. A venue whose
opening hours the city pack does not know is not checked.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tours.planning.request import Resolved, format_clock


def _at(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz) + dt.timedelta(minutes=minutes)


def closed_venue_warnings(resolved: Resolved) -> list[str]:
    """One line per appointment or restaurant meal whose venue is closed at that time.

    Each line names the field, the venue, its opening hours and what to do.
    """
    request, pack = resolved.request, resolved.pack
    tz = ZoneInfo(pack.timezone)
    warnings: list[str] = []
    for i, (appt, place) in enumerate(
        zip(request.appointments, resolved.appointments, strict=True)
    ):
        hours = pack.hours(place)
        if hours is None or appt.date not in request.dates:
            continue
        start, end = _at(appt.date, appt.start, tz), _at(appt.date, appt.end, tz)
        if any(a <= start and end <= b for a, b in hours.intervals_between(start, end)):
            continue
        warnings.append(
            f"{request.where(('appointments', i, 'place'))}: {appt.title!r} on "
            f"{appt.date.isoformat()} {format_clock(appt.start)}–{format_clock(appt.end)} is "
            f"outside the opening hours of {place.names.en} ({place.opening_hours}); check "
            "the date and time with the venue"
        )
    for i, meal in enumerate(request.meals):
        restaurant = resolved.meal_places[i]
        hours = pack.hours(restaurant) if restaurant is not None else None
        if restaurant is None or hours is None:
            continue
        for day in request.dates:
            if meal.dates is not None and day not in meal.dates:
                continue
            lo, hi = _at(day, meal.window.start, tz), _at(day, meal.window.end, tz)
            longest = max(
                ((b - a).total_seconds() / 60 for a, b in hours.intervals_between(lo, hi)),
                default=0.0,
            )
            if longest >= meal.minutes:
                continue
            warnings.append(
                f"{request.where(('meals', i, 'place'))}: {meal.title!r} on {day.isoformat()} "
                f"({meal.minutes} min within {meal.window}) is at {restaurant.names.en}, which "
                f"is not open that long then ({restaurant.opening_hours}); choose another "
                "`place` or move the `window`"
            )
    return warnings
