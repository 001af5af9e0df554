"""``tours map``: the interactive maps (overview + one per day) of a saved itinerary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from maps import write_maps
from maps.folium_map import BASEMAP_MARGIN_DEG
from routing import NetworkSource
from routing.basemap import load_basemap
from tours._errors import InputError
from tours.cli import cli
from tours.cli._source import network_source_options
from tours.itinerary import Itinerary


@cli.command("map")
@click.argument("itinerary", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: the itinerary's folder].",
)
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
) -> None:
    """Write overview.html and day-N.html maps of ITINERARY (an itinerary.json)."""
    plan = Itinerary.load(itinerary)
    base = _basemap(plan, source) if basemap else None
    target = out_dir if out_dir is not None else itinerary.parent
    for path in write_maps(plan, target, basemap=base, offline=offline):
        click.echo(str(path))


def _basemap(plan: Itinerary, source: NetworkSource) -> dict[str, Any] | None:
    """The vector base map around the itinerary, from the same OSM file as the streets."""
    if source.path is None:
        click.echo(
            f"note: {source.describe()} is an online source with no OSM file, so the maps "
            "have no vector base map; pass --osm FILE for one",
            err=True,
        )
        return None
    return load_basemap(source.path, bbox=_bbox(plan))


def _bbox(plan: Itinerary) -> tuple[float, float, float, float]:
    points = [
        (p.lat, p.lon)
        for day in plan.days
        for p in (day.start_place, day.end_place, *(s.place for s in day.stops))
    ]
    points += [pt for day in plan.days for leg in day.legs for pt in leg.geometry]
    if not points:
        msg = f"itinerary `{plan.title}` has no places to draw; re-create it with `tours plan`"
        raise InputError(msg)
    margin = 2 * BASEMAP_MARGIN_DEG  # each map clips its own, smaller box out of this one
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin
