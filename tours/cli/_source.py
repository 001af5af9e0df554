"""The network-source options every command that needs streets takes, and loading them.

``--osm FILE``, ``--place NAME`` and ``--bbox W,S,E,N`` are mutually exclusive; with none,
the city pack's OSM extract is used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from routing import NetworkSource, StreetNetwork
from tours._errors import InputError
from tours.api import load_network
from tours.cli._params import BBOX, option_group
from tours.itinerary import Itinerary
from tours.places.pack import CityPack, load_city_pack
from tours.settings import find_osm_extract

F = TypeVar("F", bound=Callable[..., Any])


def default_source() -> NetworkSource:
    """The embedded city pack's OSM extract (``osm_extract`` in its ``city.yaml``).

    When the extract is not on this machine the source still names it, so a command that
    resolves its own default (:func:`source_for_pack`) or never loads it does not fail here.
    """
    pack = load_city_pack()
    try:
        return NetworkSource.from_file(pack.osm_extract_path())
    except InputError:
        return NetworkSource.from_file(pack.osm_extract)


def is_default_source(source: NetworkSource) -> bool:
    """Whether *source* is the default (no ``--osm/--place/--bbox`` given)."""
    return source == default_source()


def source_for_pack(source: NetworkSource, pack: CityPack) -> NetworkSource:
    """*source*, or the pack's own extract when no network source was given.

    One rule for every command: an explicit ``--osm/--place/--bbox`` wins; otherwise the
    city pack's extract (relative to the pack folder, then ``TOURS_OSM_DIR``).
    """
    if not is_default_source(source):
        return source
    return NetworkSource.from_file(pack.osm_extract_path())


def source_for_itinerary(
    source: NetworkSource | None, itinerary: Itinerary
) -> NetworkSource | None:
    """*source* when one was given, else the extract the itinerary was planned on
    (``city.osm_extract``), else the embedded pack's; ``None`` when none is on this machine."""
    if source is not None and not is_default_source(source):
        return source
    recorded = itinerary.city.osm_extract
    if recorded:
        try:
            return NetworkSource.from_file(find_osm_extract(recorded))
        except InputError:
            return None
    fallback = default_source()
    return fallback if fallback.path is not None and fallback.path.is_file() else None


def extract_of(source: NetworkSource) -> Path | None:
    """The OSM file a request without ``city`` is planned from: an explicit ``--osm``
    (``None`` for the default source).

    Raises
    ------
    InputError
        An online source: places need a local extract.
    """
    if is_default_source(source):
        return None
    if source.path is None:
        msg = (
            f"a request without `city` reads its places from a local extract, not from "
            f"{source.describe()}; pass `--osm FILE` (or name a city pack in `city`)"
        )
        raise InputError(msg)
    return source.path


def source_from_options(
    *,
    osm: Path | None = None,
    place: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> NetworkSource:
    """The :class:`NetworkSource` the options name (at most one may be given)."""
    given = [
        name
        for name, value in (("--osm", osm), ("--place", place), ("--bbox", bbox))
        if value is not None
    ]
    if len(given) > 1:
        msg = f"give only one network source, not {' and '.join(given)}"
        raise click.UsageError(msg)
    if osm is not None:
        return NetworkSource.from_file(osm)
    if place is not None:
        return NetworkSource.from_place(place)
    if bbox is not None:
        return NetworkSource.from_bbox(*bbox)
    return default_source()


def network_source_options(func: F) -> F:
    """Add ``--osm/--place/--bbox`` to a command; it receives them as ``source``."""
    options = [
        click.option(
            "--osm",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Local OSM extract (.osm, .osm.bz2 or .osm.pbf) "
            "[default: the city pack's extract].",
        ),
        click.option(
            "--place",
            metavar="NAME",
            default=None,
            help="Download the streets of a place by name (online), e.g. 'Jinjiang, Chengdu'.",
        ),
        click.option(
            "--bbox",
            type=BBOX,
            default=None,
            help="Download the streets inside a box W,S,E,N in degrees (online).",
        ),
    ]
    group = option_group("source", options, source_from_options, ("osm", "place", "bbox"))
    return group(func)


def load_source_network(
    source: NetworkSource, *, progress: bool | None = None, cache_dir: Path | None = None
) -> StreetNetwork:
    """Load *source* (from the cache when possible) with a spinner on stderr.

    ``progress=None`` shows the spinner only when stderr is a terminal.
    """
    show = sys.stderr.isatty() if progress is None else progress
    return load_network(source, cache_dir=cache_dir, progress=show)
