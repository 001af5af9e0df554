"""Coach stops found in an OSM extract, for places whose pack and request give none.

A tour coach may set a group down only where coaches are allowed to stop. This module reads
the elements of an extract that say so, with pyosmium (the reader of
:mod:`tours.places.osm_features`), and caches them by the file's content the same way
(``osm-coach-stops/`` under the routing cache folder, keyed by the SHA-256 of the file's bytes,
the pyosmium version and a format version; written atomically, safe to delete).

Which elements are coach stops (:func:`coach_stop_rule`):

- ``amenity=bus_station`` (also ``public_transport=station`` with ``bus=yes``): a bus
  station or coach terminal, unless ``tourist_bus``/``coach``/``bus`` is ``no`` or
  ``access`` is ``no``/``private`` with no bus-specific permission;
- ``amenity=parking`` with ``tourist_bus``, ``coach`` or ``bus`` set to ``yes``,
  ``designated`` or ``permissive``: a coach park. ``access`` alone does not make a car park a
  coach park (``hgv=yes`` is a lorry park), and a ``no`` for ``tourist_bus``/``coach`` wins.

The most specific key decides (``tourist_bus`` over ``coach`` over ``bus`` over ``access``),
as in OSM's access hierarchy. ``highway=bus_stop`` is **not** used: it is a stop of public
bus lines, where other coaches may not stop (most road codes forbid it, e.g. Germany's StVO
§12 within 15 m of the sign, China's road-traffic rules at public bus stops), and counting
them would put a tour coach at every street corner.

A stop is a node's location, or a point inside a closed way (a station or car-park polygon;
on the line of an open way). Relations (multipolygon car parks) are not read. A stop is
offered for a place when it lies within :data:`COACH_STOP_RADIUS_M` of the place's entrance
(straight line); the planner then keeps it only if the walk and the coach can reach it
(:mod:`tours.planning._coach_stops`). Stops taken from OSM are marked as such in every output:
nobody checked that a coach may really stop there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from routing import cache_root, haversine_m
from tours.places.osm_features import (
    _file_key,
    existing_extract,
    load_cached,
    nodes_and_ways,
    reading_extract,
)
from tours.places.pack import CoachStop

#: Coach stops are offered for a place within this straight-line distance of its entrance
#: (metres): about 5 minutes on foot for a group, the walk a guide asks of a delegation
#: between a coach park and a sight.
COACH_STOP_RADIUS_M = 400.0
#: At most this many OSM coach stops (the nearest) are offered per place.
MAX_STOPS_PER_PLACE = 3

_CACHE_VERSION = "1"
_YES = frozenset({"yes", "designated", "permissive"})
_NO = frozenset({"no", "private"})
_BUS_KEYS = ("tourist_bus", "coach", "bus")
_memory: dict[str, list[OsmCoachStop]] = {}


@dataclass(frozen=True)
class OsmCoachStop:
    """An OSM element where a coach may stop.

    ``rule`` is the tag combination that made it one (``"amenity=parking + bus=yes"``);
    ``names`` holds its ``name``/``name:xx`` tags (often empty for car parks).
    """

    osm_id: str
    lat: float
    lon: float
    rule: str
    names: dict[str, str] = field(default_factory=dict)
    version: int | None = None

    @property
    def name(self) -> str:
        """English name, else the local name, else what it is (``"Coach park"``)."""
        if self.names.get("name:en") or self.names.get("name"):
            return self.names.get("name:en") or self.names["name"]
        return "Bus station" if "bus_station" in self.rule else "Coach park"

    def to_coach_stop(self, place_name: str, distance_m: float) -> CoachStop:
        """The stop as a place's :class:`CoachStop`, marked as taken from OSM."""
        return CoachStop(
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            source=(
                f"OpenStreetMap {self.osm_id} ({self.rule}), {distance_m:.0f} m from the "
                f"entrance of {place_name}; found by tours, not checked"
            ),
            derived_from=self.osm_id,
            name_local=self.names.get("name", ""),
        )


def coach_stop_rule(tags: dict[str, str]) -> str | None:
    """Why an element with *tags* is a coach stop (``"amenity=bus_station"``), else ``None``.

    See the module documentation for the rules.
    """
    amenity = tags.get("amenity")
    if amenity == "bus_station":
        base = "amenity=bus_station"
    elif tags.get("public_transport") == "station" and tags.get("bus") in _YES:
        base = f"public_transport=station + bus={tags['bus']}"
    elif amenity == "parking":
        base = "amenity=parking"
    else:
        return None
    for key in _BUS_KEYS:  # the most specific key that is set decides
        value = tags.get(key)
        if value in _NO:
            return None
        if value in _YES:
            return base if f"{key}=" in base else f"{base} + {key}={value}"
    if base != "amenity=parking" and tags.get("access") not in _NO:
        return base
    return None


def _cache_file(key: str) -> Path:
    return cache_root() / "osm-coach-stops" / f"{key}.json"


def _way_point(coords: list[tuple[float, float]], closed: bool) -> tuple[float, float]:
    """``(lon, lat)`` inside a closed way's polygon, else on its line."""
    from shapely.geometry import LineString, Polygon  # noqa: PLC0415

    geom: Any = LineString(coords)
    if closed and len(coords) >= 4:
        polygon = Polygon(coords)
        geom = polygon if polygon.is_valid else polygon.buffer(0)
        if geom.is_empty:
            geom = LineString(coords)
    point = geom.representative_point()
    return float(point.x), float(point.y)


def _parse(path: Path) -> list[OsmCoachStop]:
    found: list[OsmCoachStop] = []
    with reading_extract(path, "coach stops"):
        for obj in nodes_and_ways(path):
            tags = {t.k: t.v.strip() for t in obj.tags}
            rule = coach_stop_rule(tags)
            if rule is None:
                continue
            if obj.is_node():
                if not obj.location.valid():
                    continue
                lon, lat = obj.location.lon, obj.location.lat
                kind = "node"
            else:
                coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if not coords:
                    continue
                closed = len(obj.nodes) >= 4 and obj.nodes[0].ref == obj.nodes[-1].ref
                whole = len(coords) == len(obj.nodes)
                lon, lat = _way_point(coords, closed and whole) if len(coords) > 1 else coords[0]
                kind = "way"
            names = {k: v for k, v in tags.items() if (k == "name" or k.startswith("name:")) and v}
            version = int(obj.version) if obj.version and obj.version > 0 else None
            found.append(
                OsmCoachStop(f"{kind}/{obj.id}", round(lat, 7), round(lon, 7), rule, names, version)
            )
    return found


def load_osm_coach_stops(osm_file: Path, *, cache: bool = True) -> list[OsmCoachStop]:
    """The coach stops of *osm_file* (``.osm``, ``.osm.bz2``, ``.osm.pbf``), in file order.

    Parsed once per file content (memory and disk cache, see the module documentation).

    Raises
    ------
    InputError
        The file is missing or cannot be read as OSM data.
    """
    path = existing_extract(osm_file, "pass `network` (an OSM extract that has it)")
    key = _file_key(path) + f"-stops{_CACHE_VERSION}"
    return load_cached(
        path,
        key,
        _memory,
        _cache_file(key),
        cache=cache,
        parse=_parse,
        decode=lambda _path, rows: [OsmCoachStop(**row) for row in rows],
        encode=lambda stops: [asdict(s) for s in stops],
    )


def coach_stops_near(
    stops: list[OsmCoachStop],
    lat: float,
    lon: float,
    *,
    radius_m: float = COACH_STOP_RADIUS_M,
    limit: int = MAX_STOPS_PER_PLACE,
) -> list[tuple[OsmCoachStop, float]]:
    """The stops within *radius_m* of ``(lat, lon)``, nearest first, with their distance."""
    near = [(s, float(haversine_m(lat, lon, s.lat, s.lon))) for s in stops]
    near = [(s, d) for s, d in near if d <= radius_m]
    near.sort(key=lambda sd: (sd[1], sd[0].osm_id))
    return near[:limit]
