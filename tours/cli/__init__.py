"""The ``tours`` command line: the one place that wires routing, planning and rendering.

Each command family lives in a small module beside this one and is registered at the end of
this file; each is a thin shell over the Python API (:mod:`tours.api`, :mod:`tours.outputs`).
Library errors become one clear line, never a traceback: valid input with no feasible plan
(:class:`~tours._errors.PlanningError`, also a conflict found while reading the request)
exits with 1; bad input, unusable output folders and usage errors with 2. The library's
messages name Python parameters (``delay_min``); :func:`cli_words` turns them into flags.
"""

from __future__ import annotations

import re
from typing import Any

import click

from tours._errors import Error, PlanningError

#: Python parameters that library messages name (in backticks), and the flag for each.
FLAGS = {
    "now": "--now",
    "at": "--at",
    "skip": "--skip",
    "add": "--add",
    "delay_min": "--delay",
    "request": "--request",
    "formats": "--formats",
    "time_limit": "--time-limit",
    "max_iterations": "--iterations",
    "seed": "--seed",
    "pack": "--city-pack",
    "network": "--osm FILE or --place NAME",
}
_PARAMETER = re.compile(r"`(" + "|".join(FLAGS) + r")(?:=([^`]*))?`")


def cli_words(message: str) -> str:
    """*message* with the Python parameters it names as the command line's flags.

    A backticked ``delay_min`` becomes ``--delay``, ``skip=wenshu`` becomes ``--skip wenshu``.
    """

    def flag(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        return f"`{FLAGS[name]}{'' if value is None else ' ' + value}`"

    return _PARAMETER.sub(flag, message)


class BadInput(click.ClickException):
    """A request, file or value the user must fix (exit code 2)."""

    exit_code = 2


class _ToursGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanningError as err:
            raise click.ClickException(cli_words(str(err))) from None
        except Error as err:
            raise BadInput(cli_words(str(err))) from None


@click.group(cls=_ToursGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tours")
def cli() -> None:
    """Plan guided city tours for delegations on real OpenStreetMap streets."""


main = cli

# Command families register themselves below (one import per module).
from tours.cli import (  # noqa: E402
    _conference,  # noqa: F401
    _export,  # noqa: F401
    _map,  # noqa: F401
    _network,  # noqa: F401
    _pack,  # noqa: F401
    _places,  # noqa: F401
    _plan,  # noqa: F401
    _replan,  # noqa: F401
)
