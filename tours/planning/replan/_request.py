"""Re-planning as a transformation of the request.

From the original request, the old plan and the group's state at ``now`` two requests are
made (both checked like a request file):

* the *forward* request: the rest of the trip only. Its dates are the current day (if not
  over) and the following days; the current day starts at ``free_at`` where the group is,
  and its walking limit (``days[].max_walk_km``) is what is left of the day's limit after
  the metres already walked today (the reported move included), never below 0; places
  already visited or skipped are gone, added places are must-sees; appointments and meals
  already done are gone.
* the *effective* request: the whole trip as it now stands (skipped places removed, added
  places must-sees, a meal whose window the delay has passed moved later). It is embedded in
  the merged itinerary, so the next re-plan starts from it and the independent checker can
  check the whole merged plan against it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from tours._errors import ReplanError, UnknownPlaceError
from tours.itinerary import Appointment, Itinerary, Meal, PlaceRef, Visit
from tours.places.pack import CityPack, Names, Place, Source
from tours.planning.replan._state import GroupState, minutes_after_midnight
from tours.planning.request import Request, format_clock, parse_request
from tours.timetext import format_day as _fmt_day

#: Extra minutes a late meal may start after the earliest possible start (to reach a venue).
LATE_MEAL_SLACK_MIN = 45
REQUEST_LABEL = "the itinerary's request"


@dataclass(frozen=True)
class Transformed:
    """The two requests of a re-plan and what changed on the way."""

    forward: Request
    effective: Request
    pack: CityPack  # the city pack, plus the group's position if it is not a pack place
    dates: list[dt.date]  # dates of the forward request
    skipped: list[Place]
    added: list[Place]
    expired: list[str]  # requested place ids whose possible days are over
    late_meals: list[str]  # plain-words notes on meals moved later


def _resolve(pack: CityPack, names: Sequence[str], option: str) -> list[Place]:
    out: list[Place] = []
    for name in names:
        try:
            place = pack.place(name)
        except UnknownPlaceError as err:
            msg = f"`{option}`: {err}"
            raise ReplanError(msg) from None
        if place not in out:
            out.append(place)
    return out


def _visits(itinerary: Itinerary, state: GroupState) -> dict[str, Visit]:
    """Visits done before the re-plan starts: earlier days and the done part of today."""
    done: dict[str, Visit] = {}
    for day in itinerary.days[: state.day]:
        for item in day.stops:
            if isinstance(item, Visit):
                done[item.place.id] = item
    for done_item in state.done:
        if isinstance(done_item, Visit):
            done[done_item.place.id] = done_item
    return done


def _requested_ids(request: Request, pack: CityPack) -> list[str]:
    return [pack.place(spec.place).id for _path, spec, _must in request.place_entries()]


def _fixed_roles(request: Request, pack: CityPack) -> dict[str, str]:
    roles: dict[str, str] = {}
    for appt in request.appointments:
        roles.setdefault(pack.place(appt.place).id, f"the venue of the appointment {appt.title!r}")
    for meal in request.meals:
        if meal.place:
            roles.setdefault(pack.place(meal.place).id, f"the restaurant of {meal.title.lower()}")
    default = str(pack.default_start)
    for day in request.dates:
        for name in (request.start_place_on(day, default), request.end_place_on(day, default)):
            roles.setdefault(name, "where a day starts or ends")
            if name in pack.places:
                roles.setdefault(pack.places[name].id, "where a day starts or ends")
    return roles


def _named(place: Place) -> str:
    return f"{place.names.en} (`{place.id}`)"


def _refuse_visited(option: str, place: Place, done: dict[str, Visit], fix: str) -> None:
    """A :class:`ReplanError` when *place* (given to *option*) was already visited today."""
    if place.id not in done:
        return
    v = done[place.id]
    msg = (
        f"`{option}`: {_named(place)} was already visited ({v.start:%H:%M}–{v.end:%H:%M} on "
        f"{_fmt_day(v.start.date())}); {fix}"
    )
    raise ReplanError(msg)


def _check_skip_add(
    request: Request,
    pack: CityPack,
    done: dict[str, Visit],
    skipped: list[Place],
    added: list[Place],
) -> None:
    requested = set(_requested_ids(request, pack))
    roles = _fixed_roles(request, pack)
    for place in skipped:
        name = _named(place)
        _refuse_visited("skip", place, done, "only places still to come can be skipped")
        if place.id in requested:
            continue
        if place.id in roles:
            msg = (
                f"`skip`: {name} is {roles[place.id]}; fixed appointments, meals and hotels "
                "cannot be skipped (change the request and run `tours plan`)"
            )
        else:
            msg = f"`skip`: {name} is not part of this plan; nothing to skip"
        raise ReplanError(msg)
    skip_ids = {p.id for p in skipped}
    for place in added:
        name = _named(place)
        _refuse_visited("add", place, done, "add a place still to see")
        if place.id in skip_ids:
            msg = f"`add`: {name} is also given to `skip`; give it to one of them"
            raise ReplanError(msg)


def _position_place(position: PlaceRef, checked: dt.date) -> Place:
    """A city-pack place for a position that is not one (``--at lat,lon``)."""
    return Place(
        id=position.id,
        names=Names(en=position.name_en, zh=position.name_zh or "报告位置"),
        category="street",
        lat=position.lat,
        lon=position.lon,
        opening_hours=None,
        visit_minutes=1,
        min_visit_minutes=1,
        tickets="",
        accessibility="",
        notes=position.notes,
        sources=[
            Source(
                facts=["coordinates"],
                title="Position given to `tours replan --at`",
                checked=checked,
            )
        ],
    )


def pack_with(pack: CityPack, position: PlaceRef, *, checked: dt.date) -> CityPack:
    """*pack*, plus *position* as a place if it is not one of the pack's places."""
    if position.id in pack.places:
        return pack
    places = [*pack.places.values(), _position_place(position, checked)]
    return CityPack(pack.settings, places, path=pack.path)


def _reparse(data: dict[str, Any]) -> Request:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return parse_request(text, source=REQUEST_LABEL)


def _late(minutes: int) -> str:
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _appointments(
    request: Request, pack: CityPack, state: GroupState, today: dt.date, dates: list[dt.date]
) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    done = {(a.title, a.start) for a in state.done if isinstance(a, Appointment)}
    tz = state.now.tzinfo
    for appt in request.appointments:
        if appt.date not in dates:
            continue
        if appt.date == today:
            start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz) + dt.timedelta(
                minutes=appt.start
            )
            if (appt.title, start) in done:
                continue
            if start < state.free_at:
                late = round((state.free_at - start).total_seconds() / 60)
                why = f"with `delay_min={state.delay_min}` " if state.delay_min else ""
                msg = (
                    f"cannot keep the appointment {appt.title!r} ({format_clock(appt.start)}–"
                    f"{format_clock(appt.end)} at {pack.place(appt.place).names.en}): {why}the "
                    f"group is free only from {state.free_at:%H:%M}, {_late(late)} after it "
                    "starts; shorten the delay or move the appointment"
                )
                raise ReplanError(msg)
        kept.append(appt.model_dump(mode="json"))
    return kept


def _meals(
    request: Request,
    state: GroupState,
    today: dt.date,
    dates: list[dt.date],
    *,
    replan_today: bool,
    late: frozenset[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(forward meals, effective meals, notes on late meals).

    A meal of today not yet taken moves later when its window closes before the group is
    free, or when its title is in *late* (its restaurant cannot be reached in time).
    """
    done = {m.title for m in state.done if isinstance(m, Meal)}
    forward: list[dict[str, Any]] = []
    effective: list[dict[str, Any]] = []
    notes: list[str] = []
    t0 = minutes_after_midnight(state.free_at)
    day_end = request.window_on(today).end
    for meal in request.meals:
        on = list(meal.dates) if meal.dates else list(request.dates)
        spec = meal.model_dump(mode="json")
        late_spec: dict[str, Any] | None = None
        pending = replan_today and today in on and meal.title not in done
        if pending and (t0 > meal.window.end - meal.minutes or meal.title in late):
            start = max(t0, meal.window.start)
            end = min(day_end, max(meal.window.end, t0 + meal.minutes + LATE_MEAL_SLACK_MIN))
            late_spec = {
                **spec,
                "window": {"start": format_clock(start), "end": format_clock(end)},
                "dates": [today.isoformat()],
            }
            notes.append(
                f"{meal.title} is late: within {format_clock(start)}–{format_clock(end)} "
                f"(its window was {meal.window})"
            )
        rest = [d for d in on if not (late_spec is not None and d == today)]
        if late_spec is not None:
            effective.append(late_spec)
            forward.append(late_spec)
        if rest:
            effective.append({**spec, "dates": [d.isoformat() for d in rest]})
        ahead = [
            d
            for d in rest
            if d in dates and not (d == today and (meal.title in done or not replan_today))
        ]
        if ahead:
            forward.append({**spec, "dates": [d.isoformat() for d in ahead]})
    return forward, effective, notes


def walk_left_km(request: Request, day: dt.date, walked_m: float) -> float | None:
    """What is left of *day*'s walking limit after *walked_m* metres walked, in km.

    Whole metres, rounded down, never below 0; ``None``: the day has no limit.
    """
    limit = request.max_walk_km_on(day)
    if limit is None:
        return None
    return max(0, math.floor(limit * 1000.0 - walked_m + 1e-6)) / 1000.0


def _days(
    request: Request,
    pack: CityPack,
    state: GroupState,
    today: dt.date,
    dates: list[dt.date],
    *,
    replan_today: bool,
    walked_m: float,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per-day settings of the forward and the effective request.

    The forward request starts today at ``free_at`` where the group is, with what is left of
    today's walking limit after *walked_m* metres. When the group has not left the day's
    start place yet and starts elsewhere (``at``), the effective request says so too: today
    really starts there (otherwise the reported move is a leg). The effective request keeps
    the day's own walking limit: the checker holds the whole day to it.
    """
    default = str(pack.default_start)
    window = request.window_on(today)
    fwd: list[dict[str, Any]] = []
    eff: list[dict[str, Any]] = []
    own: dict[str, Any] = {}
    for spec in request.days:
        entry = spec.model_dump(mode="json")
        if spec.date == today:
            own = entry
        if spec.date in dates and not (replan_today and spec.date == today):
            fwd.append(entry)
        if not (spec.date == today and replan_today and not state.begun):
            eff.append(entry)
    if replan_today:
        end = pack.place(request.end_place_on(today, default)).id
        fwd.append(
            {
                "date": today.isoformat(),
                "start": state.position.id,
                "end": end,
                "window": {
                    "start": format_clock(minutes_after_midnight(state.free_at)),
                    "end": format_clock(window.end),
                },
                "max_walk_km": walk_left_km(request, today, walked_m),
            }
        )
        if not state.begun:
            start = state.position.id
            eff.append(
                {
                    **own,
                    "date": today.isoformat(),
                    "start": start,
                    "end": end,
                    "window": window.model_dump(mode="json"),
                }
            )
    key = lambda d: d["date"]  # noqa: E731
    return sorted(fwd, key=key), sorted(eff, key=key)


def _places(
    request: Request,
    pack: CityPack,
    dates: list[dt.date],
    *,
    done: set[str],
    skip_ids: set[str],
    added: list[Place],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], list[str]]:
    """(forward places, effective places, ids whose possible days are over)."""
    add_ids = {p.id for p in added}
    fwd_places: dict[str, list[dict[str, Any]]] = {"must_see": [], "optional": []}
    eff_places: dict[str, list[dict[str, Any]]] = {"must_see": [], "optional": []}
    expired: list[str] = []
    listed: set[str] = set()
    for _path, spec, must in request.place_entries():
        pid = pack.place(spec.place).id
        listed.add(pid)
        if pid in skip_ids:
            continue
        entry = spec.model_dump(mode="json")
        wanted = must or pid in add_ids
        if pid in add_ids:
            entry["dates"] = None
        eff_places["must_see" if wanted else "optional"].append(entry)
        if pid in done:
            continue
        if entry["dates"]:
            ahead = [d for d in spec.dates or [] if d in dates]
            if not ahead:
                expired.append(pid)
                continue
            entry = {**entry, "dates": [d.isoformat() for d in ahead]}
        fwd_places["must_see" if wanted else "optional"].append(entry)
    for place in added:
        if place.id not in listed:
            entry = {"place": place.id}
            eff_places["must_see"].append(entry)
            fwd_places["must_see"].append(entry)
    return fwd_places, eff_places, expired


def transform(
    request: Request,
    pack: CityPack,
    itinerary: Itinerary,
    state: GroupState,
    *,
    skip: Sequence[str] = (),
    add: Sequence[str] = (),
    late: frozenset[str] = frozenset(),
    walked_m: float = 0.0,
) -> Transformed:
    """The forward and effective requests of a re-plan (see the module doc).

    *walked_m*: metres the group has walked today before the re-plan starts (its done legs
    and the reported move), taken off today's walking limit in the forward request.

    Raises
    ------
    ReplanError
        An unknown, already-visited or fixed ``skip``/``add``; an appointment the group
        can no longer reach in time; nothing left to re-plan.
    """
    today = itinerary.days[state.day].date
    replan_today = not state.day_over
    dates = [d for d in request.dates if d > today or (d == today and replan_today)]
    if not dates:
        last = itinerary.days[-1]
        msg = (
            f"`now` {state.now:%Y-%m-%d %H:%M} is after the plan's end "
            f"({last.end:%H:%M} on {_fmt_day(last.date)}); nothing is left to re-plan"
        )
        raise ReplanError(msg)
    skipped = _resolve(pack, skip, "--skip")
    added = _resolve(pack, add, "--add")
    done = _visits(itinerary, state)
    _check_skip_add(request, pack, done, skipped, added)
    skip_ids = {p.id for p in skipped}

    window = request.window_on(today)
    t0 = minutes_after_midnight(state.free_at)
    if replan_today and (state.free_at.date() != today or t0 >= window.end):
        msg = (
            f"the group is free only from {state.free_at:%Y-%m-%d %H:%M}, after the day ends "
            f"({format_clock(window.end)} on {_fmt_day(today)}); shorten `delay_min` or re-plan "
            "from the next day"
        )
        raise ReplanError(msg)

    base = request.model_dump(mode="json")
    fwd_places, eff_places, expired = _places(
        request, pack, dates, done=set(done), skip_ids=skip_ids, added=added
    )

    fwd_meals, eff_meals, late_notes = _meals(
        request, state, today, dates, replan_today=replan_today, late=late
    )

    fwd_days, eff_days = _days(
        request, pack, state, today, dates, replan_today=replan_today, walked_m=walked_m
    )
    position_pack = pack_with(pack, state.position, checked=today) if replan_today else pack
    forward = {
        **base,
        "dates": [d.isoformat() for d in dates],
        "days": fwd_days,
        "places": fwd_places,
        "appointments": _appointments(request, pack, state, today, dates),
        "meals": fwd_meals,
    }
    effective = {**base, "days": eff_days, "places": eff_places, "meals": eff_meals}
    return Transformed(
        forward=_reparse(forward),
        effective=_reparse(effective),
        pack=position_pack,
        dates=dates,
        skipped=skipped,
        added=added,
        expired=expired,
        late_meals=late_notes,
    )
