"""Errors raised by the planner, the city pack and the request reader.

One small hierarchy: :class:`TourError` is the base; each specific error also inherits a
builtin so callers can catch either. Only the CLI turns these into exit codes.
"""

from __future__ import annotations


class TourError(Exception):
    """Base class of every ``tours`` error."""


class InputError(TourError, ValueError):
    """A request, city pack or itinerary file is invalid (exit code 2 in the CLI)."""


class UnknownPlaceError(InputError, LookupError):
    """A place id that is not in the city pack (the message suggests close matches)."""


class OpeningHoursError(InputError):
    """An ``opening_hours`` expression that does not parse."""


class PlanningError(TourError, RuntimeError):
    """The request is well-formed but cannot be planned (e.g. a must-see conflict)."""


class OutputError(TourError, OSError):
    """An output could not be written."""
