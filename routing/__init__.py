"""Street networks from OpenStreetMap, delegation travel modes and fast travel-time matrices.

``routing`` never imports ``tours`` or ``maps``: it turns OSM data into travel times and
street paths, and nothing else.
"""

from __future__ import annotations

from routing._cache import default_cache_dir as cache_root
from routing._errors import (
    CacheError,
    NetworkSourceError,
    NoRouteError,
    OfflineError,
    RoutingError,
    SnapError,
    UnknownModeError,
)
from routing._graph import haversine_m
from routing.legs import RouteLeg, route_leg
from routing.matrix import TravelMatrix, travel_matrix
from routing.network import Snap, StreetNetwork, cache_folder, clear_cache, load_network
from routing.policy import LEG_MODES, MODES, LegMode, Mode, TravelPolicy
from routing.source import NetworkSource
from routing.traffic import GENERIC_PROFILE, CoachSpeedProfile

__all__ = [
    "GENERIC_PROFILE",
    "LEG_MODES",
    "MODES",
    "CacheError",
    "CoachSpeedProfile",
    "LegMode",
    "Mode",
    "NetworkSource",
    "NetworkSourceError",
    "NoRouteError",
    "OfflineError",
    "RouteLeg",
    "RoutingError",
    "Snap",
    "SnapError",
    "StreetNetwork",
    "TravelMatrix",
    "TravelPolicy",
    "UnknownModeError",
    "cache_folder",
    "cache_root",
    "clear_cache",
    "haversine_m",
    "load_network",
    "route_leg",
    "travel_matrix",
]
