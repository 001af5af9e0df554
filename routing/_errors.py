"""Errors raised by the routing layer.

Every error inherits :class:`RoutingError` and a builtin, so callers can catch either.
:class:`RoutingError` derives from :class:`Error`, the root that the packages built on
``routing`` (``tours``) also derive their errors from: ``except routing.Error`` (re-exported
as ``tours.Error``) catches every error of the tool, and ``routing`` still imports nothing
of them. Messages name the offending value in backticks and say what to do.
"""

from __future__ import annotations


class Error(Exception):
    """Root of every error of ``routing`` and of the packages built on it (``tours``)."""


class RoutingError(Error):
    """Base class of every routing error."""


class NetworkSourceError(RoutingError, ValueError):
    """An OSM file or online query could not give a street network."""


class OfflineError(RoutingError, ConnectionError):
    """An online request was made with no network access."""


class SnapError(RoutingError, ValueError):
    """A point is outside the network's bounds or too far from any street."""


class UnknownModeError(RoutingError, ValueError):
    """A travel mode that is not one of walk, coach, mixed."""


class NoRouteError(RoutingError, LookupError):
    """No path joins two points in the chosen mode."""


class CacheError(RoutingError, OSError):
    """The cache folder cannot be used (e.g. ``TOURS_CACHE_DIR`` names a file)."""
