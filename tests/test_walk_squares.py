"""Walking across squares mapped without a ``highway`` tag (issue 11, point 3).

``place=square`` (the station forecourt 站前广场, 中山广场), ``area=yes`` outlines named as
squares (Tianfu Square's outer outline, way 499418546; Krems' Bahnhofplatz) join the walk
network as areas (:mod:`routing._squares`); buildings, car parks, platforms and unnamed or
otherwise named ``area=yes`` outlines do not. A walk corner to corner across each is within
1.3x the straight line (before: 1.45x-2.19x, round the streets).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from _osm_files import KREMS_BZ2, MONACO_PBF, points_across, way_outlines

from routing import NetworkSource, StreetNetwork, load_network, route_leg
from routing._graph import haversine_m
from routing._squares import is_walk_square
from routing.network import BUILDER_VERSION, _versions

#: Squares without a highway tag in the shared extracts: way id -> name.
CHENGDU_SQUARES = {37635725: "站前广场", 113812098: "中山广场", 499418546: "天府广场"}
KREMS_SQUARES = {25046021: "Bahnhofplatz"}


@pytest.mark.parametrize(
    ("tags", "walkable"),
    [
        ({"place": "square", "area": "yes", "name": "站前广场"}, True),
        ({"place": "square", "name": "中山广场"}, True),  # a closed way: an area anyway
        ({"area": "yes", "name": "天府广场", "name:en": "Tianfu Square"}, True),
        ({"area": "yes", "name": "Bahnhofplatz", "source": "geoimage.at"}, True),
        ({"area": "yes", "name": "Place d'Armes"}, True),
        ({"area:highway": "pedestrian"}, True),
        ({"area": "yes", "name": "China Railway Erju Kindergarten"}, False),
        ({"area": "yes", "name": "测试"}, False),
        ({"area": "yes"}, False),  # unnamed outlines: could be anything
        ({"area": "yes", "name": "落客站台", "railway": "platform"}, False),
        ({"place": "square", "amenity": "parking"}, False),  # a car park named a square
        ({"place": "square", "building": "yes"}, False),
        ({"area": "yes", "leisure": "park", "name": "Jardins du Cafe de Paris"}, False),
        ({"place": "square", "access": "private"}, False),
        ({"place": "square", "foot": "no"}, False),
        ({"area": "yes", "highway": "pedestrian"}, False),  # routing._areas' own case
        ({"area": "yes", "name": "Squareone Tower"}, False),  # "square" is no whole word
    ],
)
def test_which_polygons_are_squares(tags: dict[str, str], walkable: bool) -> None:
    assert is_walk_square(tags) is walkable


def _outlines(path: Path) -> dict[int, tuple[str | None, np.ndarray]]:
    """Closed ways of *path* that are squares without highway: id -> (name, (lat, lon) rows)."""
    return way_outlines(path, lambda tags, closed: is_walk_square(tags) and closed)


def test_the_squares_of_the_shared_extracts(chengdu_pbf: Path) -> None:
    assert {w: n for w, (n, _) in _outlines(chengdu_pbf).items()} == CHENGDU_SQUARES
    assert {w: n for w, (n, _) in _outlines(KREMS_BZ2).items()} == KREMS_SQUARES
    assert _outlines(MONACO_PBF) == {}  # Monaco's squares all carry highway=pedestrian


def _cross(net: StreetNetwork, outline: np.ndarray) -> tuple[float, shapely.LineString]:
    a, b = points_across(outline)
    leg = route_leg(net, a, b, mode="walk")
    line = shapely.LineString([(lon, lat) for lat, lon in leg.geometry])
    return leg.distance_m / float(haversine_m(*a, *b)), line


def test_chengdu_squares_without_highway_are_crossed_about_straight(
    chengdu_net: StreetNetwork, chengdu_pbf: Path
) -> None:
    ratios = {}
    for way, (name, outline) in _outlines(chengdu_pbf).items():
        ratio, line = _cross(chengdu_net, outline)
        ratios[name] = round(ratio, 2)
        # across the square: the walk stays inside its outline (2e-4 degrees: about 20 m for
        # the points placed just inside and the step from the place onto the square)
        assert shapely.Polygon(outline[:, ::-1]).buffer(2e-4).covers(line), way
    assert ratios == {"站前广场": 1.11, "中山广场": 1.11, "天府广场": 1.11}


def test_krems_bahnhofplatz_is_crossed_about_straight(routing_cache: Path) -> None:
    net = load_network(NetworkSource.from_file(KREMS_BZ2), cache_dir=routing_cache)
    (outline,) = [rows for name, rows in _outlines(KREMS_BZ2).values() if name == "Bahnhofplatz"]
    ratio, _ = _cross(net, outline)
    assert ratio <= 1.1, ratio


def test_squares_are_not_driven(chengdu_net: StreetNetwork, chengdu_pbf: Path) -> None:
    """A square's outline is no road: the coach graph keeps none of its segments."""
    _name, outline = _outlines(chengdu_pbf)[37635725]
    coach = chengdu_net.graph("coach")
    lat, lon = chengdu_net.lat, chengdu_net.lon
    ring = {(round(a, 7), round(b, 7)) for a, b in outline.tolist()}
    edges = zip(coach.src.tolist(), coach.dst.tolist(), strict=True)
    on_ring = [
        (s, d)
        for s, d in edges
        if (round(float(lat[s]), 7), round(float(lon[s]), 7)) in ring
        and (round(float(lat[d]), 7), round(float(lon[d]), 7)) in ring
    ]
    assert on_ring == []


def test_the_square_rules_are_part_of_the_cache_key(chengdu_pbf: Path) -> None:
    assert BUILDER_VERSION == "3"
    assert _versions(NetworkSource.from_file(chengdu_pbf))["builder"] == "3"
