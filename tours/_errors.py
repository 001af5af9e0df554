"""Errors raised by the planner, the city pack and the request reader.

One small hierarchy: :class:`TourError` is the base; each specific error also inherits a
builtin so callers can catch either. Only the CLI turns these into exit codes.
"""

from __future__ import annotations


class TourError(Exception):
    """Base class of every ``tours`` error."""


class InputError(TourError, ValueError):
    """A request, city pack or itinerary file is invalid (exit code 2 in the CLI)."""


class RequestError(InputError):
    """A request with one or more problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class YamlError(InputError):
    """A request file that is not valid YAML (the message names the file and line)."""


class ReplanError(InputError):
    """A re-plan that cannot be made from the given input."""


class UnknownPlaceError(InputError, LookupError):
    """A place id that is not in the city pack (the message suggests close matches)."""


class OpeningHoursError(InputError):
    """An ``opening_hours`` expression that does not parse."""


class PlanningError(TourError, RuntimeError):
    """The request is well-formed but cannot be planned (e.g. a must-see conflict)."""


class OutputError(TourError, OSError):
    """An output could not be written."""
