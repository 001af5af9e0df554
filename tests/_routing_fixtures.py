"""Session fixtures for the routing tests: the Chengdu network, loaded once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing import NetworkSource, StreetNetwork, load_network


@pytest.fixture(scope="session")
def routing_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder shared by the routing tests of this session."""
    return tmp_path_factory.mktemp("routing-cache")


@pytest.fixture(scope="session")
def chengdu_net(chengdu_bz2: Path, routing_cache: Path) -> StreetNetwork:
    """The Chengdu street network (parsed once per session)."""
    return load_network(NetworkSource.from_file(chengdu_bz2), cache_dir=routing_cache)


@pytest.fixture(scope="session")
def chengdu_points(chengdu_net: StreetNetwork) -> list[tuple[float, float]]:
    """Sixteen reproducible places near coach-road nodes, inside the bounds."""
    rng = np.random.default_rng(7)
    graph = chengdu_net.graph("coach")
    points: list[tuple[float, float]] = []
    for node in rng.permutation(graph.nodes):
        lat = float(chengdu_net.lat[node] + rng.normal(0, 3e-4))
        lon = float(chengdu_net.lon[node] + rng.normal(0, 3e-4))
        if chengdu_net.contains(lat, lon):
            points.append((lat, lon))
        if len(points) == 16:
            break
    return points
