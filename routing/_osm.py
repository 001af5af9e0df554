"""Read highway ways from OSM data: local files via pyosmium, online queries via osmnx.

Both paths produce the same plain structure, :class:`RawStreets`: the nodes used by highway
ways (ids and coordinates) and every highway way as a node sequence with the tags routing
needs. A local file adds the squares mapped without a ``highway`` tag
(:mod:`routing._squares`), each stored as ``area=yes`` + ``place=square``. Building mode
graphs from it is the job of :mod:`routing._graph`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from routing._errors import NetworkSourceError, OfflineError
from routing._squares import SQUARE_FILTER_KEYS, is_walk_square

#: Way tags kept for routing (the filters and speeds in :mod:`routing._graph` read these).
WAY_TAGS = (
    "highway",
    "area",
    "access",
    "foot",
    "motor_vehicle",
    "motorcar",
    "service",
    "oneway",
    "junction",
    "maxspeed",
    "sidewalk",
    "sidewalk:both",
    "sidewalk:left",
    "sidewalk:right",
    "name",
    "place",
)

OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.pbf", ".osm.gz", ".pbf")


@dataclass(frozen=True)
class RawStreets:
    """Highway ways and their nodes, as read from OSM.

    ``way_nodes[way_ptr[i]:way_ptr[i + 1]]`` are the node indices (into ``node_id``, ``lat``,
    ``lon``) of way ``i`` in digitised order; ``way_tags[i]`` its routing tags.
    """

    node_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    way_ptr: np.ndarray
    way_nodes: np.ndarray
    way_tags: list[dict[str, str]]
    declared_bounds: tuple[float, float, float, float] | None = None


def _assemble(
    *,
    refs: list[int],
    lats: list[float],
    lons: list[float],
    lengths: list[int],
    tags: list[dict[str, str]],
    bounds: tuple[float, float, float, float] | None,
) -> RawStreets:
    ref_arr = np.asarray(refs, dtype=np.int64)
    node_id, first, inverse = np.unique(ref_arr, return_index=True, return_inverse=True)
    lat = np.asarray(lats, dtype=np.float64)[first]
    lon = np.asarray(lons, dtype=np.float64)[first]
    way_ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=way_ptr[1:])
    return RawStreets(
        node_id=node_id,
        lat=lat,
        lon=lon,
        way_ptr=way_ptr,
        way_nodes=inverse.astype(np.int64).reshape(-1),
        way_tags=tags,
        declared_bounds=bounds,
    )


def _routing_tags(osm_tags: Any) -> dict[str, str] | None:
    """The routing tags of a way read from a file; ``None`` for a way without ``highway``
    that is no walkable square (a square is kept as ``area=yes`` + ``place=square``)."""
    kept = {k: osm_tags[k] for k in WAY_TAGS if k in osm_tags}
    if "highway" in osm_tags:
        return kept
    if not is_walk_square({t.k: t.v for t in osm_tags}):
        return None
    kept.update(area="yes", place="square")
    return kept


def read_osm_file(path: Path) -> RawStreets:
    """Read the highway ways of an ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file.

    Raises
    ------
    NetworkSourceError
        The file is missing, empty, truncated, not OSM data, or has no highway ways.
    """
    import osmium  # noqa: PLC0415 - keeps cached loads free of the parser import

    if not path.is_file():
        msg = f"OSM file `{path}` does not exist; pass an existing .osm, .osm.bz2 or .osm.pbf"
        raise NetworkSourceError(msg)
    if path.stat().st_size == 0:
        msg = f"OSM file `{path}` is empty; pass a complete .osm, .osm.bz2 or .osm.pbf extract"
        raise NetworkSourceError(msg)
    if not path.name.lower().endswith(OSM_SUFFIXES):
        msg = (
            f"`{path.name}` is not an OSM file name; expected one of "
            f"{', '.join(OSM_SUFFIXES)} (e.g. city.osm.pbf)"
        )
        raise NetworkSourceError(msg)

    refs: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    lengths: list[int] = []
    tags: list[dict[str, str]] = []
    try:
        reader = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
            .with_filter(osmium.filter.KeyFilter("highway", *SQUARE_FILTER_KEYS))
        )
        header = reader.header
        for way in reader:
            if not isinstance(way, osmium.osm.Way):  # the filters pass ways only
                continue
            kept = _routing_tags(way.tags)
            if kept is None:
                continue
            count = 0
            for node in way.nodes:
                loc = node.location
                if not loc.valid():
                    continue  # a node cut off by the extract: keep the rest of the way
                refs.append(node.ref)
                lats.append(loc.lat)
                lons.append(loc.lon)
                count += 1
            if count < 2:
                del refs[len(refs) - count :], lats[len(lats) - count :]
                del lons[len(lons) - count :]
                continue
            lengths.append(count)
            tags.append(kept)
    except RuntimeError as err:
        msg = (
            f"cannot read OSM file `{path}`: {err} (truncated or not OSM data?); "
            "download the extract again or pass another file"
        )
        raise NetworkSourceError(msg) from None

    bounds = None
    box = header.box()
    if box.valid():
        bounds = (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
    if not lengths:
        msg = f"OSM file `{path}` contains no streets (no highway ways); pass a city extract"
        raise NetworkSourceError(msg)
    return _assemble(refs=refs, lats=lats, lons=lons, lengths=lengths, tags=tags, bounds=bounds)


def _tag_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return str(value[0]) if value else None
    if isinstance(value, float) and np.isnan(value):
        return None
    return str(value)


def streets_from_osmnx_graph(graph: Any) -> RawStreets:
    """Turn an unsimplified osmnx graph (network type ``all_public``) into :class:`RawStreets`.

    Each osmnx edge becomes a two-node way. osmnx has already oriented one-way streets, so a
    one-way edge keeps ``oneway=yes`` and a two-way street appears once per direction.
    """
    refs: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    lengths: list[int] = []
    tags: list[dict[str, str]] = []
    nodes = graph.nodes
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        for node in (u, v):
            refs.append(int(node))
            lats.append(float(nodes[node]["y"]))
            lons.append(float(nodes[node]["x"]))
        lengths.append(2)
        way = {k: val for k in WAY_TAGS if (val := _tag_value(data.get(k))) is not None}
        way["oneway"] = "yes" if data.get("oneway") is True else "no"
        way.pop("junction", None)  # orientation already applied by osmnx
        tags.append(way)
    if not lengths:
        msg = "the online query returned no streets; widen the area or check the place name"
        raise NetworkSourceError(msg)
    return _assemble(refs=refs, lats=lats, lons=lons, lengths=lengths, tags=tags, bounds=None)


#: Seconds to wait for the OSM servers to answer a connection before calling the source offline.
REACH_TIMEOUT_S = 3.0
_OVERPASS_URL = "https://overpass-api.de/api"  # osmnx's defaults
_NOMINATIM_URL = "https://nominatim.openstreetmap.org/"


def _reachable(url: str, *, timeout_s: float = REACH_TIMEOUT_S) -> bool:
    """Whether a TCP connection to *url*'s host opens within *timeout_s* (name lookup
    included). With an HTTP(S) proxy configured the proxy decides, so this says yes."""
    import socket  # noqa: PLC0415
    import urllib.parse  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415
    from concurrent.futures import TimeoutError as FutureTimeout  # noqa: PLC0415

    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or urllib.request.getproxies().get(parts.scheme or "https"):
        return True
    port = parts.port or (443 if parts.scheme == "https" else 80)

    def connect() -> bool:
        try:
            socket.create_connection((parts.hostname, port), timeout=timeout_s).close()
        except OSError:
            return False
        return True

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(connect).result(timeout=timeout_s + 0.5)
    except FutureTimeout:
        return False
    finally:
        pool.shutdown(wait=False)


def download_streets(
    kind: str, query: tuple[Any, ...], *, http_cache: Path | None = None
) -> RawStreets:
    """Download the street network for an online source through osmnx.

    Parameters
    ----------
    kind : {"place", "bbox", "point"}
        Which osmnx query to run; *query* holds its arguments.
    http_cache
        Folder for osmnx's own HTTP response cache (default: osmnx's ``./cache``).
    """
    import sys  # noqa: PLC0415

    loaded = sys.modules.get("osmnx")  # its settings, if already imported (and maybe changed)
    overpass = loaded.settings.overpass_url if loaded else _OVERPASS_URL
    nominatim = loaded.settings.nominatim_url if loaded else _NOMINATIM_URL
    servers = [overpass, nominatim] if kind == "place" else [overpass]
    if not all(_reachable(url) for url in servers):
        # fail in seconds: osmnx itself retries an unreachable server for about a minute
        msg = (
            f"no network access for the online {kind} query {query!r}; "
            "connect to the internet or pass a local extract with `--osm FILE`"
        )
        raise OfflineError(msg)

    import osmnx as ox  # noqa: PLC0415 - slow import, online sources only
    import requests  # noqa: PLC0415

    if http_cache is not None:
        ox.settings.cache_folder = http_cache

    extra = [t for t in WAY_TAGS if t not in ox.settings.useful_tags_way]
    ox.settings.useful_tags_way = [*ox.settings.useful_tags_way, *extra]
    options: dict[str, Any] = {
        "network_type": "all_public",
        "simplify": False,
        "retain_all": True,
        "truncate_by_edge": True,
    }
    fetch: Callable[[], Any]
    if kind == "place":
        fetch = lambda: ox.graph_from_place(query[0], **options)  # noqa: E731
    elif kind == "bbox":
        fetch = lambda: ox.graph_from_bbox(query, **options)  # noqa: E731
    else:
        fetch = lambda: ox.graph_from_point((query[0], query[1]), query[2], **options)  # noqa: E731
    try:
        graph = fetch()
    except requests.exceptions.ConnectionError:
        msg = (
            f"no network access for the online {kind} query {query!r}; "
            "connect to the internet or load a local OSM extract instead"
        )
        raise OfflineError(msg) from None
    except requests.exceptions.RequestException as err:
        msg = f"the online {kind} query {query!r} failed: {err}; try again later or use --osm"
        raise OfflineError(msg) from None
    except (ValueError, TypeError) as err:  # osmnx: geocoding failed, empty result, ...
        msg = f"the online {kind} query {query!r} gave no street network: {err}"
        raise NetworkSourceError(msg) from None
    return streets_from_osmnx_graph(graph)
