"""The readable day-by-day summary of an itinerary that ``tours plan`` prints."""

from __future__ import annotations

from collections.abc import Iterable

from tours.itinerary import Itinerary, Leg, Visit
from tours.timetext import ceil_minute as _ceil_minute


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
            f"{day.start:%H:%M}–{_ceil_minute(day.end):%H:%M}, from {day.start_place.name_en}"
        )
        for item in day.items:
            span = f"{item.start:%H:%M}–{item.end:%H:%M}"
            if isinstance(item, Leg):
                span = f"{item.start:%H:%M}–{_ceil_minute(item.end):%H:%M}"
                to = next(
                    (s.place.name_en for s in day.stops if s.place.id == item.to_id),
                    day.end_place.name_en if item.to_id == day.end_place.id else item.to_id,
                )
                yield (
                    f"  {span}  {item.mode:<5} {_km(item.distance_m)}, "
                    f"{round(item.duration_s / 60)} min -> {to}"
                )
            elif isinstance(item, Visit):
                star = " (must-see)" if item.must_see else ""
                yield f"  {span}  visit {item.place.name_en}{star}, priority {item.priority}"
            else:  # an appointment or a meal
                yield f"  {span}  {item.title} @ {item.place.name_en}"
        walked = sum(leg.distance_m for leg in day.legs if leg.mode == "walk")
        back = _ceil_minute(day.end)
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
