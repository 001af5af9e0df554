"""Options and output writing shared by ``tours plan`` and ``tours replan``."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

import tours
from routing import NetworkSource
from tours import settings
from tours._errors import InputError
from tours.cli._params import FiniteFloatRange, OutDir, option_group
from tours.itinerary import Itinerary
from tours.outputs import OUTPUT_FORMATS, OutputWorker, parse_formats
from tours.planning.budget import SearchBudget

F = TypeVar("F", bound=Callable[..., Any])

#: Outputs besides ``itinerary.json`` (always written).
OUTPUTS = tuple(OUTPUT_FORMATS)

CITY_PACK_OPTION = click.option(
    "--city-pack",
    "city_pack",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="City pack folder [default: the pack named by the request's `city`].",
)
#: ``tours map`` / ``tours export``: a saved itinerary.json, and where to re-render it.
SAVED_ITINERARY_ARGUMENT = click.argument(
    "itinerary", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
RERENDER_OUT_OPTION = click.option(
    "-o",
    "--out",
    "out_dir",
    type=OutDir(),
    default=None,
    help="Output folder [default: the itinerary's folder].",
)
LANGUAGE_OPTION = click.option(
    "--language",
    "language",
    type=click.Choice(settings.OUTPUT_LANGUAGES),
    default=None,
    help="Language of the outputs [default: the first of the delegation's languages].",
)


def out_option(when: str) -> Callable[[F], F]:
    """``-o/--out DIR``, required: files appear only *when* (e.g. "planning succeeded")."""
    return click.option(
        "-o",
        "--out",
        "out_dir",
        required=True,
        type=OutDir(),
        help=f"Output folder (created; files appear only when {when}).",
    )


PROGRESS_OPTION = click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr [default: when stderr is a terminal].",
)


class OutputFormats(click.ParamType):
    """``all``, ``none`` or a comma list of :data:`~tours.outputs.OUTPUT_FORMATS`."""

    name = "FORMATS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> frozenset[str]:
        if isinstance(value, frozenset):
            return value
        if not str(value).strip():
            self.fail(f"nothing given; choose from all, none or {', '.join(OUTPUTS)}", param, ctx)
        try:
            return parse_formats(str(value))
        except InputError as err:
            self.fail(str(err).removeprefix("`formats`: "), param, ctx)


#: Shown while the solver runs (scripts/setup.sh compiled it; without that, the first run
#: compiles it: python -m tours.planning.solver.warmup).
PLANNING_STATUS = "Planning"


def working(message: str, *, show: bool) -> contextlib.AbstractContextManager[Any]:
    """A spinner with *message* on stderr while a long step runs (nothing if not *show*)."""
    if not show:
        return contextlib.nullcontext()
    return Console(stderr=True).status(message)


def show_progress(progress: bool | None) -> bool:
    """``--progress/--no-progress``, else whether stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else progress


def formats_option(help_text: str | None = None) -> Callable[[F], F]:
    """``--formats``: ``all``, ``none`` or a comma list (given as ``formats``)."""
    return click.option(
        "--formats",
        type=OutputFormats(),
        default="all",
        show_default=True,
        help=help_text
        or "Outputs besides itinerary.json: all, none, or a comma list of "
        + ",".join(OUTPUTS)
        + ".",
    )


def _budget(time_limit: float | None, iterations: int, seed: int) -> SearchBudget:
    return SearchBudget(time_limit=time_limit, max_iterations=iterations, seed=seed)


def search_options(default: SearchBudget) -> Callable[[F], F]:
    """``--time-limit``, ``--iterations``, ``--seed`` (given as ``budget``) and ``--formats``."""
    options = [
        click.option(
            "--time-limit",
            type=FiniteFloatRange(min=0.05, max=86_400),
            default=default.time_limit,
            show_default=True,
            help="Seconds of search at most.",
        ),
        click.option(
            "--iterations",
            type=click.IntRange(min=1, max=10_000_000),
            default=default.max_iterations,
            show_default=True,
            help="Search iterations; while this cap (not the time limit) ends the search, the "
            "same input and seed give the same plan on any machine.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the search."),
        formats_option(),
    ]
    return option_group("budget", options, _budget, ("time_limit", "iterations", "seed"))


def write_outputs(
    itinerary: Itinerary,
    out_dir: Path,
    *,
    formats: frozenset[str],
    source: NetworkSource,
    progress: bool | None,
    worker: OutputWorker | None = None,
) -> list[Path]:
    """:func:`tours.write_outputs` with the base map from the network source's file.

    An online source has no file to draw streets from: a note on stderr says so.
    """
    if formats & {"maps", "pdf", "html"} and source.path is None:
        click.echo(
            f"note: {source.describe()} is online, so the maps show the routes without a "
            "base map; pass --osm FILE for one",
            err=True,
        )
    return tours.write_outputs(
        itinerary,
        out_dir,
        formats=formats,
        basemap_osm=source.path,
        basemap=source.path is not None,
        progress=show_progress(progress),
        worker=worker,
    )
