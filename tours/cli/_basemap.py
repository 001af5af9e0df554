"""The vector base map under an itinerary's maps and printed day maps, for every command."""

from __future__ import annotations

from typing import Any

import click

from routing import NetworkSource
from routing.basemap import load_basemap
from tours._errors import InputError
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
    base = load_basemap(source.path, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    _check_cover(itinerary, base, source)
    return base


def _check_cover(itinerary: Itinerary, base: dict[str, Any], source: NetworkSource) -> None:
    """An error when the base map has no streets around the itinerary (it would be blank),
    a warning when it misses some of the itinerary's places."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in base.get("features", []):
        if feature.get("properties", {}).get("layer") != "street":
            continue
        for lon, lat in _coords(feature.get("geometry", {}).get("coordinates", [])):
            lons.append(lon)
            lats.append(lat)
    west, south, east, north = itinerary.bounds()
    if not lons:
        msg = (
            f"the base map from `{source.describe()}` has no streets around the itinerary "
            f"(W {west:.4f}, S {south:.4f}, E {east:.4f}, N {north:.4f}); pass --osm with "
            "the extract it was planned on, or --no-basemap"
        )
        raise InputError(msg)
    places = {
        p.id: p
        for day in itinerary.days
        for p in (day.start_place, day.end_place, *(s.place for s in day.stops))
    }
    lo_lon, hi_lon, lo_lat, hi_lat = min(lons), max(lons), min(lats), max(lats)
    missing = [
        p.name_en
        for p in places.values()
        if not (lo_lon <= p.lon <= hi_lon and lo_lat <= p.lat <= hi_lat)
    ]
    if missing:
        click.echo(
            f"warning: the base map from `{source.describe()}` does not reach "
            f"{len(missing)} place(s) of the itinerary ({', '.join(missing[:3])}); "
            "those parts of the maps show routes without streets",
            err=True,
        )


def _coords(value: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) pair of a GeoJSON coordinates array, at any nesting depth."""
    if isinstance(value, list | tuple) and len(value) >= 2 and isinstance(value[0], int | float):
        return [(float(value[0]), float(value[1]))]
    out: list[tuple[float, float]] = []
    for item in value if isinstance(value, list | tuple) else []:
        out += _coords(item)
    return out
