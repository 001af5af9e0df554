"""Default visit lengths of places read from OpenStreetMap, per kind of place.

A place read from an extract (a request without a city pack, ``osm:`` places added to a pack,
``tours pack init``) gets the visit length of the first row of :data:`VISIT_DEFAULTS` its
tags match, else :data:`FALLBACK`. A request overrides it per place (``minutes``); a pack's
editor overrides it in ``places.yaml``. ``data/README.md`` lists the same table.
"""

from __future__ import annotations

from collections.abc import Mapping

#: ``(key, values, visit minutes, shortest visit minutes, kind)``; empty *values*: any value.
VISIT_DEFAULTS: tuple[tuple[str, frozenset[str], int, int, str], ...] = (
    ("tourism", frozenset({"museum"}), 90, 45, "museum"),
    ("tourism", frozenset({"gallery"}), 60, 30, "gallery"),
    ("amenity", frozenset({"arts_centre"}), 60, 30, "arts centre"),
    ("amenity", frozenset({"theatre"}), 60, 30, "theatre"),
    ("amenity", frozenset({"conference_centre", "exhibition_centre"}), 60, 30, "venue"),
    ("amenity", frozenset({"place_of_worship", "monastery"}), 30, 15, "place of worship"),
    ("tourism", frozenset({"viewpoint"}), 20, 10, "viewpoint"),
    ("leisure", frozenset({"park", "garden", "nature_reserve"}), 45, 20, "park or garden"),
    ("tourism", frozenset({"zoo", "aquarium", "theme_park"}), 120, 60, "zoo or aquarium"),
    ("amenity", frozenset({"restaurant", "food_court"}), 75, 45, "restaurant"),
    ("amenity", frozenset({"cafe"}), 30, 20, "café"),
    ("tourism", frozenset({"hotel", "hostel", "guest_house", "motel"}), 30, 15, "hotel"),
    ("historic", frozenset(), 30, 15, "historic site"),
    ("tourism", frozenset({"attraction", "artwork"}), 45, 20, "attraction"),
)
#: Visit and shortest visit (minutes) of any other place.
FALLBACK: tuple[int, int] = (45, 20)


def visit_minutes(tags: Mapping[str, str]) -> tuple[int, int]:
    """``(visit, shortest visit)`` in minutes for a place with OSM *tags*."""
    for key, values, visit, shortest, _kind in VISIT_DEFAULTS:
        value = tags.get(key)
        if value is not None and (not values or value in values):
            return visit, shortest
    return FALLBACK
