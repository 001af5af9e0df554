"""The vector base map under an itinerary's maps and printed day maps, for every command."""

from __future__ import annotations

from typing import Any

import click

from routing import NetworkSource
from routing.basemap import load_basemap
from tours.itinerary import Itinerary

#: Margin around the itinerary's places: each map clips its own, smaller box out of this one.
BASEMAP_MARGIN_M = 6000.0


def basemap_around(itinerary: Itinerary, source: NetworkSource | None) -> dict[str, Any] | None:
    """Streets, water and parks around *itinerary* from *source*'s OSM file.

    ``None``, with a note on stderr, when there is no local file (an online source, or the
    city's extract was not found).
    """
    if source is None or source.path is None:
        where = "no OSM extract was found" if source is None else f"{source.describe()} is online"
        click.echo(
            f"note: {where}, so the maps show the routes without a base map; "
            "pass --osm FILE for one",
            err=True,
        )
        return None
    return load_basemap(source.path, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
