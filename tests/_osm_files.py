"""OSM files made in tests with pyosmium from the shared extracts (never committed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import osmium

from routing._graph import haversine_m

SHARED_OTHER = Path(__file__).resolve().parents[1] / ".." / "shared" / "osm" / "other"
MONACO_PBF = (SHARED_OTHER / "monaco-2012.osm.pbf").resolve()
KREMS_BZ2 = (SHARED_OTHER / "krems-2013.osm.bz2").resolve()
#: A box around Monaco-Ville, the port and Monte-Carlo: it cuts ways and relations.
MONACO_CLIP = (7.4150, 43.7280, 7.4330, 43.7450)  # west, south, east, north


def convert(source: Path, target: Path) -> Path:
    """*source* written again in the format *target*'s name says (``.osm``, ``.osm.pbf``)."""
    writer = osmium.SimpleWriter(str(target))
    try:
        for obj in osmium.FileProcessor(str(source)):
            writer.add(obj)
    finally:
        writer.close()
    return target


def clip(source: Path, target: Path, box: tuple[float, float, float, float]) -> Path:
    """A bounding-box cut as download tools make it: the nodes inside *box*, every way with a
    node inside (its other nodes missing) and every relation with a member kept (its other
    members missing)."""
    west, south, east, north = box
    nodes: set[int] = set()
    ways: set[int] = set()
    for obj in osmium.FileProcessor(str(source), osmium.osm.NODE | osmium.osm.WAY):
        if isinstance(obj, osmium.osm.Node):
            loc = obj.location
            if loc.valid() and west <= loc.lon <= east and south <= loc.lat <= north:
                nodes.add(obj.id)
        elif any(n.ref in nodes for n in obj.nodes):
            ways.add(obj.id)
    writer = osmium.SimpleWriter(str(target))
    try:
        for obj in osmium.FileProcessor(str(source)):
            if isinstance(obj, osmium.osm.Node):
                keep = obj.id in nodes
            elif isinstance(obj, osmium.osm.Way):
                keep = obj.id in ways
            else:
                keep = any(
                    (m.type == "n" and m.ref in nodes) or (m.type == "w" and m.ref in ways)
                    for m in obj.members
                )
            if keep:
                writer.add(obj)
    finally:
        writer.close()
    return target


def way_outlines(
    path: Path, keep: Callable[[dict[str, str], bool], bool]
) -> dict[int, tuple[str | None, np.ndarray]]:
    """The ways of *path* that *keep* (given their tags and whether they are closed) accepts:
    way id -> (name, outline as (lat, lon) rows)."""
    out = {}
    reader = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
    )
    for way in reader:
        tags = {t.k: t.v for t in way.tags}
        if keep(tags, way.nodes[0].ref == way.nodes[-1].ref):
            rows = [(n.location.lat, n.location.lon) for n in way.nodes]
            out[way.id] = (tags.get("name"), np.array(rows))
    return out


def points_across(outline: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two points just inside an area, at the ends of its longest diagonal."""
    d = haversine_m(
        outline[:, None, 0], outline[:, None, 1], outline[None, :, 0], outline[None, :, 1]
    )
    i, j = np.unravel_index(np.argmax(d), d.shape)
    centre = outline.mean(axis=0)
    a = outline[i] + (centre - outline[i]) * 0.05
    b = outline[j] + (centre - outline[j]) * 0.05
    return (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
