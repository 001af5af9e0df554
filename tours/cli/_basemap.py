"""The vector base map under an itinerary's maps and printed day maps, for every command."""

from __future__ import annotations

from typing import Any

import click

from routing import NetworkSource
from tours.itinerary import Itinerary
from tours.outputs import BASEMAP_MARGIN_M, load_basemap_around, places_off_basemap

__all__ = ["BASEMAP_MARGIN_M", "basemap_around"]


def basemap_around(itinerary: Itinerary, source: NetworkSource | None) -> dict[str, Any] | None:
    """Streets, water and parks around *itinerary* from *source*'s OSM file.

    ``None``, with a note on stderr, when there is no local file (an online source, or the
    city's extract was not found); an error when the file has no streets around the
    itinerary; a warning when it misses some of its places.
    """
    if source is None or source.path is None:
        where = "no OSM extract was found" if source is None else f"{source.describe()} is online"
        click.echo(
            f"note: {where}, so the maps show the routes without a base map; "
            "pass --osm FILE for one",
            err=True,
        )
        return None
    base = load_basemap_around(itinerary, source.path)
    missing = places_off_basemap(itinerary, base)
    if missing:
        click.echo(
            f"warning: the base map from `{source.describe()}` does not reach "
            f"{len(missing)} place(s) of the itinerary ({', '.join(missing[:3])}); "
            "those parts of the maps show routes without streets",
            err=True,
        )
    return base
