"""The network-source options every command that needs streets takes, and loading them.

``--osm FILE``, ``--place NAME`` and ``--bbox W,S,E,N`` are mutually exclusive; with none,
the city pack's OSM extract is used.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from routing import NetworkSource, StreetNetwork, load_network
from tours.cli._params import BBOX
from tours.places.pack import load_city_pack

F = TypeVar("F", bound=Callable[..., Any])


def default_source() -> NetworkSource:
    """The embedded city pack's OSM extract (``osm_extract`` in its ``city.yaml``)."""
    return NetworkSource.from_file(load_city_pack().osm_extract_path())


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

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        osm: Path | None,
        place: str | None,
        bbox: tuple[float, float, float, float] | None,
        **kwargs: Any,
    ) -> Any:
        kwargs["source"] = source_from_options(osm=osm, place=place, bbox=bbox)
        return func(*args, **kwargs)

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
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def load_source_network(
    source: NetworkSource, *, progress: bool | None = None, cache_dir: Path | None = None
) -> StreetNetwork:
    """Load *source* (from the cache when possible) with a spinner on stderr.

    ``progress=None`` shows the spinner only when stderr is a terminal.
    """
    show = sys.stderr.isatty() if progress is None else progress
    return load_network(source, cache_dir=cache_dir, progress=show)
