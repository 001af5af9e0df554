"""``tours export``: re-render the print, calendar, GPX and CSV from a saved itinerary."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import click

from maps.exports import FORMATS, parse_formats, write_exports
from routing.basemap import load_basemap
from tours._errors import InputError
from tours.cli import cli
from tours.cli._source import source_from_options
from tours.itinerary import Itinerary

#: Margin around the itinerary's points for the base map of the printed day maps (metres).
BASEMAP_MARGIN_M = 1500.0


class _Formats(click.ParamType):
    name = "FORMATS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> set[str]:
        if isinstance(value, set):
            return value
        try:
            return parse_formats(str(value))
        except InputError as err:
            self.fail(str(err), param, ctx)


@cli.command("export")
@click.argument("itinerary", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--formats",
    "formats",
    type=_Formats(),
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated outputs: pdf,html,ics,gpx,csv or all.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: the itinerary's folder].",
)
@click.option(
    "--osm",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Local OSM extract (.osm, .osm.bz2 or .osm.pbf) for the base map of the "
    "printed day maps [default: the city pack's extract, if found].",
)
@click.option(
    "--basemap/--no-basemap",
    default=True,
    show_default=True,
    help="Draw streets, water and parks under the printed day maps.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr [default: when stderr is a terminal].",
)
def export_command(
    *,
    itinerary: Path,
    formats: set[str],
    out_dir: Path | None,
    osm: Path | None,
    basemap: bool,
    progress: bool | None,
) -> None:
    """Re-render ITINERARY (an itinerary.json) as PDF, HTML, ICS, GPX and CSV."""
    plan = Itinerary.load(itinerary)
    target = out_dir if out_dir is not None else itinerary.parent
    show = sys.stderr.isatty() if progress is None else progress
    base = None
    if basemap and formats & {"pdf", "html"}:
        base = _load_basemap(plan, osm)
    for path in write_exports(plan, target, formats=formats, basemap=base, progress=show):
        click.echo(str(path))


def _load_basemap(plan: Itinerary, osm: Path | None) -> dict[str, Any] | None:
    """The base map around the itinerary; ``None`` (with a note) if the city's extract is
    missing and no ``--osm`` was given."""
    try:
        source = source_from_options(osm=osm)
    except InputError:
        if osm is not None:
            raise
        click.echo(
            "note: the city's OSM extract was not found, so the day maps show the "
            "routes only; pass --osm FILE for a base map",
            err=True,
        )
        return None
    if source.path is None:  # only files reach here: `--osm` or the default extract
        return None
    return load_basemap(source.path, bbox=_bbox(plan))


def _bbox(plan: Itinerary) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every stop and leg point plus a margin."""
    points = [
        (p.lat, p.lon)
        for day in plan.days
        for p in (day.start_place, day.end_place, *(s.place for s in day.stops))
    ]
    points += [pt for day in plan.days for leg in day.legs for pt in leg.geometry]
    if not points:
        msg = f"itinerary `{plan.title}` has no places to draw; re-create it with `tours plan`"
        raise InputError(msg)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    dlat = BASEMAP_MARGIN_M / 111_320.0
    dlon = dlat / max(math.cos(math.radians(sum(lats) / len(lats))), 0.1)
    return min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat
