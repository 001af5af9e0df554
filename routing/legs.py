"""One travel leg between two places, with its path along real streets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing._errors import NoRouteError, SnapError
from routing.matrix import Point, choose_mixed, leg_numbers, network_paths, snap_all
from routing.network import Snap, StreetNetwork
from routing.policy import TravelPolicy, check_mode


@dataclass(frozen=True)
class RouteLeg:
    """A leg from ``a`` to ``b``.

    ``duration_s`` includes ``overhead_s`` (coach boarding and parking) and the walk between
    each place and the street network; ``geometry`` runs ``a`` -> streets -> ``b`` as
    ``(lat, lon)`` pairs. ``walk_distance_m`` is ``distance_m`` for walk legs, 0 for coach.
    ``drive_s`` is the coach's driving time in it; ``depart_s`` the departure time (seconds
    since local midnight) the duration was computed for, ``None`` when no time was given.
    """

    mode: str
    distance_m: float
    duration_s: float
    overhead_s: float
    geometry: list[tuple[float, float]]
    walk_distance_m: float = 0.0
    snaps: tuple[Snap, Snap] | None = None
    drive_s: float = 0.0
    depart_s: float | None = None

    def to_geojson(self) -> dict[str, object]:
        """The leg as a GeoJSON ``Feature`` (a LineString, coordinates ``[lon, lat]``)."""
        return {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[lon, lat] for lat, lon in self.geometry],
            },
            "properties": {
                "mode": self.mode,
                "distance_m": round(self.distance_m, 1),
                "duration_s": round(self.duration_s, 1),
                "overhead_s": self.overhead_s,
                "walk_distance_m": round(self.walk_distance_m, 1),
                "drive_s": round(self.drive_s, 1),
                "depart_s": self.depart_s,
            },
        }


def _leg(
    net: StreetNetwork,
    a: Point,
    b: Point,
    *,
    mode: str,
    policy: TravelPolicy,
    labels: tuple[str | None, str | None] | None,
    depart_s: float | None,
) -> RouteLeg:
    snaps = snap_all(net, [a, b], mode, policy, labels)
    sa, sb = snaps[0], snaps[1]
    if sa is None or sb is None:  # pragma: no cover - snap_all raises instead
        msg = "snapping failed"
        raise NoRouteError(msg)
    src = np.array([sa.index])
    dst = np.array([sb.index])
    metres, seconds, pred = network_paths(net, mode, src, dst, policy, predecessors=True)
    numbers = leg_numbers(
        mode,
        snap_from=np.array([sa.distance_m]),
        snap_to=np.array([sb.distance_m]),
        metres=metres,
        seconds=seconds,
        policy=policy,
    )
    duration = float(numbers.duration_s[0, 0])
    distance = float(numbers.distance_m[0, 0])
    drive = float(np.asarray(numbers.drive_s).reshape(-1)[0]) if mode == "coach" else 0.0
    if mode == "coach" and policy.coach_profile is not None and depart_s is not None:
        start = depart_s + float(np.asarray(numbers.drive_offset_s).reshape(-1)[0])
        duration += float(policy.coach_profile.drive_time(start, drive)) - drive
    if not np.isfinite(duration):
        names = labels or (None, None)
        msg = (
            f"no {mode} route from `{names[0] or a}` to `{names[1] or b}` in this network; "
            "try another mode or a larger extract"
        )
        raise NoRouteError(msg)
    if pred is None:  # pragma: no cover - requested above
        msg = "no search tree"
        raise NoRouteError(msg)
    path = [sb.index]
    while path[-1] != sa.index:
        path.append(int(pred[0, path[-1]]))
    path.reverse()
    coords = [tuple(row) for row in net.node_latlon(mode, np.array(path)).tolist()]
    geometry = [a, *coords, b]
    geometry = [p for i, p in enumerate(geometry) if i == 0 or p != geometry[i - 1]]
    if len(geometry) == 1:
        geometry.append(b)
    return RouteLeg(
        mode=mode,
        distance_m=distance,
        duration_s=duration,
        overhead_s=policy.coach_overhead_s if mode == "coach" else 0.0,
        geometry=[(float(lat), float(lon)) for lat, lon in geometry],
        walk_distance_m=distance if mode == "walk" else 0.0,
        snaps=(sa, sb),
        drive_s=drive,
        depart_s=depart_s,
    )


def route_leg(
    net: StreetNetwork,
    a: Point,
    b: Point,
    *,
    mode: str,
    policy: TravelPolicy | None = None,
    labels: tuple[str | None, str | None] | None = None,
    depart_s: float | None = None,
) -> RouteLeg:
    """The leg from *a* to *b* (``(lat, lon)``), with the same numbers as ``travel_matrix``.

    Parameters
    ----------
    mode : {"walk", "coach", "mixed"}
        ``mixed`` walks when the walk takes at most ``policy.mixed_walk_max_min``, else
        takes the coach (and walks when no coach route exists).
    labels
        Names of *a* and *b* for error messages.
    depart_s
        Departure time (seconds since local midnight): a coach leg then takes the time the
        policy's coach speed profile gives at that hour (``TravelMatrix.duration_at``).

    Raises
    ------
    SnapError, NoRouteError, UnknownModeError
    """
    check_mode(mode)
    policy = policy or TravelPolicy()
    a = (float(a[0]), float(a[1]))
    b = (float(b[0]), float(b[1]))
    if a == b:
        snap_all(net, [a], "walk", policy, labels[:1] if labels else None)
        return RouteLeg("walk", 0.0, 0.0, 0.0, [a, b])
    if mode != "mixed":
        return _leg(net, a, b, mode=mode, policy=policy, labels=labels, depart_s=depart_s)
    walk = _leg(net, a, b, mode="walk", policy=policy, labels=labels, depart_s=depart_s)
    try:
        coach = _leg(net, a, b, mode="coach", policy=policy, labels=labels, depart_s=depart_s)
    except (NoRouteError, SnapError):
        if not (net.contains(*a) and net.contains(*b)):
            raise
        return walk
    walks = choose_mixed(np.array(walk.duration_s), np.array(coach.duration_s), policy)
    return walk if bool(walks) else coach
