"""From a resolved request, a city pack and a street network to the solver's :class:`Problem`.

Time axis: seconds after local midnight of the first requested day (exact elapsed time, so a
daylight-saving change would not shift anything). Every window, service and travel time is a
whole number of minutes: travel times are rounded up, so the schedule shows round times and
the real (shorter) travel always fits.

Nodes: per day a start and an end depot; every fixed appointment (window ``[start, start]``,
pinned to its day, service = its length + buffer); every meal at a chosen restaurant (pinned,
window = the meal window); every requested place inside the network (windows per day from
its opening hours within the day window, ``[open, close - visit]``; service = visit + buffer).
Meals without a restaurant become solver breaks taken where the group is: at the hotel, or at
a stop before or after its visit or appointment (the rule: :mod:`tours.planning.solver.optw`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from routing import (
    GENERIC_PROFILE,
    CoachSpeedProfile,
    SnapError,
    StreetNetwork,
    TravelMatrix,
    TravelPolicy,
    travel_matrix,
)
from tours._errors import PlanningError
from tours.places.pack import CityPack, Place
from tours.places.traffic import profile_from
from tours.planning._coach_stops import StopChoice, fold_coach_stops
from tours.planning.request import MealSpec, Request, Resolved, ResolvedPlace, open_spans
from tours.planning.solver.optw import Break, Node, Problem, TimedTravel, Tour

NodeKind = Literal["start", "end", "visit", "appointment", "meal"]
MINUTE = 60.0
#: Walking that counts as one stop in the solver's balance key (after priority, plans
#: spread stops and walking over the days instead of leaving a day empty beside a full one).
BALANCE_WALK_M = 5000.0

#: Per place id, half-open local time spans ``[a, b)`` in which a visit to that place may not
#: *start* (shared capacity taken by other groups; see :mod:`tours.conference`).
BlockedStarts = Mapping[str, Sequence[tuple[dt.datetime, dt.datetime]]]


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
    stop_walks: StopChoice = field(default_factory=StopChoice)  # coach stops by row and leg
    via_stops: np.ndarray | None = None  # (n, n): the coach leg goes via a coach stop

    @property
    def days(self) -> list[dt.date]:
        """The requested dates (one solver tour each)."""
        return list(self.resolved.request.dates)

    def loc_of(self, node: int) -> int:
        """Matrix row of *node*."""
        return self.nodes[node].loc


def policy_for(resolved: Resolved) -> TravelPolicy:
    """The routing policy of the request (group pace, coach overhead, mixed threshold)."""
    return travel_policy(resolved.request, resolved.pack)


def coach_profile_for(request: Request, pack: CityPack | None) -> CoachSpeedProfile | None:
    """The coach speed profile of *request*: ``travel.coach_profile`` ("city": the pack's)."""
    choice = request.travel.coach_profile
    if isinstance(choice, dict):
        return profile_from(choice, where=f"{request.source}: field `travel.coach_profile`")
    if choice == "flat":
        return None
    if choice == "generic" or pack is None:
        return GENERIC_PROFILE
    return pack.coach_profile


def travel_policy(request: Request, pack: CityPack | None = None) -> TravelPolicy:
    """The routing policy of *request* (group pace, coach overhead, mixed threshold and the
    coach speed by hour: the request's profile, else *pack*'s, else the generic one)."""
    return TravelPolicy(
        walk_kmh=request.delegation.pace_kmh,
        coach_overhead_min=request.travel.coach_overhead_min,
        mixed_walk_max_min=request.travel.walk_max_min,
        coach_profile=coach_profile_for(request, pack),
    )


def outside_reason(
    network: StreetNetwork, place: Place, *, mode: str, policy: TravelPolicy
) -> str | None:
    """Why *place* cannot be reached on *network*, as a verb phrase (``None``: it can)."""
    lat, lon = float(place.lat), float(place.lon)
    if not network.contains(lat, lon):
        west, south, east, north = network.bounds
        dlat_km = max(south - lat, lat - north, 0.0) * 111.32
        dlon_km = max(west - lon, lon - east, 0.0) * 111.32 * math.cos(math.radians(lat))
        beyond = math.hypot(dlat_km, dlon_km)
        return f"lies {beyond:.1f} km outside the loaded street network"
    snap_mode = "coach" if mode == "coach" else "walk"
    try:
        network.snap(lat, lon, mode=snap_mode, max_snap_m=policy.max_snap_m)
    except SnapError as err:
        return f"cannot be reached on the loaded street network ({err})"
    return None


def timed_travel(matrix: TravelMatrix, rows: np.ndarray) -> TimedTravel | None:
    """The solver's time-dependent coach legs between matrix *rows* (``None``: no profile).

    The time axis starts at local midnight of the first day, so the profile's clock is the
    local time of day (a daylight-saving day is off by the shift until the change).
    """
    profile = matrix.profile
    if profile is None or matrix.drive_s is None or matrix.drive_offset_s is None:
        return None
    sel = np.ix_(rows, rows)
    drive = matrix.drive_s[sel]
    if not np.any(drive > 0):
        return None
    table_t, table_f = profile.table
    return TimedTravel(
        fixed=np.where(drive > 0, matrix.duration_s[sel] - drive, 0.0),
        drive=drive,
        offset=matrix.drive_offset_s[sel],
        table_t=table_t,
        table_f=table_f,
        round_to=MINUTE,
    )


def leg_seconds(matrix: TravelMatrix, a: int, b: int, depart: float) -> float:
    """Door-to-door seconds from matrix row *a* to *b* leaving at *depart* (unrounded)."""
    base = float(matrix.duration_s[a, b])
    if matrix.profile is None or matrix.drive_s is None or matrix.drive_offset_s is None:
        return base
    drive = float(matrix.drive_s[a, b])
    if drive <= 0:
        return base
    start = depart + float(matrix.drive_offset_s[a, b])
    return base - drive + float(matrix.profile.drive_time(start, drive))


def _ceil_minutes(seconds: np.ndarray) -> np.ndarray:
    out = np.full_like(seconds, np.inf)
    finite = np.isfinite(seconds)
    out[finite] = np.ceil(seconds[finite] / MINUTE - 1e-9) * MINUTE
    return out


def visit_windows(
    resolved: Resolved, entry: ResolvedPlace, axis: TimeAxis, *, last_entry: bool = True
) -> list[list[tuple[float, float]]]:
    """Per day, the allowed start times of a visit: open spans shortened by the visit.

    With *last_entry* (the rule), no visit starts after the place's last admission
    (``last_entry``, or ``min_inside`` minutes before the span closes).
    """
    request = resolved.request
    out: list[list[tuple[float, float]]] = []
    length = entry.minutes * MINUTE
    for day in request.dates:
        windows: list[tuple[float, float]] = []
        if day in entry.dates:
            spans = open_spans(request, resolved.pack, entry.place, day)
            for a, b in spans:
                lo = math.ceil(axis.t(a) / MINUTE - 1e-9) * MINUTE
                latest = axis.t(b) - length
                if last_entry:
                    latest = min(latest, last_entry_at(entry, axis, day, axis.t(b)))
                hi = math.floor(latest / MINUTE + 1e-9) * MINUTE
                if hi >= lo:
                    windows.append((lo, hi))
        out.append(windows)
    return out


def without_blocked_starts(
    windows: list[list[tuple[float, float]]],
    blocked: Sequence[tuple[dt.datetime, dt.datetime]],
    axis: TimeAxis,
) -> list[list[tuple[float, float]]]:
    """Per-day start windows minus the half-open spans *blocked* (whole minutes kept)."""
    cuts = sorted((axis.t(a), axis.t(b) - MINUTE) for a, b in blocked if b > a)
    out: list[list[tuple[float, float]]] = []
    for day_windows in windows:
        kept = list(day_windows)
        for lo_cut, hi_cut in cuts:
            next_kept: list[tuple[float, float]] = []
            for lo, hi in kept:
                if hi_cut < lo or lo_cut > hi:
                    next_kept.append((lo, hi))
                    continue
                if lo_cut - MINUTE >= lo:
                    next_kept.append((lo, lo_cut - MINUTE))
                if hi_cut + MINUTE <= hi:
                    next_kept.append((hi_cut + MINUTE, hi))
            kept = next_kept
        out.append(kept)
    return out


def last_entry_at(entry: ResolvedPlace, axis: TimeAxis, day: dt.date, close: float) -> float:
    """The last admission on *day* for a span closing at *close* (``inf``: no limit)."""
    latest = math.inf
    if entry.last_entry is not None:
        latest = axis.at(day, entry.last_entry)
    if entry.min_inside is not None:
        latest = min(latest, close - entry.min_inside * MINUTE)
    return latest


def _meal_break(meal: MealSpec, day: dt.date, axis: TimeAxis) -> Break:
    return Break(
        earliest=axis.at(day, meal.window.start),
        latest=axis.at(day, meal.window.end - meal.minutes),
        duration=meal.minutes * MINUTE,
    )


class _Builder:
    """Collects locations, nodes and tours while :func:`build_model` walks the request."""

    def __init__(
        self,
        resolved: Resolved,
        network: StreetNetwork,
        blocked_starts: BlockedStarts | None = None,
    ) -> None:
        self.resolved = resolved
        self.blocked_starts = blocked_starts or {}
        self.request = resolved.request
        self.network = network
        self.axis = TimeAxis(self.request.dates[0], resolved.timezone)
        self.policy = policy_for(resolved)
        self.days = list(self.request.dates)
        self.buffer_s = self.request.buffer_min * MINUTE
        self.locations: list[Place] = []
        self.loc_index: dict[str, int] = {}
        self.outside: dict[str, str] = {}
        self.nodes: list[NodeInfo] = []
        self.solver_nodes: list[Node] = []
        self.tours: list[Tour] = []
        self.breaks: list[list[int]] = []

    def outside_reason(self, place: Place) -> str | None:
        return outside_reason(
            self.network, place, mode=self.request.travel.mode, policy=self.policy
        )

    def loc(self, place: Place, what: str) -> int:
        """The matrix row of *place* (added on first use; an error if it is unreachable)."""
        if place.id in self.loc_index:
            return self.loc_index[place.id]
        reason = self.outside_reason(place)
        if reason is not None:
            msg = (
                f"{what} {place.names.en} (`{place.id}`) {reason}; "
                "load an extract that covers it (`network`) or choose another place"
            )
            raise PlanningError(msg)
        self.loc_index[place.id] = len(self.locations)
        self.locations.append(place)
        return self.loc_index[place.id]

    def add(self, info: NodeInfo, node: Node) -> int:
        self.nodes.append(info)
        self.solver_nodes.append(node)
        return len(self.nodes) - 1

    def add_mandatory(
        self,
        kind: NodeKind,
        place: Place,
        what: str,
        *,
        k: int,
        index: int,
        minutes: int,
        service: float,
        windows: list[list[tuple[float, float]]],
    ) -> None:
        """A node that must be visited on day *k* only: an appointment, or a meal at a chosen
        restaurant (*index* in the request; *what* names *place* if it is unreachable)."""
        info = NodeInfo(kind, place, self.loc(place, what), tour=k, index=index, minutes=minutes)
        node = Node(
            score=0.0, service=service, windows=windows, mandatory=True, tours=frozenset({k})
        )
        self.add(info, node)

    def pinned(self, k: int, lo: float, hi: float) -> list[list[tuple[float, float]]]:
        return [[(lo, hi)] if j == k else [] for j in range(len(self.days))]

    def add_tours(self) -> None:
        """Per day: the start and end depots, the daily window, meal breaks, walk limit."""
        request, resolved, axis = self.request, self.resolved, self.axis
        depot = Node(score=0.0, service=0.0, windows=[[]])
        for k, day in enumerate(self.days):
            start, end = resolved.starts[day], resolved.ends[day]
            s_idx = self.add(
                NodeInfo("start", start, self.loc(start, f"the start of {day}:"), tour=k), depot
            )
            e_idx = self.add(
                NodeInfo("end", end, self.loc(end, f"the end of {day}:"), tour=k), depot
            )
            day_breaks = sorted(
                (
                    (_meal_break(meal, day, axis), i)
                    for i, meal in request.meals_on(day)
                    if resolved.meal_places[i] is None
                ),
                key=lambda pair: (pair[0].earliest, pair[1]),
            )
            self.breaks.append([i for _b, i in day_breaks])
            window = request.window_on(day)
            limit = request.max_walk_km_on(day)
            self.tours.append(
                Tour(
                    start=s_idx,
                    end=e_idx,
                    t_start=axis.at(day, window.start),
                    t_end=axis.at(day, window.end),
                    breaks=[b for b, _i in day_breaks],
                    walk_limit=None if limit is None else limit * 1000.0,
                )
            )

    def add_fixed(self) -> None:
        """Appointments and meals at a chosen restaurant: mandatory, pinned to their day."""
        request, resolved, axis = self.request, self.resolved, self.axis
        for i, appt in enumerate(request.appointments):
            k = self.days.index(appt.date)
            place = resolved.appointments[i]
            at = axis.at(appt.date, appt.start)
            length = appt.end - appt.start
            self.add_mandatory(
                "appointment",
                place,
                f"the venue of {appt.title!r},",
                k=k,
                index=i,
                minutes=length,
                service=length * MINUTE + self.buffer_s,
                windows=self.pinned(k, at, at),
            )
        for k, day in enumerate(self.days):
            for i, meal in request.meals_on(day):
                restaurant = resolved.meal_places[i]
                if restaurant is None:
                    continue
                self.add_mandatory(
                    "meal",
                    restaurant,
                    f"the restaurant of {meal.title!r},",
                    k=k,
                    index=i,
                    minutes=meal.minutes,
                    service=meal.minutes * MINUTE,
                    windows=self.meal_windows(k, day, meal, restaurant),
                )

    def meal_windows(
        self, k: int, day: dt.date, meal: MealSpec, restaurant: Place
    ) -> list[list[tuple[float, float]]]:
        """When a meal at a chosen place may start on day *k*: inside the meal's window and
        while the place is open for the whole meal (unknown hours: the meal's window).

        Raises :class:`PlanningError` when the place is not open long enough in the window.
        """
        axis = self.axis
        lo = axis.at(day, meal.window.start)
        hi = axis.at(day, meal.window.end - meal.minutes)
        hours = self.resolved.pack.hours(restaurant)
        if hours is None:
            return self.pinned(k, lo, hi)
        length = meal.minutes * MINUTE
        spans = [
            (max(lo, axis.t(a)), min(hi, axis.t(b) - length))
            for a, b in hours.intervals_between(axis.local(lo), axis.local(hi + length))
        ]
        spans = [(a, b) for a, b in spans if b >= a]
        if not spans:
            msg = (
                f"{meal.title!r} at {restaurant.names.en} on {day:%a %d %b}: the place is not "
                f"open for {meal.minutes} min within {meal.window} (hours: "
                f"{restaurant.opening_hours}); choose another place or widen the meal's window"
            )
            raise PlanningError(msg)
        return [spans if j == k else [] for j in range(len(self.days))]

    def add_places(self) -> None:
        """Requested places inside the network; the others are noted (or an error)."""
        for entry in self.resolved.places:
            if entry.place.id not in self.loc_index:
                reason = self.outside_reason(entry.place)
                if reason is not None:
                    if entry.must_see:
                        msg = (
                            f"must-see {entry.place.names.en} (`{entry.place.id}`) {reason}; "
                            "make it optional or plan with an OSM extract that covers it "
                            "(`network`)"
                        )
                        raise PlanningError(msg)
                    self.outside[entry.place.id] = reason
                    continue
            self.add(
                NodeInfo(
                    "visit",
                    entry.place,
                    self.loc(entry.place, "place"),
                    entry=entry,
                    minutes=entry.minutes,
                ),
                Node(
                    score=float(entry.priority),
                    service=entry.minutes * MINUTE + self.buffer_s,
                    windows=without_blocked_starts(
                        visit_windows(self.resolved, entry, self.axis),
                        self.blocked_starts.get(entry.place.id, ()),
                        self.axis,
                    ),
                    mandatory=entry.must_see,
                ),
            )

    def model(self) -> Model:
        matrix = travel_matrix(
            self.network,
            [(float(p.lat), float(p.lon)) for p in self.locations],
            mode=self.request.travel.mode,
            policy=self.policy,
            labels=[p.names.en for p in self.locations],
        )
        matrix, stop_walks, via_stops = fold_coach_stops(
            self.network, matrix, self.locations, self.policy
        )
        rows = np.array([n.loc for n in self.nodes], dtype=np.int64)
        travel = _ceil_minutes(matrix.duration_s)[np.ix_(rows, rows)]
        walk = matrix.walk_distance_m[np.ix_(rows, rows)]
        problem = Problem(
            nodes=self.solver_nodes,
            travel=travel,
            tours=self.tours,
            walk=walk,
            timed=timed_travel(matrix, rows),
            balance_unit=BALANCE_WALK_M,
        )
        return Model(
            resolved=self.resolved,
            axis=self.axis,
            policy=self.policy,
            locations=self.locations,
            matrix=matrix,
            nodes=self.nodes,
            problem=problem,
            outside=self.outside,
            breaks=self.breaks,
            stop_walks=stop_walks,
            via_stops=via_stops,
        )


def build_model(
    resolved: Resolved,
    network: StreetNetwork,
    *,
    blocked_starts: BlockedStarts | None = None,
) -> Model:
    """Build the solver problem for *resolved* on *network*.

    *blocked_starts* (per place id, local spans ``[a, b)``) removes start times of visits:
    the hook through which conference planning keeps a group out of a full shared venue.

    Raises
    ------
    PlanningError
        A hotel, appointment venue, chosen restaurant or must-see is outside the network.
    """
    builder = _Builder(resolved, network, blocked_starts)
    builder.add_tours()
    builder.add_fixed()
    builder.add_places()
    return builder.model()
