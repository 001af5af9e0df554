"""``tours map``: the interactive maps (overview + one per day) of a saved itinerary.

A thin shell over :func:`tours.write_maps`; the base map comes from ``--osm/--place/--bbox``
or the extract the itinerary was planned on (notes on stderr when there is none).
"""

from __future__ import annotations

from pathlib import Path

import click

import tours
from routing import NetworkSource
from tours.cli import cli
from tours.cli._basemap import basemap_around
from tours.cli._outputs import LANGUAGE_OPTION, RERENDER_OUT_OPTION, SAVED_ITINERARY_ARGUMENT
from tours.cli._source import network_source_options, source_for_itinerary


@cli.command("map")
@SAVED_ITINERARY_ARGUMENT
@RERENDER_OUT_OPTION
@LANGUAGE_OPTION
@click.option(
    "--offline/--online",
    default=True,
    show_default=True,
    help="Offline: self-contained maps that request nothing. Online: also add "
    "OpenStreetMap tiles as a layer (the vector base map takes over if they fail).",
)
@click.option(
    "--basemap/--no-basemap",
    default=True,
    show_default=True,
    help="Draw streets, water and parks from the OSM extract under the route.",
)
@network_source_options
def map_command(
    *,
    itinerary: Path,
    out_dir: Path | None,
    offline: bool,
    basemap: bool,
    source: NetworkSource,
    language: str | None,
) -> None:
    """Write overview.html and day-N.html maps of ITINERARY (an itinerary.json)."""
    plan = tours.Itinerary.load(itinerary)
    target = out_dir if out_dir is not None else itinerary.parent
    tours.check_output_folder(target)
    base = basemap_around(plan, source_for_itinerary(source, plan)) if basemap else None
    for path in tours.write_maps(plan, target, basemap=base, offline=offline, language=language):
        click.echo(str(path))
