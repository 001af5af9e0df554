"""Re-planning on the day: late, a place skipped, or the group somewhere else.

:func:`replan` takes an itinerary (with the request it was made from, ``Itinerary.request``)
and the time ``now`` and returns a new itinerary for the whole trip, with
``revision = old.revision + 1`` (the calendar's ``SEQUENCE``):

* Earlier days and everything of today that started before ``now`` stay as they were. An
  item in progress at ``now`` is *finished as planned*: the group is free when it ends (plus
  the buffer after a visit or appointment), where it ends (a leg: at its destination),
  unless ``at`` says the group has left it (below).
* ``delay`` minutes are added to that moment (``free_at``, when the re-plan starts).
* ``at`` (a city-pack place, or ``(lat, lon)``: a :class:`~tours.itinerary.PlaceRef` with id
  ``position-n30-660000-e104-070000``, "Reported position") says where the group really is
  at ``now``. Before the day has begun, the day simply starts there. Later, the group's
  *reported move* is a real street leg (``routing.route_leg``, mode by the travel policy)
  from where the old plan has it (the place of the last kept stop, or the end of the last
  kept leg; a leg still under way at ``now`` is dropped: the group went elsewhere) to the
  position:

  - it ends at ``now`` (``delay`` only shifts what follows) and starts at ``max(end of the
    last kept item, now - travel time)``; the group waits at the old place when there is
    time to spare;
  - a *visit* in progress at ``now`` ends early: the group left it in time to be at the
    position at ``now``. The move starts at ``max(visit start, now - travel time)`` and the
    visit (same uid) is shortened to end then; ``free_at`` is ``now`` or the end of the
    buffer after the shortened visit, whichever is later, plus ``delay``. The changes say
    "Wenshu Monastery ended early at 14:11 (was 15:40)". An appointment or a meal in
    progress is fixed: it is finished as planned and the move ends at ``free_at``;
  - when the real travel time does not fit, it starts at the end of the last kept item (or
    when the dropped leg left, or when the visit in progress began: that visit then lasts
    no time at all) and its ``end - start`` is shorter than its ``duration_s``: the group
    demonstrably got there, so this is accepted. The independent checker accepts such a
    *compressed* leg only when it leaves the moment the previous item ends (or the day
    starts), its route numbers equal the matrix, and the itinerary has at most
    ``revision`` of them (one re-plan reports at most one move); likewise a visit shorter
    than requested only right before a move to a reported position (a waypoint of the
    day), at most ``revision`` of them.
* The daily walking limit holds for the whole day: the forward request's limit for today
  is what is left of it after the metres already walked today (the done walk legs and the
  reported move, if walked). When even the way back (with the fixed items) needs more,
  the re-plan fails and says how far the group has walked.
* Fixed appointments and meals are kept; the remaining optional places of today and the
  following days are re-optimised by the planner's own model and solver (a request for the
  rest of the trip, see :mod:`tours.planning.replan._request`); the old order is kept when
  the search finds nothing better.
* ``skip`` removes places still to come (they appear in ``left_out`` with code
  ``"skipped"``, and stay there in later re-plans unless added again); ``add`` adds
  city-pack places as must-sees.

Bad input (``now`` outside the plan's dates, an unknown or already-visited ``skip``, a delay
that makes an appointment unreachable, ...) raises :class:`ReplanError` (an
:class:`~tours._errors.InputError`) with one clear line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from routing import StreetNetwork
from tours._errors import InputError, PlanningError, ReplanError
from tours.itinerary import Itinerary, Leg, PlaceRef, Stop
from tours.places.pack import CityPack
from tours.planning._itinerary import build_itinerary
from tours.planning._model import build_model, travel_policy
from tours.planning.budget import REPLAN_BUDGET, SearchBudget
from tours.planning.planner import solve_model
from tours.planning.replan._keep import (
    first_unreachable,
    old_order,
    unreachable_text,
    walk_needed,
)
from tours.planning.replan._merge import describe, merge
from tours.planning.replan._move import reported_move, reported_position
from tours.planning.replan._request import REQUEST_LABEL, Transformed, transform, walk_left_km
from tours.planning.replan._state import GroupState, find_state
from tours.planning.request import (
    Request,
    RequestError,
    format_clock,
    open_spans,
    parse_request,
    resolve_request,
)
from tours.planning.solver.optw import Solution
from tours.timetext import format_day

#: Search budget of a re-plan: small, the rest of a trip is a small problem.
DEFAULT_TIME_LIMIT_S = REPLAN_BUDGET.time_limit
DEFAULT_MAX_ITERATIONS = REPLAN_BUDGET.max_iterations
_PREFIX = re.compile(rf"^{re.escape(REQUEST_LABEL)}(, line \d+)?, field `[^`]*`: ")


@dataclass(frozen=True)
class Replan:
    """The result of :func:`replan`.

    ``itinerary`` is the whole trip after the re-plan (its ``request`` is the effective
    request); ``forward`` the re-planned rest only, planned from ``forward_request`` with the
    city pack ``pack`` (which holds the group's position); ``changes`` the plain-words diff.
    """

    itinerary: Itinerary
    changes: list[str]
    state: GroupState
    request: Request
    forward: Itinerary
    forward_request: Request
    pack: CityPack
    solution: Solution
    kept_old_order: bool
    seconds: float


def request_of(itinerary: Itinerary) -> Request:
    """The request embedded in *itinerary* (``Itinerary.request``).

    Raises
    ------
    InputError
        The itinerary carries no request, or it does not validate.
    """
    if itinerary.request is None:
        msg = (
            "the itinerary has no embedded `request` (it was made before `tours plan` stored "
            "it); pass the request file with `request` or plan it again with `tours plan`"
        )
        raise ReplanError(msg)
    text = yaml.safe_dump(itinerary.request, allow_unicode=True, sort_keys=False)
    return parse_request(text, source=REQUEST_LABEL)


def position_of(at: str | tuple[float, float], pack: CityPack) -> PlaceRef:
    """Where ``at`` puts the group: a city-pack place (id or name) or ``(lat, lon)``."""
    if isinstance(at, str):
        try:
            return pack.place(at).to_ref()
        except InputError as err:
            msg = f"`at`: {err}"
            raise ReplanError(msg) from None
    return reported_position(*at)


def _old_stops(itinerary: Itinerary, state: GroupState, dates: list[dt.date]) -> list[list[Stop]]:
    done = {item.uid for item in state.done}
    by_date = {d.date: d for d in itinerary.days}
    return [
        [s for s in by_date[d].stops if s.uid not in done] if d in by_date else [] for d in dates
    ]


def _check_must_sees(tr: Transformed, state: GroupState) -> None:
    """A must-see still to come that no longer fits its opening hours: say so, suggest skip."""
    fwd = tr.forward
    for _path, spec, must in fwd.place_entries():
        if not must:
            continue
        place = tr.pack.place(spec.place)
        minutes = spec.minutes or int(place.visit_minutes)
        days = list(spec.dates) if spec.dates else list(fwd.dates)
        longest = max(
            (
                (b - a).total_seconds() / 60
                for day in days
                for a, b in open_spans(fwd, tr.pack, place, day)
            ),
            default=0.0,
        )
        if longest >= minutes:
            continue
        day = state.now.date()
        when = f"after {format_clock(fwd.window_on(day).start)} " if day in fwd.dates else ""
        msg = (
            f"must-see {place.names.en} no longer fits: a {minutes}-min visit needs it open "
            f"that long, but {when}it is open at most {round(longest)} min on the days left; "
            f"give `skip={place.id}` or a shorter `delay_min`"
        )
        raise ReplanError(msg)


def _walk_text(request: Request, state: GroupState, walked_m: float, need_m: float) -> str:
    """The message for a day whose walking limit the rest of it cannot keep."""
    day = state.now.date()
    limit = request.max_walk_km_on(day)
    left = walk_left_km(request, day, walked_m) or 0.0
    field = (
        "`days[].max_walk_km`"
        if any(d.date == day and d.max_walk_km is not None for d in request.days)
        else "`travel.max_walk_km_per_day`"
    )
    return (
        f"cannot re-plan from {state.free_at:%H:%M}: the group has walked "
        f"{walked_m / 1000:.1f} km today, {left:.1f} km are left of the {limit:g} km daily "
        f"walking limit, but the rest of the day (its fixed items and the way back) needs "
        f"{need_m / 1000:.1f} km on foot; raise {field} in the request (`request`)"
    )


def _walked_today(state: GroupState, move: Leg | None) -> float:
    """Metres walked today before the re-plan: done walk legs and a walked reported move."""
    moved = move.distance_m if move is not None and move.mode == "walk" else 0.0
    return state.walked_m + moved


def _note(state: GroupState, tr: Transformed) -> str:
    parts = [f"Re-planned at {state.now:%H:%M} on {format_day(state.now)}"]
    if state.delay_min:
        parts.append(f"after a {state.delay_min}-min delay")
    if tr.skipped:
        parts.append("skipping " + ", ".join(p.names.en for p in tr.skipped))
    if tr.added:
        parts.append("adding " + ", ".join(p.names.en for p in tr.added))
    return "; ".join(parts) + "."


def _group_state(
    itinerary: Itinerary,
    request: Request,
    *,
    now: dt.datetime,
    pack: CityPack,
    at: str | tuple[float, float] | None,
    delay_min: int,
) -> GroupState:
    """The group's state at *now*, from the day's start at the earliest, at ``at``."""
    state = find_state(
        itinerary, now, buffer_min=request.buffer_min, delay_min=delay_min, moved=at is not None
    )
    today = itinerary.days[state.day].date
    opens = dt.datetime.combine(today, dt.time(0, 0), tzinfo=state.now.tzinfo) + dt.timedelta(
        minutes=request.window_on(today).start
    )
    if state.free_at < opens:  # before the day starts: re-plan from its start
        state = dataclasses.replace(state, free_at=opens)
    if at is not None:
        if state.day_over:
            msg = (
                f"`at`: {itinerary.days[state.day].date:%a %d %b} is over at "
                f"{state.now:%H:%M}; the next day starts at its hotel, leave out `at`"
            )
            raise ReplanError(msg)
        state = dataclasses.replace(state, position=position_of(at, pack))
    return state


def replan(
    itinerary: Itinerary,
    *,
    now: dt.datetime,
    pack: CityPack,
    network: StreetNetwork,
    request: Request | None = None,
    at: str | tuple[float, float] | None = None,
    skip: Sequence[str] = (),
    add: Sequence[str] = (),
    delay_min: int = 0,
    budget: SearchBudget | None = None,
) -> Replan:
    """Re-plan *itinerary* from *now* (see the module doc).

    Parameters
    ----------
    now
        The current time (naive: local city time).
    request
        The request of the itinerary (default: ``itinerary.request``).
    at
        Where the group is: a city-pack place id or name, or ``(lat, lon)``.
    skip, add
        City-pack places to drop from / add (as must-sees) to the rest of the plan.
    delay_min
        Minutes before the group can move on.
    budget
        When the search stops, and its seed (default :data:`REPLAN_BUDGET`: a guide waits).

    Raises
    ------
    ReplanError
        Bad input or a re-plan that cannot keep the fixed items; one clear line.
    """
    began = time.perf_counter()
    budget = REPLAN_BUDGET if budget is None else budget
    if delay_min < 0:
        msg = f"`delay_min` is {delay_min!r}; give the delay in minutes (0 or more)"
        raise ReplanError(msg)
    request = request if request is not None else request_of(itinerary)
    state = _group_state(itinerary, request, now=now, pack=pack, at=at, delay_min=delay_min)
    move = None
    if at is not None and not state.day_over:
        state, move = reported_move(
            state,
            network,
            mode=request.travel.mode,
            policy=travel_policy(request, pack),
            buffer_min=request.buffer_min,
        )
    walked_m = 0.0 if state.day_over else _walked_today(state, move)
    try:
        late: frozenset[str] = frozenset()
        while True:
            tr = transform(
                request, pack, itinerary, state, skip=skip, add=add, late=late, walked_m=walked_m
            )
            _check_must_sees(tr, state)
            model = build_model(resolve_request(tr.forward, tr.pack), network)
            miss = None if state.day_over else first_unreachable(model)
            if miss is None:
                break
            if miss.kind != "meal" or miss.title in late:
                raise ReplanError(unreachable_text(miss, model, state))
            late |= {miss.title}  # a meal is kept, but later: its restaurant is too far now
        need_m = None if state.day_over else walk_needed(model)
        if need_m is not None:
            raise ReplanError(_walk_text(request, state, walked_m, need_m))
        solution, explainer = solve_model(model, budget)
    except (PlanningError, RequestError) as err:
        text = _PREFIX.sub("", str(err).splitlines()[0])
        msg = f"cannot re-plan from {state.free_at:%H:%M}: {text}"
        raise ReplanError(msg) from None
    kept = old_order(model, _old_stops(itinerary, state, tr.dates))
    use_old = kept is not None and kept.score >= solution.score - 1e-9
    if use_old and kept is not None:
        kept = dataclasses.replace(kept, iterations=solution.iterations, seconds=solution.seconds)
        solution = kept
    forward = build_itinerary(
        model,
        network,
        solution.schedule(model.problem),
        explainer.left_out(solution),
        notes=list(itinerary.notes),
    )
    forward = forward.model_copy(update={"request": tr.forward.model_dump(mode="json")})
    merged = merge(itinerary, forward, state, tr, note=_note(state, tr), move=move)
    changes = describe(itinerary, merged, state, tr, move=move)
    return Replan(
        itinerary=merged,
        changes=changes,
        state=state,
        request=tr.effective,
        forward=forward,
        forward_request=tr.forward,
        pack=tr.pack,
        solution=solution,
        kept_old_order=use_old,
        seconds=time.perf_counter() - began,
    )
