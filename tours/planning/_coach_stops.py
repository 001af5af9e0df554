"""Coach stops: a coach cannot stop at every door.

A place with ``coach_stops`` (city pack, or a request's ``coach_stop``) is reached by coach
at its stop, the first one listed: the coach leg ends there and the group walks to the
entrance (on leaving: walks to the stop, then boards). For the solver the walk is folded
into the travel matrices of the coach legs to and from the place: duration = walk + coach
(stop to stop, at the departure time's speed) + walk, the walked metres count in the walk
matrix (the daily walking limit). The itinerary splits such a leg back into its parts
(:mod:`tours.planning._itinerary`). Walk legs, and two places sharing one stop, are not
changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from routing import RoutingError, StreetNetwork, TravelMatrix, TravelPolicy, travel_matrix
from tours._errors import InputError
from tours.itinerary import PlaceRef
from tours.places.pack import CoachStop, Place

#: A coach stop farther than this walk from its place's entrance is refused (metres).
MAX_STOP_WALK_M = 1000.0


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


def stop_ref(place: Place, stop: CoachStop) -> PlaceRef:
    """The waypoint the itinerary shows for *place*'s coach *stop*."""
    return PlaceRef(
        id=f"coach-stop-{place.id}",
        name_en=f"{stop.name} (coach stop for {place.names.en})",
        category="coach_stop",
        lat=float(stop.lat),
        lon=float(stop.lon),
        notes=f"Coach drop-off and pick-up; source: {stop.source}",
    )


def _stop_walk(
    network: StreetNetwork, place: Place, stop: CoachStop, policy: TravelPolicy
) -> StopWalk:
    where = f"the coach stop {stop.name!r} of {place.names.en} (`{place.id}`)"
    try:
        walk = travel_matrix(
            network,
            [(float(place.lat), float(place.lon)), (float(stop.lat), float(stop.lon))],
            mode="walk",
            policy=policy,
            labels=[place.names.en, stop.name],
        )
    except RoutingError as err:
        msg = f"{where} cannot be reached on foot ({err}); give a stop near the entrance"
        raise InputError(msg) from None
    out_m, in_m = float(walk.distance_m[0, 1]), float(walk.distance_m[1, 0])
    if not max(out_m, in_m) <= MAX_STOP_WALK_M:
        msg = (
            f"{where} is {max(out_m, in_m):.0f} m on foot from the entrance (at most "
            f"{MAX_STOP_WALK_M:.0f} m); give a stop near the entrance"
        )
        raise InputError(msg)
    return StopWalk(
        stop=stop,
        ref=stop_ref(place, stop),
        in_s=float(walk.duration_s[1, 0]),
        in_m=in_m,
        out_s=float(walk.duration_s[0, 1]),
        out_m=out_m,
    )


def fold_coach_stops(
    network: StreetNetwork,
    matrix: TravelMatrix,
    locations: list[Place],
    policy: TravelPolicy,
) -> tuple[TravelMatrix, dict[int, StopWalk], np.ndarray]:
    """*matrix* with the coach legs to and from places with a coach stop going via it.

    Returns the folded matrix, the stop walks by matrix row and the ``(n, n)`` mask of the
    pairs that go via a stop (all false without stops or in walk mode).

    Raises
    ------
    InputError
        A stop is off the network, not near a coach road, or too far from its entrance.
    """
    n = len(locations)
    folded = np.zeros((n, n), dtype=bool)
    if matrix.travel_mode == "walk" or matrix.drive_s is None or matrix.drive_offset_s is None:
        return matrix, {}, folded
    walks = {
        i: _stop_walk(network, place, place.coach_stops[0], policy)
        for i, place in enumerate(locations)
        if place.coach_stops
    }
    coach_snaps = matrix.snaps.get("coach", [])
    rows = np.array([j for j in range(n) if coach_snaps[j] is not None], dtype=np.int64)
    if not walks or rows.size == 0:
        return matrix, {}, folded
    ends = [
        walks[j].point if j in walks else (float(locations[j].lat), float(locations[j].lon))
        for j in rows
    ]
    try:
        coach = travel_matrix(
            network,
            ends,
            mode="coach",
            policy=policy,
            labels=[walks[j].stop.name if j in walks else locations[j].names.en for j in rows],
        )
    except RoutingError as err:
        msg = f"a coach stop cannot be reached by coach ({err}); give a stop on a road"
        raise InputError(msg) from None
    zero = np.zeros(len(rows))
    out_s, out_m, in_s, in_m = zero.copy(), zero.copy(), zero.copy(), zero.copy()
    has = np.zeros(len(rows), dtype=bool)
    for k, j in enumerate(rows):
        if j in walks:
            w = walks[int(j)]
            has[k] = True
            out_s[k], out_m[k], in_s[k], in_m[k] = w.out_s, w.out_m, w.in_s, w.in_m
    pts = np.array(ends)
    same_end = (pts[:, None, 0] == pts[None, :, 0]) & (pts[:, None, 1] == pts[None, :, 1])
    sub = np.ix_(rows, rows)
    fold = (
        (matrix.mode[sub] == "coach")
        & (has[:, None] | has[None, :])
        & ~same_end
        & np.isfinite(coach.duration_s)
    )
    assert coach.drive_s is not None and coach.drive_offset_s is not None
    walked = out_m[:, None] + in_m[None, :]

    def put(base: np.ndarray, value: np.ndarray) -> np.ndarray:
        out = base.copy()
        out[sub] = np.where(fold, value, base[sub])
        return out

    folded[sub] = fold
    result = dataclasses.replace(
        matrix,
        duration_s=put(matrix.duration_s, out_s[:, None] + coach.duration_s + in_s[None, :]),
        distance_m=put(matrix.distance_m, coach.distance_m + walked),
        walk_distance_m=put(matrix.walk_distance_m, walked),
        drive_s=put(matrix.drive_s, coach.drive_s),
        drive_offset_s=put(matrix.drive_offset_s, out_s[:, None] + coach.drive_offset_s),
        departures_s=None,
        duration_by_departure=None,
    )
    return result, walks, folded
