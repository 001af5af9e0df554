"""Options and output writing shared by ``tours plan`` and ``tours replan``."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from routing import NetworkSource
from tours._atomic import check_output_folder, staged_outputs
from tours.cli._basemap import basemap_around
from tours.cli._params import FiniteFloatRange, OutDir
from tours.itinerary import Itinerary

F = TypeVar("F", bound=Callable[..., Any])

#: Outputs besides ``itinerary.json`` (always written).
OUTPUTS = ("maps", "pdf", "html", "ics", "gpx", "csv")

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
PROGRESS_OPTION = click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr [default: when stderr is a terminal].",
)


class OutputFormats(click.ParamType):
    """``all``, ``none`` or a comma list of :data:`OUTPUTS`."""

    name = "FORMATS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> frozenset[str]:
        if isinstance(value, frozenset):
            return value
        wanted = {p.strip().lower() for p in str(value).split(",") if p.strip()}
        if wanted == {"all"}:
            return frozenset(OUTPUTS)
        if wanted in ({"none"}, {"json"}):
            return frozenset()
        unknown = sorted(wanted - set(OUTPUTS) - {"json"})
        if unknown or not wanted:
            bad = repr(unknown[0]) if unknown else "nothing"
            self.fail(
                f"{bad} is not an output; choose from all, none or {', '.join(OUTPUTS)}",
                param,
                ctx,
            )
        return frozenset(wanted - {"json"})


#: Shown while the solver runs; its first run on a machine compiles it (numba, cached).
PLANNING_STATUS = "Planning (the first run on this machine also compiles the solver, ~20 s)"


def working(message: str, *, show: bool) -> contextlib.AbstractContextManager[Any]:
    """A spinner with *message* on stderr while a long step runs (nothing if not *show*)."""
    if not show:
        return contextlib.nullcontext()
    return Console(stderr=True).status(message)


def show_progress(progress: bool | None) -> bool:
    """``--progress/--no-progress``, else whether stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else progress


def search_options(*, time_limit: float, iterations: int) -> Callable[[F], F]:
    """``--time-limit``, ``--iterations``, ``--seed`` and ``--formats`` with these defaults."""
    options = [
        click.option(
            "--time-limit",
            type=FiniteFloatRange(min=0.05, max=86_400),
            default=time_limit,
            show_default=True,
            help="Seconds of search at most.",
        ),
        click.option(
            "--iterations",
            type=click.IntRange(min=1, max=10_000_000),
            default=iterations,
            show_default=True,
            help="Search iterations; while this cap (not the time limit) ends the search, the "
            "same input and seed give the same plan on any machine.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the search."),
        click.option(
            "--formats",
            type=OutputFormats(),
            default="all",
            show_default=True,
            help="Outputs besides itinerary.json: all, none, or a comma list of "
            + ",".join(OUTPUTS)
            + ".",
        ),
    ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def write_outputs(
    itinerary: Itinerary,
    out_dir: Path,
    *,
    formats: frozenset[str],
    source: NetworkSource,
    progress: bool | None,
) -> list[Path]:
    """Write every output into a staging folder; move them into *out_dir* at the end.

    ``itinerary.json`` embeds the request (``Itinerary.request``), so it alone is enough to
    re-plan on the day.
    """
    check_output_folder(out_dir)
    names: list[str] = []
    with staged_outputs(out_dir) as stage:
        (stage / "itinerary.json").write_text(itinerary.to_json() + "\n", encoding="utf-8")
        names.append("itinerary.json")
        if formats:
            basemap = (
                basemap_around(itinerary, source) if formats & {"maps", "pdf", "html"} else None
            )
            if "maps" in formats:
                from maps import write_maps

                names += [p.name for p in write_maps(itinerary, stage, basemap=basemap)]
            exports = formats - {"maps"}
            if exports:
                from maps import write_exports

                names += [
                    p.name
                    for p in write_exports(
                        itinerary,
                        stage,
                        formats=exports,
                        basemap=basemap,
                        progress=show_progress(progress),
                    )
                ]
    remove_outdated_outputs(out_dir, keep=set(names))
    return [out_dir / name for name in names]


#: Every file name ``tours plan`` may write, besides ``day-N.html``.
_OUTPUT_NAMES = (
    "overview.html",
    *(f"itinerary.{fmt}" for fmt in ("pdf", "html", "ics", "gpx", "csv")),
)


def remove_outdated_outputs(out_dir: Path, *, keep: set[str]) -> list[Path]:
    """Delete outputs of an earlier plan in *out_dir* that this run did not write again.

    A folder then holds one plan only: no PDF or map of the old programme beside the new
    ``itinerary.json`` (e.g. after ``--formats none`` or a plan with fewer days).
    """
    stale = [out_dir / name for name in _OUTPUT_NAMES if name not in keep]
    stale += [
        path
        for path in sorted(out_dir.glob("day-*.html"))
        if _DAY_MAP.fullmatch(path.name) and path.name not in keep
    ]
    removed = [path for path in stale if path.is_file()]
    for path in removed:
        path.unlink()
    return removed


_DAY_MAP = re.compile(r"day-([1-9][0-9]*)\.html")


def remove_stale_day_maps(out_dir: Path, *, days: int) -> list[Path]:
    """Delete ``day-N.html`` maps with N > *days* left in *out_dir* by an earlier, longer plan.

    They would show a programme that no longer exists beside the new one.
    """
    removed: list[Path] = []
    for path in sorted(out_dir.glob("day-*.html")):
        match = _DAY_MAP.fullmatch(path.name)
        if match is not None and int(match.group(1)) > days and path.is_file():
            path.unlink()
            removed.append(path)
    return removed
