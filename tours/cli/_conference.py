"""``tours conference plan|replan``: many delegations, shared venues, guides and coaches.

A thin shell over :mod:`tours.conference`: read the conference file, load the network, start
the Dask engine (a local cluster, or ``--scheduler``), plan, then write every delegation's
usual outputs into ``DIR/<delegation-id>/`` and the host's files into ``DIR`` — all at the
end, so a failed run leaves an earlier folder as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from routing import NetworkSource, StreetNetwork
from tours._atomic import check_output_folder, staged_outputs
from tours.cli import cli
from tours.cli._engine import EngineOptions, engine_options
from tours.cli._outputs import (
    PROGRESS_OPTION,
    formats_option,
    out_option,
    show_progress,
    write_outputs,
)
from tours.cli._params import option_group
from tours.cli._source import load_source_network, network_source_options
from tours.conference.engine import Engine
from tours.conference.joint import Budget, ConferencePlan, keep_and_replan, plan_conference
from tours.conference.reports import write_host_outputs
from tours.conference.schema import Conference, ConferenceFileError, load_conference
from tours.itinerary import Itinerary

F = TypeVar("F", bound=Callable[..., Any])

_CONFERENCE = click.argument(
    "conference_file", metavar="CONFERENCE", type=click.Path(dir_okay=False, path_type=Path)
)


def _conference_options(func: F) -> F:
    """The engine, the search budget (given as ``budget``), ``--formats`` and ``-o``."""
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
    budget = option_group("budget", budget_options, _budget, ("iterations", "rounds", "seed"))
    formats = formats_option(
        "Each delegation's outputs besides itinerary.json (as for `tours plan`); "
        "the host's PDF needs `pdf`."
    )
    for option in (out_option("planning succeeded"), formats, budget, engine_options()):
        func = option(func)
    return func


def _budget(iterations: int, rounds: int, seed: int) -> Budget:
    return Budget(seed=seed, max_iterations=iterations, rounds=rounds)


@cli.group("conference")
def conference_group() -> None:
    """Plan many delegations at once: shared venues, guides and coaches."""


def _write(
    plan: ConferencePlan,
    out_dir: Path,
    *,
    formats: frozenset[str],
    source: NetworkSource,
) -> None:
    with staged_outputs(out_dir) as stage:
        for result in plan.results:
            write_outputs(
                result.itinerary,
                stage / result.delegation.id,
                formats=formats,
                source=source,
                progress=False,
            )
        write_host_outputs(plan, stage, pdf="pdf" in formats)


def _report(plan: ConferencePlan, out_dir: Path, seconds: float, engine: Engine) -> None:
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
        f"Planned in {seconds:.1f} s on {engine.n_workers} Dask worker(s). Wrote {out_dir}/: "
        "master-schedule.html/.pdf, guides.csv, coaches.csv, conflicts.txt, conference.json "
        "and one folder per delegation."
    )


def _run(
    plan_with: Callable[[StreetNetwork, Engine], ConferencePlan],
    *,
    out_dir: Path,
    engine: EngineOptions,
    formats: frozenset[str],
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Load the network, start the engine, plan with *plan_with*, then write and report."""
    show = show_progress(progress)
    network = load_source_network(source, progress=show)
    began = time.perf_counter()
    with engine.start(progress=show) as running:
        plan = plan_with(network, running)
        seconds = time.perf_counter() - began
        _write(plan, out_dir, formats=formats, source=source)
        _report(plan, out_dir, seconds, running)


def _prepare(conference_file: Path, out_dir: Path, fairness: str | None) -> Conference:
    """The checked conference (``--fairness`` applied); the output folder checked too."""
    conference = load_conference(conference_file)
    if fairness is not None:
        conference = dataclasses.replace(conference, fairness=fairness)  # type: ignore[arg-type]
    check_output_folder(out_dir)
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
    budget: Budget,
    formats: frozenset[str],
    fairness: str | None,
    first_come: bool,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Plan every delegation of CONFERENCE jointly; write their plans and the host's files."""
    conference = _prepare(conference_file, out_dir, fairness)
    _run(
        lambda network, running: plan_conference(
            conference,
            network,
            running,
            budget=budget,
            method="first_come" if first_come else "joint",
        ),
        out_dir=out_dir,
        engine=engine,
        formats=formats,
        source=source,
        progress=progress,
    )


def _previous(conference: Conference, from_dir: Path) -> dict[str, Itinerary]:
    summary = from_dir / "conference.json"
    if not summary.is_file():
        msg = (
            f"--from {from_dir}: no conference.json; give the folder `tours conference plan` wrote"
        )
        raise ConferenceFileError(msg)
    data = json.loads(summary.read_text(encoding="utf-8"))
    folders = {d["id"]: d.get("folder", d["id"]) for d in data.get("delegations", [])}
    out: dict[str, Itinerary] = {}
    for d in conference.delegations:
        if d.id not in folders:
            msg = f"--from {from_dir}: {d.name!r} was not planned there; plan the conference again"
            raise ConferenceFileError(msg)
        out[d.id] = Itinerary.load(from_dir / folders[d.id] / "itinerary.json")
    return out


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
    budget: Budget,
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
    from tours.conference.replan import running_late, without

    if (late is None) == (drop is None):
        msg = "give exactly one of --late DELEGATION or --drop DELEGATION"
        raise click.UsageError(msg)
    conference = _prepare(conference_file, out_dir, None)
    previous = _previous(conference, from_dir)
    changed: list[str] = []
    if drop is not None:
        conference = without(conference, drop)
    else:
        late_day = day.date() if day is not None else conference.by_id(str(late)).request.dates[0]
        conference, moved = running_late(conference, str(late), late_day, minutes)
        changed = [moved.id]
    kept = {d.id: previous[d.id] for d in conference.delegations if d.id not in changed}

    def replan_with(network: StreetNetwork, running: Engine) -> ConferencePlan:
        if allow_moves:
            plan = plan_conference(conference, network, running, budget=budget)
        else:
            plan = keep_and_replan(conference, network, running, kept, changed, budget=budget)
        for r in plan.results:
            before = previous[r.delegation.id]
            if r.itinerary.model_dump(exclude={"revision"}) != before.model_dump(
                exclude={"revision"}
            ):
                r.itinerary = r.itinerary.model_copy(update={"revision": before.revision + 1})
        return plan

    _run(
        replan_with,
        out_dir=out_dir,
        engine=engine,
        formats=formats,
        source=source,
        progress=progress,
    )
