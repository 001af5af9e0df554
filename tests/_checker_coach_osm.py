"""The checker's own reading of coach stops in an OSM extract (shares no code with tours).

A coach stop the planner took from OSM must be an element that says coaches may stop there:
``amenity=bus_station`` (or ``public_transport=station`` + ``bus=yes``) not closed to buses,
or ``amenity=parking`` open to ``tourist_bus``/``coach``/``bus`` (the most specific of these
keys decides; ``highway=bus_stop`` never counts). Read once per file with pyosmium.
"""

from __future__ import annotations

import functools
from pathlib import Path

import osmium

#: A stop taken from OSM lies within this straight-line distance of its place (metres).
RADIUS_M = 400.0
#: ... and the walk between it and the place is at most this long (metres).
MAX_WALK_M = 600.0
#: A stop given in the request or the pack is at most this walk from its place (metres).
MAX_GIVEN_WALK_M = 1000.0

_OPEN = {"yes", "designated", "permissive"}
_CLOSED = {"no", "private"}


def _qualifies(tags: dict[str, str]) -> bool:
    station = tags.get("amenity") == "bus_station" or (
        tags.get("public_transport") == "station" and tags.get("bus") in _OPEN
    )
    if not station and tags.get("amenity") != "parking":
        return False
    for key in ("tourist_bus", "coach", "bus"):
        if tags.get(key) in _CLOSED:
            return False
        if tags.get(key) in _OPEN:
            return True
    return station and tags.get("access") not in _CLOSED


@functools.cache
def coach_stop_boxes(path: Path) -> dict[str, tuple[float, float, float, float]]:
    """``osm_id -> (south, west, north, east)`` of every element that is a coach stop."""
    out: dict[str, tuple[float, float, float, float]] = {}
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations():
        if not _qualifies({t.k: t.v for t in obj.tags}):
            continue
        if obj.is_node():
            lat, lon = obj.location.lat, obj.location.lon
            out[f"node/{obj.id}"] = (lat, lon, lat, lon)
        else:
            pts = [(n.lat, n.lon) for n in obj.nodes if n.location.valid()]
            if pts:
                lats, lons = [p[0] for p in pts], [p[1] for p in pts]
                out[f"way/{obj.id}"] = (min(lats), min(lons), max(lats), max(lons))
    return out
