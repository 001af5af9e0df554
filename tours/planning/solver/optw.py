"""Multi-tour orienteering with time windows (OPTW / TOPTW): the solver core of the planner.

Pure algorithm: no OSM, no city pack. All times are floats on one time axis (seconds in the
planner, minutes in the public benchmarks).

Rules (implemented by the compiled solver and, independently and readably, by
:func:`evaluate_route`)
------------------------------------------------------------------------------------------
* A tour leaves its start depot at ``t_start``. At each node the group arrives, waits if early
  until a window of that node *for that tour* opens, starts service inside the window
  (``earliest_start <= start <= latest_start``), and stays ``service``. It must reach the end
  depot by ``t_end``. A node is visited at most once; depots are never visited as stops.
* Breaks (e.g. lunch) of a tour are taken in order of ``earliest``, where the group is: at a
  stop before or after its service, at the start depot or at the end depot. After a stop's
  service ends at time ``t`` (the start depot: ``t_start``), for the next pending break:

  1. ``t > latest``: infeasible (the break was missed);
  2. ``t >= earliest``: the break is taken now, from ``t`` to ``t + duration``;
  3. ``t < earliest``: the group waits and takes it now (from ``earliest``) if that does not
     delay the start at the next stop (the break fits in the waiting time); else, if the next
     stop would end after ``latest``, it is taken now unless taking it on arrival at the next
     stop (from ``max(arrival, earliest) <= latest``) starts that stop strictly earlier;
     otherwise it is deferred.

  On arrival at a stop at ``a``, a pending break is taken there before the service, from
  ``max(a, earliest) <= latest``, if that does not delay the start of service (it fits in
  the wait for the window) or if the service would otherwise end after ``latest``. Breaks
  still pending on arrival at the end depot are taken there (start ``max(arrival,
  earliest) <= latest``); the tour, breaks included, must end by ``t_end``. Each decision
  looks one stop ahead, so a schedule stays linear in the route's length.
* ``walk_limit``: the sum of ``walk[i, j]`` over the tour's arcs must not exceed it.
* Mandatory nodes must be visited; the solver reports those it could not place in
  :attr:`Solution.missing_mandatory` (``solve(..., require_mandatory=True)`` raises).

Objective
---------
Lexicographic: first the largest total score (mandatory nodes first, see :func:`_compile`),
then, among routes of equal score, the least total tour duration (earlier returns: travel
plus waiting), then the least total travel time. A guide wants the day that ends earliest
with the same places, never one place fewer for a shorter drive, and never half an hour of
waiting at a gate to save a minute of driving.

Search
------
Recreate inserts the missing mandatory nodes first, most constrained first (open on fewer
tours, then less window slack: a fixed appointment before an all-day must-see), each where it
delays the route least; one that fits nowhere takes the place of the block of consecutive
stops worth least (optional ones, or mandatory ones ranked after it, which are re-inserted
next). Then optional nodes follow greedily by ``score**2 / shift``. This builds a first
solution; then ruin-and-recreate (remove a block of consecutive stops, scattered stops or a
block per tour; re-insert with random noise, optionally first without the removed optional
nodes) with simulated-annealing acceptance and periodic restarts from the best. A mandatory
node removed by the ruin is thus always re-inserted when it still fits somewhere. A rebuilt
solution that scores no less than the current one is first polished: 2-opt and or-opt moves
(reverse a run of stops, move a block of 1-3 stops) that keep each route feasible with the
same stops and cut its travel time, then the insertion of whatever now fits; the initial and
the returned solutions are polished too.
Feasibility of an insertion is O(1) on tours without breaks (latest-arrival bookkeeping, the
"maxShift" idea of Vansteenwegen et al.) and a short forward simulation otherwise. The
kernels are compiled with numba: ahead of time into an extension module by setup
(:mod:`._aot`), else just in time (cached on disk).

Determinism: the search is one fixed trajectory for a given problem and seed; the stopping
rule only decides where it ends. With ``max_iterations`` (and no time limit, or one long enough)
the result does not depend on the machine's speed or load. With only a time limit, it is
deterministic for one machine and load but a faster machine may go further and find more.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tours._errors import InputError, PlanningError
from tours.planning.solver._aot import solver_kernels
from tours.planning.solver._state import Instance, State, new_memo

_EPS = 1e-7  # the same tolerance the compiled solver uses
#: Rows of the search's memo of polished routes (``_state.new_memo``): a few MB at most.
_MEMO_SLOTS = 4096


@dataclass(frozen=True)
class Break:
    """A pause of *duration* that must start in ``[earliest, latest]`` (e.g. lunch)."""

    earliest: float
    latest: float
    duration: float


@dataclass(frozen=True)
class Tour:
    """One tour (a day): start/end depot node indices, time span, breaks, walk limit."""

    start: int
    end: int
    t_start: float
    t_end: float
    breaks: Sequence[Break] = ()
    walk_limit: float | None = None


@dataclass(frozen=True)
class Node:
    """A place that may be visited.

    Parameters
    ----------
    score
        Profit collected when visited.
    service
        Time spent at the node.
    windows
        Per tour, the allowed start-of-service intervals ``[(earliest, latest), ...]``
        (``[]``: closed on that tour). A single list is used for every tour.
    mandatory
        The node must be visited.
    tours
        Tours the node may be visited on (``None``: any).
    """

    score: float
    service: float
    windows: Sequence[Sequence[tuple[float, float]]]
    mandatory: bool = False
    tours: frozenset[int] | None = None

    def windows_on(self, tour: int, n_tours: int) -> list[tuple[float, float]]:
        """The sorted windows on *tour* (empty if closed or not allowed on that tour)."""
        if self.tours is not None and tour not in self.tours:
            return []
        per_tour = self.windows
        if len(per_tour) == 1 and n_tours != 1:
            chosen = per_tour[0]
        elif len(per_tour) == n_tours:
            chosen = per_tour[tour]
        else:
            msg = (
                f"node `windows` has {len(per_tour)} lists for {n_tours} tours; "
                "give one list per tour (or one list for all tours)"
            )
            raise InputError(msg)
        return sorted((float(a), float(b)) for a, b in chosen)


@dataclass(frozen=True)
class TimedTravel:
    """Travel times that depend on the departure time (coach legs in rush hour).

    A leg from *i* to *j* leaving at *t* takes ``fixed[i, j]`` plus a drive of ``drive[i, j]``
    seconds at speed factor 1 that starts at ``t + offset[i, j]`` and runs at the speed the
    profile gives while it drives (``table_t``, ``table_f``: the clock and the integral of the
    speed factor, see :mod:`routing.traffic`), rounded up to whole ``round_to`` units. A
    later departure never arrives earlier (FIFO). Legs with ``drive == 0`` take the
    problem's static ``travel``, which stays the estimate the search heuristics use.
    """

    fixed: np.ndarray
    drive: np.ndarray
    offset: np.ndarray
    table_t: np.ndarray
    table_f: np.ndarray
    round_to: float = 60.0

    def arrive(self, i: int, j: int, t: float, static: float) -> float:
        """Arrival at *j* when leaving *i* at *t* (*static*: the leg's time-free travel)."""
        w = float(self.drive[i, j])
        if w <= 0.0:
            return t + static
        start = t + float(self.offset[i, j])
        day = math.floor(start / 86_400.0) * 86_400.0
        target = float(np.interp(start - day, self.table_t, self.table_f)) + w
        end = day + float(np.interp(target, self.table_f, self.table_t))
        raw = float(self.fixed[i, j]) + (end - start)
        if self.round_to > 0:
            raw = math.ceil(raw / self.round_to - 1e-9) * self.round_to
        return t + raw


@dataclass
class Problem:
    """Nodes, an N x N travel-time matrix, the tours, an optional walk matrix and optional
    time-dependent travel (:class:`TimedTravel`).

    ``balance_unit``: with a value (e.g. 5000 for a walk matrix in metres), a secondary key
    after the score spreads stops and walking over the tours: of two solutions with the same
    score, the one with the smaller sum over tours of squared stops plus squared walking (in
    units of ``balance_unit``, rounded) wins. ``None``: no balance key.
    """

    nodes: list[Node]
    travel: np.ndarray
    tours: list[Tour]
    walk: np.ndarray | None = None
    timed: TimedTravel | None = None
    balance_unit: float | None = None

    def arrive(self, i: int, j: int, t: float) -> float:
        """Arrival at node *j* when leaving node *i* at *t*."""
        static = float(self.travel[i, j])
        if self.timed is None:
            return t + static
        return self.timed.arrive(i, j, t, static)

    def __post_init__(self) -> None:
        self.travel = np.asarray(self.travel, dtype=np.float64)
        if self.walk is not None:
            self.walk = np.asarray(self.walk, dtype=np.float64)
        n = len(self.nodes)
        if self.travel.shape != (n, n):
            msg = f"`travel` has shape {self.travel.shape!r}; expected ({n}, {n})"
            raise InputError(msg)
        if self.walk is not None and self.walk.shape != (n, n):
            msg = f"`walk` has shape {self.walk.shape!r}; expected ({n}, {n})"
            raise InputError(msg)
        if not self.tours:
            msg = "`tours` is empty; give at least one tour"
            raise InputError(msg)
        for k, tour in enumerate(self.tours):
            for name in ("start", "end"):
                idx = getattr(tour, name)
                if not 0 <= idx < n:
                    msg = f"tour {k} `{name}` is {idx!r}; expected a node index in [0, {n})"
                    raise InputError(msg)
            if tour.t_end < tour.t_start:
                msg = f"tour {k} `t_end` {tour.t_end!r} is before `t_start` {tour.t_start!r}"
                raise InputError(msg)
            for brk in tour.breaks:
                if brk.latest < brk.earliest or brk.duration < 0:
                    msg = f"tour {k} has an invalid break {brk!r}"
                    raise InputError(msg)
            if tour.walk_limit is not None and self.walk is None:
                msg = f"tour {k} has a `walk_limit` but the problem has no `walk` matrix"
                raise InputError(msg)

    @property
    def depots(self) -> frozenset[int]:
        """Node indices used as a start or end depot by some tour."""
        return frozenset(i for t in self.tours for i in (t.start, t.end))


@dataclass(frozen=True)
class Stop:
    """One node of a timed route: arrival, start of service, end of service (departure)."""

    node: int
    arrival: float
    start: float
    end: float


@dataclass(frozen=True)
class BreakTaken:
    """A break of a tour taken at route position *position*: after that stop's service, or
    on arrival there before its service when *before_service*."""

    index: int
    position: int
    start: float
    end: float
    before_service: bool = False


@dataclass(frozen=True)
class RouteEvaluation:
    """The result of :func:`evaluate_route`.

    For the end depot, ``start`` is the arrival and ``end`` the end of the tour (after any
    breaks taken there). ``walk`` and ``travel`` sum the walk and travel matrices over the
    route's arcs (as far as it was evaluated).
    """

    feasible: bool
    reason: str | None
    stops: list[Stop]
    breaks: list[BreakTaken]
    score: float
    walk: float
    travel: float = 0.0


@dataclass
class Solution:
    """Routes per tour (node indices, depots included) and the collected score."""

    routes: list[list[int]]
    score: float
    missing_mandatory: list[int] = field(default_factory=list)
    iterations: int = 0
    seconds: float = 0.0
    kernel_calls: int = 0
    """Calls from Python into the compiled search (the iterations run in chunks)."""

    def schedule(self, problem: Problem) -> list[RouteEvaluation]:
        """The timed schedule of every tour (see :func:`evaluate_route`)."""
        return [evaluate_route(problem, k, r) for k, r in enumerate(self.routes)]


# ----------------------------------------------------------------------------- evaluation


def _earliest_start(windows: list[tuple[float, float]], arrival: float) -> float | None:
    for opens, closes in windows:
        if arrival <= closes + _EPS:
            return max(arrival, opens)
    return None


class _Timeline:
    """Walks one route by the rules of the module doc (the readable twin of the kernels)."""

    def __init__(self, problem: Problem, tour_index: int) -> None:
        self.problem = problem
        self.k = tour_index
        self.tour = problem.tours[tour_index]
        self.breaks = sorted(self.tour.breaks, key=lambda b: b.earliest)
        self.travel = problem.travel.tolist()
        self.pending = 0  # index of the next break
        self.taken: list[BreakTaken] = []

    def start_at(self, node: int, arrival: float) -> float | None:
        wins = self.problem.nodes[node].windows_on(self.k, len(self.problem.tours))
        return _earliest_start(wins, arrival)

    def leave(self, time: float, here: int, nxt: int, *, to_end: bool, position: int) -> float:
        """Departure time from *here* after the breaks taken there; raises ``ValueError``."""
        while self.pending < len(self.breaks):
            brk = self.breaks[self.pending]
            if time > brk.latest + _EPS:
                msg = f"break {self.pending} missed (at node {here} at {time:g})"
                raise ValueError(msg)
            if time >= brk.earliest:
                self.taken.append(BreakTaken(self.pending, position, time, time + brk.duration))
                time += brk.duration
                self.pending += 1
                continue
            after_break = brk.earliest + brk.duration
            arrive = self.problem.arrive
            if to_end:
                take_now = arrive(here, nxt, time) > brk.latest + _EPS
            else:
                reach = arrive(here, nxt, time)
                defer = self._start(nxt, reach)
                s_break = self._start(nxt, arrive(here, nxt, after_break))
                take_now = s_break <= defer
                if not take_now and defer + self.problem.nodes[nxt].service > brk.latest + _EPS:
                    # too late after nxt: here, unless taking it on arrival there starts
                    # nxt strictly earlier (see arrive_at)
                    begin = max(reach, brk.earliest)
                    there = begin <= brk.latest + _EPS
                    take_now = not there or self._start(nxt, begin + brk.duration) >= s_break
            if not take_now:
                break
            self.taken.append(BreakTaken(self.pending, position, brk.earliest, after_break))
            time = after_break
            self.pending += 1
        return time

    def _start(self, node: int, arrival: float) -> float:
        begin = self.start_at(node, arrival)
        return math.inf if begin is None else begin

    def arrive_at(self, node: int, arrival: float, position: int) -> float | None:
        """Start of service at *node* (route *position*) reached at *arrival*, pending
        breaks taken there first when they fit in the wait or would be too late after it."""
        begin = self._start(node, arrival)
        while self.pending < len(self.breaks):
            brk = self.breaks[self.pending]
            at = max(arrival, brk.earliest)
            if at > brk.latest + _EPS:
                break
            after_break = self._start(node, at + brk.duration)
            late = begin + self.problem.nodes[node].service > brk.latest + _EPS
            if not (after_break <= begin or late):
                break
            self.taken.append(
                BreakTaken(self.pending, position, at, at + brk.duration, before_service=True)
            )
            arrival = at + brk.duration
            begin = after_break
            self.pending += 1
        return None if begin == math.inf else begin

    def finish(self, arrival: float, position: int) -> float:
        """End of the tour after the breaks still pending; raises ``ValueError``."""
        end = arrival
        while self.pending < len(self.breaks):
            brk = self.breaks[self.pending]
            begin = max(end, brk.earliest)
            if begin > brk.latest + _EPS:
                msg = f"break {self.pending} cannot start by {brk.latest:g} at the end"
                raise ValueError(msg)
            self.taken.append(BreakTaken(self.pending, position, begin, begin + brk.duration))
            end = begin + brk.duration
            self.pending += 1
        if end > self.tour.t_end + _EPS:
            msg = f"tour ends at {end:g}, after t_end {self.tour.t_end:g}"
            raise ValueError(msg)
        return end


def _route_shape_error(problem: Problem, tour_index: int, route: Sequence[int]) -> str | None:
    tour = problem.tours[tour_index]
    if len(route) < 2 or route[0] != tour.start or route[-1] != tour.end:
        return f"route must start at node {tour.start} and end at node {tour.end}"
    inner = list(route[1:-1])
    if len(set(inner)) != len(inner):
        return "a node is visited twice"
    for node in inner:
        if node in problem.depots:
            return f"depot node {node} is used as a stop"
        if not problem.nodes[node].windows_on(tour_index, len(problem.tours)):
            return f"node {node} is closed or not allowed on tour {tour_index}"
    return None


def evaluate_route(problem: Problem, tour_index: int, route: Sequence[int]) -> RouteEvaluation:
    """Check *route* on tour *tour_index* and compute its times (the rules in the module doc)."""
    tour = problem.tours[tour_index]
    stops: list[Stop] = []
    score = 0.0
    walked = 0.0
    travelled = 0.0
    line = _Timeline(problem, tour_index)
    if error := _route_shape_error(problem, tour_index, route):
        return RouteEvaluation(False, error, stops, line.taken, score, walked)
    time = tour.t_start
    stops.append(Stop(route[0], time, time, time))
    try:
        for pos in range(1, len(route)):
            here, nxt = route[pos - 1], route[pos]
            to_end = pos == len(route) - 1
            time = line.leave(time, here, nxt, to_end=to_end, position=pos - 1)
            arrival = problem.arrive(here, nxt, time)
            travelled += line.travel[here][nxt]
            if problem.walk is not None:
                walked += float(problem.walk[here, nxt])
            if to_end:
                stops.append(Stop(nxt, arrival, arrival, arrival))
                stops[-1] = Stop(nxt, arrival, arrival, line.finish(arrival, pos))
                continue
            begin = line.arrive_at(nxt, arrival, pos)
            if begin is None:
                msg = f"node {nxt}: arrival {arrival:g} is after its last window"
                raise ValueError(msg)
            time = begin + problem.nodes[nxt].service
            stops.append(Stop(nxt, arrival, begin, time))
            score += problem.nodes[nxt].score
        if tour.walk_limit is not None and walked > tour.walk_limit + _EPS:
            msg = f"walks {walked:g}, more than the limit {tour.walk_limit:g}"
            raise ValueError(msg)
    except ValueError as err:
        return RouteEvaluation(False, str(err), stops, line.taken, score, walked, travelled)
    return RouteEvaluation(True, None, stops, line.taken, score, walked, travelled)


def check_solution(problem: Problem, routes: Sequence[Sequence[int]]) -> list[str]:
    """Every rule broken by *routes* (one per tour), as readable messages; ``[]`` if none."""
    problems: list[str] = []
    if len(routes) != len(problem.tours):
        return [f"{len(routes)} routes for {len(problem.tours)} tours"]
    seen: dict[int, int] = {}
    for k, route in enumerate(routes):
        ev = evaluate_route(problem, k, route)
        if not ev.feasible:
            problems.append(f"tour {k}: {ev.reason}")
        for node in route[1:-1]:
            if node in seen:
                problems.append(f"node {node} is visited on tours {seen[node]} and {k}")
            seen[node] = k
    problems += [
        f"mandatory node {i} is not visited"
        for i, node in enumerate(problem.nodes)
        if node.mandatory and i not in seen and i not in problem.depots
    ]
    return problems


# ----------------------------------------------------------------------------- solving


def _compile(problem: Problem) -> tuple[Instance, np.ndarray]:
    """Flat arrays for the kernels and the candidate nodes.

    A mandatory node's score gets a bonus larger than all scores together, so the search
    prefers any solution with more mandatory nodes. Mandatory candidates are ranked most
    constrained first (see :func:`_constraint_key`); recreate inserts them in that order.
    """
    n = len(problem.nodes)
    kk = len(problem.tours)
    depots = problem.depots
    total = sum(max(node.score, 0.0) for node in problem.nodes)
    bonus = total + 1.0
    score = np.zeros(n)
    service = np.zeros(n)
    wp = np.zeros(kk * n + 1, dtype=np.int64)
    wo: list[float] = []
    wc: list[float] = []
    cand: list[int] = []
    for k in range(kk):
        for i, node in enumerate(problem.nodes):
            wins = [] if i in depots else node.windows_on(k, kk)
            for a, b in wins:
                if b >= a:
                    wo.append(a)
                    wc.append(b)
            wp[k * n + i + 1] = len(wo)
    for i, node in enumerate(problem.nodes):
        service[i] = node.service
        score[i] = node.score + (bonus if node.mandatory else 0.0)
        open_somewhere = any(wp[k * n + i + 1] > wp[k * n + i] for k in range(kk))
        if i not in depots and open_somewhere and score[i] > 0:
            cand.append(i)
    bp = np.zeros(kk + 1, dtype=np.int64)
    be: list[float] = []
    bl: list[float] = []
    bd: list[float] = []
    for k, tour in enumerate(problem.tours):
        for brk in sorted(tour.breaks, key=lambda b: b.earliest):
            be.append(brk.earliest)
            bl.append(brk.latest)
            bd.append(brk.duration)
        bp[k + 1] = len(be)
    walk = problem.walk if problem.walk is not None else np.zeros((n, n))
    ranked = sorted(
        (i for i in cand if problem.nodes[i].mandatory),
        key=lambda i: (*_constraint_key(problem.nodes[i], kk), i),
    )
    mrank = np.full(n, -1, dtype=np.int64)
    mrank[ranked] = np.arange(len(ranked), dtype=np.int64)
    arrays = Instance(
        np.ascontiguousarray(problem.travel, dtype=np.float64),
        np.ascontiguousarray(walk, dtype=np.float64),
        score,
        service,
        wp,
        np.array(wo, dtype=np.float64),
        np.array(wc, dtype=np.float64),
        np.array([t.start for t in problem.tours], dtype=np.int64),
        np.array([t.end for t in problem.tours], dtype=np.int64),
        np.array([t.t_start for t in problem.tours], dtype=np.float64),
        np.array([t.t_end for t in problem.tours], dtype=np.float64),
        np.array(
            [np.inf if t.walk_limit is None else t.walk_limit for t in problem.tours],
            dtype=np.float64,
        ),
        bp,
        np.array(be, dtype=np.float64),
        np.array(bl, dtype=np.float64),
        np.array(bd, dtype=np.float64),
        np.array(ranked, dtype=np.int64),
        mrank,
        *_timed_arrays(problem.timed),
        np.array([problem.balance_unit or 0.0], dtype=np.float64),
    )
    return arrays, np.array(cand, dtype=np.int64)


_Six = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _timed_arrays(timed: TimedTravel | None) -> _Six:
    """The ``td_*`` fields of :class:`Instance` (empty arrays: no time dependence)."""
    if timed is None:
        empty = np.zeros((0, 0), dtype=np.float64)
        return empty, empty, empty, np.zeros(1), np.zeros(1), np.zeros(1)
    return (
        np.ascontiguousarray(timed.fixed, dtype=np.float64),
        np.ascontiguousarray(timed.drive, dtype=np.float64),
        np.ascontiguousarray(timed.offset, dtype=np.float64),
        np.ascontiguousarray(timed.table_t, dtype=np.float64),
        np.ascontiguousarray(timed.table_f, dtype=np.float64),
        np.array([timed.round_to], dtype=np.float64),
    )


def _constraint_key(node: Node, n_tours: int) -> tuple[int, float]:
    """How free a mandatory node is: the tours it is open on, then its total window slack.

    Smaller is more constrained: a fixed appointment (one tour, one exact start) precedes a
    must-see open all day on every tour, which could otherwise take its slot.
    """
    wins = [[(a, b) for a, b in node.windows_on(k, n_tours) if b >= a] for k in range(n_tours)]
    return sum(1 for w in wins if w), sum(b - a for w in wins for a, b in w)


def _empty_state(problem: Problem, length: int) -> State:
    kk = len(problem.tours)
    route = np.zeros((kk, length), dtype=np.int64)
    for k, tour in enumerate(problem.tours):
        route[k, 0] = tour.start
        route[k, 1] = tour.end
    return State(
        route,
        np.full(kk, 2, dtype=np.int64),
        np.zeros((kk, length)),
        np.zeros((kk, length)),
        np.zeros((kk, length)),
        np.zeros((kk, length), dtype=np.int64),
        np.zeros((kk, length)),
        np.zeros(kk),
        np.full(len(problem.nodes), -1, dtype=np.int64),
        np.zeros(4),
    )


def _search(
    problem: Problem,
    arrays: Instance,
    cur: State,
    cand: np.ndarray,
    *,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
) -> tuple[State, int, int]:
    """Greedy start, then ruin-and-recreate in chunks until the iteration cap or the clock."""
    core = solver_kernels()  # compiled ahead of time, else numba's (loads on first use)

    span = float(np.mean([t.t_end - t.t_start for t in problem.tours]))
    eps_shift = max(span, 1.0) * 1e-4
    rs = np.array([(seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) % 2**64 or 1], np.uint64)
    plain = [problem.nodes[i].score for i in cand if not problem.nodes[i].mandatory]
    t0 = 0.6 * float(np.mean(plain)) if plain else 1.0  # tuned on the four benchmarks
    cycle = 4000
    it_state = np.zeros(1, dtype=np.int64)
    memo = new_memo(_MEMO_SLOTS, cur.route.shape[1])
    # zero-iteration call: loads (or, on first use, compiles) the kernels outside the clock
    core.search(arrays, cur, cur, cur, cand, rs, it_state, 0, t0, cycle, eps_shift, memo)
    clock = time.perf_counter()
    bad = core.prepare(arrays, cur, cand, rs, eps_shift, memo, True)  # schedule, greedy, polish
    if bad >= 0:
        tour = problem.tours[bad]
        msg = (
            f"tour {bad} is infeasible even without stops (from node {tour.start} to "
            f"{tour.end} between {tour.t_start:g} and {tour.t_end:g}, breaks included)"
        )
        raise PlanningError(msg)
    best = State(*(a.copy() for a in cur))
    trial = State(*(a.copy() for a in cur))
    chunk = 16  # chunks only decide where the clock is read, never the trajectory
    calls = 0
    while len(cand) > 0:
        todo = chunk
        if max_iterations is not None:
            todo = min(chunk, max_iterations - int(it_state[0]))
            if todo <= 0:
                break
        if time_limit is not None and time.perf_counter() - clock >= time_limit:
            break
        tick = time.perf_counter()
        core.search(arrays, cur, best, trial, cand, rs, it_state, todo, t0, cycle, eps_shift, memo)
        calls += 1
        if time.perf_counter() - tick < 0.02:
            chunk = min(chunk * 2, 4096)
    core.prepare(arrays, best, cand, rs, eps_shift, memo, False)  # polish, after any stop
    return best, int(it_state[0]), calls


def solve(
    problem: Problem,
    *,
    time_limit: float | None = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    require_mandatory: bool = False,
) -> Solution:
    """Maximise the score, then return earliest, then cut travel (module doc: rules, objective).

    Parameters
    ----------
    time_limit
        Seconds of search (``None``: stop only at *max_iterations*). Compilation of the
        kernels on the very first call is not counted.
    seed
        Seed of the search's random generator.
    max_iterations
        Stop after this many ruin-and-recreate iterations (machine-independent results).
    require_mandatory
        Raise :class:`~tours._errors.PlanningError` if a mandatory node cannot be placed.
    """
    if time_limit is None and max_iterations is None:
        msg = "give `time_limit` or `max_iterations` (both are None)"
        raise InputError(msg)
    began = time.perf_counter()
    arrays, cand = _compile(problem)
    length = len(cand) + 2
    cur = _empty_state(problem, length)
    best, iterations, calls = _search(
        problem, arrays, cur, cand, seed=seed, time_limit=time_limit, max_iterations=max_iterations
    )
    routes = [[int(x) for x in best.route[k, : best.rlen[k]]] for k in range(len(problem.tours))]
    visited = {i for r in routes for i in r[1:-1]}
    score = float(sum(problem.nodes[i].score for i in visited))
    missing = [
        i
        for i, node in enumerate(problem.nodes)
        if node.mandatory and i not in visited and i not in problem.depots
    ]
    for k, route in enumerate(routes):
        ev = evaluate_route(problem, k, route)
        if not ev.feasible:  # a bug in the kernels, never an input problem
            msg = f"internal error: solver route {k} fails evaluation: {ev.reason}"
            raise RuntimeError(msg)
    if missing and require_mandatory:
        msg = f"mandatory nodes {missing!r} cannot be placed in any tour"
        raise PlanningError(msg)
    return Solution(
        routes=routes,
        score=score,
        missing_mandatory=missing,
        iterations=iterations,
        seconds=time.perf_counter() - began,
        kernel_calls=calls,
    )


__all__ = [
    "Break",
    "BreakTaken",
    "Node",
    "Problem",
    "RouteEvaluation",
    "Solution",
    "Stop",
    "Tour",
    "check_solution",
    "evaluate_route",
    "solve",
]
