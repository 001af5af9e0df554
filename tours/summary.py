"""The readable day-by-day summary of an itinerary that ``tours plan`` prints."""

from __future__ import annotations

from collections.abc import Iterable

from tours.itinerary import Itinerary, Leg, Visit
from tours.timetext import ceil_minute as clock
from tours.timetext import shown_minutes


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def _lines(itinerary: Itinerary) -> Iterable[str]:
    city = itinerary.city
    yield f"{itinerary.title}"
    yield f"{itinerary.delegation.name} in {city.name_en} ({city.timezone})"
    for n, day in enumerate(itinerary.days, start=1):
        yield ""
        yield (
            f"Day {n}, {day.date:%a} {day.date.day} {day.date:%b %Y}: "
            f"{clock(day.start):%H:%M}–{clock(day.end):%H:%M}, from {day.start_place.name_en}"
        )
        for item in day.items:
            # the same minutes as the print, the CSV and the maps (tours.timetext.ceil_minute)
            span = f"{clock(item.start):%H:%M}–{clock(item.end):%H:%M}"
            if isinstance(item, Leg):
                target = day.places_by_id.get(item.to_id)  # a stop, the day's end, a waypoint
                to = target.name_en if target is not None else item.to_id
                yield (
                    f"  {span}  {item.mode:<5} {_km(item.distance_m)}, "
                    f"{shown_minutes(item.start, item.end)} min -> {to}"
                )
            elif isinstance(item, Visit):
                star = " (must-see)" if item.must_see else ""
                yield f"  {span}  visit {item.place.name_en}{star}, priority {item.priority}"
            else:  # an appointment or a meal
                yield f"  {span}  {item.title} @ {item.place.name_en}"
        walked = sum(leg.distance_m for leg in day.legs if leg.mode == "walk")
        back = clock(day.end)
        yield f"  back at {day.end_place.name_en} {back:%H:%M}; walking {_km(walked)}"
    if itinerary.left_out:
        yield ""
        yield "Left out:"
        for left in itinerary.left_out:
            yield f"  {left.place.name_en}: {left.reason}"
    visits = sum(1 for d in itinerary.days for s in d.stops if isinstance(s, Visit))
    yield ""
    yield f"{visits} visit(s), total priority {itinerary.total_priority}."


def summary(itinerary: Itinerary) -> str:
    """A readable day-by-day summary of *itinerary* (plain text)."""
    return "\n".join(_lines(itinerary))
