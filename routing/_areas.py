"""Walkable areas: pedestrian squares, plazas and forecourts mapped as polygons.

OSM maps a square as a closed ``highway=pedestrian`` (or ``footway``, ``path``,
``living_street``) way tagged ``area=yes``, or without a ``highway`` tag (``place=square``,
a pedestrian ``area:highway``, or ``area=yes`` named as a square: :mod:`routing._squares`).
osmnx's ``walk`` filter drops such ways, so a walk "across" a square went round it by the
streets. Here each area becomes part of the walk graph:

- its outline is walkable (the ring's own segments), and
- its *portals* (outline nodes shared with other walkable ways, walkable nodes inside it) and
  its reflex (inward-pointing) corners are joined by straight edges wherever the straight line
  stays inside the polygon: a visibility graph. A shortest path inside a simple polygon bends
  only at reflex corners, so a walk across the square is its straight-line (or shortest
  in-polygon) distance, and its geometry is those straight segments.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from routing._osm import RawStreets

#: ``highway`` values whose ``area=yes`` polygons are walked across.
WALK_AREA_HIGHWAYS = frozenset({"pedestrian", "footway", "path", "living_street"})

#: Slack (metres) allowed outside the polygon when testing that a segment stays inside it:
#: absorbs rounding of coordinates along the outline.
INSIDE_TOLERANCE_M = 0.5
#: At most this many candidate nodes per area get the all-pairs visibility test.
MAX_CANDIDATES = 400
_EARTH_RADIUS_M = 6_371_008.8


def is_walk_area(tags: dict[str, str]) -> bool:
    """Whether a way is a walkable area (a square or plaza polygon open to pedestrians).

    A ``highway`` area of :data:`WALK_AREA_HIGHWAYS`, or a square without a ``highway`` tag,
    which the reader keeps as ``area=yes`` + ``place=square`` (:mod:`routing._squares`).
    """
    square = "highway" not in tags and tags.get("place") == "square"
    return (
        tags.get("area") == "yes"
        and (tags.get("highway") in WALK_AREA_HIGHWAYS or square)
        and tags.get("access") not in {"private", "no"}
        and tags.get("foot") != "no"
    )


def _project(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat0 = math.radians(float(np.mean(lat)))
    lon0 = float(np.mean(lon))
    x = np.radians(lon - lon0) * math.cos(lat0) * _EARTH_RADIUS_M
    y = np.radians(lat) * _EARTH_RADIUS_M
    return np.column_stack([x, y - y.mean()])


def _reflex(xy: np.ndarray) -> np.ndarray:
    """Which vertices of the ring *xy* (not closed) point into the polygon."""
    prev = np.roll(xy, 1, axis=0)
    nxt = np.roll(xy, -1, axis=0)
    cross = (xy[:, 0] - prev[:, 0]) * (nxt[:, 1] - xy[:, 1]) - (xy[:, 1] - prev[:, 1]) * (
        nxt[:, 0] - xy[:, 0]
    )
    signed_area = 0.5 * float(np.sum(prev[:, 0] * xy[:, 1] - xy[:, 0] * prev[:, 1]))
    return np.asarray(cross * signed_area < 0, dtype=bool)


def area_ways(streets: RawStreets) -> list[int]:
    """Indices of the ways that are walkable areas (closed, with at least three corners)."""
    out = []
    for i, tags in enumerate(streets.way_tags):
        if not is_walk_area(tags):
            continue
        nodes = streets.way_nodes[streets.way_ptr[i] : streets.way_ptr[i + 1]]
        if len(nodes) >= 4 and nodes[0] == nodes[-1] and len(np.unique(nodes)) >= 3:
            out.append(i)
    return out


def visibility_edges(
    streets: RawStreets, areas: list[int], street_nodes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Straight edges across each walkable area.

    Parameters
    ----------
    areas
        Way indices from :func:`area_ways`.
    street_nodes
        Boolean mask over the nodes: used by a walkable way that is not an area.

    Returns
    -------
    src, dst, way
        Node indices of each undirected edge (listed once) and the area way it crosses.
    """
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    on_rings = np.zeros(len(streets.node_id), dtype=np.int64)
    for way in areas:
        on_rings[np.unique(streets.way_nodes[streets.way_ptr[way] : streets.way_ptr[way + 1]])] += 1
    walk_nodes = street_nodes | (on_rings > 0)
    doors_mask = street_nodes | (on_rings > 1)
    for way in areas:
        ring = streets.way_nodes[streets.way_ptr[way] : streets.way_ptr[way + 1] - 1]
        ring_lat, ring_lon = streets.lat[ring], streets.lon[ring]
        south, north = ring_lat.min(), ring_lat.max()
        west, east = ring_lon.min(), ring_lon.max()
        inside = np.flatnonzero(
            walk_nodes
            & (streets.lat >= south)
            & (streets.lat <= north)
            & (streets.lon >= west)
            & (streets.lon <= east)
        )
        every = np.concatenate([ring, np.setdiff1d(inside, ring)])
        xy = _project(streets.lat[every], streets.lon[every])
        ring_xy = xy[: len(ring)]
        polygon = shapely.Polygon(ring_xy)
        if not polygon.is_valid:
            polygon = shapely.make_valid(polygon)
        if polygon.is_empty or polygon.area <= 0:
            continue
        extra = xy[len(ring) :]
        interior = shapely.contains_xy(polygon, extra[:, 0], extra[:, 1]) if len(extra) else []
        # every outline node is a place a walker can stand (a place may snap to it); beyond
        # the cap keep the doors and the reflex corners (where shortest paths bend)
        pick = np.concatenate([np.arange(len(ring)), len(ring) + np.flatnonzero(interior)])
        if len(pick) > MAX_CANDIDATES:
            portals = doors_mask[ring] | _reflex(ring_xy)
            pick = np.concatenate([np.flatnonzero(portals), len(ring) + np.flatnonzero(interior)])
            pick = pick[:MAX_CANDIDATES]
        if len(pick) < 2:
            continue
        i, j = np.triu_indices(len(pick), k=1)
        a, b = pick[i], pick[j]
        lines = shapely.linestrings(np.stack([xy[a], xy[b]], axis=1))
        zone = polygon.buffer(INSIDE_TOLERANCE_M)
        shapely.prepare(zone)
        ok = shapely.covers(zone, lines) & (every[a] != every[b])
        src.append(every[a[ok]])
        dst.append(every[b[ok]])
        owner.append(np.full(int(ok.sum()), way, dtype=np.int64))
    if not src:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(src), np.concatenate(dst), np.concatenate(owner)


#: A square's outline node joins the nearest street node of the main walk network within
#: this distance (metres) when the square is otherwise cut off from it (islands ringed by
#: roads whose sidewalks are mapped separately, squares drawn untied to the footways around).
ISLAND_LINK_M = 40.0
#: The same for an outline node of a square already on the main network that touches no
#: street itself: stepping off the square's edge onto the pavement beside it.
EDGE_LINK_M = 15.0


def kerb_links(
    streets: RawStreets,
    areas: list[int],
    street_nodes: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Short links from the outlines of walkable areas to the street network around them.

    Parameters
    ----------
    street_nodes
        Boolean mask over the nodes: used by a walkable way that is not an area.
    src, dst
        The walk graph's segments so far (node indices).

    Returns
    -------
    src, dst, way
        One undirected link per outline node that needs one, and the area way it belongs to.
    """
    from scipy.sparse import coo_matrix  # noqa: PLC0415
    from scipy.sparse.csgraph import connected_components  # noqa: PLC0415
    from scipy.spatial import cKDTree  # noqa: PLC0415

    empty = np.zeros(0, dtype=np.int64)
    if not areas or not len(src):
        return empty, empty, empty
    n = len(streets.node_id)
    adj = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, labels = connected_components(adj, directed=False)
    used = np.zeros(n, dtype=bool)
    used[src] = used[dst] = True
    main = labels == np.argmax(np.bincount(labels[used]))
    main &= used
    ring_nodes = np.zeros(n, dtype=bool)
    for way in areas:
        ring_nodes[streets.way_nodes[streets.way_ptr[way] : streets.way_ptr[way + 1]]] = True
    targets = np.flatnonzero(main & ~ring_nodes)
    if not len(targets):
        return empty, empty, empty
    xy = _project(streets.lat, streets.lon)
    tree = cKDTree(xy[targets])
    out_a: list[int] = []
    out_b: list[int] = []
    owner: list[int] = []
    for way in areas:
        ring = np.unique(streets.way_nodes[streets.way_ptr[way] : streets.way_ptr[way + 1]])
        island = not main[ring].any()
        limit = ISLAND_LINK_M if island else EDGE_LINK_M
        need = ring if island else ring[~street_nodes[ring]]
        if not len(need):
            continue
        dist, pos = tree.query(xy[need], distance_upper_bound=limit)
        ok = np.isfinite(dist)
        out_a.extend(need[ok].tolist())
        out_b.extend(targets[pos[ok]].tolist())
        owner.extend([way] * int(ok.sum()))
    return (
        np.asarray(out_a, dtype=np.int64),
        np.asarray(out_b, dtype=np.int64),
        np.asarray(owner, dtype=np.int64),
    )


def add_walk_areas(
    streets: RawStreets,
    *,
    keep: np.ndarray,
    fwd: np.ndarray,
    bwd: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    seg_way: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the walkable areas to the walk graph's segments.

    Marks each area way as kept and walkable both ways (its outline) in *keep*, *fwd*, *bwd*
    (updated in place) and returns the segments ``(a, b, seg_way)`` extended by the straight
    edges across each area and the links from its outline to the streets around it.
    """
    areas = area_ways(streets)
    is_area = np.zeros(len(keep), dtype=bool)
    is_area[areas] = True
    street_nodes = np.zeros(len(streets.node_id), dtype=bool)
    on_street = keep[seg_way] & ~is_area[seg_way]
    street_nodes[a[on_street]] = True
    street_nodes[b[on_street]] = True
    keep[areas] = fwd[areas] = bwd[areas] = True
    va, vb, vway = visibility_edges(streets, areas, street_nodes)
    a = np.concatenate([a, va])
    b = np.concatenate([b, vb])
    seg_way = np.concatenate([seg_way, vway])
    on = keep[seg_way]
    ka, kb, kway = kerb_links(streets, areas, street_nodes, a[on], b[on])
    return np.concatenate([a, ka]), np.concatenate([b, kb]), np.concatenate([seg_way, kway])
