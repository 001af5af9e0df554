"""Shared resources: who uses a venue when, where capacity is full, guides and coaches.

Time is counted in whole minutes after the conference's origin (local midnight of its first
day), so venue slots line up with the clock (``every 30 min`` = :00 and :30).

A *use* is one delegation's visit to a capacity-limited venue. Only visits count (fixed
appointments are the host's own bookings and are not capacity-checked).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tours.conference.schema import Capacity, CoachSpec, GuideSpec
from tours.itinerary import Itinerary, Visit


@dataclass(frozen=True)
class Clock:
    """Minutes after local midnight of the conference's first day <-> aware datetimes."""

    origin: dt.datetime

    @classmethod
    def for_dates(cls, first_day: dt.date, timezone: str) -> Clock:
        """The clock whose minute 0 is local midnight of *first_day*."""
        return cls(dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=ZoneInfo(timezone)))

    def minute(self, when: dt.datetime) -> int:
        """Whole minutes after the origin (rounded down)."""
        return math.floor((when - self.origin).total_seconds() / 60 + 1e-9)

    def at(self, minute: int) -> dt.datetime:
        """The local datetime *minute* minutes after the origin."""
        utc = self.origin.astimezone(dt.UTC) + dt.timedelta(minutes=minute)
        return utc.astimezone(self.origin.tzinfo)


@dataclass(frozen=True)
class Use:
    """A delegation's visit to a capacity-limited venue (minutes on the conference clock)."""

    delegation: int
    place_id: str
    start: int
    end: int
    weight: int  # 1 group, or the delegation's size for people capacities
    priority: int
    must_see: bool


def uses_of(
    index: int, itinerary: Itinerary, capacities: dict[str, Capacity], clock: Clock, size: int
) -> list[Use]:
    """The uses of capacity-limited venues in *itinerary* (delegation number *index*)."""
    out: list[Use] = []
    for day in itinerary.days:
        for stop in day.stops:
            cap = capacities.get(stop.place.id)
            if cap is None or not isinstance(stop, Visit):
                continue
            out.append(
                Use(
                    index,
                    stop.place.id,
                    clock.minute(stop.start),
                    clock.minute(stop.end),
                    size if cap.unit == "people" else 1,
                    stop.priority,
                    stop.must_see,
                )
            )
    return out


def load_profile(uses: Iterable[Use]) -> list[tuple[int, int, int]]:
    """Simultaneous load as ``(start, end, load)`` pieces with load > 0, in time order."""
    events: dict[int, int] = defaultdict(int)
    for use in uses:
        events[use.start] += use.weight
        events[use.end] -= use.weight
    out: list[tuple[int, int, int]] = []
    load = 0
    times = sorted(events)
    for a, b in itertools.pairwise(times):
        load += events[a]
        if load > 0:
            out.append((a, b, load))
    return out


def slot_loads(cap: Capacity, uses: Iterable[Use]) -> dict[int, int]:
    """Per slot number, the summed weight of visits starting in it."""
    loads: dict[int, int] = defaultdict(int)
    for use in uses:
        loads[use.start // cap.slot_min] += use.weight
    return dict(loads)


def full_spans(cap: Capacity, uses: Sequence[Use], weight: int) -> list[tuple[int, int]]:
    """Spans ``[a, b)`` (minutes) in which one more use of *weight* would exceed *cap*.

    At-once capacities: the spans where the load exceeds ``limit - weight``; slot capacities:
    the slots whose entries exceed it. Adjacent spans are merged.
    """
    room = cap.limit - weight
    if cap.per == "slot":
        spans = [
            (k * cap.slot_min, (k + 1) * cap.slot_min)
            for k, load in sorted(slot_loads(cap, uses).items())
            if load > room
        ]
    else:
        spans = [(a, b) for a, b, load in load_profile(uses) if load > room]
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and merged[-1][1] >= a:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def fits(cap: Capacity, admitted: Sequence[Use], use: Use) -> bool:
    """Whether *use* fits beside the *admitted* uses of the same venue."""
    if cap.per == "slot":
        slot = use.start // cap.slot_min
        taken = sum(u.weight for u in admitted if u.start // cap.slot_min == slot)
        return taken + use.weight <= cap.limit
    overlapping = [u for u in admitted if u.start < use.end and use.start < u.end]
    peak = max(
        (load for a, b, load in load_profile(overlapping) if a < use.end and use.start < b),
        default=0,
    )
    return peak + use.weight <= cap.limit


def violations(capacities: dict[str, Capacity], uses: Sequence[Use], clock: Clock) -> list[str]:
    """Every place and time where the uses exceed a capacity (empty: none)."""
    by_place: dict[str, list[Use]] = defaultdict(list)
    for use in uses:
        by_place[use.place_id].append(use)
    out: list[str] = []
    for place_id, place_uses in sorted(by_place.items()):
        cap = capacities[place_id]
        if cap.per == "slot":
            for k, load in sorted(slot_loads(cap, place_uses).items()):
                if load > cap.limit:
                    at = clock.at(k * cap.slot_min)
                    out.append(f"{cap.name}: {load} > {cap.describe()} at {at:%a %H:%M}")
        else:
            for a, b, load in load_profile(place_uses):
                if load > cap.limit:
                    out.append(
                        f"{cap.name}: {load} > {cap.describe()} "
                        f"{clock.at(a):%a %H:%M}–{clock.at(b):%H:%M}"
                    )
    return out


# -- guides and coaches ------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideAssignment:
    """One guide (``en-2``: the second English guide) with a delegation on a day."""

    date: dt.date
    guide: str
    language: str
    delegation: int
    start: dt.datetime
    end: dt.datetime
    fallback: bool  # an English guide for a delegation that wanted another language


@dataclass(frozen=True)
class CoachDispatch:
    """Coaches held by a delegation for a day."""

    date: dt.date
    coaches: tuple[int, ...]
    delegation: int
    start: dt.datetime
    end: dt.datetime
    coach_legs: int
    first_pickup: str


@dataclass(frozen=True)
class DayOut:
    """One delegation's day: the span it is out and whether it rides a coach."""

    delegation: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    language: str
    size: int
    coach_legs: int
    first_pickup: str


def days_out(index: int, itinerary: Itinerary, language: str, size: int) -> list[DayOut]:
    """The days *itinerary* is out (a day with at least one stop)."""
    out: list[DayOut] = []
    for day in itinerary.days:
        if not day.stops:
            continue
        coach = [leg for leg in day.legs if leg.mode == "coach"]
        pickup = day.places_by_id.get(coach[0].from_id) if coach else None
        out.append(
            DayOut(
                index,
                day.date,
                day.start,
                day.end,
                language,
                size,
                len(coach),
                pickup.name_en if pickup else "",
            )
        )
    return out


class ResourceShortage(Exception):  # noqa: N818 - a result, raised to the joint planner
    """Guides or coaches run short on a day; ``binding`` names the resource."""

    def __init__(self, binding: str) -> None:
        super().__init__(binding)
        self.binding = binding


def _fmt_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def assign_guides(
    outs: Sequence[DayOut], guides: Sequence[GuideSpec], order: Sequence[int]
) -> list[GuideAssignment]:
    """Per day, a guide in each delegation's language (else an English one), in *order*.

    A guide works one delegation a day, inside the guide's hours. No guides listed: no
    assignment (the conference does not manage guides).

    Raises
    ------
    ResourceShortage
        Some delegation finds no guide; the message names the language and the day.
    """
    if not guides:
        return []
    rank = {d: i for i, d in enumerate(order)}
    out: list[GuideAssignment] = []
    by_day: dict[dt.date, list[DayOut]] = defaultdict(list)
    for day_out in outs:
        by_day[day_out.date].append(day_out)
    for date in sorted(by_day):
        free = {g.language.casefold(): list(range(1, g.count + 1)) for g in guides}
        hours = {g.language.casefold(): g.hours for g in guides}
        wanted = sorted(
            by_day[date], key=lambda o: (o.language == "en", rank[o.delegation])
        )  # scarce languages first; English guides are the fallback pool
        for day_out in wanted:
            start = day_out.start.hour * 60 + day_out.start.minute
            end = day_out.end.hour * 60 + day_out.end.minute + (day_out.end.date() > date) * 1440
            picked = None
            for lang in dict.fromkeys([day_out.language, "en"]):
                window = hours.get(lang)
                if free.get(lang) and window and window.start <= start and end <= window.end:
                    picked = lang
                    break
            if picked is None:
                need = day_out.language
                pool = sum(g.count for g in guides if g.language.casefold() in (need, "en"))
                langs = need if need == "en" else f"{need} or en"
                msg = (
                    f"guides: no {langs} guide free on {_fmt_day(date)} "
                    f"{day_out.start:%H:%M}–{day_out.end:%H:%M} ({pool} in all, "
                    f"{sum(1 for o in by_day[date] if o.language in (need, 'en'))} delegation(s) "
                    "out that day need one)"
                )
                raise ResourceShortage(msg)
            number = free[picked].pop(0)
            out.append(
                GuideAssignment(
                    date,
                    f"{picked}-{number}",
                    picked,
                    day_out.delegation,
                    day_out.start,
                    day_out.end,
                    picked != day_out.language,
                )
            )
    return sorted(out, key=lambda a: (a.date, a.guide))


def dispatch_coaches(
    outs: Sequence[DayOut], coaches: CoachSpec | None, order: Sequence[int]
) -> list[CoachDispatch]:
    """Per day, enough coaches for each delegation with coach legs (``ceil(size / seats)``).

    Raises
    ------
    ResourceShortage
        The fleet is too small on a day; the message names the day and the numbers.
    """
    if coaches is None:
        return []
    rank = {d: i for i, d in enumerate(order)}
    out: list[CoachDispatch] = []
    by_day: dict[dt.date, list[DayOut]] = defaultdict(list)
    for day_out in outs:
        if day_out.coach_legs:
            by_day[day_out.date].append(day_out)
    for date in sorted(by_day):
        riders = sorted(by_day[date], key=lambda o: rank[o.delegation])
        need = [math.ceil(o.size / coaches.seats) for o in riders]
        if sum(need) > coaches.count:
            msg = (
                f"coaches: {len(riders)} delegation(s) with coach legs on {_fmt_day(date)} need "
                f"{sum(need)} coach(es) of {coaches.seats} seats; the fleet has {coaches.count}"
            )
            raise ResourceShortage(msg)
        next_coach = 1
        for day_out, n in zip(riders, need, strict=True):
            numbers = tuple(range(next_coach, next_coach + n))
            next_coach += n
            out.append(
                CoachDispatch(
                    date,
                    numbers,
                    day_out.delegation,
                    day_out.start,
                    day_out.end,
                    day_out.coach_legs,
                    day_out.first_pickup,
                )
            )
    return out
