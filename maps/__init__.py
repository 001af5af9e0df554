"""Renderers: maps, print and exports, all read from a :class:`tours.itinerary.Itinerary`.

The public names are loaded on first use (PEP 562), so a command that renders nothing does
not pay for importing Folium, WeasyPrint and Matplotlib. Which outputs exist, and writing
them into a folder, is :mod:`tours.outputs` (``tours.write_outputs``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maps.folium_map import build_map, write_maps

__all__ = ["build_map", "write_maps"]

_HOMES = {
    "build_map": "maps.folium_map",
    "write_maps": "maps.folium_map",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    msg = f"module 'maps' has no attribute {name!r}"
    raise AttributeError(msg)
