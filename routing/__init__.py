"""Street networks from OpenStreetMap, delegation travel modes and fast travel-time matrices.

``routing`` never imports ``tours`` or ``maps``: it turns OSM data into travel times and
street paths, and nothing else.

The public names load on first use (PEP 562): ``import routing`` (and the error classes that
``tours`` re-exports) costs no scipy, numpy graph or OSM parser until a network is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from routing._errors import (
    CacheError,
    NetworkSourceError,
    NoRouteError,
    OfflineError,
    RoutingError,
    SnapError,
    UnknownModeError,
)

if TYPE_CHECKING:
    from routing._cache import default_cache_dir as cache_root
    from routing._graph import haversine_m
    from routing.legs import RouteLeg, route_leg
    from routing.matrix import TravelMatrix, travel_matrix
    from routing.network import Snap, StreetNetwork, cache_folder, clear_cache, load_network
    from routing.policy import LEG_MODES, MODES, LegMode, Mode, TravelPolicy
    from routing.source import NetworkSource
    from routing.traffic import GENERIC_PROFILE, CoachSpeedProfile

#: Public name -> (module, attribute) of the names loaded on first use.
_LAZY: dict[str, tuple[str, str]] = {
    "cache_root": ("routing._cache", "default_cache_dir"),
    "haversine_m": ("routing._graph", "haversine_m"),
    "RouteLeg": ("routing.legs", "RouteLeg"),
    "route_leg": ("routing.legs", "route_leg"),
    "TravelMatrix": ("routing.matrix", "TravelMatrix"),
    "travel_matrix": ("routing.matrix", "travel_matrix"),
    "Snap": ("routing.network", "Snap"),
    "StreetNetwork": ("routing.network", "StreetNetwork"),
    "cache_folder": ("routing.network", "cache_folder"),
    "clear_cache": ("routing.network", "clear_cache"),
    "load_network": ("routing.network", "load_network"),
    "LEG_MODES": ("routing.policy", "LEG_MODES"),
    "MODES": ("routing.policy", "MODES"),
    "LegMode": ("routing.policy", "LegMode"),
    "Mode": ("routing.policy", "Mode"),
    "TravelPolicy": ("routing.policy", "TravelPolicy"),
    "NetworkSource": ("routing.source", "NetworkSource"),
    "GENERIC_PROFILE": ("routing.traffic", "GENERIC_PROFILE"),
    "CoachSpeedProfile": ("routing.traffic", "CoachSpeedProfile"),
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name here."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        msg = f"module 'routing' has no attribute {name!r}"
        raise AttributeError(msg) from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
