"""Benchmark the routing layer on the Chengdu extract (not a timed test).

Prints, in one run: a 40x40 walk matrix with ``routing.travel_matrix`` vs. a per-pair
networkx shortest-path loop on the same graph (target >= 20x), a 200x200 walk matrix
(target < 0.5 s), a 200x200 coach matrix with a departure-time axis (96 quarter-hours,
Chengdu's speed profile) vs. the same matrix without one (target <= 2x) and the first
parse vs. a cached load (target >= 10x).

Run: ``python bench/matrix.py [--osm FILE]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import yaml

from routing import NetworkSource, StreetNetwork, TravelPolicy, load_network, travel_matrix
from routing.traffic import CoachSpeedProfile

DEFAULT_OSM = Path(__file__).resolve().parents[1] / ".." / "shared" / "osm"
DEFAULT_OSM = DEFAULT_OSM / "chengdu-central-2018.osm.bz2"
TRAFFIC = Path(__file__).resolve().parents[1] / "data" / "chengdu" / "traffic.yaml"


def _points(net: StreetNetwork, count: int, seed: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    nodes = net.graph("walk").nodes
    points: list[tuple[float, float]] = []
    for node in rng.permutation(nodes):
        lat = float(net.lat[node] + rng.normal(0, 2e-4))
        lon = float(net.lon[node] + rng.normal(0, 2e-4))
        if net.contains(lat, lon):
            points.append((lat, lon))
        if len(points) == count:
            return points
    msg = "not enough points inside the bounds"
    raise SystemExit(msg)


def _best(func: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the three comparisons and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM.resolve())
    args = parser.parse_args()
    source = NetworkSource.from_file(args.osm)
    print(f"extract: {args.osm}")

    # 1. first parse vs cached load (fresh cache folders; best of 3 each)
    parse_times, cached_times = [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            first = load_network(source, cache_dir=Path(tmp))
            parse_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            net = load_network(source, cache_dir=Path(tmp))
            cached_times.append(time.perf_counter() - start)
            assert first.cache_status == "miss" and net.cache_status == "hit"
    parse_s, cached_s = min(parse_times), min(cached_times)
    stats = net.stats()
    print(
        f"network: walk {stats['walk']['nodes']:,} nodes / {stats['walk']['edges']:,} edges, "
        f"coach {stats['coach']['nodes']:,} nodes / {stats['coach']['edges']:,} edges"
    )

    # 2. 40x40 walk matrix: ours vs a per-pair networkx loop on the same graph
    pts40 = _points(net, 40, seed=1)
    ours40 = _best(lambda: travel_matrix(net, pts40, mode="walk"), 5)
    matrix40 = travel_matrix(net, pts40, mode="walk")
    graph = net.to_networkx("walk")
    nodes = [s.node for s in matrix40.snaps["walk"] if s is not None]
    start = time.perf_counter()
    loop = np.zeros((40, 40))
    for i, a in enumerate(nodes):
        for j, b in enumerate(nodes):
            loop[i, j] = nx.shortest_path_length(graph, a, b, weight="length")
    loop_s = time.perf_counter() - start
    snap = np.array([s.distance_m for s in matrix40.snaps["walk"] if s is not None])
    expect = loop + snap[:, None] + snap[None, :]
    np.fill_diagonal(expect, 0.0)
    agree = np.allclose(matrix40.distance_m, expect, rtol=1e-9)

    # 3. 200x200 matrices
    pts200 = _points(net, 200, seed=2)
    t200 = {
        mode: _best(lambda m=mode: travel_matrix(net, pts200, mode=m), 3)
        for mode in ("walk", "coach", "mixed")
    }

    # 4. 200x200 coach matrix with a departure-time axis vs without (same run)
    profile = CoachSpeedProfile.from_mapping(yaml.safe_load(TRAFFIC.read_text("utf-8")))
    td_policy = TravelPolicy(coach_profile=profile)
    quarters = np.arange(0, 86_400, 900.0)
    flat_s = _best(lambda: travel_matrix(net, pts200, mode="coach"), 3)
    td_s = _best(
        lambda: travel_matrix(net, pts200, mode="coach", policy=td_policy, departures=quarters),
        3,
    )
    td_ratio = td_s / flat_s

    ratio40 = loop_s / ours40
    ratio_cache = parse_s / cached_s
    ok = {True: "ok", False: "MISSED"}
    print()
    print(f"{'benchmark':<34}{'this project':>14}{'baseline':>14}{'ratio':>9}  target")
    print(
        f"{'40x40 walk matrix vs nx loop':<34}{ours40 * 1000:>11.1f} ms{loop_s * 1000:>11.0f} ms"
        f"{ratio40:>8.0f}x  >= 20x {ok[ratio40 >= 20]} (same numbers: {agree})"
    )
    for mode, secs in t200.items():
        target = f"< 0.5 s {ok[secs < 0.5]}" if mode == "walk" else "(info)"
        print(
            f"{'200x200 ' + mode + ' matrix':<34}{secs * 1000:>11.1f} ms{'':>14}{'':>9}  {target}"
        )
    print(
        f"{'200x200 coach, 96 departures':<34}{td_s * 1000:>11.1f} ms{flat_s * 1000:>11.1f} ms"
        f"{td_ratio:>8.2f}x  <= 2x {ok[td_ratio <= 2]}"
    )
    print(
        f"{'cached load vs first parse':<34}{cached_s * 1000:>11.1f} ms{parse_s * 1000:>11.0f} ms"
        f"{ratio_cache:>8.0f}x  >= 10x {ok[ratio_cache >= 10]}"
    )
    print(f"(best of several runs; {sys.platform}, load average may inflate times)")


if __name__ == "__main__":
    main()
