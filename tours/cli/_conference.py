"""``tours conference plan|replan``: many delegations, shared venues, guides and coaches.

A thin shell over the Python API (:func:`tours.load_conference`, :func:`tours.plan_conference`,
:func:`tours.replan_conference`, :func:`tours.write_conference_outputs`): read the conference
file, plan on the Dask engine (a local cluster, or ``--scheduler``), then write every
delegation's usual outputs into ``DIR/<delegation-id>/`` and the host's files into ``DIR`` —
all at the end, so a failed run leaves an earlier folder as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import click

import tours
from routing import NetworkSource
from tours.cli import cli
from tours.cli._engine import EngineOptions, engine_options
from tours.cli._outputs import PROGRESS_OPTION, formats_option, out_option, show_progress
from tours.cli._params import option_group
from tours.cli._source import network_source_options, source_for_pack

if TYPE_CHECKING:
    from tours import Conference, ConferencePlan

F = TypeVar("F", bound=Callable[..., Any])
_Fairness = Literal["maxmin", "total"]

_CONFERENCE = click.argument(
    "conference_file", metavar="CONFERENCE", type=click.Path(dir_okay=False, path_type=Path)
)


@dataclass(frozen=True)
class _Search:
    """``--iterations``, ``--seed`` (one search budget) and ``--rounds``."""

    budget: tours.SearchBudget
    rounds: int


def _conference_options(func: F) -> F:
    """The engine, the search (given as ``search``), ``--formats`` and ``-o``."""
    budget_options = [
        click.option(
            "--iterations",
            type=click.IntRange(min=1),
            default=300,
            show_default=True,
            help="Search iterations per delegation and plan (the same seed gives the same "
            "plans with any number of workers).",
        ),
        click.option(
            "--rounds",
            type=click.IntRange(min=1, max=50),
            default=4,
            show_default=True,
            help="Coordination rounds before the final one-by-one repair.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the search."),
    ]
    search = option_group("search", budget_options, _search, ("iterations", "rounds", "seed"))
    formats = formats_option(
        "Each delegation's outputs besides itinerary.json (as for `tours plan`); "
        "the host's PDF needs `pdf`."
    )
    for option in (out_option("planning succeeded"), formats, search, engine_options()):
        func = option(func)
    return func


def _search(iterations: int, rounds: int, seed: int) -> _Search:
    budget = tours.SearchBudget(time_limit=None, max_iterations=iterations, seed=seed)
    return _Search(budget, rounds)


@cli.group("conference")
def conference_group() -> None:
    """Plan many delegations at once: shared venues, guides and coaches."""


def _write(
    plan: ConferencePlan, out_dir: Path, *, formats: frozenset[str], source: NetworkSource
) -> None:
    if formats & {"maps", "pdf", "html"} and source.path is None:
        click.echo(
            f"note: {source.describe()} is online, so the maps show the routes without a "
            "base map; pass --osm FILE for one",
            err=True,
        )
    tours.write_conference_outputs(
        plan, out_dir, formats=formats, basemap_osm=source.path, basemap=source.path is not None
    )


def _report(plan: ConferencePlan, out_dir: Path) -> None:
    for r in plan.results:
        capacity = sum(1 for lo in r.itinerary.left_out if lo.code == "capacity")
        note = f", {capacity} left out for capacity" if capacity else ""
        click.echo(
            f"  {r.delegation.name}: priority {r.itinerary.total_priority}/"
            f"{r.requested_priority} ({r.share:.0%}){note}"
        )
    click.echo(
        f"{len(plan.results)} delegation(s): total priority {plan.total_priority}, worst share "
        f"{plan.worst_share:.0%}, {plan.rounds} round(s), capacity exceeded nowhere."
    )
    click.echo(
        f"Planned in {plan.seconds:.1f} s on {plan.workers} Dask worker(s). Wrote {out_dir}/: "
        "master-schedule.html/.pdf, guides.csv, coaches.csv, conflicts.txt, conference.json "
        "and one folder per delegation."
    )


def _prepare(conference_file: Path, out_dir: Path) -> Conference:
    """The checked conference; the output folder checked too (before any planning)."""
    conference = tours.load_conference(conference_file)
    tours.check_output_folder(out_dir)
    return conference


@conference_group.command("plan")
@_CONFERENCE
@_conference_options
@click.option(
    "--fairness",
    type=click.Choice(["maxmin", "total"]),
    default=None,
    help="maxmin: the worst-off delegation's share first; total: the summed priority "
    "[default: the conference file's `fairness`].",
)
@click.option(
    "--first-come",
    is_flag=True,
    help="Plan one by one in file order instead of jointly (the baseline to compare with).",
)
@network_source_options
@PROGRESS_OPTION
def conference_plan(
    *,
    conference_file: Path,
    out_dir: Path,
    engine: EngineOptions,
    search: _Search,
    formats: frozenset[str],
    fairness: str | None,
    first_come: bool,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Plan every delegation of CONFERENCE jointly; write their plans and the host's files."""
    conference = _prepare(conference_file, out_dir)
    source = source_for_pack(source, conference.pack)  # the conference city's streets
    show = show_progress(progress)
    plan = tours.plan_conference(
        conference,
        network=source,
        budget=search.budget,
        rounds=search.rounds,
        fairness=cast("_Fairness | None", fairness),  # a click.Choice of these two
        method="first_come" if first_come else "joint",
        engine=engine.build(progress=show),
        progress=show,
    )
    _write(plan, out_dir, formats=formats, source=source)
    _report(plan, out_dir)


@conference_group.command("replan")
@_CONFERENCE
@_conference_options
@click.option(
    "--from",
    "from_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of the current conference plan.",
)
@click.option("--late", metavar="DELEGATION", default=None, help="A delegation that runs late.")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="With --late: the day (YYYY-MM-DD) [default: its first day].",
)
@click.option(
    "--minutes",
    type=click.IntRange(min=1, max=720),
    default=60,
    show_default=True,
    help="With --late: how late it starts.",
)
@click.option("--drop", metavar="DELEGATION", default=None, help="A delegation that drops out.")
@click.option(
    "--allow-moves",
    is_flag=True,
    help="Let other delegations move (plan everyone again jointly) [default: they keep their "
    "plans and reservations].",
)
@network_source_options
@PROGRESS_OPTION
def conference_replan(
    *,
    conference_file: Path,
    out_dir: Path,
    engine: EngineOptions,
    search: _Search,
    formats: frozenset[str],
    from_dir: Path,
    late: str | None,
    day: dt.datetime | None,
    minutes: int,
    drop: str | None,
    allow_moves: bool,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Re-plan CONFERENCE when one delegation runs late (--late) or drops out (--drop)."""
    if (late is None) == (drop is None):
        msg = "give exactly one of --late DELEGATION or --drop DELEGATION"
        raise click.UsageError(msg)
    conference = _prepare(conference_file, out_dir)
    source = source_for_pack(source, conference.pack)  # the conference city's streets
    show = show_progress(progress)
    plan = tours.replan_conference(
        conference,
        from_dir,
        late=late,
        late_day=day.date() if day is not None else None,
        late_min=minutes,
        drop=drop,
        allow_moves=allow_moves,
        network=source,
        budget=search.budget,
        rounds=search.rounds,
        engine=engine.build(progress=show),
        progress=show,
    )
    _write(plan, out_dir, formats=formats, source=source)
    _report(plan, out_dir)
