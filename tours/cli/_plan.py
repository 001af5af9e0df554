"""``tours plan``, ``tours check`` and ``tours schema``: from a request file to an itinerary.

``tours plan REQUEST -o DIR`` validates the request, loads the street network, plans, writes
``itinerary.json`` (which embeds the request), maps and exports into DIR only when everything
succeeded, and prints a day-by-day summary. ``tours check REQUEST`` runs
every check without planning.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

import tours
from routing import NetworkSource
from tours._atomic import check_output_folder
from tours.cli import cli
from tours.cli._engine import EngineOptions, engine_options
from tours.cli._outputs import (
    CITY_PACK_OPTION,
    PLANNING_STATUS,
    PROGRESS_OPTION,
    out_option,
    search_options,
    show_progress,
    working,
    write_outputs,
)
from tours.cli._source import extract_of, network_source_options, source_for_pack
from tours.itinerary import Itinerary
from tours.outputs import OutputWorker
from tours.planning.budget import PLAN_BUDGET, SearchBudget
from tours.planning.request import request_json_schema

_REQUEST = click.argument(
    "request_file", metavar="REQUEST", type=click.Path(dir_okay=False, path_type=Path)
)


def _read(request_file: Path, city_pack: Path | None, source: NetworkSource) -> tours.CheckReport:
    """:func:`tours.check` without the streets: the request resolved in its city pack (or,
    without ``city``, in the ``--osm`` extract), so unknown places etc. fail before the
    network loads; closed-venue and clipped-extract warnings go to stderr."""
    request = tours.load_request(request_file)
    osm = extract_of(source) if request.city is None and city_pack is None else None
    report = tours.check(request, pack=city_pack, network=osm, streets=False)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    return report


@cli.command("plan")
@click.argument("request_file", metavar="REQUEST", type=click.Path(exists=False, path_type=Path))
@out_option("planning succeeded")
@search_options(PLAN_BUDGET)
@CITY_PACK_OPTION
@network_source_options
@PROGRESS_OPTION
@engine_options("Folder of requests: ")
def plan_command(
    *,
    request_file: Path,
    out_dir: Path,
    budget: SearchBudget,
    formats: frozenset[str],
    city_pack: Path | None,
    source: NetworkSource,
    progress: bool | None,
    engine: EngineOptions,
) -> None:
    """Plan REQUEST (a YAML request file) and write itinerary.json, maps and exports to DIR.

    REQUEST may also be a folder of request files: each is planned on Dask workers (batch
    mode) into DIR/<file name>/.
    """
    if request_file.is_dir():
        from tours.cli._batch import plan_folder  # Dask only for a folder of requests

        plan_folder(
            request_file,
            out_dir,
            budget=budget,
            formats=formats,
            city_pack=city_pack,
            source=source,
            progress=progress,
            engine=engine,
        )
        return
    checked = _read(request_file, city_pack, source)
    source = source_for_pack(source, checked.pack)
    check_output_folder(out_dir)  # fail before planning, not after
    # the map stack imports on the second core while this process plans
    with OutputWorker.start(formats) as worker:
        network = tours.load_network(source, progress=show_progress(progress))
        with working(PLANNING_STATUS, show=show_progress(progress)):
            result = tours.plan_details(
                checked.request, pack=checked.pack, network=network, budget=budget
            )
        if network.source.path is not None and network.source.path.is_file():
            from tours.places.osm_features import osm_text_warning

            if warning := osm_text_warning(network.source.path):
                click.echo(f"warning: {warning}", err=True)
        itinerary = result.itinerary
        written = write_outputs(
            itinerary, out_dir, formats=formats, source=source, progress=progress, worker=worker
        )
    click.echo(tours.summary(itinerary))
    if any(left.code == "outside_network" for left in itinerary.left_out):
        click.echo("  (to plan places outside the network, use an OSM extract that covers them:")
        click.echo("   --osm FILE, or --place NAME online)")
    click.echo(
        f"Planned in {result.seconds:.2f} s ({result.iterations} iterations, seed {budget.seed})."
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
    report = _read(request_file, city_pack, source)
    if network:
        source = source_for_pack(source, report.pack)
        report = tours.check(
            report.request, pack=report.pack, network=source, progress=show_progress(progress)
        )
    click.echo(str(report))


@cli.command("schema")
@click.argument(
    "which", type=click.Choice(["itinerary", "request"]), default="itinerary", required=False
)
def schema_command(*, which: str) -> None:
    """Print the JSON Schema of itinerary.json (or of a request file)."""
    schema = Itinerary.model_json_schema() if which == "itinerary" else request_json_schema()
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))
