"""``--scheduler``, ``--workers`` and ``--threads``: where the Dask engine runs.

Shared by ``tours plan FOLDER`` (batch) and ``tours conference plan|replan``; the command
receives them as one :class:`EngineOptions` value named ``engine``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

import tours
from tours.cli._params import option_group

F = TypeVar("F", bound=Callable[..., Any])

_ADDRESS = re.compile(r"^(tcp|tls|inproc)://[^\s/:]+(:\d{1,5})?$")


class SchedulerAddress(click.ParamType):
    """``tcp://HOST:PORT`` of a running Dask scheduler."""

    name = "ADDRESS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not _ADDRESS.match(text):
            self.fail(f"{text!r} is not a scheduler address; write tcp://HOST:8786", param, ctx)
        return text


@dataclass(frozen=True)
class EngineOptions:
    """Where the tasks run: a running scheduler, else local workers (processes or threads).

    Parameters
    ----------
    scheduler
        A running Dask scheduler's address; ``None``: a local cluster.
    workers
        Local workers (``None``: one per core).
    threads
        Local workers as threads in this process instead of processes.
    """

    scheduler: str | None = None
    workers: int | None = None
    threads: bool = False

    def build(self, *, progress: bool) -> tours.Engine:
        """The :class:`tours.Engine` these options describe, not started yet (a context
        manager that starts and stops it; Dask loads only when it starts)."""
        return tours.Engine(
            scheduler=self.scheduler,
            workers=self.workers,
            processes=not self.threads,
            progress=progress,
        )


def _help(scope: str, text: str) -> str:
    return scope + text if scope else text[0].upper() + text[1:]


def engine_options(scope: str = "") -> Callable[[F], F]:
    """Add ``--scheduler``, ``--workers`` and ``--threads``; the command gets ``engine``.

    *scope* starts each help text (``"Folder of requests: "`` where only some runs use them).
    """
    options = [
        click.option(
            "--scheduler",
            type=SchedulerAddress(),
            default=None,
            help=_help(
                scope, "a running Dask scheduler (tcp://HOST:8786) [default: local workers]."
            ),
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1, max=256),
            default=None,
            help=_help(scope, "local Dask worker processes [default: one per CPU core]."),
        ),
        click.option(
            "--threads",
            is_flag=True,
            help=_help(
                scope, "local workers as threads in this process (starts faster, no parallelism)."
            ),
        ),
    ]
    return option_group("engine", options, EngineOptions, ("scheduler", "workers", "threads"))
