"""Every error ``tours`` raises, in one module (routing's errors are re-exported here).

One small hierarchy under :class:`~routing._errors.Error` (``tours.Error``)::

    Error
    ├── RoutingError            the street network (routing/): NetworkSourceError,
    │                           OfflineError, SnapError, UnknownModeError, NoRouteError
    └── TourError
        ├── InputError          bad input the caller must fix (CLI exit code 2)
        │   ├── RequestError    a request with problems, one line each (``.problems``)
        │   ├── YamlError       a request file that is not YAML
        │   ├── ReplanError     a re-plan that cannot be made from its input
        │   ├── UnknownPlaceError, OpeningHoursError
        ├── PlanningError       valid input, but no feasible plan (CLI exit code 1)
        │   └── ConflictError   ... found while reading the request (also a RequestError)
        └── OutputError         an output folder or file that cannot be written (exit 2)

Each specific error also inherits a builtin (``ValueError``, ``LookupError``, ``OSError``...),
so callers can catch either. Messages name Python parameters and fields (``delay_min``,
``formats``); only the CLI turns them into flags and exit codes.
"""

from __future__ import annotations

from routing._errors import (
    Error,
    NetworkSourceError,
    NoRouteError,
    OfflineError,
    RoutingError,
    SnapError,
    UnknownModeError,
)


class TourError(Error):
    """Base class of every error of the planner, the city pack, the request and outputs."""


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


class ConflictError(RequestError, PlanningError):
    """A well-formed request whose own items conflict (overlapping appointments, a must-see
    closed on every requested day...), found while reading it.

    It is a :class:`PlanningError` like the conflicts found while planning (the same exit
    code, 1), and a :class:`RequestError` with one line per conflict.
    """


class OutputError(TourError, OSError):
    """An output folder or file that cannot be written; nothing was written (exit code 2)."""


def raise_problems(problems: list[str], conflicts: list[str]) -> None:
    """Raise the problems of a request: a :class:`RequestError` if any is bad input, else a
    :class:`ConflictError` if it has conflicts; nothing if there are none."""
    if problems:
        raise RequestError(problems + conflicts)
    if conflicts:
        raise ConflictError(conflicts)


__all__ = [
    "ConflictError",
    "Error",
    "InputError",
    "NetworkSourceError",
    "NoRouteError",
    "OfflineError",
    "OpeningHoursError",
    "OutputError",
    "PlanningError",
    "ReplanError",
    "RequestError",
    "RoutingError",
    "SnapError",
    "TourError",
    "UnknownModeError",
    "UnknownPlaceError",
    "YamlError",
    "raise_problems",
]
