"""``tours export``: re-render the print, calendar, GPX and CSV from a saved itinerary.

A thin shell over :func:`tours.write_exports`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

import tours
from routing import NetworkSource
from tours.cli import cli
from tours.cli._basemap import basemap_around
from tours.cli._outputs import LANGUAGE_OPTION, RERENDER_OUT_OPTION, SAVED_ITINERARY_ARGUMENT
from tours.cli._source import source_for_itinerary


class _Formats(click.ParamType):
    name = "FORMATS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> set[str]:
        if isinstance(value, set):
            return value
        from tours.outputs import EXPORT_FORMATS, parse_formats

        try:
            return set(parse_formats(str(value), among=EXPORT_FORMATS))
        except tours.InputError as err:
            self.fail(str(err), param, ctx)


@cli.command("export")
@SAVED_ITINERARY_ARGUMENT
@click.option(
    "--formats",
    "formats",
    type=_Formats(),
    default="all",
    show_default=True,
    help="Comma-separated outputs: pdf,html,ics,gpx,csv or all.",
)
@RERENDER_OUT_OPTION
@LANGUAGE_OPTION
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
    language: str | None,
) -> None:
    """Re-render ITINERARY (an itinerary.json) as PDF, HTML, ICS, GPX and CSV."""
    plan = tours.Itinerary.load(itinerary)
    target = out_dir if out_dir is not None else itinerary.parent
    tours.check_output_folder(target)
    show = sys.stderr.isatty() if progress is None else progress
    base = None
    if basemap and formats & {"pdf", "html"}:
        base = basemap_around(plan, _file_source(osm, plan))
    exports = tours.write_exports(
        plan, target, formats=formats, basemap=base, progress=show, language=language
    )
    for path in exports:
        click.echo(str(path))


def _file_source(osm: Path | None, plan: tours.Itinerary) -> NetworkSource | None:
    """``--osm``, else the extract the itinerary was planned on if this machine has it."""
    if osm is not None:
        return NetworkSource.from_file(osm)
    return source_for_itinerary(None, plan)
