"""Keep what can be kept: the old order of the remaining stops, and reachable appointments.

:func:`old_order` rebuilds the old plan's remaining stops as solver routes of the forward
model, repairs them (inserts new must-sees, drops the lowest-priority visits until the times
work, then fills freed time greedily) and returns them as a :class:`Solution`. The re-plan
takes it instead of the search's result when it scores at least as much, so a guide sees the
smallest change that is as good.

:func:`first_unreachable` names the first fixed item of the re-planned day the group can no
longer reach, and by how many minutes; :func:`walk_needed` how far the rest of the day must
walk when even its fixed items break what is left of the walking limit.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from tours.itinerary import Appointment, Meal, Stop, Visit
from tours.planning._model import MINUTE, Model
from tours.planning.explain.explainer import Explainer
from tours.planning.replan._state import GroupState
from tours.planning.solver.optw import Problem, Solution, check_solution, evaluate_route

_EPS = 1e-6


def _node_keys(model: Model) -> dict[tuple[object, ...], int]:
    request = model.resolved.request
    keys: dict[tuple[object, ...], int] = {}
    for i, info in enumerate(model.nodes):
        if info.kind == "visit":
            keys[("visit", info.place.id)] = i
        elif info.kind == "appointment":
            keys[("appointment", info.tour, request.appointments[info.index].title)] = i
        elif info.kind == "meal":
            keys[("meal", info.tour, request.meals[info.index].title)] = i
    return keys


def _key(stop: Stop, k: int) -> tuple[object, ...]:
    if isinstance(stop, Visit):
        return ("visit", stop.place.id)
    if isinstance(stop, Appointment):
        return ("appointment", k, stop.title)
    if isinstance(stop, Meal):
        return ("meal", k, stop.title)
    return ("?",)


def _end(model: Model, k: int, route: list[int]) -> float | None:
    ev = evaluate_route(model.problem, k, route)
    return ev.stops[-1].end if ev.feasible else None


def _best_insertion(
    model: Model, routes: list[list[int]], node: int
) -> tuple[int, list[int]] | None:
    problem = model.problem
    best: tuple[float, int, list[int]] | None = None
    for k, route in enumerate(routes):
        if not problem.nodes[node].windows_on(k, len(problem.tours)):
            continue
        for p in range(1, len(route)):
            trial = [*route[:p], node, *route[p:]]
            end = _end(model, k, trial)
            if end is not None and (best is None or end < best[0]):
                best = (end, k, trial)
    return None if best is None else (best[1], best[2])


def old_order(model: Model, old_stops: Sequence[Sequence[Stop]]) -> Solution | None:
    """The old remaining stops (one list per forward day) as a repaired solution, or ``None``."""
    problem = model.problem
    keys = _node_keys(model)
    routes: list[list[int]] = []
    used: set[int] = set()
    for k, stops in enumerate(old_stops):
        tour = problem.tours[k]
        inner: list[int] = []
        for stop in stops:
            found = keys.get(_key(stop, k))
            if found is not None and found not in used:
                inner.append(found)
                used.add(found)
        routes.append([tour.start, *inner, tour.end])
    depots = problem.depots
    for i, node in enumerate(problem.nodes):
        if node.mandatory and i not in used and i not in depots:
            placed = _best_insertion(model, routes, i)
            if placed is None:
                return None
            routes[placed[0]] = placed[1]
            used.add(i)
    for k, route in enumerate(routes):
        while _end(model, k, route) is None:
            optional = [n for n in route[1:-1] if not problem.nodes[n].mandatory]
            if not optional:
                return None
            worst = min(optional, key=lambda n: (problem.nodes[n].score, -route.index(n)))
            route.remove(worst)
            used.discard(worst)
        routes[k] = route
    spare = sorted(
        (
            i
            for i, node in enumerate(problem.nodes)
            if i not in used and i not in depots and node.score > 0 and not node.mandatory
        ),
        key=lambda i: (-problem.nodes[i].score, i),
    )
    for i in spare:
        placed = _best_insertion(model, routes, i)
        if placed is not None:
            routes[placed[0]] = placed[1]
            used.add(i)
    if check_solution(problem, routes):
        return None
    score = float(sum(problem.nodes[i].score for r in routes for i in r[1:-1]))
    return Solution(routes=routes, score=score)


@dataclass(frozen=True)
class Unreachable:
    """A fixed item of the re-planned day the group cannot reach in time."""

    node: int
    kind: str  # {"appointment", "meal"}
    title: str
    label: str
    arrival: str
    late_min: int


def first_unreachable(model: Model, *, tour: int = 0) -> Unreachable | None:
    """The first fixed item of *tour* the group reaches too late (``None``: all reachable).

    Only the travel between the fixed items is counted (meal breaks taken where the group is
    are left to the planner's own check).
    """
    explainer = Explainer(model)
    route, ev = explainer.skeleton(tour)
    if ev.feasible:
        return None
    problem = model.problem
    request = model.resolved.request
    t = problem.tours[tour].t_start
    for prev, nxt in itertools.pairwise(route):
        info = model.nodes[nxt]
        arrival = problem.arrive(prev, nxt, t)
        if info.kind == "end":
            return None
        wins = problem.nodes[nxt].windows_on(tour, len(problem.tours))
        latest = wins[-1][1]
        if arrival > latest + _EPS:
            title = (
                request.appointments[info.index].title
                if info.kind == "appointment"
                else request.meals[info.index].title
            )
            return Unreachable(
                node=nxt,
                kind=info.kind,
                title=title,
                label=explainer.label(nxt),
                arrival=explainer.hm(arrival),
                late_min=math.ceil((arrival - latest) / MINUTE - _EPS),
            )
        t = max(arrival, wins[0][0]) + problem.nodes[nxt].service
    return None


def walk_needed(model: Model, *, tour: int = 0) -> float | None:
    """Metres on foot the fixed items of *tour* need when that is over its walking limit.

    ``None`` when the day's fixed items (appointments, restaurant meals, the way to the
    day's end) fit within the limit, or when something other than the limit stands in
    the way (reported by the planner's own checks).
    """
    problem = model.problem
    limit = problem.tours[tour].walk_limit
    if limit is None:
        return None
    route, ev = Explainer(model).skeleton(tour)
    if ev.feasible:
        return None
    tours = list(problem.tours)
    tours[tour] = dataclasses.replace(tours[tour], walk_limit=None)
    free = Problem(
        nodes=problem.nodes,
        travel=problem.travel,
        tours=tours,
        walk=problem.walk,
        timed=problem.timed,
    )
    unlimited = evaluate_route(free, tour, route)
    if not unlimited.feasible or unlimited.walk <= limit + _EPS:
        return None
    return unlimited.walk


def unreachable_text(miss: Unreachable, model: Model, state: GroupState) -> str:
    """The one-line message for an appointment the group can no longer reach."""
    why = f"with `delay_min={state.delay_min}` " if state.delay_min else ""
    place = model.nodes[miss.node].place.names.en
    return (
        f"cannot keep {miss.label}: {why}the group, free from {state.free_at:%H:%M} at "
        f"{state.position.name_en}, reaches {place} at {miss.arrival} at the earliest, "
        f"{miss.late_min} min late; shorten the delay or move the appointment"
    )
