"""Coach stops: a coach cannot stop at every door.

A place's coach stops come from the request (``coach_stop``), else from the city pack
(``coach_stops``), else from the OSM extract of the network (:mod:`tours.places.osm_coach_stops`:
bus stations and coach parks within 400 m of the entrance; not for hotels, whose forecourt
takes coaches). A coach leg to such a place ends at one of its stops and the group walks to
the entrance; on leaving, the group walks to a stop, then boards.

Which stop: every coach leg ``a -> b`` takes the pick-up stop of ``a`` and the drop-off stop
of ``b`` with the shortest total walk + coach + walk (at the coach's base speed; the solver
then times the chosen legs at their departure hour). So a place reached from the north and
left to the south may use two different stops. A stop taken from OSM is kept only where the
group can walk between it and the entrance within :data:`MAX_DERIVED_WALK_M` and the coach
network passes within :data:`MAX_DERIVED_SNAP_M`; a stop from the request or pack that
fails these is an error naming it.

For the solver the walks are folded into the travel matrices of the coach legs: duration =
walk + coach (stop to stop) + walk; the walked metres count in the walk matrix (the daily
walking limit). The itinerary splits such a leg back into its parts
(:mod:`tours.planning._itinerary`). Walk legs, and two places sharing a stop, are not changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from routing import (
    RoutingError,
    SnapError,
    StreetNetwork,
    TravelMatrix,
    TravelPolicy,
    travel_matrix,
)
from tours._errors import InputError
from tours.itinerary import PlaceRef
from tours.places.osm_coach_stops import OsmCoachStop, coach_stops_near, load_osm_coach_stops
from tours.places.pack import CoachStop, Place

#: A coach stop from the request or pack farther than this walk from its place's entrance is
#: refused (metres).
MAX_STOP_WALK_M = 1000.0
#: A coach stop taken from OSM is used only within this walk of the entrance (metres; the
#: search radius is 400 m in a straight line, this allows for the detour of the streets).
MAX_DERIVED_WALK_M = 600.0
#: ... and only where the coach network passes within this distance (metres).
MAX_DERIVED_SNAP_M = 150.0


@dataclass(frozen=True)
class StopWalk:
    """A place's coach stop and the walks between it and the entrance."""

    stop: CoachStop
    ref: PlaceRef  # the stop as a waypoint of the itinerary
    in_s: float  # stop -> entrance
    in_m: float
    out_s: float  # entrance -> stop
    out_m: float

    @property
    def point(self) -> tuple[float, float]:
        """``(lat, lon)`` of the stop."""
        return (float(self.stop.lat), float(self.stop.lon))


@dataclass(frozen=True)
class StopChoice:
    """Per matrix row its usable coach stops, and per coach leg the ones it goes via.

    ``leave[a, b]`` is the index in ``walks[a]`` of the stop where the group boards for the
    leg ``a -> b``, ``reach[a, b]`` the index in ``walks[b]`` of the stop where it gets off
    (``-1``: at the door).
    """

    walks: dict[int, list[StopWalk]] = field(default_factory=dict)
    leave: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    reach: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    def pair(self, a: int, b: int) -> tuple[StopWalk | None, StopWalk | None]:
        """The pick-up stop at row *a* and the drop-off stop at row *b* of the leg ``a -> b``."""
        if a >= self.leave.shape[0] or b >= self.leave.shape[1]:
            return None, None
        i, j = int(self.leave[a, b]), int(self.reach[a, b])
        return (
            self.walks[a][i] if i >= 0 else None,
            self.walks[b][j] if j >= 0 else None,
        )


def stop_ref(place: Place, stop: CoachStop, number: int = 1) -> PlaceRef:
    """The waypoint the itinerary shows for *place*'s coach *stop* (its *number*-th).

    Ids: ``coach-stop-<place id>`` for the first stop, ``coach-stop-<place id>.<number>`` for
    the others. A stop taken from OSM carries its element as ``osm_id`` (and says so in its
    notes); a stop from the pack or the request has none: renderers flag the first kind as
    not checked.
    """
    suffix = "" if number == 1 else f".{number}"
    derived = stop.derived_from is not None
    what = "coach stop from OSM, not checked" if derived else "coach stop"
    return PlaceRef(
        id=f"coach-stop-{place.id}{suffix}",
        name_en=f"{stop.name} ({what})",
        name_local=stop.name_local,
        category="coach_stop",
        lat=float(stop.lat),
        lon=float(stop.lon),
        osm_id=stop.derived_from,
        notes=f"Coach drop-off and pick-up for {place.names.en}; source: {stop.source}",
    )


def _stop_walk(
    network: StreetNetwork,
    place: Place,
    stop: CoachStop,
    policy: TravelPolicy,
    number: int,
) -> StopWalk:
    derived = stop.derived_from is not None
    where = f"the coach stop {stop.name!r} of {place.names.en} (`{place.id}`)"
    try:
        if derived:
            network.snap(
                float(stop.lat), float(stop.lon), mode="coach", max_snap_m=MAX_DERIVED_SNAP_M
            )
        walk = travel_matrix(
            network,
            [(float(place.lat), float(place.lon)), (float(stop.lat), float(stop.lon))],
            mode="walk",
            policy=policy,
            labels=[place.names.en, stop.name],
        )
    except (RoutingError, SnapError) as err:
        msg = f"{where} cannot be reached on foot ({err}); give a stop near the entrance"
        raise InputError(msg) from None
    out_m, in_m = float(walk.distance_m[0, 1]), float(walk.distance_m[1, 0])
    limit = MAX_DERIVED_WALK_M if derived else MAX_STOP_WALK_M
    if not max(out_m, in_m) <= limit:
        msg = (
            f"{where} is {max(out_m, in_m):.0f} m on foot from the entrance (at most "
            f"{limit:.0f} m); give a stop near the entrance"
        )
        raise InputError(msg)
    return StopWalk(
        stop=stop,
        ref=stop_ref(place, stop, number),
        in_s=float(walk.duration_s[1, 0]),
        in_m=in_m,
        out_s=float(walk.duration_s[0, 1]),
        out_m=out_m,
    )


def osm_stops_of(network: StreetNetwork) -> list[OsmCoachStop]:
    """The coach stops of the network's OSM extract (none for an online network)."""
    source = network.source
    if source.kind != "file" or source.path is None:
        return []
    return load_osm_coach_stops(source.path)


def stops_of(place: Place, osm_stops: list[OsmCoachStop]) -> list[CoachStop]:
    """*place*'s coach stops: its own (request, pack), else the OSM ones near its entrance
    (none for a hotel)."""
    if place.coach_stops:
        return list(place.coach_stops)
    if place.category == "hotel" or not osm_stops:
        return []
    near = coach_stops_near(osm_stops, float(place.lat), float(place.lon))
    return [s.to_coach_stop(place.names.en, d) for s, d in near]


def _usable_walks(
    network: StreetNetwork, place: Place, stops: list[CoachStop], policy: TravelPolicy
) -> list[StopWalk]:
    """The walks to *place*'s stops; stops from OSM the group or coach cannot use are
    dropped (a stop from the request or pack raises)."""
    out: list[StopWalk] = []
    for stop in stops:
        try:
            out.append(_stop_walk(network, place, stop, policy, len(out) + 1))
        except InputError:
            if stop.derived_from is None:
                raise
    return out


def fold_coach_stops(
    network: StreetNetwork,
    matrix: TravelMatrix,
    locations: list[Place],
    policy: TravelPolicy,
    *,
    from_osm: bool = True,
) -> tuple[TravelMatrix, StopChoice, np.ndarray]:
    """*matrix* with the coach legs to and from places with coach stops going via them.

    Parameters
    ----------
    from_osm
        Look for stops in the network's OSM extract for places that have none.

    Returns
    -------
    matrix, choice, folded
        The folded matrix, the stops by matrix row and per leg, and the ``(n, n)`` mask of
        the pairs that go via a stop (all false without stops or in walk mode).

    Raises
    ------
    InputError
        A stop of the request or pack is off the network, not near a coach road, or too far
        from its entrance.
    """
    n = len(locations)
    folded = np.zeros((n, n), dtype=bool)
    if matrix.travel_mode == "walk" or matrix.drive_s is None or matrix.drive_offset_s is None:
        return matrix, StopChoice(), folded
    osm_stops = osm_stops_of(network) if from_osm else []
    coach_snaps = matrix.snaps.get("coach", [])
    walks: dict[int, list[StopWalk]] = {}
    for i, place in enumerate(locations):
        if i < len(coach_snaps) and coach_snaps[i] is None:
            continue  # not on the coach network: walked to and from anyway
        found = _usable_walks(network, place, stops_of(place, osm_stops), policy)
        if found:
            walks[i] = found
    rows = np.array([j for j in range(n) if coach_snaps[j] is not None], dtype=np.int64)
    if not walks or rows.size == 0:
        return matrix, StopChoice(), folded
    return _fold(network, matrix, locations, policy, walks=walks, rows=rows)


@dataclass
class _Ends:
    """Per matrix row (of *rows*) the points a coach leg may start or end at, padded."""

    points: list[tuple[float, float]]
    labels: list[str]
    end: np.ndarray  # (m, K) index into points, -1 padding
    out_s: np.ndarray  # (m, K) walk entrance -> stop, inf padding
    out_m: np.ndarray
    in_s: np.ndarray  # (m, K) walk stop -> entrance
    in_m: np.ndarray


def _ends(locations: list[Place], walks: dict[int, list[StopWalk]], rows: np.ndarray) -> _Ends:
    width = max(len(w) for w in walks.values())
    m = len(rows)
    end = np.full((m, width), -1, dtype=np.int64)
    out_s = np.full((m, width), np.inf)
    out_m, in_s, in_m = out_s.copy(), out_s.copy(), out_s.copy()
    points: list[tuple[float, float]] = []
    labels: list[str] = []
    for k, j in enumerate(rows.tolist()):
        if j in walks:
            for q, w in enumerate(walks[j]):
                end[k, q] = len(points)
                points.append(w.point)
                labels.append(w.stop.name)
                out_s[k, q], out_m[k, q], in_s[k, q], in_m[k, q] = w.out_s, w.out_m, w.in_s, w.in_m
        else:
            end[k, 0] = len(points)
            points.append((float(locations[j].lat), float(locations[j].lon)))
            labels.append(locations[j].names.en)
            out_s[k, 0] = out_m[k, 0] = in_s[k, 0] = in_m[k, 0] = 0.0
    return _Ends(points, labels, end, out_s, out_m, in_s, in_m)


def _choose(e: _Ends, coach_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of rows the fastest walk + coach + walk: ``(seconds, pick-up index,
    drop-off index, shared)``; *shared* marks pairs that have a stop in common."""
    m, width = e.end.shape
    pts = np.array(e.points)
    best = np.full((m, m), np.inf)
    pick_a = np.zeros((m, m), dtype=np.int64)
    pick_b = np.zeros((m, m), dtype=np.int64)
    shared = np.zeros((m, m), dtype=bool)
    for qa in range(width):
        ea = e.end[:, qa]
        for qb in range(width):
            eb = e.end[:, qb]
            valid = (ea >= 0)[:, None] & (eb >= 0)[None, :]
            sa, sb = np.where(ea >= 0, ea, 0), np.where(eb >= 0, eb, 0)
            shared |= (pts[sa][:, None, :] == pts[sb][None, :, :]).all(axis=2) & valid
            total = e.out_s[:, qa, None] + coach_s[np.ix_(sa, sb)] + e.in_s[None, :, qb]
            better = valid & np.isfinite(total) & (total < best)
            best = np.where(better, total, best)
            pick_a = np.where(better, qa, pick_a)
            pick_b = np.where(better, qb, pick_b)
    return best, pick_a, pick_b, shared


def _fold(
    network: StreetNetwork,
    matrix: TravelMatrix,
    locations: list[Place],
    policy: TravelPolicy,
    *,
    walks: dict[int, list[StopWalk]],
    rows: np.ndarray,
) -> tuple[TravelMatrix, StopChoice, np.ndarray]:
    n = len(locations)
    e = _ends(locations, walks, rows)
    try:
        coach = travel_matrix(network, e.points, mode="coach", policy=policy, labels=e.labels)
    except RoutingError as err:
        msg = f"a coach stop cannot be reached by coach ({err}); give a stop on a road"
        raise InputError(msg) from None
    drive_s, drive_offset_s = matrix.drive_s, matrix.drive_offset_s
    if drive_s is None or drive_offset_s is None or coach.drive_s is None:  # pragma: no cover
        msg = "internal error: a coach matrix without driving times"
        raise RuntimeError(msg)
    best, pick_a, pick_b, shared = _choose(e, coach.duration_s)
    has = np.array([int(j) in walks for j in rows])
    sub = np.ix_(rows, rows)
    fold = (matrix.mode[sub] == "coach") & (has[:, None] | has[None, :]) & ~shared
    fold &= np.isfinite(best)
    at = np.arange(len(rows))
    ea, eb = e.end[at[:, None], pick_a], e.end[at[None, :], pick_b]  # the chosen ends
    walked = e.out_m[at[:, None], pick_a] + e.in_m[at[None, :], pick_b]
    offset = e.out_s[at[:, None], pick_a] + np.asarray(coach.drive_offset_s)[ea, eb]

    def put(base: np.ndarray, value: np.ndarray) -> np.ndarray:
        out = base.copy()
        out[sub] = np.where(fold, value, base[sub])
        return out

    folded = np.zeros((n, n), dtype=bool)
    folded[sub] = fold
    result = dataclasses.replace(
        matrix,
        duration_s=put(matrix.duration_s, best),
        distance_m=put(matrix.distance_m, coach.distance_m[ea, eb] + walked),
        walk_distance_m=put(matrix.walk_distance_m, walked),
        drive_s=put(drive_s, coach.drive_s[ea, eb]),
        drive_offset_s=put(drive_offset_s, offset),
        departures_s=None,
        duration_by_departure=None,
    )
    leave = np.full((n, n), -1, dtype=np.int64)
    reach = np.full((n, n), -1, dtype=np.int64)
    leave[sub] = np.where(has[:, None] & fold, pick_a, -1)
    reach[sub] = np.where(has[None, :] & fold, pick_b, -1)
    return result, StopChoice(walks, leave, reach), folded
