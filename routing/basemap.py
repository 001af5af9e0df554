"""A small vector base map from an OSM extract: streets by class, water and parks.

Maps drawn for phones that cannot reach a tile server still need context around the route.
:func:`load_basemap` reads the same OSM file the street network comes from and returns a
GeoJSON ``FeatureCollection`` with one feature per ``(layer, class)`` pair, clipped to a
bounding box, simplified and rounded so that a day map stays small. Results are cached,
content-addressed by the file's bytes, the box and the options.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
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
BASEMAP_FORMAT = 1

#: Street classes drawn, from the ``highway`` tag (``*_link`` roads count as their class).
STREET_CLASSES = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "pedestrian",
        "footway",
        "path",
        "steps",
        "cycleway",
        "track",
        "road",
    }
)
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


def _read(path: Path) -> dict[tuple[str, str], list[shapely.Geometry]]:
    """Raw geometries grouped by ``(layer, class)``."""
    factory = WKBFactory()
    groups: dict[tuple[str, str], list[shapely.Geometry]] = defaultdict(list)
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
        for obj in processor:
            if isinstance(obj, osmium.osm.Way):
                key = _way_key(obj.tags)
                if key is None:
                    continue
                with contextlib.suppress(osmium.InvalidLocationError, RuntimeError):
                    groups[key].append(shapely.from_wkb(factory.create_linestring(obj)))
            elif isinstance(obj, osmium.osm.Area):
                key = _classify_area(obj.tags)
                if key is None:
                    continue
                with contextlib.suppress(osmium.InvalidLocationError, RuntimeError):
                    groups[key].append(shapely.from_wkb(factory.create_multipolygon(obj)))
    except RuntimeError as err:  # libosmium reports unreadable input as RuntimeError
        msg = f"cannot read OSM file `{path}`: {err}; check that it is an OSM extract"
        raise NetworkSourceError(msg) from None
    return groups


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
    groups = _read(path)
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
