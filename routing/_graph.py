"""Build compact per-mode street graphs (edge arrays) from :class:`~routing._osm.RawStreets`.

Two graphs come from the same ways: ``walk`` (footways, pedestrian streets and steps allowed,
every street walkable both ways) and ``drive`` (for coaches: one-way streets respected). The
filters follow osmnx's ``walk`` and ``drive`` network types; on top of osmnx, pedestrian squares
(``area=yes`` polygons) are walked across (:mod:`routing._areas`). Each graph keeps only its largest
strongly connected component, so every snapped place can reach every other one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from routing._areas import add_walk_areas
from routing._osm import RawStreets

EARTH_RADIUS_M = 6_371_008.8

#: Road classes with a default coach speed (see ``TravelPolicy.coach_speeds_kmh``).
ROAD_CLASSES = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "road",
    "other",
)
_CLASS_INDEX = {name: i for i, name in enumerate(ROAD_CLASSES)}

_WALK_EXCLUDED = re.compile(
    r"abandoned|bus_guideway|construction|cycleway|motor|no|planned|platform|proposed|"
    r"raceway|razed|rest_area|services"
)
_DRIVE_EXCLUDED = re.compile(
    r"abandoned|bridleway|bus_guideway|construction|corridor|cycleway|elevator|escalator|"
    r"footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|rest_area|service|"
    r"services|steps|track"
)
_DRIVE_SERVICE_EXCLUDED = re.compile(
    r"alley|driveway|emergency_access|parking|parking_aisle|private"
)
_SIDEWALK_KEYS = ("sidewalk", "sidewalk:both", "sidewalk:left", "sidewalk:right")
_ONEWAY = {"yes", "true", "1", "-1", "reverse", "T", "F"}
_REVERSED = {"-1", "reverse", "T"}
_MPH = 1.609344


def _matches(pattern: re.Pattern[str], tags: dict[str, str], key: str) -> bool:
    value = tags.get(key)
    return value is not None and pattern.search(value) is not None


def _has(tags: dict[str, str], key: str, word: str) -> bool:
    value = tags.get(key)
    return value is not None and word in value


def walkable(tags: dict[str, str]) -> bool:
    """Whether a highway way belongs to the walk network (osmnx ``walk`` filter).

    Walkable areas (``area=yes`` squares) are not ways to walk along; :mod:`routing._areas`
    adds them to the walk graph as polygons to walk across.
    """
    return not (
        _has(tags, "area", "yes")
        or _has(tags, "access", "private")
        or _matches(_WALK_EXCLUDED, tags, "highway")
        or _has(tags, "foot", "no")
        or _has(tags, "service", "private")
        or any(_has(tags, key, "separate") for key in _SIDEWALK_KEYS)
    )


def drivable(tags: dict[str, str]) -> bool:
    """Whether a highway way belongs to the coach network (osmnx ``drive`` filter)."""
    return not (
        _has(tags, "area", "yes")
        or _has(tags, "access", "private")
        or _matches(_DRIVE_EXCLUDED, tags, "highway")
        or _has(tags, "motor_vehicle", "no")
        or _has(tags, "motorcar", "no")
        or _matches(_DRIVE_SERVICE_EXCLUDED, tags, "service")
    )


def drive_directions(tags: dict[str, str]) -> tuple[bool, bool]:
    """(forward, backward) travel allowed for a vehicle, following osmnx's one-way rules."""
    oneway = tags.get("oneway")
    if oneway is not None and oneway in _ONEWAY:
        return (False, True) if oneway in _REVERSED else (True, False)
    if tags.get("junction") == "roundabout":
        return True, False
    return True, True


def parse_maxspeed(value: str | None) -> float:
    """A ``maxspeed`` tag in km/h (``"50"``, ``"30 mph"``, ``"60;40"``); NaN when not numeric."""
    if not value:
        return float("nan")
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph)?", value.split(";")[0])
    if match is None:
        return float("nan")
    speed = float(match.group(1)) * (_MPH if match.group(2) else 1.0)
    return speed if speed > 0 else float("nan")


def haversine_m(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance in metres (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


@dataclass(frozen=True)
class ModeGraph:
    """One mode's graph, restricted to its largest strongly connected component.

    ``src``/``dst`` index the network's node arrays; ``nodes`` lists the component's nodes.
    ``road_class`` indexes :data:`ROAD_CLASSES`; ``maxspeed`` is km/h or NaN.
    """

    nodes: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    length: np.ndarray
    road_class: np.ndarray
    maxspeed: np.ndarray
    edges_total: int
    nodes_total: int


def build_mode_graph(streets: RawStreets, mode: str) -> ModeGraph:
    """Build the ``walk`` or ``drive`` graph of *streets*."""
    n_ways = len(streets.way_tags)
    keep = np.zeros(n_ways, dtype=bool)
    fwd = np.zeros(n_ways, dtype=bool)
    bwd = np.zeros(n_ways, dtype=bool)
    klass = np.full(n_ways, _CLASS_INDEX["other"], dtype=np.int8)
    speed = np.full(n_ways, np.nan)
    for i, tags in enumerate(streets.way_tags):
        if mode == "walk":
            keep[i] = fwd[i] = bwd[i] = walkable(tags)
        else:
            keep[i] = drivable(tags)
            fwd[i], bwd[i] = drive_directions(tags)
            klass[i] = _CLASS_INDEX.get(tags.get("highway", ""), _CLASS_INDEX["other"])
            speed[i] = parse_maxspeed(tags.get("maxspeed"))

    counts = np.diff(streets.way_ptr)
    seg_way = np.repeat(np.arange(n_ways), counts - 1)
    starts = np.ones(len(streets.way_nodes), dtype=bool)
    starts[streets.way_ptr[1:] - 1] = False  # the last node of a way starts no segment
    a = streets.way_nodes[starts]
    b = streets.way_nodes[np.roll(starts, 1)]
    if mode == "walk":
        a, b, seg_way = add_walk_areas(
            streets, keep=keep, fwd=fwd, bwd=bwd, a=a, b=b, seg_way=seg_way
        )
    sel = keep[seg_way] & (a != b)
    a, b, seg_way = a[sel], b[sel], seg_way[sel]
    f, r = fwd[seg_way], bwd[seg_way]
    src = np.concatenate([a[f], b[r]])
    dst = np.concatenate([b[f], a[r]])
    ways = np.concatenate([seg_way[f], seg_way[r]])
    length = haversine_m(streets.lat[src], streets.lon[src], streets.lat[dst], streets.lon[dst])

    n = len(streets.node_id)
    used = np.unique(np.concatenate([src, dst]))
    if len(src):
        adj = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
        _, labels = connected_components(adj, directed=True, connection="strong")
        sizes = np.bincount(labels[used], minlength=labels.max() + 1)
        in_scc = labels == np.argmax(sizes)
        in_scc[np.setdiff1d(np.arange(n), used)] = False
    else:
        in_scc = np.zeros(n, dtype=bool)
    edge_sel = in_scc[src] & in_scc[dst]
    return ModeGraph(
        nodes=np.flatnonzero(in_scc).astype(np.int64),
        src=src[edge_sel].astype(np.int64),
        dst=dst[edge_sel].astype(np.int64),
        length=length[edge_sel],
        road_class=klass[ways[edge_sel]],
        maxspeed=speed[ways[edge_sel]],
        edges_total=len(src),
        nodes_total=len(used),
    )
