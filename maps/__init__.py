"""Renderers: interactive maps and exports, all read from a :class:`tours.itinerary.Itinerary`."""

from __future__ import annotations

from maps.exports import write_exports
from maps.folium_map import build_map, write_maps

__all__ = ["build_map", "write_exports", "write_maps"]
