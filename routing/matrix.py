"""All-pairs travel times and distances between places, per travel mode.

Shortest paths run in compiled code (``scipy.sparse.csgraph.dijkstra`` with ``indices=``),
one search per distinct snapped node. ``walk`` searches by metres; ``coach`` by seconds, and
the metres of each fastest path are summed back along the search tree, vectorised over all
pairs at once.

With a coach speed profile (``TravelPolicy.coach_profile``) a coach leg's time depends on
when it leaves: :meth:`TravelMatrix.duration_at` gives the matrix for any departure time,
and ``travel_matrix(..., departures=...)`` a matrix with a departure-time axis. The fastest
path is the same at every hour (the profile scales all roads alike), so the axis costs no
extra shortest-path search.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse.csgraph import dijkstra

from routing._errors import SnapError
from routing.network import Snap, StreetNetwork
from routing.policy import LEG_MODES, TravelPolicy, check_mode
from routing.traffic import CoachSpeedProfile

Point = tuple[float, float]


@dataclass(frozen=True)
class TravelMatrix:
    """Travel between every pair of points (rows: from, columns: to).

    ``duration_s`` includes the coach overhead on coach legs and the walk between each place
    and its snapped node (at group pace); ``walk_distance_m`` is the whole leg for walk legs
    and 0 for coach legs; ``mode`` holds ``"walk"`` or ``"coach"`` per pair (the diagonal is
    a 0 s walk). Unreachable pairs are ``inf``.

    ``duration_s`` is the time at the profile's factor 1 (without a profile: at any hour).
    ``drive_s`` is the coach's driving part of it and ``drive_offset_s`` the time from leaving
    the door to the coach driving off (walk to it, boarding); both 0 on walk legs.
    ``departures_s`` and ``duration_by_departure`` (shape ``(T, n, n)``) are filled when
    ``travel_matrix`` was given departure times.
    """

    points: tuple[Point, ...]
    travel_mode: str
    duration_s: np.ndarray
    distance_m: np.ndarray
    walk_distance_m: np.ndarray
    mode: np.ndarray
    snaps: dict[str, list[Snap | None]] = field(default_factory=dict)
    drive_s: np.ndarray | None = None
    drive_offset_s: np.ndarray | None = None
    profile: CoachSpeedProfile | None = None
    departures_s: np.ndarray | None = None
    duration_by_departure: np.ndarray | None = None

    def duration_at(self, depart_s: float | np.ndarray) -> np.ndarray:
        """Durations for legs leaving at *depart_s* (seconds since midnight, local time).

        A scalar gives an ``(n, n)`` matrix; an array of ``T`` times a ``(T, n, n)`` one.
        Leaving later never arrives earlier: ``t + duration_at(t)`` never decreases in
        ``t`` (FIFO).
        """
        times = np.asarray(depart_s, dtype=np.float64)
        if self.profile is None or self.drive_s is None or self.drive_offset_s is None:
            return np.broadcast_to(self.duration_s, (*times.shape, *self.duration_s.shape)).copy()
        start = times[..., None, None] + self.drive_offset_s
        drive = self.profile.drive_time(start, self.drive_s)
        coach = self.drive_s > 0
        return np.where(coach, self.duration_s - self.drive_s + drive, self.duration_s)


@dataclass(frozen=True)
class _Numbers:
    distance_m: np.ndarray
    duration_s: np.ndarray
    drive_s: np.ndarray | float = 0.0
    drive_offset_s: np.ndarray | float = 0.0


def _path_lengths(
    *,
    pred: np.ndarray,
    rows: np.ndarray,
    targets: np.ndarray,
    keys: np.ndarray,
    lengths: np.ndarray,
    n: int,
) -> np.ndarray:
    """Metres along the search trees: for each (row of *pred*, target) pair."""
    cur = targets.astype(np.int64).copy()
    acc = np.zeros(len(cur))
    active = np.flatnonzero(pred[rows, cur] >= 0)
    while active.size:
        c = cur[active]
        p = pred[rows[active], c].astype(np.int64)
        acc[active] += lengths[np.searchsorted(keys, p * n + c)]
        cur[active] = p
        active = active[pred[rows[active], p] >= 0]
    return acc


def network_paths(
    net: StreetNetwork,
    mode: str,
    sources: np.ndarray,
    targets: np.ndarray,
    policy: TravelPolicy,
    *,
    predecessors: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Node-to-node metres and seconds (S x T) in the *mode* graph (and the predecessors)."""
    csr, keys, lengths, _ = net.weighted(mode, policy)
    n = csr.shape[0]
    uniq, inverse = np.unique(sources, return_inverse=True)
    if mode == "walk":
        if predecessors:
            dist, pred = dijkstra(csr, indices=uniq, return_predecessors=True)
        else:
            dist, pred = dijkstra(csr, indices=uniq), None
        metres = dist[inverse][:, targets]
        return metres, metres / policy.walk_mps, None if pred is None else pred[inverse]
    secs, pred = dijkstra(csr, indices=uniq, return_predecessors=True)
    seconds = secs[inverse][:, targets]
    rows = np.repeat(np.arange(len(uniq)), len(targets))
    flat = np.tile(targets, len(uniq))
    metres = _path_lengths(
        pred=pred, rows=rows, targets=flat, keys=keys, lengths=lengths, n=n
    ).reshape(len(uniq), -1)
    metres = np.where(np.isfinite(secs[:, targets]), metres, np.inf)[inverse]
    return metres, seconds, pred[inverse]


def leg_numbers(
    mode: str,
    *,
    snap_from: np.ndarray,
    snap_to: np.ndarray,
    metres: np.ndarray,
    seconds: np.ndarray,
    policy: TravelPolicy,
) -> _Numbers:
    """Door-to-door distance and duration from network metres/seconds and snap distances."""
    access = snap_from[:, None] + snap_to[None, :]
    distance = metres + access
    if mode == "walk":
        return _Numbers(distance, distance / policy.walk_mps)
    offset = snap_from[:, None] / policy.walk_mps + policy.coach_overhead_s
    return _Numbers(
        distance,
        seconds + access / policy.walk_mps + policy.coach_overhead_s,
        drive_s=seconds + 0.0 * snap_to[None, :],
        drive_offset_s=offset + 0.0 * snap_to[None, :],
    )


def snap_all(
    net: StreetNetwork,
    points: Sequence[Point],
    mode: str,
    policy: TravelPolicy,
    labels: Sequence[str | None] | None,
    *,
    optional: bool = False,
) -> list[Snap | None]:
    """Snap every point; with *optional*, a point too far from the streets gives ``None``."""
    snaps: list[Snap | None] = []
    for i, (lat, lon) in enumerate(points):
        label = labels[i] if labels is not None else None
        try:
            snaps.append(net.snap(lat, lon, mode=mode, max_snap_m=policy.max_snap_m, label=label))
        except SnapError:
            if not optional or not net.contains(lat, lon):
                raise
            snaps.append(None)
    return snaps


def _mode_numbers(
    net: StreetNetwork, snaps: list[Snap | None], mode: str, policy: TravelPolicy
) -> _Numbers:
    n = len(snaps)
    ok = np.array([s is not None for s in snaps])
    idx = np.array([s.index if s is not None else 0 for s in snaps], dtype=np.int64)
    off = np.array([s.distance_m if s is not None else np.inf for s in snaps])
    dist = np.full((n, n), np.inf)
    dur = np.full((n, n), np.inf)
    drive = np.zeros((n, n))
    offset = np.zeros((n, n))
    if ok.any():
        sel = np.flatnonzero(ok)
        metres, seconds, _ = network_paths(net, mode, idx[sel], idx[sel], policy)
        numbers = leg_numbers(
            mode,
            snap_from=off[sel],
            snap_to=off[sel],
            metres=metres,
            seconds=seconds,
            policy=policy,
        )
        dist[np.ix_(sel, sel)] = numbers.distance_m
        dur[np.ix_(sel, sel)] = numbers.duration_s
        drive[np.ix_(sel, sel)] = numbers.drive_s
        offset[np.ix_(sel, sel)] = numbers.drive_offset_s
    return _Numbers(dist, dur, np.where(np.isfinite(drive), drive, np.inf), offset)


def choose_mixed(walk_s: np.ndarray, coach_s: np.ndarray, policy: TravelPolicy) -> np.ndarray:
    """True where ``mixed`` walks: the walk is short enough, or no coach route exists."""
    return np.asarray((walk_s <= policy.mixed_walk_max_min * 60.0) | ~np.isfinite(coach_s))


def travel_matrix(
    net: StreetNetwork,
    points: Sequence[Point],
    *,
    mode: str,
    policy: TravelPolicy | None = None,
    labels: Sequence[str | None] | None = None,
    departures: Sequence[float] | np.ndarray | None = None,
) -> TravelMatrix:
    """Travel times and distances between all pairs of *points* ``(lat, lon)``.

    Parameters
    ----------
    mode : {"walk", "coach", "mixed"}
    policy
        Paces, overheads, limits and the coach speed profile; default :class:`TravelPolicy()`.
    labels
        Place names for error messages, aligned with *points*.
    departures
        Departure times (seconds since local midnight) for a departure-time axis:
        ``duration_by_departure[k]`` is the matrix for legs leaving at ``departures[k]``.

    Raises
    ------
    SnapError
        A point is outside the network's bounds or too far from any street (in ``mixed``
        mode a point only too far from a coach road is walked to and from instead).
    UnknownModeError
        *mode* is not a travel mode.
    """
    check_mode(mode)
    policy = policy or TravelPolicy()
    pts = tuple((float(lat), float(lon)) for lat, lon in points)
    n = len(pts)
    snaps: dict[str, list[Snap | None]] = {}
    numbers: dict[str, _Numbers] = {}
    for sub in LEG_MODES:
        if mode in (sub, "mixed"):
            optional = mode == "mixed" and sub == "coach"
            snaps[sub] = snap_all(net, pts, sub, policy, labels, optional=optional)
            numbers[sub] = _mode_numbers(net, snaps[sub], sub, policy)
    if mode == "walk":
        walks = np.ones((n, n), dtype=bool)
        chosen = numbers["walk"]
    elif mode == "coach":
        walks = np.zeros((n, n), dtype=bool)
        chosen = numbers["coach"]
    else:
        walk, coach = numbers["walk"], numbers["coach"]
        walks = choose_mixed(walk.duration_s, coach.duration_s, policy)
        chosen = _Numbers(
            np.where(walks, walk.distance_m, coach.distance_m),
            np.where(walks, walk.duration_s, coach.duration_s),
            np.where(walks, 0.0, coach.drive_s),
            np.where(walks, 0.0, coach.drive_offset_s),
        )
    duration, distance = chosen.duration_s.copy(), chosen.distance_m.copy()
    coords = np.array(pts, dtype=np.float64).reshape(n, 2)
    same = (coords[:, None, 0] == coords[None, :, 0]) & (coords[:, None, 1] == coords[None, :, 1])
    walks |= same
    duration[same] = 0.0
    distance[same] = 0.0
    labels_arr = np.where(walks, "walk", "coach")
    drive = np.where(walks | ~np.isfinite(duration), 0.0, np.broadcast_to(chosen.drive_s, (n, n)))
    offset = np.where(drive > 0, np.broadcast_to(chosen.drive_offset_s, (n, n)), 0.0)
    matrix = TravelMatrix(
        points=pts,
        travel_mode=mode,
        duration_s=duration,
        distance_m=distance,
        walk_distance_m=np.where(walks, distance, 0.0),
        mode=labels_arr,
        snaps=snaps,
        drive_s=drive,
        drive_offset_s=offset,
        profile=policy.coach_profile,
    )
    if departures is None:
        return matrix
    times = np.asarray(departures, dtype=np.float64).reshape(-1)
    return dataclasses.replace(
        matrix, departures_s=times, duration_by_departure=matrix.duration_at(times)
    )
