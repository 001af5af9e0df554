"""A small vector base map from an OSM extract: streets by class, water, parks and labels.

Maps drawn for phones that cannot reach a tile server still need context around the route.
:func:`load_basemap` reads the same OSM file the street network comes from and returns a
GeoJSON ``FeatureCollection`` with one feature per ``(layer, class)`` pair, clipped to a
bounding box, simplified and rounded so that a day map stays small. Results are cached,
content-addressed by the file's bytes, the box and the options.

Labels are point features (``layer`` ``"label"``): one per stretch of a named street (at its
middle, with the street's direction as ``angle`` in degrees, counter-clockwise from east)
and one per named landmark (sights, museums, temples, parks). Their ``names`` hold the
OSM ``name`` (key ``""``, the local name) and every ``name:<lang>`` the object has; which
to show, and which labels fit without overlapping, is the renderer's choice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from osmium.geom import WKBFactory
from shapely.geometry import mapping

from routing._cache import default_cache_dir, write_atomic
from routing._errors import NetworkSourceError

#: Bump when the output changes for the same input (invalidates cached base maps).
BASEMAP_FORMAT = 2

#: Street classes whose names are labelled (footpaths and service roads are not).
LABELLED_STREETS = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "pedestrian",
        "road",
    }
)
#: Street classes drawn, from the ``highway`` tag (``*_link`` roads count as their class).
STREET_CLASSES = LABELLED_STREETS | {"service", "footway", "path", "steps", "cycleway", "track"}
_WATER_LINES = frozenset({"river", "canal", "stream", "drain", "ditch"})
_WATER_AREAS = {
    ("natural", "water"),
    ("waterway", "riverbank"),
    ("landuse", "reservoir"),
    ("landuse", "basin"),
}
_PARK_AREAS = {
    ("leisure", "park"),
    ("leisure", "garden"),
    ("leisure", "nature_reserve"),
    ("landuse", "grass"),
    ("landuse", "meadow"),
    ("landuse", "village_green"),
    ("landuse", "recreation_ground"),
    ("landuse", "forest"),
    ("natural", "wood"),
}

#: ``(key, value)`` tags that make a named object a landmark label (``None``: any value).
_LANDMARK_TAGS = (
    ("tourism", "attraction"),
    ("tourism", "museum"),
    ("tourism", "gallery"),
    ("tourism", "zoo"),
    ("tourism", "theme_park"),
    ("historic", None),
    ("amenity", "place_of_worship"),
    ("amenity", "theatre"),
    ("amenity", "arts_centre"),
    ("leisure", "park"),
)
#: One street label per this much of a street's length, in degrees (about 700 m).
_LABEL_SPACING_DEG = 0.007
#: Streets shorter than this (degrees, about 80 m) get no label.
_LABEL_MIN_DEG = 0.0008
_DEFAULT_TOLERANCE_DEG = 2e-5  # about 2 m: invisible at street zoom, halves the vertices
_DEFAULT_DIGITS = 5  # about 1 m


def load_basemap(
    osm_path: Path,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    cache_dir: Path | None = None,
    tolerance_deg: float = _DEFAULT_TOLERANCE_DEG,
    digits: int = _DEFAULT_DIGITS,
) -> dict[str, Any]:
    """Read streets, water and parks from *osm_path* as a GeoJSON ``FeatureCollection``.

    Parameters
    ----------
    osm_path
        An OSM extract (``.osm``, ``.osm.bz2`` or ``.osm.pbf``).
    bbox
        ``(west, south, east, north)`` in degrees to clip to; ``None`` keeps everything.
    cache_dir
        Cache folder; ``None`` uses ``$TOURS_CACHE_DIR`` or the user cache folder.
    tolerance_deg
        Simplification tolerance in degrees.
    digits
        Decimal places kept in coordinates.

    Returns
    -------
    dict
        Features in lon/lat order with properties ``{"layer": {"street", "water", "park"},
        "class": <highway value, waterway value or area tag value>}``; streets first drawn
        last (water, then parks, then streets from minor to major).
    """
    path = Path(osm_path)
    if not path.is_file():
        msg = f"OSM file `{path}` not found; pass an existing .osm, .osm.bz2 or .osm.pbf file"
        raise NetworkSourceError(msg)
    if bbox is not None:
        west, south, east, north = (float(v) for v in bbox)
        if not (west < east and south < north):
            msg = f"base map `bbox` must be (west, south, east, north), got {bbox!r}"
            raise NetworkSourceError(msg)
        bbox = (west, south, east, north)

    cache_file = _cache_path(path, bbox, tolerance_deg, digits, cache_dir)
    if cache_file.is_file():
        with contextlib.suppress(OSError, ValueError):
            cached: dict[str, Any] = json.loads(cache_file.read_text(encoding="utf-8"))
            return cached

    collection = {
        "type": "FeatureCollection",
        "features": list(_features(path, bbox, tolerance_deg, digits)),
    }
    text = json.dumps(collection, separators=(",", ":"))
    with contextlib.suppress(OSError):  # a read-only cache must not stop the map
        write_atomic(cache_file, text.encode("utf-8"))
    fresh: dict[str, Any] = json.loads(text)  # plain lists, exactly as a cache hit returns
    return fresh


def basemap_cache_dir(cache_dir: Path | None = None) -> Path:
    """The folder holding cached base maps (``<cache>/basemap``)."""
    return (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "basemap"


def _cache_path(
    path: Path,
    bbox: tuple[float, float, float, float] | None,
    tolerance_deg: float,
    digits: int,
    cache_dir: Path | None,
) -> Path:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    options = {
        "format": BASEMAP_FORMAT,
        "bbox": None if bbox is None else [round(v, 6) for v in bbox],
        "tolerance": tolerance_deg,
        "digits": digits,
        "shapely": shapely.__version__,
    }
    digest.update(json.dumps(options, sort_keys=True).encode())
    return basemap_cache_dir(cache_dir) / f"{digest.hexdigest()[:32]}.json"


def _classify_area(tags: osmium.osm.TagList) -> tuple[str, str] | None:
    for key, value in _WATER_AREAS:
        if tags.get(key) == value:
            return "water", value
    if "water" in tags:
        return "water", "water"
    for key, value in _PARK_AREAS:
        if tags.get(key) == value:
            return "park", value
    return None


def _street_class(highway: str) -> str | None:
    base = highway.removesuffix("_link")
    return base if base in STREET_CLASSES else None


class _Raw:
    """What one pass over the file collects: geometries by class, named streets, landmarks."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], list[shapely.Geometry]] = defaultdict(list)
        #: ``(class, names)`` -> the street's ways (names as a sorted tuple of pairs)
        self.streets: dict[tuple[str, tuple[tuple[str, str], ...]], list[shapely.Geometry]] = (
            defaultdict(list)
        )
        self.landmarks: list[tuple[str, dict[str, str], shapely.Geometry]] = []


def _names(tags: osmium.osm.TagList) -> dict[str, str]:
    """``{"": name, "en": name:en, ...}`` of an OSM object (empty without a ``name``)."""
    name = tags.get("name")
    if not name:
        return {}
    names = {"": name}
    for tag in tags:
        key = tag.k
        if key.startswith("name:") and 2 <= len(key) - 5 <= 3 and key[5:].isalpha():
            names[key[5:]] = tag.v
    return names


def _landmark_class(tags: osmium.osm.TagList) -> str | None:
    for key, value in _LANDMARK_TAGS:
        found = tags.get(key)
        if found and (value is None or found == value):
            return found if value is None else value
    return None


def _read(path: Path) -> _Raw:
    """Raw geometries grouped by ``(layer, class)``, named streets and landmarks."""
    factory = WKBFactory()
    raw = _Raw()
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
        for obj in processor:
            if isinstance(obj, osmium.osm.Node):
                cls = _landmark_class(obj.tags)
                names = _names(obj.tags) if cls else {}
                if cls and names:
                    with contextlib.suppress(osmium.InvalidLocationError, RuntimeError):
                        point = shapely.Point(obj.location.lon, obj.location.lat)
                        raw.landmarks.append((cls, names, point))
            elif isinstance(obj, osmium.osm.Way):
                key = _way_key(obj.tags)
                if key is None:
                    continue
                with contextlib.suppress(osmium.InvalidLocationError, RuntimeError):
                    line = shapely.from_wkb(factory.create_linestring(obj))
                    raw.groups[key].append(line)
                    names = _names(obj.tags)
                    if key[0] == "street" and key[1] in LABELLED_STREETS and names:
                        raw.streets[(key[1], tuple(sorted(names.items())))].append(line)
            elif isinstance(obj, osmium.osm.Area):
                key = _classify_area(obj.tags)
                cls = _landmark_class(obj.tags)
                if key is None and cls is None:
                    continue
                with contextlib.suppress(osmium.InvalidLocationError, RuntimeError):
                    area = shapely.from_wkb(factory.create_multipolygon(obj))
                    if key is not None:
                        raw.groups[key].append(area)
                    names = _names(obj.tags)
                    if cls and names:
                        raw.landmarks.append((cls, names, area.representative_point()))
    except RuntimeError as err:  # libosmium reports unreadable input as RuntimeError
        msg = f"cannot read OSM file `{path}`: {err}; check that it is an OSM extract"
        raise NetworkSourceError(msg) from None
    return raw


def _way_key(tags: osmium.osm.TagList) -> tuple[str, str] | None:
    if "highway" in tags and tags.get("area") != "yes":
        cls = _street_class(tags["highway"])
        return None if cls is None else ("street", cls)
    waterway = tags.get("waterway")
    if waterway in _WATER_LINES and waterway is not None:
        return "water", waterway
    return None


_LAYER_ORDER = {"water": 0, "park": 1, "street": 2}
_STREET_ORDER = [
    "track",
    "path",
    "cycleway",
    "steps",
    "footway",
    "service",
    "pedestrian",
    "living_street",
    "road",
    "unclassified",
    "residential",
    "tertiary",
    "secondary",
    "primary",
    "trunk",
    "motorway",
]


def _sort_key(key: tuple[str, str]) -> tuple[int, int, str]:
    layer, cls = key
    rank = _STREET_ORDER.index(cls) if cls in _STREET_ORDER else 0
    return _LAYER_ORDER[layer], rank, cls


def _features(
    path: Path,
    bbox: tuple[float, float, float, float] | None,
    tolerance_deg: float,
    digits: int,
) -> Iterator[dict[str, Any]]:
    raw = _read(path)
    groups = raw.groups
    for key in sorted(groups, key=_sort_key):
        geom = _prepare(groups[key], bbox, tolerance_deg, digits)
        if geom is None:
            continue
        layer, cls = key
        yield {
            "type": "Feature",
            "properties": {"layer": layer, "class": cls},
            "geometry": mapping(geom),
        }
    yield from _street_labels(raw, bbox, digits)
    yield from _landmark_labels(raw, bbox, digits)


def _inside(point: shapely.Point, bbox: tuple[float, float, float, float] | None) -> bool:
    if bbox is None:
        return True
    west, south, east, north = bbox
    return bool(west <= point.x <= east and south <= point.y <= north)


def _street_labels(
    raw: _Raw, bbox: tuple[float, float, float, float] | None, digits: int
) -> Iterator[dict[str, Any]]:
    """A label point every :data:`_LABEL_SPACING_DEG` along each named street."""
    rank = {cls: n for n, cls in enumerate(reversed(_STREET_ORDER))}
    for (cls, name_items), ways in sorted(raw.streets.items()):
        names = dict(name_items)
        merged = shapely.line_merge(shapely.union_all(ways))
        for line in shapely.get_parts(merged):
            length = float(line.length)
            if length < _LABEL_MIN_DEG:
                continue
            count = max(1, round(length / _LABEL_SPACING_DEG))
            for k in range(count):
                at = (k + 0.5) / count
                point = line.interpolate(at, normalized=True)
                if not _inside(point, bbox):
                    continue
                ahead = line.interpolate(min(1.0, at + 0.02), normalized=True)
                behind = line.interpolate(max(0.0, at - 0.02), normalized=True)
                scale = math.cos(math.radians(point.y))
                angle = math.degrees(math.atan2(ahead.y - behind.y, (ahead.x - behind.x) * scale))
                if angle > 90:
                    angle -= 180
                elif angle < -90:
                    angle += 180
                yield _label(
                    point,
                    digits,
                    kind="street",
                    cls=cls,
                    names=names,
                    rank=rank.get(cls, 99),
                    angle=round(angle, 1),
                )


def _landmark_labels(
    raw: _Raw, bbox: tuple[float, float, float, float] | None, digits: int
) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, float, float]] = set()
    for cls, names, point in raw.landmarks:
        key = (names[""], round(point.x, 3), round(point.y, 3))
        if key in seen or not _inside(point, bbox):
            continue
        seen.add(key)
        yield _label(point, digits, kind="landmark", cls=cls, names=names, rank=0, angle=0.0)


def _label(
    point: shapely.Point,
    digits: int,
    *,
    kind: str,
    cls: str,
    names: dict[str, str],
    rank: int,
    angle: float,
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "layer": "label",
            "kind": kind,
            "class": cls,
            "names": names,
            "rank": rank,
            "angle": angle,
        },
        "geometry": {
            "type": "Point",
            "coordinates": [round(point.x, digits), round(point.y, digits)],
        },
    }


def _prepare(
    geoms: Iterable[shapely.Geometry],
    bbox: tuple[float, float, float, float] | None,
    tolerance_deg: float,
    digits: int,
) -> shapely.Geometry | None:
    parts = shapely.get_parts(np.asarray(list(geoms), dtype=object))
    if bbox is not None:
        parts = shapely.clip_by_rect(parts, *bbox)
    parts = shapely.simplify(parts, tolerance_deg, preserve_topology=True)
    parts = shapely.transform(parts, lambda xy: np.round(xy, digits))
    parts = shapely.get_parts(parts[~shapely.is_empty(parts)])
    lines = parts[np.isin(shapely.get_type_id(parts), [1, 2])]
    polygons = parts[shapely.get_type_id(parts) == 3]
    if len(polygons):
        polygons = polygons[shapely.area(polygons) > 0]
        return shapely.multipolygons(polygons) if len(polygons) else None
    if len(lines):
        lines = lines[shapely.length(lines) > 0]
        return shapely.multilinestrings(lines) if len(lines) else None
    return None
