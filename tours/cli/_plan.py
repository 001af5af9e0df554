"""``tours plan``, ``tours check`` and ``tours schema``: from a request file to an itinerary.

``tours plan REQUEST -o DIR`` validates the request, loads the street network, plans, writes
``itinerary.json`` (which embeds the request), maps and exports into DIR only when everything
succeeded, and prints a day-by-day summary. ``tours check REQUEST`` runs
every check without planning.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable
from pathlib import Path

import click

from routing import NetworkSource, StreetNetwork
from tours._atomic import check_output_folder
from tours.cli import cli
from tours.cli._batch import engine_options, plan_folder
from tours.cli._outputs import (
    CITY_PACK_OPTION,
    PLANNING_STATUS,
    PROGRESS_OPTION,
    search_options,
    show_progress,
    working,
    write_outputs,
)
from tours.cli._source import load_source_network, network_source_options
from tours.itinerary import Itinerary, Leg, Visit
from tours.planning._venue_hours import closed_venue_warnings
from tours.planning.planner import DEFAULT_MAX_ITERATIONS, DEFAULT_TIME_LIMIT_S, plan_detailed
from tours.planning.request import (
    Resolved,
    city_pack_for,
    load_request,
    request_json_schema,
    resolve_request,
)

_REQUEST = click.argument(
    "request_file", metavar="REQUEST", type=click.Path(dir_okay=False, path_type=Path)
)


def _read(request_file: Path, city_pack: Path | None) -> Resolved:
    """The request resolved in its city pack: unknown places etc. fail before the network
    loads; closed-venue warnings go to stderr."""
    request = load_request(request_file)
    resolved = resolve_request(request, city_pack_for(request, city_pack=city_pack))
    for warning in closed_venue_warnings(resolved):
        click.echo(f"warning: {warning}", err=True)
    return resolved


@cli.command("plan")
@click.argument("request_file", metavar="REQUEST", type=click.Path(exists=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (created; files appear only when planning succeeded).",
)
@search_options(time_limit=DEFAULT_TIME_LIMIT_S, iterations=DEFAULT_MAX_ITERATIONS)
@CITY_PACK_OPTION
@network_source_options
@PROGRESS_OPTION
@engine_options
def plan_command(
    *,
    request_file: Path,
    out_dir: Path,
    time_limit: float,
    iterations: int,
    seed: int,
    formats: frozenset[str],
    city_pack: Path | None,
    source: NetworkSource,
    progress: bool | None,
    workers: int | None,
    scheduler: str | None,
    threads: bool,
) -> None:
    """Plan REQUEST (a YAML request file) and write itinerary.json, maps and exports to DIR.

    REQUEST may also be a folder of request files: each is planned on Dask workers (batch
    mode) into DIR/<file name>/.
    """
    if request_file.is_dir():
        plan_folder(
            request_file,
            out_dir,
            time_limit=time_limit,
            iterations=iterations,
            seed=seed,
            formats=formats,
            city_pack=city_pack,
            source=source,
            progress=progress,
            workers=workers,
            scheduler=scheduler,
            threads=threads,
        )
        return
    resolved = _read(request_file, city_pack)
    request, pack = resolved.request, resolved.pack
    check_output_folder(out_dir)  # fail before planning, not after
    network = load_source_network(source, progress=show_progress(progress))
    began = time.perf_counter()
    with working(PLANNING_STATUS, show=show_progress(progress)):
        result = plan_detailed(
            request,
            pack=pack,
            network=network,
            time_limit=time_limit,
            seed=seed,
            max_iterations=iterations,
        )
    planned_s = time.perf_counter() - began
    itinerary = result.itinerary
    written = write_outputs(itinerary, out_dir, formats=formats, source=source, progress=progress)
    click.echo(summary(itinerary))
    click.echo(
        f"Planned in {planned_s:.2f} s ({result.solution.iterations} iterations, seed {seed})."
    )
    click.echo(f"Wrote {len(written)} file(s) to {out_dir}:")
    for path in written:
        click.echo(f"  {path}")


@cli.command("check")
@_REQUEST
@CITY_PACK_OPTION
@click.option(
    "--network/--no-network",
    default=True,
    show_default=True,
    help="Also check places, appointments and must-sees against the street network.",
)
@network_source_options
@PROGRESS_OPTION
def check_command(
    *,
    request_file: Path,
    city_pack: Path | None,
    network: bool,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Validate REQUEST without planning: syntax, fields, places, hours, conflicts."""
    from tours.planning._model import build_model
    from tours.planning.explain.explainer import Explainer

    resolved = _read(request_file, city_pack)
    request = resolved.request
    notes: list[str] = []
    if network:
        net: StreetNetwork = load_source_network(source, progress=show_progress(progress))
        model = build_model(resolved, net)
        explainer = Explainer(model)
        explainer.check_fixed()
        explainer.check_must_sees()
        notes = [
            f"note: optional place {resolved.pack.places[pid].names.en} {why}; it will be left out"
            for pid, why in model.outside.items()
        ]
    must = sum(1 for p in resolved.places if p.must_see)
    click.echo(
        f"OK: {request_file}: {request.title!r}, {len(request.dates)} day(s), "
        f"{must} must-see(s), {len(resolved.places) - must} optional place(s), "
        f"{len(request.appointments)} appointment(s), {len(request.meals)} meal(s)"
    )
    for note in notes:
        click.echo(note)


@cli.command("schema")
@click.argument(
    "which", type=click.Choice(["itinerary", "request"]), default="itinerary", required=False
)
def schema_command(*, which: str) -> None:
    """Print the JSON Schema of itinerary.json (or of a request file)."""
    schema = Itinerary.model_json_schema() if which == "itinerary" else request_json_schema()
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


# -- the readable summary -------------------------------------------------------------------


def _ceil_minute(when: dt.datetime) -> dt.datetime:
    """*when* rounded up to the minute (a leg ending 13:14:54 arrives "13:15")."""
    floor = when.replace(second=0, microsecond=0)
    return floor if floor == when else floor + dt.timedelta(minutes=1)


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def _lines(itinerary: Itinerary) -> Iterable[str]:
    city = itinerary.city
    yield f"{itinerary.title}"
    yield f"{itinerary.delegation.name} in {city.name_en} ({city.timezone})"
    for n, day in enumerate(itinerary.days, start=1):
        yield ""
        yield (
            f"Day {n}, {day.date:%a} {day.date.day} {day.date:%b %Y}: "
            f"{day.start:%H:%M}–{_ceil_minute(day.end):%H:%M}, from {day.start_place.name_en}"
        )
        for item in day.items:
            span = f"{item.start:%H:%M}–{item.end:%H:%M}"
            if isinstance(item, Leg):
                span = f"{item.start:%H:%M}–{_ceil_minute(item.end):%H:%M}"
                to = next(
                    (s.place.name_en for s in day.stops if s.place.id == item.to_id),
                    day.end_place.name_en if item.to_id == day.end_place.id else item.to_id,
                )
                yield (
                    f"  {span}  {item.mode:<5} {_km(item.distance_m)}, "
                    f"{round(item.duration_s / 60)} min -> {to}"
                )
            elif isinstance(item, Visit):
                star = " (must-see)" if item.must_see else ""
                yield f"  {span}  visit {item.place.name_en}{star}, priority {item.priority}"
            else:  # an appointment or a meal
                yield f"  {span}  {item.title} @ {item.place.name_en}"
        walked = sum(leg.distance_m for leg in day.legs if leg.mode == "walk")
        back = _ceil_minute(day.end)
        yield f"  back at {day.end_place.name_en} {back:%H:%M}; walking {_km(walked)}"
    if itinerary.left_out:
        yield ""
        yield "Left out:"
        for left in itinerary.left_out:
            yield f"  {left.place.name_en}: {left.reason}"
        if any(left.code == "outside_network" for left in itinerary.left_out):
            yield "  (to plan places outside the network, use an OSM extract that covers them:"
            yield "   --osm FILE, or --place NAME online)"
    visits = sum(1 for d in itinerary.days for s in d.stops if isinstance(s, Visit))
    yield ""
    yield f"{visits} visit(s), total priority {itinerary.total_priority}."


def summary(itinerary: Itinerary) -> str:
    """A readable day-by-day summary of *itinerary* (plain text)."""
    return "\n".join(_lines(itinerary))
