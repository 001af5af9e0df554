"""The ``tours`` command line: the one place that wires routing, planning and rendering.

Each command family lives in a small module beside this one, imported when its command runs
(:data:`COMMAND_MODULES`); each is a thin shell over the Python API (:mod:`tours.api`,
:mod:`tours.outputs`).
Library errors become one clear line, never a traceback: valid input with no feasible plan
(:class:`~tours._errors.PlanningError`, also a conflict found while reading the request)
exits with 1; bad input, unusable output folders and usage errors with 2. The library's
messages name Python parameters (``delay_min``); :func:`cli_words` turns them into flags.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import importlib
import os
import re
import sys
import threading
from typing import Any, NoReturn

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
    "previous": "--from",
    "late": "--late",
    "late_day": "--day",
    "late_min": "--minutes",
    "drop": "--drop",
    "scheduler": "--scheduler",
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


#: Each command (or command group) and the module that defines it. A module is imported only
#: when its command runs (or ``--help`` lists them all), so ``tours plan`` never loads Dask.
COMMAND_MODULES = {
    "check": "_plan",
    "conference": "_conference",
    "export": "_export",
    "map": "_map",
    "network": "_network",
    "pack": "_pack",
    "places": "_places",
    "plan": "_plan",
    "replan": "_replan",
    "route": "_network",
    "schema": "_plan",
}


class _ToursGroup(click.Group):
    """The root group: commands load lazily, library errors become one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"tours.cli.{module}")
        return super().get_command(ctx, cmd_name)

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


def main() -> NoReturn:
    """The ``tours`` console script: :func:`cli`, then a quick exit.

    A plan leaves a large heap (street network, solver state, imported libraries) that the
    interpreter would take half a second to tear down object by object after the command
    has finished. When the command ends with only this thread running, the standard
    streams are flushed and the exit handlers run (temporary folders, logging) as at a
    normal exit; then the process ends without the teardown. Output that cannot be written
    (a full disk) is one line on stderr and exit code 1.
    """
    code: int | None
    try:
        cli.main(prog_name="tours")
    except SystemExit as leaving:
        if not isinstance(leaving.code, int | None) or threading.active_count() > 1:
            raise
        code = leaving.code
    except OSError as err:
        if err.errno not in _OUTPUT_ERRNOS:
            raise
        code = _unwritable(err)
    else:  # pragma: no cover - click's standalone mode always raises SystemExit
        code = 0
    code = code or 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader left (`tours ... | head`): nothing more to tell it
    except (OSError, ValueError) as err:
        code = code or _unwritable(err)
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


#: What writing to stdout or stderr fails with when the output cannot take it.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})


def _unwritable(err: Exception) -> int:
    """Say on stderr (if it can take it) that the output could not be written; exit code 1."""
    with contextlib.suppress(Exception):
        sys.stderr.write(f"Error: cannot write the output: {err}\n")
        sys.stderr.flush()
    return 1
