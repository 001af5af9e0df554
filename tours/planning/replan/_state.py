"""Where the group is at ``now``: what is done, when it is free again, and where.

Rules (documented for guides in :mod:`tours.planning.replan.replanner`):

* Everything of the old plan that *started* before ``now`` is kept as it is. An item in
  progress at ``now`` (a visit, a meal, an appointment or a leg) is finished as planned: the
  group is free when it ends (plus the buffer after a visit or an appointment), at its place
  (for a leg, at its destination). That is the plan as read here; when the group reports
  that it has left a visit in progress (``at``), the reported move cuts the visit short
  (:func:`tours.planning.replan._move.reported_move`).
* ``delay`` minutes are added to that moment: the group can only move on then.
* The current day is over once the leg back to the hotel has started (or the day has ended);
  the re-plan then starts with the next day.
* When the group reports where it is (``at``, *moved*), a leg still under way at ``now`` is
  not kept: the group went elsewhere. ``origin`` and ``left_at`` then say where and from when
  the group's move to the reported position starts (see :mod:`tours.planning.replan.replanner`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tours._errors import ReplanError
from tours.itinerary import Appointment, Day, Item, Itinerary, Leg, PlaceRef, Visit

MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class GroupState:
    """The group at ``now`` according to the old plan (and ``at``/``delay_min``).

    ``day`` is the index of ``now``'s day in the itinerary; ``done`` its items kept as they
    are; ``free_at`` the whole minute from which the rest of that day is re-planned;
    ``position`` where the group is then; ``day_over`` whether nothing of that day is left.
    ``origin`` is where the old plan has the group after ``done`` and ``left_at`` when it
    could leave from there (``None``: nothing of the day has begun, it starts at
    ``position``).
    """

    now: dt.datetime
    day: int
    done: list[Item]
    free_at: dt.datetime
    position: PlaceRef
    day_over: bool
    delay_min: int
    origin: PlaceRef
    left_at: dt.datetime | None = None

    @property
    def begun(self) -> bool:
        """Whether the group has left the day's start place (the day did not start anew)."""
        return self.left_at is not None

    @property
    def walked_m(self) -> float:
        """Metres walked today before the re-plan: the walk legs of ``done``."""
        return sum(
            item.distance_m for item in self.done if isinstance(item, Leg) and item.mode == "walk"
        )

    @property
    def visited(self) -> set[str]:
        """Place ids visited before the re-plan starts (earlier days are added by the caller)."""
        return {item.place.id for item in self.done if isinstance(item, Visit)}


def to_local(now: dt.datetime, timezone: str) -> dt.datetime:
    """*now* in the city's time zone (a naive time is read as local city time)."""
    tz = ZoneInfo(timezone)
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)


def ceil_minute(when: dt.datetime) -> dt.datetime:
    """*when* rounded up to a whole minute."""
    base = when.replace(second=0, microsecond=0)
    return base if base == when else base + MINUTE


def _place_of_leg_end(day: Day, leg: Leg) -> PlaceRef:
    for stop in day.stops:
        if stop.place.id == leg.to_id:
            return stop.place
    if leg.to_id == day.end_place.id:
        return day.end_place
    msg = f"itinerary: leg `{leg.uid}` goes to {leg.to_id!r}, which no stop of {day.date} names"
    raise ReplanError(msg)


def _dates_text(itinerary: Itinerary) -> str:
    first, last = itinerary.days[0].date, itinerary.days[-1].date
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def find_state(
    itinerary: Itinerary,
    now: dt.datetime,
    *,
    buffer_min: int,
    delay_min: int = 0,
    moved: bool = False,
) -> GroupState:
    """Read the old plan at *now* (see the module doc).

    *moved*: the group reports where it is (``at``); a leg under way is not kept.

    Raises
    ------
    ReplanError
        *now* is not on one of the plan's dates.
    """
    now = to_local(now, itinerary.city.timezone)
    dates = [d.date for d in itinerary.days]
    if now.date() not in dates:
        msg = (
            f"`now` {now:%Y-%m-%d %H:%M} is outside the plan's dates "
            f"({_dates_text(itinerary)}); give a time on one of them"
        )
        raise ReplanError(msg)
    k = dates.index(now.date())
    day = itinerary.days[k]
    done = [item for item in day.items if item.start < now]
    left_at: dt.datetime | None = None
    # a coach stop is no place to re-plan from: the legs via it are one move
    via = {p.id for p in day.waypoints if p.category == "coach_stop"}
    if moved and done and isinstance(done[-1], Leg) and done[-1].end > now:
        left_at = done.pop().start  # under way elsewhere: the reported move replaces it
        while done and isinstance(done[-1], Leg) and done[-1].to_id in via:
            left_at = done.pop().start
    while done and isinstance(done[-1], Leg) and done[-1].to_id in via:
        if len(done) == len(day.items):
            break
        done.append(day.items[len(done)])  # under way via a coach stop: on to the next stop
    free = now
    position = day.start_place
    if done:
        last = done[-1]
        end = last.end
        left_at = last.end
        if isinstance(last, Visit | Appointment):
            end += dt.timedelta(minutes=buffer_min)
        free = max(now, end)
        position = _place_of_leg_end(day, last) if isinstance(last, Leg) else last.place
    free_at = ceil_minute(free + dt.timedelta(minutes=delay_min))
    last_leg_home = (
        bool(day.items)
        and isinstance(day.items[-1], Leg)
        and day.items[-1].to_id == day.end_place.id
        and day.items[-1].start < now
    )
    day_over = now >= day.end or last_leg_home or (bool(done) and done == day.items)
    if not day.items:
        day_over = now >= day.end
    return GroupState(
        now=now,
        day=k,
        done=done,
        free_at=free_at,
        position=position,
        day_over=day_over,
        delay_min=delay_min,
        origin=position,
        left_at=left_at,
    )


def minutes_after_midnight(when: dt.datetime) -> int:
    """Whole minutes after local midnight of *when*'s date (rounded up)."""
    midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return math.ceil((when - midnight).total_seconds() / 60 - 1e-9)
