"""An independent feasibility checker for planned itineraries.

It shares no code with the planner: from the request, the city pack and the street network it
re-derives every travel time with ``routing.travel_matrix`` and re-reads opening hours with
``tours.hours``, then checks the itinerary item by item. ``check_itinerary`` returns the list
of problems (empty when the itinerary is feasible); ``assert_feasible`` fails a test with all
of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from routing import StreetNetwork, TravelPolicy, travel_matrix
from tours.citypack import CityPack
from tours.hours import OpeningHours
from tours.itinerary import Appointment, Itinerary, Leg, Meal, PlaceRef, Visit
from tours.planning.request import Request

TOL_S = 1.0  # seconds of slack allowed when comparing times
LEFT_OUT_CODES = {"closed", "too_long", "outside_network", "no_time", "walk_limit"}


def _policy(request: Request) -> TravelPolicy:
    return TravelPolicy(
        walk_kmh=request.delegation.pace_kmh,
        coach_overhead_min=request.travel.coach_overhead_min,
        mixed_walk_max_min=request.travel.walk_max_min,
    )


def _local(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz) + dt.timedelta(minutes=minutes)


class _Matrix:
    """Travel between the itinerary's places, re-derived from the network in one matrix."""

    def __init__(self, network: StreetNetwork, places: Sequence[PlaceRef], request: Request):
        self.index = {p.id: i for i, p in enumerate(places)}
        points = [(p.lat, p.lon) for p in places]
        self.m = travel_matrix(network, points, mode=request.travel.mode, policy=_policy(request))

    def leg(self, a: str, b: str) -> tuple[float, float, str, float]:
        i, j = self.index[a], self.index[b]
        return (
            float(self.m.duration_s[i, j]),
            float(self.m.distance_m[i, j]),
            str(self.m.mode[i, j]),
            float(self.m.walk_distance_m[i, j]),
        )


def check_itinerary(
    itinerary: Itinerary, *, request: Request, pack: CityPack, network: StreetNetwork
) -> list[str]:
    """Every way *itinerary* breaks the request, the hours or the travel times (empty: none)."""
    problems: list[str] = []
    tz = ZoneInfo(pack.timezone)
    places: dict[str, PlaceRef] = {}
    for day in itinerary.days:
        places.setdefault(day.start_place.id, day.start_place)
        places.setdefault(day.end_place.id, day.end_place)
        for stop in day.stops:
            places.setdefault(stop.place.id, stop.place)
    matrix = _Matrix(network, list(places.values()), request)

    if [d.date for d in itinerary.days] != list(request.dates):
        problems.append(f"days {[d.date for d in itinerary.days]} != requested {request.dates}")

    specs = {}
    for _path, spec, must in request.place_entries():
        specs[pack.place(spec.place).id] = (spec, must)
    visited: dict[str, dt.date] = {}
    total = 0
    for day in itinerary.days:
        problems += _check_day(day, request, pack, matrix, tz, specs, visited)
        total += sum(v.priority for v in day.items if isinstance(v, Visit))

    if total != itinerary.total_priority:
        problems.append(f"total_priority {itinerary.total_priority} != sum of visits {total}")
    for pid, (spec, must) in specs.items():
        if must and pid not in visited:
            problems.append(f"must-see {spec.place!r} is not visited")
    left = {lo.place.id: lo for lo in itinerary.left_out}
    for pid, (spec, _must) in specs.items():
        if pid in visited and pid in left:
            problems.append(f"{spec.place!r} is both visited and left out")
        if pid not in visited and pid not in left:
            problems.append(f"{spec.place!r} is neither visited nor explained in left_out")
    for lo in itinerary.left_out:
        if lo.code not in LEFT_OUT_CODES or not lo.reason.strip():
            problems.append(f"left-out {lo.place.id!r} has code {lo.code!r}, reason {lo.reason!r}")
        if lo.place.id not in specs:
            problems.append(f"left-out {lo.place.id!r} was never requested")
    return problems


def _check_day(  # noqa: C901, PLR0912
    day, request, pack, matrix, tz, specs, visited  # noqa: ANN001
) -> list[str]:
    problems: list[str] = []
    label = day.date.isoformat()
    window = request.window_on(day.date)
    lo, hi = _local(day.date, window.start, tz), _local(day.date, window.end, tz)
    for when in (day.start, day.end):
        if when.utcoffset() != lo.utcoffset():
            problems.append(f"{label}: {when} is not in the city time zone")
    if day.start < lo or day.end > hi:
        problems.append(f"{label}: day {day.start:%H:%M}-{day.end:%H:%M} outside window {window}")
    default = pack.default_start
    if day.start_place.id != pack.place(request.start_place_on(day.date, default)).id:
        problems.append(f"{label}: starts at {day.start_place.id!r}, not the requested place")
    if day.end_place.id != pack.place(request.end_place_on(day.date, default)).id:
        problems.append(f"{label}: ends at {day.end_place.id!r}, not the requested place")

    # order, overlaps and the chain of places
    cursor_t, here = day.start, day.start_place.id
    walked = 0.0
    pending_after: tuple[dt.datetime, str] | None = None  # (end + buffer, title) of last stop
    buffer = dt.timedelta(minutes=request.buffer_min)
    for item in day.items:
        if item.end < item.start:
            problems.append(f"{label}: {item.uid} ends before it starts")
        if item.start < cursor_t - dt.timedelta(seconds=TOL_S):
            problems.append(f"{label}: {item.kind} at {item.start:%H:%M} overlaps the previous")
        cursor_t = max(cursor_t, item.end)
        if isinstance(item, Leg):
            if item.from_id != here:
                problems.append(f"{label}: leg from {item.from_id!r} but the group is at {here!r}")
            dur, dist, mode, walk = matrix.leg(item.from_id, item.to_id)
            walked += walk
            if abs(item.duration_s - dur) > TOL_S:
                problems.append(
                    f"{label}: leg {item.from_id}->{item.to_id} takes {item.duration_s:.0f} s, "
                    f"the matrix says {dur:.0f} s"
                )
            if abs((item.end - item.start).total_seconds() - item.duration_s) > TOL_S:
                problems.append(f"{label}: leg {item.from_id}->{item.to_id} times != duration")
            if item.mode != mode:
                problems.append(f"{label}: leg {item.from_id}->{item.to_id} by {item.mode}, "
                                f"the matrix chooses {mode}")
            if abs(item.distance_m - dist) > max(1.0, 1e-6 * dist):
                problems.append(f"{label}: leg {item.from_id}->{item.to_id} distance differs")
            if len(item.geometry) < 2:
                problems.append(f"{label}: leg {item.from_id}->{item.to_id} has no geometry")
            here = item.to_id
            continue
        if item.place.id != here:
            problems.append(f"{label}: {item.kind} at {item.place.id!r} but group is at {here!r}")
        if pending_after is not None and item.start < pending_after[0] - dt.timedelta(seconds=TOL_S):
            problems.append(f"{label}: no {request.buffer_min}-min buffer after {pending_after[1]}")
        pending_after = None
        if isinstance(item, Visit):
            problems += _check_visit(item, day.date, request, pack, tz, specs, visited)
        if isinstance(item, Visit | Appointment):
            pending_after = (item.end + buffer, item.uid)
    if here != day.end_place.id:
        problems.append(f"{label}: the day ends at {here!r}, not at {day.end_place.id!r}")
    if day.items and pending_after is not None and day.end < pending_after[0] - dt.timedelta(
        seconds=TOL_S
    ):
        problems.append(f"{label}: no buffer before the day ends")
    if day.items and (day.items[0].start < day.start or day.items[-1].end > day.end):
        problems.append(f"{label}: items outside the day's start/end")
    limit = request.travel.max_walk_km_per_day
    if limit is not None and walked > limit * 1000 + 1:
        problems.append(f"{label}: walks {walked:.0f} m, limit {limit} km")

    # appointments kept
    appts = [i for i in day.items if isinstance(i, Appointment)]
    wanted = [a for a in request.appointments if a.date == day.date]
    for spec in wanted:
        pid = pack.place(spec.place).id
        hits = [
            a for a in appts
            if a.title == spec.title and a.place.id == pid
            and a.start == _local(day.date, spec.start, tz)
            and a.end == _local(day.date, spec.end, tz)
        ]
        if len(hits) != 1:
            problems.append(f"{label}: appointment {spec.title!r} not kept exactly once")
    if len(appts) != len(wanted):
        problems.append(f"{label}: {len(appts)} appointments, requested {len(wanted)}")

    # meals in their windows
    meals = [i for i in day.items if isinstance(i, Meal)]
    todays = [m for _i, m in request.meals_on(day.date)]
    if len(meals) != len(todays):
        problems.append(f"{label}: {len(meals)} meals, requested {len(todays)}")
    for spec in todays:
        hits = [m for m in meals if m.title == spec.title]
        if len(hits) != 1:
            problems.append(f"{label}: meal {spec.title!r} not planned exactly once")
            continue
        meal = hits[0]
        if meal.start < _local(day.date, spec.window.start, tz) or meal.end > _local(
            day.date, spec.window.end, tz
        ):
            problems.append(f"{label}: {spec.title} {meal.start:%H:%M}-{meal.end:%H:%M} "
                            f"outside {spec.window}")
        if meal.minutes != spec.minutes:
            problems.append(f"{label}: {spec.title} lasts {meal.minutes} min, not {spec.minutes}")
        if spec.place and meal.place.id != pack.place(spec.place).id:
            problems.append(f"{label}: {spec.title} at {meal.place.id!r}, not {spec.place!r}")
    return problems


def _check_visit(visit, date, request, pack, tz, specs, visited) -> list[str]:  # noqa: ANN001
    problems: list[str] = []
    pid = visit.place.id
    label = f"{date.isoformat()} visit {pid}"
    if pid not in specs:
        return [f"{label}: place was never requested"]
    if pid in visited:
        problems.append(f"{label}: visited twice ({visited[pid]} and {date})")
    visited[pid] = date
    spec, must = specs[pid]
    if spec.dates and date not in spec.dates:
        problems.append(f"{label}: not on one of its dates {spec.dates}")
    minutes = spec.minutes or pack.place(pid).visit_minutes
    if visit.minutes < minutes:
        problems.append(f"{label}: {visit.minutes} min, requested {minutes}")
    if visit.must_see != must:
        problems.append(f"{label}: must_see flag {visit.must_see} != {must}")
    if visit.place.opening_hours:
        oh = OpeningHours(visit.place.opening_hours, timezone=str(tz.key))
        spans = oh.intervals_between(visit.start, visit.end)
        if len(spans) != 1 or spans[0] != (visit.start, visit.end):
            problems.append(
                f"{label}: {visit.start:%H:%M}-{visit.end:%H:%M} not within opening hours "
                f"{visit.place.opening_hours!r}"
            )
    return problems


def assert_feasible(
    itinerary: Itinerary, *, request: Request, pack: CityPack, network: StreetNetwork
) -> None:
    """Fail with every problem :func:`check_itinerary` finds."""
    problems = check_itinerary(itinerary, request=request, pack=pack, network=network)
    assert not problems, "infeasible itinerary:\n" + "\n".join(problems)
