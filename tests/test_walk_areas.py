"""Walking across pedestrian squares (``highway=pedestrian`` + ``area=yes`` polygons)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from _osm_files import MONACO_PBF as MONACO
from _osm_files import points_across, way_outlines

from routing import NetworkSource, StreetNetwork, load_network, route_leg
from routing._graph import haversine_m
from routing.network import _versions


def _squares(path: Path) -> dict[int, tuple[str | None, np.ndarray]]:
    """Every pedestrian/footway area of *path*: way id -> (name, outline (lat, lon) rows)."""
    return way_outlines(
        path,
        lambda tags, _closed: (
            tags.get("area") == "yes" and tags.get("highway") in {"pedestrian", "footway"}
        ),
    )


@pytest.fixture(scope="module")
def monaco_net(routing_cache: Path) -> StreetNetwork:
    return load_network(NetworkSource.from_file(MONACO), cache_dir=routing_cache)


@pytest.fixture(scope="module")
def chengdu_squares(chengdu_pbf: Path) -> dict[int, tuple[str | None, np.ndarray]]:
    return _squares(chengdu_pbf)


def _ratio(net: StreetNetwork, outline: np.ndarray) -> tuple[float, list[tuple[float, float]]]:
    a, b = points_across(outline)
    leg = route_leg(net, a, b, mode="walk")
    return leg.distance_m / float(haversine_m(*a, *b)), leg.geometry


def test_tianfu_square_is_crossed_about_straight(
    chengdu_net: StreetNetwork, chengdu_squares: dict[int, tuple[str | None, np.ndarray]]
) -> None:
    tianfu = [rows for name, rows in chengdu_squares.values() if name == "天府广场"]
    assert len(tianfu) == 2  # the square and its footway ring, both mapped as areas
    # the leg's geometry runs across the square: straight segments inside its outlines
    square = shapely.union_all([shapely.Polygon(rows[:, ::-1]) for rows in tianfu]).buffer(2e-4)
    for outline in tianfu:
        ratio, geometry = _ratio(chengdu_net, outline)
        assert ratio <= 1.3, ratio
        assert square.covers(shapely.LineString([(lon, lat) for lat, lon in geometry]))


@pytest.mark.parametrize("name", ["八宝广场", "成都舞台", "辛亥保路纪念广场", "火车头广场"])
def test_other_chengdu_squares(
    chengdu_net: StreetNetwork,
    chengdu_squares: dict[int, tuple[str | None, np.ndarray]],
    name: str,
) -> None:
    (outline,) = [rows for n, rows in chengdu_squares.values() if n == name]
    ratio, _ = _ratio(chengdu_net, outline)
    assert ratio <= 1.3, (name, ratio)


def test_every_monaco_square_is_crossed_about_straight(monaco_net: StreetNetwork) -> None:
    squares = _squares(MONACO)
    assert len(squares) == 6
    ratios = {way: _ratio(monaco_net, rows)[0] for way, (_, rows) in squares.items()}
    assert max(ratios.values()) <= 1.3, ratios
    # Place du Palais: 93 m corner to corner; before squares were walkable it was 552 m
    palace = next(w for w, (n, _) in squares.items() if n == "Place du Palais")
    assert ratios[palace] <= 1.15


def test_square_legs_are_straight_segments(monaco_net: StreetNetwork) -> None:
    squares = _squares(MONACO)
    _, outline = next(v for v in squares.values() if v[0] == "Place du Palais")
    a, b = points_across(outline)
    leg = route_leg(monaco_net, a, b, mode="walk")
    # place -> outline corner -> straight across -> corner -> place: a handful of points,
    # whose summed segment lengths are the leg's distance (what maps and GPX draw)
    assert len(leg.geometry) <= 5
    pts = np.array(leg.geometry)
    drawn = float(haversine_m(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1]).sum())
    assert drawn == pytest.approx(leg.distance_m, rel=1e-6)


def test_walk_areas_are_part_of_the_cache_key() -> None:
    versions = _versions(NetworkSource.from_file(MONACO))
    assert versions["builder"] == "3"
    assert "shapely" in versions
