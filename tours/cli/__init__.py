"""The ``tours`` command line: the one place that wires routing, planning and rendering.

Each command family lives in a small module beside this one and is registered at the end of
this file. Library errors become one clear line: input and usage errors exit with 2, other
planning errors with 1, never a traceback.
"""

from __future__ import annotations

from typing import Any

import click

from routing._errors import RoutingError
from tours._errors import InputError, TourError


class BadInput(click.ClickException):
    """A request, file or value the user must fix (exit code 2)."""

    exit_code = 2


class _ToursGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InputError, RoutingError) as err:
            raise BadInput(str(err)) from None
        except TourError as err:
            raise click.ClickException(str(err)) from None


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
    _places,  # noqa: F401
    _plan,  # noqa: F401
    _replan,  # noqa: F401
)
