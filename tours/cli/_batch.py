"""``tours plan FOLDER -o DIR``: plan every request file in a folder on the Dask engine.

Batch mode for independent requests (no shared capacities): the same
:class:`tours.Engine` as conference mode, each request one task, the
network and city pack scattered to the workers once. Every request is checked before the
network loads; the outputs of each request go to ``DIR/<file stem>/`` and appear only when
every request was planned.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

import tours
from routing import NetworkSource
from tours._atomic import staged_outputs
from tours._errors import InputError, PlanningError
from tours.cli._engine import EngineOptions
from tours.cli._outputs import show_progress, write_outputs
from tours.cli._source import load_source_network
from tours.planning.budget import SearchBudget
from tours.planning.request import Request


def _requests(folder: Path) -> list[tuple[str, Request]]:
    files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    if not files:
        msg = f"`{folder}` holds no request files (*.yaml); give a request file or a folder of them"
        raise InputError(msg)
    return [(path.stem, tours.load_request(path)) for path in files]


def plan_folder(
    folder: Path,
    out_dir: Path,
    *,
    budget: SearchBudget,
    formats: frozenset[str],
    city_pack: Path | None,
    source: NetworkSource,
    progress: bool | None,
    engine: EngineOptions,
) -> None:
    """Plan every request in *folder* (see the module docstring)."""
    requests = _requests(folder)
    first = requests[0][1]
    pack = tours.load_places(city_pack, request=first)
    for _stem, request in requests:
        if request.city != first.city:
            msg = (
                f"{request.where(('city',))}: {request.city!r} differs from {first.city!r} "
                f"({first.source}); plan one city per folder"
            )
            raise InputError(msg)
        tours.check(request, pack=city_pack, streets=False)  # bad places before the network
    tours.check_output_folder(out_dir)
    show = show_progress(progress)
    network = load_source_network(source, progress=show)
    began = time.perf_counter()
    with engine.build(progress=show) as eng:
        eng.share(network, pack)
        outcomes = eng.plan_requests(
            [request for _s, request in requests],
            budget,
            label=f"Planning {len(requests)} requests",
        )
        n_workers = eng.n_workers
    seconds = time.perf_counter() - began
    failed = [(requests[o.index][1].source, o.error) for o in outcomes if o.itinerary is None]
    if failed:
        lines = [f"{source}: {error}" for source, error in failed]
        msg = (
            f"{len(failed)} of {len(requests)} request(s) cannot be planned; nothing written:\n"
            + ("\n".join(lines))
        )
        raise PlanningError(msg)
    planned = [
        (stem, o.itinerary)
        for (stem, _r), o in zip(requests, outcomes, strict=True)
        if o.itinerary is not None
    ]
    with staged_outputs(out_dir) as stage:
        for stem, it in planned:
            write_outputs(it, stage / stem, formats=formats, source=source, progress=False)
    for stem, it in planned:
        visits = sum(len(d.stops) for d in it.days)
        click.echo(f"  {stem}: {visits} stop(s), total priority {it.total_priority}")
    click.echo(
        f"Planned {len(requests)} request(s) in {seconds:.1f} s on {n_workers} Dask worker(s); "
        f"wrote {out_dir}/<request>/ for each."
    )
