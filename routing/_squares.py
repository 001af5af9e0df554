"""Which polygons without a ``highway`` tag are squares a group walks across.

Many squares are mapped as ``highway=pedestrian`` + ``area=yes`` (:mod:`routing._areas`), but
not all: a town square may carry only ``place=square``, and older or hastily drawn outlines
only ``area=yes`` and a name (Tianfu Square's outer outline in the Chengdu extract, way
499418546; the station forecourt 站前广场, way 37635725, is ``place=square``; Krems'
Bahnhofplatz, way 25046021). A closed way without ``highway`` is a walkable square when

- it is not closed to pedestrians (``access``/``foot`` ``no`` or ``private``), and
- it has none of the keys of something one does not walk across (:data:`NOT_A_SQUARE_KEYS`:
  buildings, car parks and other amenities, parks and land use, water, railway platforms,
  ...), and
- it says it is a square: ``place=square``; or ``area:highway`` is a pedestrian value
  (``pedestrian``, ``footway``, ``path``, ``living_street``); or it is ``area=yes`` and one of
  its names has a word for a square (:data:`SQUARE_NAME`: 广场, 広場, 광장, Square, Plaza,
  Platz/-platz, Place, Piazza, Plaça, Praça, Plac, Náměstí, Trg, Tér, Torget, Plein,
  Площадь, ساحة, ميدان).

The name rule keeps a kindergarten's or a test outline's ``area=yes`` (both in the Chengdu
extract) out of the walk network. Squares mapped with ``highway=residential`` + ``area=yes``
(Krems' Pfarrplatz) are road areas and stay out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: ``highway`` (and ``area:highway``) values of areas open to walking across.
PEDESTRIAN_AREA_VALUES = frozenset({"pedestrian", "footway", "path", "living_street"})

#: Keys of features one does not walk across: a polygon with any of them is no square.
NOT_A_SQUARE_KEYS = (
    "building",
    "building:part",
    "amenity",
    "leisure",
    "landuse",
    "natural",
    "railway",
    "public_transport",
    "aeroway",
    "man_made",
    "waterway",
    "barrier",
    "parking",
    "power",
    "shop",
    "sport",
)

#: A word for "square" in a name (CJK words anywhere, others as words; German compounds end
#: in -platz).
SQUARE_NAME = re.compile(
    r"广场|広場|광장|ساحة|ميدان|platz\b|"
    r"\b(square|plaza|place|piazza|piazzale|plaça|praça|plac|náměstí|námestie|trg|tér|"
    r"torget|torv|plein|площадь)\b",
    re.IGNORECASE,
)

_CLOSED = frozenset({"no", "private"})

#: Way keys the network reader passes to :func:`is_walk_square` for ways without ``highway``.
SQUARE_FILTER_KEYS = ("place", "area", "area:highway")


def _square_named(tags: Mapping[str, str]) -> bool:
    return any(
        SQUARE_NAME.search(value) is not None
        for key, value in tags.items()
        if key == "name" or key.startswith(("name:", "alt_name", "official_name"))
    )


def is_walk_square(tags: Mapping[str, str]) -> bool:
    """Whether a polygon with all its *tags* and no ``highway`` is a square to walk across.

    See the module documentation for the rules.
    """
    if "highway" in tags:
        return False
    if tags.get("access") in _CLOSED or tags.get("foot") in _CLOSED:
        return False
    if any(key in tags for key in NOT_A_SQUARE_KEYS):
        return False
    if tags.get("place") == "square" or tags.get("area:highway") in PEDESTRIAN_AREA_VALUES:
        return True
    return tags.get("area") == "yes" and _square_named(tags)
