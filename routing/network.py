"""Load a street network (parse or cache) and snap places onto it."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from routing import _cache
from routing._errors import NetworkSourceError, SnapError, UnknownModeError
from routing._graph import EARTH_RADIUS_M, ROAD_CLASSES, ModeGraph, build_mode_graph, haversine_m
from routing._osm import RawStreets, download_streets, read_osm_file
from routing.policy import LEG_MODES, MODES, Mode, TravelPolicy
from routing.source import NetworkSource

#: Bump when the parsed representation changes (part of every cache key).
BUILDER_VERSION = "3"  # 2: walkable areas (squares) in the walk graph; 3: squares w/o highway
#: Graph names inside a network; the public modes map onto them.
#: The OSM network each leg mode travels on.
_GRAPHS: dict[str, str] = {"walk": "walk", "coach": "drive"}  # keys: LEG_MODES
CacheStatus = Literal["hit", "miss", "rebuilt", "off"]


@dataclass(frozen=True)
class Snap:
    """Where a place joins the network: the nearest node of the mode's largest SCC.

    ``node`` is the OSM node id, ``lat``/``lon`` the node's position and ``distance_m`` the
    straight-line distance from the place to it.
    """

    node: int
    lat: float
    lon: float
    distance_m: float
    mode: str = "walk"
    index: int = -1  # position in the mode graph (internal)


@dataclass
class _ModeData:
    graph: ModeGraph
    local: np.ndarray  # network node index -> position in graph.nodes (-1 if absent)
    tree: cKDTree | None = None
    csr_cache: dict[Any, tuple[csr_matrix, np.ndarray, np.ndarray, np.ndarray]] | None = None


class StreetNetwork:
    """A loaded street network with a ``walk`` graph and a ``coach`` (drive) graph.

    Build it with :func:`load_network`. ``cache_status`` is ``"hit"``, ``"miss"``,
    ``"rebuilt"`` (a corrupt entry was replaced) or ``"off"``; ``cache_path`` the entry.
    """

    modes: tuple[Mode, ...] = MODES

    def __init__(
        self,
        *,
        source: NetworkSource,
        node_id: np.ndarray,
        lat: np.ndarray,
        lon: np.ndarray,
        graphs: dict[str, ModeGraph],
        bounds: tuple[float, float, float, float],
        cache_status: CacheStatus = "off",
        cache_path: Path | None = None,
    ) -> None:
        self.source = source
        self.node_id = node_id
        self.lat = lat
        self.lon = lon
        self.bounds = bounds
        self.cache_status: CacheStatus = cache_status
        self.cache_path = cache_path
        self._modes: dict[str, _ModeData] = {}
        for name, graph in graphs.items():
            local = np.full(len(node_id), -1, dtype=np.int64)
            local[graph.nodes] = np.arange(len(graph.nodes))
            self._modes[name] = _ModeData(graph=graph, local=local, csr_cache={})
        west, south, east, north = bounds
        self._lat0 = math.radians((south + north) / 2)
        self._lon0 = (west + east) / 2

    def __repr__(self) -> str:
        walk, drive = self._modes["walk"].graph, self._modes["drive"].graph
        return (
            f"StreetNetwork({self.source.describe()!r}, walk {len(walk.nodes)} nodes, "
            f"coach {len(drive.nodes)} nodes, cache {self.cache_status})"
        )

    # -- structure -----------------------------------------------------------------------
    def graph(self, mode: str) -> ModeGraph:
        """The compact graph (largest SCC) used for *mode* (``walk`` or ``coach``)."""
        return self._data(mode).graph

    def _data(self, mode: str) -> _ModeData:
        name = _GRAPHS.get(mode)
        if name is None:
            msg = f"unknown network mode `{mode}` ({mode!r}); use {' or '.join(LEG_MODES)}"
            raise UnknownModeError(msg)
        return self._modes[name]

    def stats(self) -> dict[str, dict[str, int]]:
        """Nodes and directed edges per mode: in the largest SCC and in the whole graph."""
        out: dict[str, dict[str, int]] = {}
        for mode in LEG_MODES:
            g = self.graph(mode)
            out[mode] = {
                "nodes": len(g.nodes),
                "edges": len(g.src),
                "nodes_total": g.nodes_total,
                "edges_total": g.edges_total,
            }
        return out

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) lies inside the network's bounds."""
        west, south, east, north = self.bounds
        return bool(south <= lat <= north and west <= lon <= east)

    def _project(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        x = np.radians(np.asarray(lon) - self._lon0) * math.cos(self._lat0) * EARTH_RADIUS_M
        y = (np.radians(np.asarray(lat)) - self._lat0) * EARTH_RADIUS_M
        return np.column_stack([x, y])

    def _tree(self, data: _ModeData) -> cKDTree:
        if data.tree is None:
            nodes = data.graph.nodes
            data.tree = cKDTree(self._project(self.lat[nodes], self.lon[nodes]))
        return data.tree

    # -- snapping ------------------------------------------------------------------------
    def snap(
        self,
        lat: float,
        lon: float,
        *,
        mode: str = "walk",
        max_snap_m: float = 500.0,
        label: str | None = None,
    ) -> Snap:
        """Snap a place to the nearest node of the *mode* graph's largest SCC.

        Parameters
        ----------
        mode : {"walk", "coach"}
        max_snap_m
            Farther than this from any street is an error.
        label
            The place's name, used in error messages.

        Raises
        ------
        SnapError
            The point is invalid, outside the bounds, or farther than *max_snap_m*.
        """
        data = self._data(mode)
        name = f"`{label}`" if label else "place"
        where = f"({lat!r}, {lon!r})"
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
            msg = f"{name} {where} is not a valid latitude, longitude"
            raise SnapError(msg)
        if len(data.graph.nodes) == 0:
            msg = f"the network has no {mode} streets to snap {name} {where} to"
            raise SnapError(msg)
        _, pos = self._tree(data).query(self._project(np.array([lat]), np.array([lon]))[0])
        node = int(data.graph.nodes[pos])
        dist = float(haversine_m(lat, lon, self.lat[node], self.lon[node]))
        if not self.contains(lat, lon):
            west, south, east, north = self.bounds
            msg = (
                f"{name} {where} is outside the street network's bounds "
                f"(W,S,E,N {west:.4f},{south:.4f},{east:.4f},{north:.4f}); "
                f"the nearest {mode} street is {dist:,.0f} m away; use an extract that covers it"
            )
            raise SnapError(msg)
        if dist > max_snap_m:
            msg = (
                f"{name} {where} is {dist:,.0f} m from the nearest {mode} street "
                f"(limit {max_snap_m:g} m); check its coordinates or raise the limit"
            )
            raise SnapError(msg)
        return Snap(
            node=int(self.node_id[node]),
            lat=float(self.lat[node]),
            lon=float(self.lon[node]),
            distance_m=dist,
            mode=mode,
            index=int(pos),
        )

    # -- weighted graphs -----------------------------------------------------------------
    def weighted(
        self, mode: str, policy: TravelPolicy
    ) -> tuple[csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
        """CSR matrix of *mode* with one edge per node pair (the fastest) and its arrays.

        Returns ``(csr, keys, lengths, seconds)``: the weight is metres for ``walk`` and
        seconds for ``coach``; ``keys = u * n + v`` sorted, aligned with ``lengths`` and
        ``seconds`` of the kept edges (to walk a path back edge by edge).
        """
        data = self._data(mode)
        key = "walk" if mode == "walk" else ("coach", *policy.coach_key())
        cache = data.csr_cache if data.csr_cache is not None else {}
        if key in cache:
            return cache[key]
        g = data.graph
        n = len(g.nodes)
        u, v = data.local[g.src], data.local[g.dst]
        if mode == "walk":
            seconds = g.length / policy.walk_mps
        else:
            by_class = np.array(
                [
                    policy.coach_speeds_kmh.get(c, policy.coach_speeds_kmh.get("other", 20.0))
                    for c in ROAD_CLASSES
                ]
            )
            kmh = np.where(np.isfinite(g.maxspeed), g.maxspeed, by_class[g.road_class])
            seconds = g.length / (kmh * policy.coach_urban_factor / 3.6)
        weight = g.length if mode == "walk" else seconds
        pair = u * n + v
        order = np.lexsort((weight, pair))
        first = np.ones(len(order), dtype=bool)
        first[1:] = pair[order][1:] != pair[order][:-1]
        keep = order[first]
        csr = csr_matrix((weight[keep], (u[keep], v[keep])), shape=(n, n))
        result = (csr, pair[keep], g.length[keep], seconds[keep])
        cache[key] = result
        return result

    def node_latlon(self, mode: str, index: np.ndarray) -> np.ndarray:
        """(lat, lon) rows of graph positions *index* in the *mode* graph."""
        nodes = self._data(mode).graph.nodes[index]
        return np.column_stack([self.lat[nodes], self.lon[nodes]])

    def to_networkx(self, mode: str = "walk", *, policy: TravelPolicy | None = None) -> Any:
        """The *mode* graph as a ``networkx.DiGraph`` keyed by OSM node id.

        Edges carry ``length`` (m) and ``travel_time`` (s); nodes ``x`` (lon) and ``y`` (lat).
        """
        import networkx as nx  # noqa: PLC0415 - slow import, rarely needed

        policy = policy or TravelPolicy()
        _, keys, lengths, seconds = self.weighted(mode, policy)
        nodes = self._data(mode).graph.nodes
        n = len(nodes)
        ids = self.node_id[nodes]
        graph = nx.DiGraph()
        for i, node in enumerate(ids.tolist()):
            graph.add_node(node, x=float(self.lon[nodes[i]]), y=float(self.lat[nodes[i]]))
        u, v = ids[keys // n].tolist(), ids[keys % n].tolist()
        graph.add_edges_from(
            (a, b, {"length": float(ln), "travel_time": float(s)})
            for a, b, ln, s in zip(u, v, lengths.tolist(), seconds.tolist(), strict=True)
        )
        return graph


# -- loading ---------------------------------------------------------------------------
def _versions(source: NetworkSource) -> dict[str, str]:
    versions = {"builder": BUILDER_VERSION}
    # walkable areas are cut with shapely: its version is part of the key too
    for pkg in ("osmium" if source.kind == "file" else "osmnx", "shapely"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "unknown"
    return versions


_GRAPH_FIELDS = ("nodes", "src", "dst", "length", "road_class", "maxspeed")


def _to_entry(net: StreetNetwork) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    arrays = {"node_id": net.node_id, "lat": net.lat, "lon": net.lon}
    meta: dict[str, Any] = {"bounds": list(net.bounds), "totals": {}}
    for name, data in net._modes.items():
        for fld in _GRAPH_FIELDS:
            arrays[f"{name}.{fld}"] = getattr(data.graph, fld)
        meta["totals"][name] = [data.graph.edges_total, data.graph.nodes_total]
    return meta, arrays


def _from_entry(
    source: NetworkSource, meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> StreetNetwork:
    graphs = {}
    for name in ("walk", "drive"):
        edges_total, nodes_total = meta["totals"][name]
        graphs[name] = ModeGraph(
            **{fld: arrays[f"{name}.{fld}"] for fld in _GRAPH_FIELDS},
            edges_total=int(edges_total),
            nodes_total=int(nodes_total),
        )
    west, south, east, north = (float(v) for v in meta["bounds"])
    return StreetNetwork(
        source=source,
        node_id=arrays["node_id"],
        lat=arrays["lat"],
        lon=arrays["lon"],
        graphs=graphs,
        bounds=(west, south, east, north),
    )


def _build(source: NetworkSource, streets: RawStreets) -> StreetNetwork:
    graphs = {name: build_mode_graph(streets, name) for name in ("walk", "drive")}
    if len(graphs["walk"].nodes) < 2 and len(graphs["drive"].nodes) < 2:
        msg = f"{source.describe()} has no connected streets to route on; use a larger area"
        raise NetworkSourceError(msg)
    if streets.declared_bounds is not None:
        bounds = streets.declared_bounds
    else:
        bounds = (
            float(streets.lon.min()),
            float(streets.lat.min()),
            float(streets.lon.max()),
            float(streets.lat.max()),
        )
    return StreetNetwork(
        source=source,
        node_id=streets.node_id,
        lat=streets.lat,
        lon=streets.lon,
        graphs=graphs,
        bounds=bounds,
    )


@contextlib.contextmanager
def _status(text: str, *, progress: bool) -> Iterator[None]:
    if not progress:
        yield
        return
    from rich.console import Console  # noqa: PLC0415 - only for interactive use

    with Console(stderr=True).status(text):
        yield


def load_network(
    source: NetworkSource,
    *,
    cache_dir: Path | None = None,
    progress: bool = False,
    use_cache: bool = True,
) -> StreetNetwork:
    """Load *source* from the cache, or parse it (and cache it).

    Parameters
    ----------
    cache_dir
        Cache folder; default ``$TOURS_CACHE_DIR`` or the user cache folder.
    progress
        Show a spinner on stderr while parsing or downloading.
    use_cache
        ``False`` always parses and writes nothing.

    Raises
    ------
    NetworkSourceError
        Missing, empty, truncated or non-OSM file, or no streets.
    OfflineError
        An online source with no network access.
    """
    path = None
    status: CacheStatus = "off"
    if use_cache:
        path = _cache.entry_path(cache_dir, source.cache_key(_versions(source)))
        status = "miss"
        try:
            entry = _cache.read_entry(path)
        except _cache.CorruptEntryError:
            entry = None
            status = "rebuilt"
        if entry is not None:
            try:
                net = _from_entry(source, *entry)
            except (KeyError, ValueError, TypeError):
                status = "rebuilt"
            else:
                net.cache_status, net.cache_path = "hit", path
                return net

    if source.kind == "file" and source.path is not None:
        with _status(f"Parsing {source.path.name} …", progress=progress):
            streets = read_osm_file(source.path)
            net = _build(source, streets)
    else:
        with _status(f"Downloading {source.describe()} …", progress=progress):
            http_cache = _cache.networks_dir(cache_dir).parent / "osmnx-http"
            streets = download_streets(source.kind, source.query, http_cache=http_cache)
            net = _build(source, streets)
    if path is not None:
        _cache.write_entry(path, *_to_entry(net))
    net.cache_status, net.cache_path = status, path
    return net


def clear_cache(cache_dir: Path | None = None) -> int:
    """Delete every cached network in *cache_dir* (default folder when ``None``)."""
    return _cache.clear(cache_dir)


def cache_folder(cache_dir: Path | None = None) -> Path:
    """The folder holding cached networks."""
    return _cache.networks_dir(cache_dir)
