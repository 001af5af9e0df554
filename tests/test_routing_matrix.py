"""Travel matrices, legs, travel modes and snapping on the real Chengdu network."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from routing import (
    SnapError,
    StreetNetwork,
    TravelPolicy,
    UnknownModeError,
    route_leg,
    travel_matrix,
)
from routing._graph import haversine_m

WUHOU_SHRINE = (30.6466, 104.0480)  # just south of the extract


def test_walk_matrix_matches_networkx(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    pts = chengdu_points[:10]
    m = travel_matrix(chengdu_net, pts, mode="walk")
    snaps = m.snaps["walk"]
    graph = chengdu_net.to_networkx("walk")
    policy = TravelPolicy()
    for i in range(len(pts)):
        for j in range(len(pts)):
            if i == j:
                assert m.duration_s[i, j] == 0.0
                assert m.mode[i, j] == "walk"
                continue
            a, b = snaps[i], snaps[j]
            assert a is not None
            assert b is not None
            path_m = nx.shortest_path_length(graph, a.node, b.node, weight="length")
            expected = path_m + a.distance_m + b.distance_m
            assert m.distance_m[i, j] == pytest.approx(expected, rel=1e-9)
            assert m.duration_s[i, j] == pytest.approx(expected / policy.walk_mps, rel=1e-9)
            assert m.walk_distance_m[i, j] == m.distance_m[i, j]
    # The walk graph is symmetric, so is the matrix.
    np.testing.assert_allclose(m.distance_m, m.distance_m.T, rtol=1e-9)


def test_coach_matrix_matches_networkx(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    pts = chengdu_points[:8]
    policy = TravelPolicy()
    m = travel_matrix(chengdu_net, pts, mode="coach", policy=policy)
    snaps = m.snaps["coach"]
    graph = chengdu_net.to_networkx("coach", policy=policy)
    assert np.isfinite(m.duration_s).all()
    asymmetric = 0
    for i in range(len(pts)):
        for j in range(len(pts)):
            if i == j:
                continue
            a, b = snaps[i], snaps[j]
            assert a is not None
            assert b is not None
            path = nx.shortest_path(graph, a.node, b.node, weight="travel_time")
            secs = sum(graph.edges[u, v]["travel_time"] for u, v in itertools.pairwise(path))
            metres = sum(graph.edges[u, v]["length"] for u, v in itertools.pairwise(path))
            access = a.distance_m + b.distance_m
            assert m.duration_s[i, j] == pytest.approx(
                secs + access / policy.walk_mps + 600.0, rel=1e-9
            )
            assert m.distance_m[i, j] == pytest.approx(metres + access, rel=1e-9)
            assert m.walk_distance_m[i, j] == 0.0
            assert m.mode[i, j] == "coach"
            asymmetric += not math.isclose(m.duration_s[i, j], m.duration_s[j, i])
    assert asymmetric > 0  # one-way streets make coach times direction-dependent


@pytest.mark.parametrize("mode", ["walk", "coach", "mixed"])
def test_route_leg_equals_matrix(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]], mode: str
) -> None:
    pts = chengdu_points[:6]
    m = travel_matrix(chengdu_net, pts, mode=mode)
    for i, j in [(0, 1), (1, 0), (2, 5), (4, 3)]:
        leg = route_leg(chengdu_net, pts[i], pts[j], mode=mode)
        assert leg.duration_s == m.duration_s[i, j]
        assert leg.distance_m == m.distance_m[i, j]
        assert leg.walk_distance_m == m.walk_distance_m[i, j]
        assert leg.mode == m.mode[i, j]
        assert leg.geometry[0] == pts[i]
        assert leg.geometry[-1] == pts[j]
        assert leg.overhead_s == (600.0 if leg.mode == "coach" else 0.0)
        # The geometry runs along the streets: its length is the leg's distance.
        lat = np.array([p[0] for p in leg.geometry])
        lon = np.array([p[1] for p in leg.geometry])
        along = float(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum())
        assert along == pytest.approx(leg.distance_m, rel=1e-6)


def test_mixed_switches_at_the_walk_threshold(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    a, b = chengdu_points[0], chengdu_points[1]
    walk = route_leg(chengdu_net, a, b, mode="walk")
    coach = route_leg(chengdu_net, a, b, mode="coach")
    limit = walk.duration_s / 60
    at = route_leg(chengdu_net, a, b, mode="mixed", policy=TravelPolicy(mixed_walk_max_min=limit))
    over = route_leg(
        chengdu_net, a, b, mode="mixed", policy=TravelPolicy(mixed_walk_max_min=limit * 0.999)
    )
    assert (at.mode, at.duration_s) == ("walk", walk.duration_s)
    assert (over.mode, over.duration_s) == ("coach", coach.duration_s)
    # Default policy: walk up to 15 minutes; the matrix agrees pair by pair.
    m = travel_matrix(chengdu_net, chengdu_points, mode="mixed")
    w = travel_matrix(chengdu_net, chengdu_points, mode="walk")
    c = travel_matrix(chengdu_net, chengdu_points, mode="coach")
    short = w.duration_s <= 15 * 60
    np.testing.assert_array_equal(m.mode == "walk", short)
    np.testing.assert_array_equal(m.duration_s, np.where(short, w.duration_s, c.duration_s))
    np.testing.assert_array_equal(m.walk_distance_m, np.where(short, w.distance_m, 0.0))
    assert short.sum() > len(chengdu_points)  # some short walks besides the diagonal
    assert (~short).sum() > 0


def test_coach_includes_overhead_and_pace_is_configurable(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    pts = chengdu_points[:5]
    base = travel_matrix(chengdu_net, pts, mode="coach")
    none = travel_matrix(chengdu_net, pts, mode="coach", policy=TravelPolicy(coach_overhead_min=0))
    off = ~np.eye(len(pts), dtype=bool)
    np.testing.assert_allclose(base.duration_s[off] - none.duration_s[off], 600.0)
    slow = travel_matrix(chengdu_net, pts, mode="walk", policy=TravelPolicy(walk_kmh=3.0))
    fast = travel_matrix(chengdu_net, pts, mode="walk", policy=TravelPolicy(walk_kmh=6.0))
    np.testing.assert_allclose(slow.duration_s[off], 2 * fast.duration_s[off])
    # Slower traffic makes coach legs slower, but never by the fixed overhead.
    jam = travel_matrix(chengdu_net, pts, mode="coach", policy=TravelPolicy(coach_urban_factor=0.3))
    assert (jam.duration_s[off] > base.duration_s[off]).all()


def test_mixed_walks_where_no_coach_road_is_near(chengdu_net: StreetNetwork) -> None:
    # A walk-network node far from every coach road: with a 40 m snap limit it can be
    # walked to but not reached by coach.
    walk = chengdu_net.graph("walk").nodes
    coach = chengdu_net.graph("coach").nodes
    lat_w, lon_w = chengdu_net.lat[walk], chengdu_net.lon[walk]
    lat_c, lon_c = chengdu_net.lat[coach], chengdu_net.lon[coach]
    inside = np.array([chengdu_net.contains(a, b) for a, b in zip(lat_w, lon_w, strict=True)])
    far = []
    for k in np.flatnonzero(inside)[::7]:
        if haversine_m(lat_w[k], lon_w[k], lat_c, lon_c).min() > 150:
            far.append((float(lat_w[k]), float(lon_w[k])))
            break
    assert far, "the extract has pedestrian areas away from roads"
    policy = TravelPolicy(max_snap_m=40)
    other = (float(lat_c[len(coach) // 2]), float(lon_c[len(coach) // 2]))
    with pytest.raises(SnapError, match="coach street"):
        travel_matrix(chengdu_net, [far[0], other], mode="coach", policy=policy)
    m = travel_matrix(chengdu_net, [far[0], other], mode="mixed", policy=policy)
    assert (m.mode == "walk").all()
    assert np.isfinite(m.duration_s).all()
    assert route_leg(chengdu_net, far[0], other, mode="mixed", policy=policy).mode == "walk"


def test_wuhou_shrine_is_outside_and_never_snapped(chengdu_net: StreetNetwork) -> None:
    lat, lon = WUHOU_SHRINE
    assert not chengdu_net.contains(lat, lon)
    nearest = haversine_m(lat, lon, chengdu_net.lat, chengdu_net.lon).min()
    with pytest.raises(SnapError, match="outside the street network's bounds") as info:
        chengdu_net.snap(lat, lon, label="Wuhou Shrine")
    message = str(info.value)
    assert "`Wuhou Shrine`" in message
    assert "30.6466" in message
    walk_nodes = chengdu_net.graph("walk").nodes
    walk_nearest = haversine_m(lat, lon, chengdu_net.lat[walk_nodes], chengdu_net.lon[walk_nodes])
    assert f"{walk_nearest.min():,.0f} m" in message
    assert walk_nearest.min() >= nearest > 500
    for mode in ("walk", "coach", "mixed"):
        with pytest.raises(SnapError, match="Wuhou Shrine"):
            travel_matrix(
                chengdu_net,
                [(30.6598, 104.0633), WUHOU_SHRINE],
                mode=mode,
                labels=["Tianfu Square", "Wuhou Shrine"],
            )


def test_snap_reports_distance_and_limit(chengdu_net: StreetNetwork) -> None:
    walk = chengdu_net.graph("walk")
    node = int(walk.nodes[len(walk.nodes) // 3])
    lat, lon = float(chengdu_net.lat[node]), float(chengdu_net.lon[node])
    exact = chengdu_net.snap(lat, lon)
    assert exact.distance_m == 0.0
    assert exact.node == int(chengdu_net.node_id[node])
    nearby = chengdu_net.snap(lat + 0.0003, lon)
    assert nearby.distance_m == pytest.approx(
        float(haversine_m(lat + 0.0003, lon, nearby.lat, nearby.lon))
    )
    assert nearby.distance_m <= 34  # at most the distance to the node we started from
    with pytest.raises(SnapError, match=r"`Hotel` .* m from the nearest walk street \(limit 5 m\)"):
        chengdu_net.snap(lat + 0.0003, lon, max_snap_m=5, label="Hotel")
    with pytest.raises(SnapError, match="not a valid latitude"):
        chengdu_net.snap(float("nan"), lon)


def test_unknown_mode(chengdu_net: StreetNetwork) -> None:
    with pytest.raises(UnknownModeError, match="`bike`"):
        travel_matrix(chengdu_net, [(30.66, 104.06)], mode="bike")
    with pytest.raises(UnknownModeError):
        route_leg(chengdu_net, (30.66, 104.06), (30.67, 104.07), mode="car")


def test_all_pairs_reachable_in_the_largest_component(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    for mode in ("walk", "coach"):
        m = travel_matrix(chengdu_net, chengdu_points, mode=mode)
        assert np.isfinite(m.duration_s).all()
        assert (m.duration_s[~np.eye(len(chengdu_points), dtype=bool)] > 0).all()
        assert m.duration_s.shape == (len(chengdu_points), len(chengdu_points))
