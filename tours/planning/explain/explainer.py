"""Why a place is left out, and why a must-see or an appointment is impossible, in words.

Everything here re-uses the solver's own rules
(:func:`tours.planning.solver.optw.evaluate_route`) on small routes: the *skeleton* of a day is
its start, its fixed items (appointments, meals at a chosen restaurant) in time order, and its
end. A place that cannot be inserted anywhere into any skeleton cannot be planned whatever else
is left out; the gap analysis then names the conflict ("Wenshu Monastery closes 17:00; the
earliest arrival after the 15:00–17:30 appointment 'Talk' is 17:52").

Codes of left-out places are defined once, in :mod:`tours.planning.explain.reasons`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

from tours._errors import PlanningError
from tours.itinerary import LeftOut
from tours.planning._model import MINUTE, Model, NodeInfo, visit_windows
from tours.planning.explain.reasons import (
    BLOCKED,
    CLOSED,
    LAST_ENTRY,
    NO_TIME,
    OUTSIDE_NETWORK,
    TOO_LONG,
    WALK_LIMIT,
)
from tours.planning.request import ResolvedPlace, format_clock, open_spans
from tours.planning.solver.optw import Problem, RouteEvaluation, Solution, evaluate_route, solve
from tours.timetext import format_day as _day_text

_MAX_PERMUTED = 6  # fixed items per day up to which every order is tried
#: Search iterations of the plan without walking limits that tells ``walk_limit`` from
#: ``no_time`` (a fixed count: the reason does not depend on the machine's speed; about
#: 0.6 s for the demo), and the most solver nodes for which it is run (larger problems, e.g.
#: conference days, rely on the insertion test alone).
_RELAXED_ITERATIONS = 100
_RELAXED_MAX_NODES = 80


def _days_text(days: list[dt.date] | tuple[dt.date, ...]) -> str:
    texts = [_day_text(d) for d in days]
    if len(texts) <= 1:
        return "".join(texts)
    return ", ".join(texts[:-1]) + " and " + texts[-1]


class Explainer:
    """Skeletons, conflict messages and left-out reasons for one model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.problem = model.problem
        self.k_count = len(model.problem.tours)
        self._skeletons: dict[int, tuple[list[int], RouteEvaluation]] = {}
        self._relaxed: tuple[Problem, Solution] | None = None

    # -- text helpers ----------------------------------------------------------------------

    def hm(self, t: float) -> str:
        """Local ``HH:MM`` of time *t*."""
        return f"{self.model.axis.local(t):%H:%M}"

    def label(self, node: int) -> str:
        """How a message names the fixed item or depot *node*."""
        info = self.model.nodes[node]
        request = self.model.resolved.request
        if info.kind == "appointment":
            a = request.appointments[info.index]
            return (
                f"the {format_clock(a.start)}–{format_clock(a.end)} appointment {a.title!r} "
                f"at {info.place.names.en}"
            )
        if info.kind == "meal":
            meal = request.meals[info.index]
            return f"{meal.title.lower()} at {info.place.names.en}"
        if info.kind == "start":
            return f"leaving {info.place.names.en}"
        if info.kind == "end":
            return f"the return to {info.place.names.en}"
        return f"the visit to {info.place.names.en}"

    # -- skeletons -------------------------------------------------------------------------

    def fixed_nodes(self, k: int) -> list[int]:
        """Pinned mandatory nodes (appointments, restaurant meals) of tour *k*."""
        return [
            i
            for i, info in enumerate(self.model.nodes)
            if info.kind in {"appointment", "meal"} and info.tour == k
        ]

    def skeleton(self, k: int) -> tuple[list[int], RouteEvaluation]:
        """The day's fixed items in a feasible order (else the time order, infeasible)."""
        if k in self._skeletons:
            return self._skeletons[k]
        tour = self.problem.tours[k]
        fixed = self.fixed_nodes(k)

        def lo(i: int) -> float:
            wins = self.problem.nodes[i].windows_on(k, self.k_count)
            return wins[0][0] if wins else math.inf

        ordered = sorted(fixed, key=lambda i: (lo(i), i))
        first = [tour.start, *ordered, tour.end]
        best = (first, evaluate_route(self.problem, k, first))
        if not best[1].feasible and 1 < len(fixed) <= _MAX_PERMUTED:
            for perm in itertools.permutations(ordered):
                route = [tour.start, *perm, tour.end]
                ev = evaluate_route(self.problem, k, route)
                if ev.feasible:
                    best = (route, ev)
                    break
        self._skeletons[k] = best
        return best

    def check_fixed(self) -> None:
        """Raise :class:`PlanningError` if a day's fixed items cannot all be kept."""
        for k, day in enumerate(self.model.days):
            route, ev = self.skeleton(k)
            if not ev.feasible:
                msg = f"on {_day_text(day)}: {self._skeleton_conflict(k, route, ev)}"
                raise PlanningError(msg)

    def _skeleton_conflict(self, k: int, route: list[int], ev: RouteEvaluation) -> str:
        tour = self.problem.tours[k]
        t = tour.t_start
        for q in range(1, len(route)):
            prev, nxt = route[q - 1], route[q]
            arrival = self.problem.arrive(prev, nxt, t)
            mode = self._mode(prev, nxt)
            minutes = round((arrival - t) / MINUTE)
            how = f"{minutes} min by {mode}" if minutes else "no travel"
            if q == len(route) - 1:
                if arrival > tour.t_end + 1e-6:
                    return (
                        f"the day ends at {self.hm(tour.t_end)}, but after {self.label(prev)} "
                        f"the group reaches {self.model.nodes[nxt].place.names.en} at "
                        f"{self.hm(arrival)} at the earliest ({how}); widen `day_window`"
                    )
                break
            wins = self.problem.nodes[nxt].windows_on(k, self.k_count)
            latest = wins[-1][1]
            if arrival > latest + 1e-6:
                return (
                    f"{self.label(nxt)} starts {self.hm(latest)} at the latest, but the earliest "
                    f"arrival after {self.label(prev)} is {self.hm(arrival)} ({how}); "
                    "move one of them"
                )
            t = max(arrival, wins[0][0]) + self.problem.nodes[nxt].service
        what, fix = self.failure(k, route, ev)
        return f"{what}; {fix}"

    def failure(self, k: int, route: list[int], ev: RouteEvaluation) -> tuple[str, str]:
        """Why the evaluated *route* of day *k* fails, in words, and what to change.

        Names places, ``HH:MM`` times, km and the constraint that binds; never node numbers
        or raw seconds, and never a meal or an appointment the day does not have.
        """
        tour = self.problem.tours[k]
        reason = ev.reason or ""
        limit = tour.walk_limit
        if limit is not None and ev.walk > limit + 1e-6 and reason.startswith("walks"):
            return (
                f"the walking adds up to {ev.walk / 1000:.1f} km, more than the day's limit of "
                f"{limit / 1000:g} km",
                "raise the walking limit (`travel.max_walk_km_per_day` or `days[].max_walk_km`) "
                "or use the coach",
            )
        deps = self._departures(ev)
        here = route[len(ev.stops) - 1] if ev.stops else tour.start
        free = deps[len(ev.stops) - 1] if ev.stops else tour.t_start
        if reason.startswith("break"):
            return self._meal_failure(k, len(ev.breaks), here, free)
        if reason.startswith("tour ends") or len(ev.stops) == len(route):
            back = ev.stops[-1].end if ev.stops else tour.t_start
            return (
                f"the group is back at {self.model.nodes[tour.end].place.names.en} at "
                f"{self.hm(back)} at the earliest, after the day ends at {self.hm(tour.t_end)}",
                "widen the day window or drop an item",
            )
        nxt = route[len(ev.stops)]
        arrival = free + self.problem.travel[here, nxt]
        wins = self.problem.nodes[nxt].windows_on(k, self.k_count)
        latest = wins[-1][1] if wins else tour.t_start
        after = self.label(here)
        meals_here = [
            b for b in ev.breaks if b.position == len(ev.stops) - 1 and not b.before_service
        ]
        if meals_here:
            request = self.model.resolved.request
            titles = [request.meals[self.model.breaks[k][b.index]].title for b in meals_here]
            after += f" and {' and '.join(titles)} there (until {self.hm(meals_here[-1].end)})"
        return (
            f"after {after} the group reaches {self.model.nodes[nxt].place.names.en} "
            f"at {self.hm(arrival)} at the earliest, but {self.label(nxt)} must start by "
            f"{self.hm(latest)}",
            "move one of them",
        )

    def _meal_failure(self, k: int, pending: int, here: int, free: float) -> tuple[str, str]:
        """A meal break of day *k* that cannot be taken (the *pending*-th of the day)."""
        indices = self.model.breaks[k] if k < len(self.model.breaks) else []
        if pending >= len(indices):  # pragma: no cover - a break fails only if the day has one
            return "a break cannot be taken", "widen the meal window"
        meal = self.model.resolved.request.meals[indices[pending]]
        brk = sorted(self.problem.tours[k].breaks, key=lambda b: b.earliest)[pending]
        return (
            f"{meal.title} ({meal.minutes} min within {meal.window}) must start by "
            f"{self.hm(brk.latest)}, but the group is busy with {self.label(here)} until "
            f"{self.hm(free)}",
            "widen the meal window or move an appointment",
        )

    def _mode(self, a: int, b: int) -> str:
        m = self.model.matrix
        return str(m.mode[self.model.loc_of(a), self.model.loc_of(b)])

    # -- inserting one place into a skeleton ----------------------------------------------

    def _departures(self, ev: RouteEvaluation) -> list[float]:
        out = [s.end for s in ev.stops]
        for taken in ev.breaks:
            out[taken.position] = max(out[taken.position], taken.end)
        return out

    def _problem_with(
        self,
        node: int,
        *,
        visit_minutes: int | None = None,
        walk_limit: bool = True,
        last_entry: bool = True,
    ) -> Problem:
        """The problem with *node* shortened to *visit_minutes*, no walking limit and/or
        no last admission."""
        nodes = list(self.problem.nodes)
        entry = self.model.nodes[node].entry
        if not last_entry and entry is not None:
            free = visit_windows(self.model.resolved, entry, self.model.axis, last_entry=False)
            nodes[node] = dataclasses.replace(nodes[node], windows=free)
        if visit_minutes is not None:
            info = self.model.nodes[node]
            shift = (info.minutes - visit_minutes) * MINUTE
            buffer = self.model.resolved.request.buffer_min * MINUTE
            windows = [
                [(a, b + shift) for a, b in nodes[node].windows_on(k, self.k_count)]
                for k in range(self.k_count)
            ]
            nodes[node] = dataclasses.replace(
                nodes[node], service=visit_minutes * MINUTE + buffer, windows=windows
            )
        tours = self.problem.tours
        if not walk_limit:
            tours = [dataclasses.replace(t, walk_limit=None) for t in tours]
        return Problem(
            nodes=nodes,
            travel=self.problem.travel,
            tours=list(tours),
            walk=self.problem.walk,
            timed=self.problem.timed,
        )

    def fits(self, node: int, days: list[int], problem: Problem | None = None) -> bool:
        """Whether *node* fits alone into the skeleton of one of *days*."""
        problem = problem or self.problem
        for k in days:
            route, ev = self.skeleton(k)
            if not ev.feasible:
                continue
            for p in range(len(route) - 1):
                trial = [*route[: p + 1], node, *route[p + 1 :]]
                if evaluate_route(problem, k, trial).feasible:
                    return True
        return False

    def _gap_reason(self, node: int, k: int) -> tuple[float, str]:
        """The smallest conflict of *node* with the skeleton of day *k*: (overshoot, text)."""
        info = self.model.nodes[node]
        name = info.place.names.en
        route, ev = self.skeleton(k)
        deps = self._departures(ev)
        wins = self.problem.nodes[node].windows_on(k, self.k_count)
        service = self.problem.nodes[node].service
        best: tuple[float, str] | None = None
        for p in range(len(route) - 1):
            before, after = route[p], route[p + 1]
            arrival = self.problem.arrive(before, node, deps[p])
            start = next((max(arrival, a) for a, b in wins if arrival <= b + 1e-6), None)
            if start is None:
                latest = wins[-1][1]
                close = latest + info.minutes * MINUTE
                over = arrival - latest
                rule = (
                    f"{name} closes {self.hm(close)} (a {info.minutes}-min visit must start "
                    f"by {self.hm(latest)})"
                )
                last = info.entry.last_entry if info.entry is not None else None
                if last is not None and self.hm(latest) == format_clock(last):
                    rule = f"the last entry to {name} is {self.hm(latest)}"
                text = (
                    f"{rule}; the earliest arrival after {self.label(before)} is {self.hm(arrival)}"
                )
            else:
                leave = start + service
                reach = self.problem.arrive(node, after, leave)
                after_wins = self.problem.nodes[after].windows_on(k, self.k_count)
                if self.model.nodes[after].kind == "end":
                    deadline = self.problem.tours[k].t_end
                else:
                    deadline = after_wins[-1][1] if after_wins else math.inf
                over = reach - deadline
                text = (
                    f"a {info.minutes}-min visit to {name} from {self.hm(start)} (after "
                    f"{self.label(before)}) leaves no time to reach {self.label(after)} by "
                    f"{self.hm(deadline)} (earliest {self.hm(reach)})"
                )
                if over <= 0:
                    trial = [*route[: p + 1], node, *route[p + 1 :]]
                    what, _fix = self.failure(k, trial, evaluate_route(self.problem, k, trial))
                    text = f"a visit to {name} after {self.label(before)} does not fit: {what}"
                    over = 0.0
            if best is None or over < best[0]:
                best = (over, text)
        if best is None:  # pragma: no cover - a skeleton has at least one gap
            return (math.inf, f"{name} cannot be placed")
        return best

    def conflict(self, node: int, days: list[int]) -> str:
        """The conflicts of *node* on each of *days*, one clause per day."""
        clauses: list[str] = []
        for k in days:
            wins = self.problem.nodes[node].windows_on(k, self.k_count)
            day = _day_text(self.model.days[k])
            if not wins:
                clauses.append(f"on {day} it is not open long enough within the day window")
                continue
            clauses.append(f"on {day}: {self._gap_reason(node, k)[1]}")
        return "; ".join(clauses)

    # -- must-sees ------------------------------------------------------------------------

    def _allowed_days(self, entry: ResolvedPlace) -> list[int]:
        return [k for k, d in enumerate(self.model.days) if d in entry.dates]

    def check_must_sees(self) -> None:
        """Raise :class:`PlanningError` for a must-see that fits on no day, naming why."""
        for i, info in enumerate(self.model.nodes):
            if info.kind != "visit" or info.entry is None or not info.entry.must_see:
                continue
            days = self._allowed_days(info.entry)
            if self.fits(i, days):
                continue
            if self.fits(i, days, self._problem_with(i, walk_limit=False)):
                msg = (
                    f"must-see {info.place.names.en} cannot be planned within "
                    f"{self._walk_limits(days)}; raise `travel.max_walk_km_per_day` (or "
                    "`days[].max_walk_km`) or use the coach"
                )
                raise PlanningError(msg)
            msg = f"must-see {info.place.names.en} cannot be planned: {self.conflict(i, days)}"
            raise PlanningError(msg)

    def missing_error(self, solution: Solution) -> PlanningError:
        """The error for mandatory nodes the solver could not place together."""
        names = [self.model.nodes[i] for i in solution.missing_mandatory]
        listed = ", ".join(self._short(n) for n in names)
        msg = (
            f"cannot fit every must-see and fixed item together: {listed} could not be placed "
            "(each fits on its own); make a must-see optional, shorten its `minutes`, add a day "
            "or raise the budget's `time_limit`"
        )
        return PlanningError(msg)

    def _short(self, info: NodeInfo) -> str:
        if info.kind == "appointment":
            return repr(self.model.resolved.request.appointments[info.index].title)
        return info.place.names.en

    # -- left-out optional places -----------------------------------------------------------

    def left_out(self, solution: Solution) -> list[LeftOut]:
        """A reason for every requested place the solution does not visit (request order)."""
        visited = {i for route in solution.routes for i in route[1:-1]}
        by_place = {
            info.place.id: i for i, info in enumerate(self.model.nodes) if info.kind == "visit"
        }
        out: list[LeftOut] = []
        for entry in self.model.resolved.places:
            pid = entry.place.id
            if pid in self.model.outside:
                out.append(
                    LeftOut(
                        place=entry.place.to_ref(),
                        code=OUTSIDE_NETWORK,
                        reason=f"it {self.model.outside[pid]}",
                    )
                )
                continue
            node = by_place[pid]
            if node in visited:
                continue
            code, reason = self._reason(node, entry, solution)
            out.append(LeftOut(place=entry.place.to_ref(), code=code, reason=reason))
        return out

    def _reason(self, node: int, entry: ResolvedPlace, solution: Solution) -> tuple[str, str]:
        request = self.model.resolved.request
        pack = self.model.resolved.pack
        name = entry.place.names.en
        dates = list(entry.dates)
        longest = 0.0
        for day in dates:
            for a, b in open_spans(request, pack, entry.place, day):
                longest = max(longest, (b - a).total_seconds() / MINUTE)
        if longest <= 0:
            hours = entry.place.opening_hours or "unknown"
            return CLOSED, (
                f"closed: {name} is not open on {_days_text(dates)} within the day window "
                f"(opening hours: {hours})"
            )
        if longest < entry.minutes:
            more = math.ceil(entry.minutes - longest)
            return TOO_LONG, (
                f"too long: a {entry.minutes}-min visit needs {more} more minutes than any day "
                f"has ({name} is open at most {round(longest)} min at a stretch)"
            )
        days = self._allowed_days(entry)
        if self.fits(node, days):
            return self._crowded_out(node, entry, days, solution)
        blocked = self._blocked_by_rule(node, entry, days)
        if blocked is not None:
            return blocked
        fit = self._longest_fit(node, days)
        if fit is None:
            return BLOCKED, f"no gap while it is open: {self.conflict(node, days)}"
        more = math.ceil((entry.minutes * MINUTE - fit) / MINUTE)
        return BLOCKED, (
            f"no gap long enough: a {entry.minutes}-min visit needs {more} more minutes than "
            f"any day has with the travel there and back and the day's fixed items (at most "
            f"{math.floor(fit / MINUTE)} min fit)"
        )

    def _blocked_by_rule(
        self, node: int, entry: ResolvedPlace, days: list[int]
    ) -> tuple[str, str] | None:
        """``walk_limit`` or ``last_entry`` when lifting that one rule lets the place fit."""
        name = entry.place.names.en
        if self.fits(node, days, self._problem_with(node, walk_limit=False)):
            return WALK_LIMIT, (
                f"over the walking limit: getting to {name} and on would exceed "
                f"{self._walk_limits(days)} on every possible day"
            )
        if (entry.last_entry is not None or entry.min_inside is not None) and self.fits(
            node, days, self._problem_with(node, last_entry=False)
        ):
            return LAST_ENTRY, (
                f"arrives after last entry: {name} admits visitors until "
                f"{self._last_entry_text(entry)}; {self.conflict(node, days)}"
            )
        return None

    def _crowded_out(
        self, node: int, entry: ResolvedPlace, days: list[int], solution: Solution
    ) -> tuple[str, str]:
        """The reason of a place that fits alone but not into the plan."""
        if self._walk_used_up(node, days, solution):
            return WALK_LIMIT, (
                f"over the walking limit: the plan has room for {entry.place.names.en} beside "
                f"the must-sees and places of higher priority only if the group walks more "
                f"than {self._walk_limits(days)}"
            )
        return NO_TIME, (
            f"not enough time left: the days are full with must-sees and places of higher "
            f"total priority (priority {entry.priority})"
        )

    def _walk_used_up(self, node: int, days: list[int], solution: Solution) -> bool:
        """Whether the walking limit is what keeps *node* out of the plan.

        True when the plan searched without walking limits scores more, visits *node* and
        walks more than the limit on its day; or when, on an allowed day, the planned route
        cut down to its fixed items, must-sees and visits of at least *node*'s priority
        (those it cannot displace) takes *node* only without the walking limit.
        """
        if all(self.problem.tours[k].walk_limit is None for k in days):
            return False
        if self._walks_over_without_limit(node, days, solution):
            return True
        free = self._problem_with(node, walk_limit=False)
        score = self.problem.nodes[node].score
        for k in days:
            if k >= len(solution.routes):
                continue
            route = [
                i
                for i in solution.routes[k]
                if self.model.nodes[i].kind != "visit"
                or self.problem.nodes[i].mandatory
                or self.problem.nodes[i].score >= score
            ]
            trials = [[*route[: p + 1], node, *route[p + 1 :]] for p in range(len(route) - 1)]
            if any(evaluate_route(self.problem, k, t).feasible for t in trials):
                return False  # there is room within the limit: priorities decided
            if any(evaluate_route(free, k, t).feasible for t in trials):
                return True
        return False

    def _walks_over_without_limit(self, node: int, days: list[int], solution: Solution) -> bool:
        """Whether the plan searched without walking limits scores more than *solution*,
        visits *node* on one of *days* and walks more than that day's limit there."""
        if len(self.problem.nodes) > _RELAXED_MAX_NODES:
            return False
        if self._relaxed is None:  # the planned problem, balance key and all, minus limits
            tours = [dataclasses.replace(t, walk_limit=None) for t in self.problem.tours]
            relaxed = dataclasses.replace(self.problem, tours=tours)
            self._relaxed = (
                relaxed,
                solve(relaxed, time_limit=None, seed=0, max_iterations=_RELAXED_ITERATIONS),
            )
        relaxed, found = self._relaxed
        if found.score <= solution.score + 1e-9:
            return False
        for k in days:
            route = found.routes[k] if k < len(found.routes) else []
            limit = self.problem.tours[k].walk_limit
            if node in route and limit is not None:
                return evaluate_route(relaxed, k, route).walk > limit + 1e-6
        return False

    @staticmethod
    def _last_entry_text(entry: ResolvedPlace) -> str:
        parts = []
        if entry.last_entry is not None:
            parts.append(format_clock(entry.last_entry))
        if entry.min_inside is not None:
            parts.append(f"{entry.min_inside} min before closing")
        return " or ".join(parts)

    def _walk_limits(self, days: list[int]) -> str:
        """``"the daily walking limit of 8 km"``, or the range when the days' limits differ."""
        request = self.model.resolved.request
        found = {request.max_walk_km_on(self.model.days[k]) for k in days}
        limits = sorted(x for x in found if x is not None)
        if len(limits) <= 1:
            return f"the daily walking limit of {limits[0] if limits else 0:g} km"
        return f"the daily walking limits of {limits[0]:g}-{limits[-1]:g} km"

    def _longest_fit(self, node: int, days: list[int]) -> float | None:
        """The longest visit (seconds, buffer excluded) that fits alone; ``None`` if none."""
        minutes = int(self.model.nodes[node].minutes)
        if not self.fits(node, days, self._problem_with(node, visit_minutes=1)):
            return None
        lo, hi = 1, minutes  # a visit of lo minutes fits, one of hi minutes does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.fits(node, days, self._problem_with(node, visit_minutes=mid)):
                lo = mid
            else:
                hi = mid
        return lo * MINUTE
