"""OSM files made in tests with pyosmium from the shared extracts (never committed)."""

from __future__ import annotations

from pathlib import Path

import osmium

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
