"""From a resolved request, a city pack and a street network to the solver's :class:`Problem`.

Time axis: seconds after local midnight of the first requested day (exact elapsed time, so a
daylight-saving change would not shift anything). Every window, service and travel time is a
whole number of minutes: travel times are rounded up, so the schedule shows round times and
the real (shorter) travel always fits.

Nodes: per day a start and an end depot; every fixed appointment (window ``[start, start]``,
pinned to its day, service = its length + buffer); every meal at a chosen restaurant (pinned,
window = the meal window); every requested place inside the network (windows per day from
its opening hours within the day window, ``[open, close - visit]``; service = visit + buffer).
Meals without a restaurant become solver breaks taken where the group is.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from routing import SnapError, StreetNetwork, TravelMatrix, TravelPolicy, travel_matrix
from tours._errors import PlanningError
from tours.citypack import Place
from tours.planning.optw import Break, Node, Problem, Tour
from tours.planning.request import MealSpec, Resolved, ResolvedPlace, open_spans

NodeKind = Literal["start", "end", "visit", "appointment", "meal"]
MINUTE = 60.0


@dataclass(frozen=True)
class TimeAxis:
    """Seconds after the first day's local midnight <-> aware local datetimes."""

    first_day: dt.date
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        """The city's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def origin(self) -> dt.datetime:
        """Local midnight of the first day (t = 0)."""
        return dt.datetime.combine(self.first_day, dt.time(0, 0), tzinfo=self.tz)

    def t(self, when: dt.datetime) -> float:
        """Seconds after the origin."""
        return (when - self.origin).total_seconds()

    def at(self, day: dt.date, minutes: int) -> float:
        """Seconds after the origin for local *minutes* after midnight on *day*."""
        local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)
        return self.t(local + dt.timedelta(minutes=minutes))

    def local(self, t: float) -> dt.datetime:
        """The aware local datetime at *t* (rounded to the microsecond)."""
        utc = self.origin.astimezone(dt.UTC) + dt.timedelta(seconds=round(t, 6))
        return utc.astimezone(self.tz)


@dataclass(frozen=True)
class NodeInfo:
    """What a solver node stands for."""

    kind: NodeKind
    place: Place
    loc: int  # row/column in the travel matrix
    tour: int | None = None  # pinned day (depots, appointments, restaurant meals)
    entry: ResolvedPlace | None = None  # visits
    index: int = -1  # appointment or meal index in the request
    minutes: int = 0  # length shown in the itinerary (buffer excluded)

    @property
    def title(self) -> str:
        """A short label for messages."""
        return self.place.names.en


@dataclass
class Model:
    """The solver problem plus everything needed to read its solution back."""

    resolved: Resolved
    axis: TimeAxis
    policy: TravelPolicy
    locations: list[Place]
    matrix: TravelMatrix
    nodes: list[NodeInfo]
    problem: Problem
    outside: dict[str, str] = field(default_factory=dict)  # place id -> why
    breaks: list[list[int]] = field(default_factory=list)  # per tour: meal indices, sorted

    @property
    def days(self) -> list[dt.date]:
        """The requested dates (one solver tour each)."""
        return list(self.resolved.request.dates)

    def loc_of(self, node: int) -> int:
        """Matrix row of *node*."""
        return self.nodes[node].loc


def policy_for(resolved: Resolved) -> TravelPolicy:
    """The routing policy of the request (group pace, coach overhead, mixed threshold)."""
    request = resolved.request
    return TravelPolicy(
        walk_kmh=request.delegation.pace_kmh,
        coach_overhead_min=request.travel.coach_overhead_min,
        mixed_walk_max_min=request.travel.walk_max_min,
    )


def outside_reason(
    network: StreetNetwork, place: Place, *, mode: str, policy: TravelPolicy
) -> str | None:
    """Why *place* cannot be reached on *network*, as a verb phrase (``None``: it can)."""
    lat, lon = float(place.lat), float(place.lon)
    if not network.contains(lat, lon):
        west, south, east, north = network.bounds
        return (
            "lies outside the loaded street network "
            f"(W,S,E,N {west:.4f},{south:.4f},{east:.4f},{north:.4f})"
        )
    snap_mode = "coach" if mode == "coach" else "walk"
    try:
        network.snap(lat, lon, mode=snap_mode, max_snap_m=policy.max_snap_m)
    except SnapError as err:
        return f"cannot be reached on the loaded street network ({err})"
    return None


def _ceil_minutes(seconds: np.ndarray) -> np.ndarray:
    out = np.full_like(seconds, np.inf)
    finite = np.isfinite(seconds)
    out[finite] = np.ceil(seconds[finite] / MINUTE - 1e-9) * MINUTE
    return out


def visit_windows(
    resolved: Resolved, entry: ResolvedPlace, axis: TimeAxis
) -> list[list[tuple[float, float]]]:
    """Per day, the allowed start times of a visit: open spans shortened by the visit."""
    request = resolved.request
    out: list[list[tuple[float, float]]] = []
    length = entry.minutes * MINUTE
    for day in request.dates:
        windows: list[tuple[float, float]] = []
        if day in entry.dates:
            spans = open_spans(resolved.pack, entry.place, day, request.window_on(day))
            for a, b in spans:
                lo = math.ceil(axis.t(a) / MINUTE - 1e-9) * MINUTE
                hi = math.floor((axis.t(b) - length) / MINUTE + 1e-9) * MINUTE
                if hi >= lo:
                    windows.append((lo, hi))
        out.append(windows)
    return out


def _meal_break(meal: MealSpec, day: dt.date, axis: TimeAxis) -> Break:
    return Break(
        earliest=axis.at(day, meal.window.start),
        latest=axis.at(day, meal.window.end - meal.minutes),
        duration=meal.minutes * MINUTE,
    )


def build_model(resolved: Resolved, network: StreetNetwork) -> Model:
    """Build the solver problem for *resolved* on *network*.

    Raises
    ------
    PlanningError
        A hotel, appointment venue, chosen restaurant or must-see is outside the network.
    """
    request = resolved.request
    axis = TimeAxis(request.dates[0], resolved.timezone)
    policy = policy_for(resolved)
    mode = request.travel.mode
    buffer_s = request.buffer_min * MINUTE
    days = list(request.dates)

    locations: list[Place] = []
    loc_index: dict[str, int] = {}
    outside: dict[str, str] = {}

    def loc(place: Place, what: str) -> int:
        if place.id in loc_index:
            return loc_index[place.id]
        reason = outside_reason(network, place, mode=mode, policy=policy)
        if reason is not None:
            msg = (
                f"{what} {place.names.en} (`{place.id}`) {reason}; "
                "load an extract that covers it (`--osm`) or choose another place"
            )
            raise PlanningError(msg)
        loc_index[place.id] = len(locations)
        locations.append(place)
        return loc_index[place.id]

    nodes: list[NodeInfo] = []
    solver_nodes: list[Node] = []
    tours: list[Tour] = []
    breaks: list[list[int]] = []
    k_count = len(days)
    limit = request.travel.max_walk_km_per_day
    for k, day in enumerate(days):
        start = resolved.starts[day]
        end = resolved.ends[day]
        s_idx = len(nodes)
        nodes.append(NodeInfo("start", start, loc(start, f"the start of {day}:"), tour=k))
        solver_nodes.append(Node(score=0.0, service=0.0, windows=[[]]))
        e_idx = len(nodes)
        nodes.append(NodeInfo("end", end, loc(end, f"the end of {day}:"), tour=k))
        solver_nodes.append(Node(score=0.0, service=0.0, windows=[[]]))
        window = request.window_on(day)
        day_breaks: list[tuple[Break, int]] = []
        for i, meal in request.meals_on(day):
            if resolved.meal_places[i] is None:
                day_breaks.append((_meal_break(meal, day, axis), i))
        day_breaks.sort(key=lambda pair: (pair[0].earliest, pair[1]))
        breaks.append([i for _b, i in day_breaks])
        tours.append(
            Tour(
                start=s_idx,
                end=e_idx,
                t_start=axis.at(day, window.start),
                t_end=axis.at(day, window.end),
                breaks=[b for b, _i in day_breaks],
                walk_limit=None if limit is None else limit * 1000.0,
            )
        )

    def pinned(k: int, lo: float, hi: float) -> list[list[tuple[float, float]]]:
        return [[(lo, hi)] if j == k else [] for j in range(k_count)]

    for i, appt in enumerate(request.appointments):
        k = days.index(appt.date)
        place = resolved.appointments[i]
        at = axis.at(appt.date, appt.start)
        nodes.append(
            NodeInfo("appointment", place, loc(place, f"the venue of {appt.title!r},"), tour=k,
                     index=i, minutes=appt.end - appt.start)
        )
        solver_nodes.append(
            Node(score=0.0, service=(appt.end - appt.start) * MINUTE + buffer_s,
                 windows=pinned(k, at, at), mandatory=True, tours=frozenset({k}))
        )
    for k, day in enumerate(days):
        for i, meal in request.meals_on(day):
            place = resolved.meal_places[i]
            if place is None:
                continue
            lo = axis.at(day, meal.window.start)
            hi = axis.at(day, meal.window.end - meal.minutes)
            nodes.append(
                NodeInfo("meal", place, loc(place, f"the restaurant of {meal.title!r},"), tour=k,
                         index=i, minutes=meal.minutes)
            )
            solver_nodes.append(
                Node(score=0.0, service=meal.minutes * MINUTE, windows=pinned(k, lo, hi),
                     mandatory=True, tours=frozenset({k}))
            )
    for entry in resolved.places:
        if entry.place.id not in loc_index:
            reason = outside_reason(network, entry.place, mode=mode, policy=policy)
            if reason is not None:
                if entry.must_see:
                    msg = (
                        f"must-see {entry.place.names.en} (`{entry.place.id}`) {reason}; "
                        "make it optional or load an extract that covers it (`--osm`)"
                    )
                    raise PlanningError(msg)
                outside[entry.place.id] = reason
                continue
        nodes.append(
            NodeInfo("visit", entry.place, loc(entry.place, "place"), entry=entry,
                     minutes=entry.minutes)
        )
        solver_nodes.append(
            Node(score=float(entry.priority), service=entry.minutes * MINUTE + buffer_s,
                 windows=visit_windows(resolved, entry, axis), mandatory=entry.must_see)
        )

    matrix = travel_matrix(
        network,
        [(float(p.lat), float(p.lon)) for p in locations],
        mode=mode,
        policy=policy,
        labels=[p.names.en for p in locations],
    )
    rows = np.array([n.loc for n in nodes], dtype=np.int64)
    travel = _ceil_minutes(matrix.duration_s)[np.ix_(rows, rows)]
    walk = matrix.walk_distance_m[np.ix_(rows, rows)]
    problem = Problem(nodes=solver_nodes, travel=travel, tours=tours, walk=walk)
    return Model(
        resolved=resolved,
        axis=axis,
        policy=policy,
        locations=locations,
        matrix=matrix,
        nodes=nodes,
        problem=problem,
        outside=outside,
        breaks=breaks,
    )
