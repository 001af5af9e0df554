"""``tours network info``, ``tours network clear-cache`` and ``tours route FROM TO``."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import click

from routing import (
    MODES,
    NetworkSource,
    RouteLeg,
    TravelPolicy,
    cache_folder,
    clear_cache,
    route_leg,
)
from tours._atomic import write_text_atomic
from tours._errors import InputError, UnknownPlaceError
from tours.cli import cli
from tours.cli._params import FiniteFloatRange, parse_latlon
from tours.cli._source import (
    is_default_source,
    load_source_network,
    network_source_options,
    source_for_pack,
)
from tours.places.pack import CityPack, is_osm_ref

_PROGRESS = click.option(
    "--progress/--no-progress",
    default=None,
    help="Spinner on stderr while parsing [default: when stderr is a terminal].",
)


def _extent_km(bounds: tuple[float, float, float, float]) -> tuple[float, float]:
    west, south, east, north = bounds
    mid = math.radians((south + north) / 2)
    return (east - west) * 111.32 * math.cos(mid), (north - south) * 110.57


@cli.group("network")
def network_group() -> None:
    """Street networks: what a source holds, and the parsed-network cache."""


@network_group.command("info")
@network_source_options
@_PROGRESS
def info_command(*, source: NetworkSource, progress: bool | None) -> None:
    """Show nodes, edges, bounds, modes and cache status of a street network."""
    net = load_source_network(source, progress=progress)
    west, south, east, north = net.bounds
    width, height = _extent_km(net.bounds)
    stats = net.stats()
    click.echo(f"Source:  {source.describe()}")
    click.echo(
        f"Bounds:  W {west:.4f}  S {south:.4f}  E {east:.4f}  N {north:.4f}"
        f"  ({width:.1f} km x {height:.1f} km)"
    )
    click.echo(f"Modes:   {', '.join(MODES)}  (mixed = walk or coach per leg)")
    for mode, graph in (("walk", "walk network"), ("coach", "drive network")):
        s = stats[mode]
        click.echo(
            f"{mode.capitalize() + ':':<8} {s['nodes']:,} nodes, {s['edges']:,} edges "
            f"({graph}, largest strongly connected part of {s['nodes_total']:,} nodes, "
            f"{s['edges_total']:,} edges)"
        )
    where = f"  {net.cache_path}" if net.cache_path else ""
    click.echo(f"Cache:   {net.cache_status}{where}")


@network_group.command("clear-cache")
def clear_cache_command() -> None:
    """Delete every cached parsed network (they are rebuilt on the next load)."""
    removed = clear_cache()
    click.echo(f"Removed {removed} cached network(s) from {cache_folder()}")


def _fmt_minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _print_leg(leg: RouteLeg) -> None:
    click.echo(f"Mode:     {leg.mode}")
    click.echo(f"Distance: {leg.distance_m / 1000:.2f} km")
    extra = f" (incl. {_fmt_minutes(leg.overhead_s)} boarding/parking)" if leg.overhead_s else ""
    click.echo(f"Duration: {_fmt_minutes(leg.duration_s)}{extra}")
    if leg.snaps is not None:
        a, b = leg.snaps
        click.echo(
            f"Snapped:  start {a.distance_m:.0f} m, end {b.distance_m:.0f} m from the street"
        )


_COORDINATE_LIKE = re.compile(r"\s*[-+.\d]")


def _endpoint(
    text: str, pack: CityPack | None, osm: Path | None, *, label: str
) -> tuple[tuple[float, float], str]:
    """``lat,lon``, a city-pack place (id or name) or a feature of the extract *osm*
    (``osm:way/123`` or its exact name in any script) as ``((lat, lon), label)``.

    Unknown places raise an error with close matches (from the pack, or from the extract
    when there is no pack); text that starts like a number gets the ``lat,lon`` hint instead.
    """
    try:
        return parse_latlon(text), label
    except ValueError as err:
        latlon_error = err
    if _COORDINATE_LIKE.match(text) or not text.strip():
        raise click.BadParameter(str(latlon_error), param_hint=f"'{label}'") from None
    if pack is not None:
        try:
            place = pack.place(text)
        except UnknownPlaceError:
            if osm is None or not is_osm_ref(text):
                raise
        else:
            return (place.lat, place.lon), place.names.en
    if osm is None:
        msg = f"`{label}` {text!r}: name a place of a city pack or give `--osm FILE`"
        raise InputError(msg)
    from tours.places.extract import ExtractPlaces
    from tours.places.osm_features import load_feature_set

    places = ExtractPlaces(load_feature_set(osm))
    try:
        feature = places.by_osm(text) if is_osm_ref(text) else places.by_text(text)
    except InputError as err:
        msg = f"`{label}`: {err}"
        raise InputError(msg) from None
    return (feature.lat, feature.lon), feature.name_en or feature.name


@cli.command("route")
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="walk",
    show_default=True,
    help="walk, coach (with boarding/parking overhead) or mixed (walk short legs).",
)
@click.option(
    "--walk-kmh",
    type=FiniteFloatRange(min=0.5, max=10),
    default=4.0,
    show_default=True,
    help="Group walking pace.",
)
@click.option(
    "--geojson",
    "geojson",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the path as a GeoJSON FeatureCollection to this file.",
)
@click.option(
    "--city-pack",
    "city_pack",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="City pack whose places FROM and TO may name [default: the embedded Chengdu pack; "
    "none with --osm FILE of another extract].",
)
@network_source_options
@_PROGRESS
def route_command(
    *,
    start: str,
    end: str,
    mode: str,
    walk_kmh: float,
    geojson: Path | None,
    city_pack: Path | None,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Travel from FROM to TO along real streets.

    FROM and TO are each `lat,lon`, a place of the city pack (id or name, e.g.
    wenshu-monastery or "Tianfu Square"), or a feature of the extract: `osm:way/123` or its
    exact name in any script ("Musée Océanographique" with --osm monaco.osm.pbf).
    """
    from tours.places.pack import load_city_pack

    bare = city_pack is None and not is_default_source(source)
    pack = None if bare else load_city_pack(city_pack)
    if pack is not None:
        source = source_for_pack(source, pack)
    osm = source.path if source.kind == "file" else None
    a, a_label = _endpoint(start, pack, osm, label="FROM")
    b, b_label = _endpoint(end, pack, osm, label="TO")
    net = load_source_network(source, progress=progress)
    policy = TravelPolicy(walk_kmh=walk_kmh)
    leg = route_leg(net, a, b, mode=mode, policy=policy, labels=(a_label, b_label))
    _print_leg(leg)
    if geojson is not None:
        collection = {"type": "FeatureCollection", "features": [leg.to_geojson()]}
        write_text_atomic(geojson, json.dumps(collection, ensure_ascii=False) + "\n")
        click.echo(f"GeoJSON:  {geojson}")
