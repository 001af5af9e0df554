"""Named OSM features of an extract, read with pyosmium, cached, and searched.

:func:`load_feature_set` reads ``.osm``, ``.osm.bz2`` and ``.osm.pbf`` files with pyosmium
(the network reader's library). Every named node, way and relation becomes a plain
:class:`OsmFeature` (id, names in every script, a few type and information tags, a point on
the feature, the bounds of its geometry, the element's version and timestamp). Clipped
extracts — ways cut at the edge, relations with missing members, as every bounding-box cut
has — keep a point from what is present and are counted (:attr:`FeatureSet.clipped`) for one
warning line (:meth:`FeatureSet.warning`); an element with no location left is dropped and
counted too.

A parsed feature set is cached twice: in memory for the process, and on disk as JSON under
the routing cache folder (``osm-features/``), keyed by the SHA-256 of the file's bytes plus
the pyosmium version and a format version (content-addressed, written atomically, safe to
delete).

This module knows nothing of city packs; :mod:`tours.places.join` joins pack places with
features.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rapidfuzz import fuzz, process

from routing import SnapError, cache_root, haversine_m
from routing.basemap import LABELLED_STREETS
from tours._atomic import write_text_atomic
from tours._errors import InputError
from tours.itinerary import PlaceRef, strip_control_characters

if TYPE_CHECKING:
    from routing import StreetNetwork

_CACHE_VERSION = "4"
_TYPE_KEYS = (
    "tourism",
    "historic",
    "amenity",
    "leisure",
    "shop",
    "building",
    "office",
    "highway",
    "landuse",
    "man_made",
    "religion",
    "railway",
    "public_transport",
)
_INFO_KEYS = (
    "opening_hours",
    "website",
    "contact:website",
    "wikidata",
    "wikipedia",
    "addr:street",
    "addr:housenumber",
    "addr:postcode",
    "addr:city",
    "addr:place",
    "addr:country",
    "addr:province",
    "addr:state",
    "addr:district",
    "addr:housename",
    "is_in:country_code",
    "ISO3166-1",
    "ISO3166-1:alpha2",
    "denomination",
    "cuisine",
    "stars",
    "area",
    "place",
)
_NAME_KEY = re.compile(r"^(name|alt_name|official_name)(:[A-Za-z]{2,3}([_-][A-Za-z0-9]+)?)?$")
_memory: dict[str, FeatureSet] = {}


@dataclass(frozen=True)
class OsmFeature:
    """A named OSM element of an extract.

    ``osm_id`` is ``"node/N"``, ``"way/N"`` or ``"relation/N"``; ``names`` holds every
    ``name``/``name:xx``/``alt_name``/``official_name`` tag; ``lat``/``lon`` is a point on
    the feature; ``bbox`` is ``(west, south, east, north)`` of its geometry (of the part
    inside the extract when ``clipped``); ``version`` and ``timestamp`` identify the state of
    the element the facts come from (``None``/``""`` when the file lacks them).
    """

    osm_id: str
    names: dict[str, str]
    kind: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]
    tags: dict[str, str] = field(default_factory=dict)
    version: int | None = None
    timestamp: str = ""
    clipped: bool = False

    @property
    def name(self) -> str:
        """The main ``name`` tag, else the first name found."""
        return self.names.get("name") or next(iter(self.names.values()), "")

    @property
    def name_en(self) -> str:
        """``name:en`` if tagged, else ``""``."""
        return self.names.get("name:en", "")

    @property
    def name_zh(self) -> str:
        """``name:zh`` if tagged, else ``name`` when it contains Chinese characters."""
        if zh := self.names.get("name:zh"):
            return zh
        main = self.names.get("name", "")
        return main if any("\u4e00" <= ch <= "\u9fff" for ch in main) else ""

    def language_names(self) -> dict[str, str]:
        """Names by language: ``{"fr": "Musée", "en": "Museum"}``; the untagged ``name`` is
        keyed ``""`` (its language is the local one, unknown here)."""
        out: dict[str, str] = {}
        for key, value in self.names.items():
            if key == "name":
                out[""] = value
            elif key.startswith("name:"):
                out[key.removeprefix("name:")] = value
        return out

    @property
    def url(self) -> str:
        """The element on openstreetmap.org."""
        return f"https://www.openstreetmap.org/{self.osm_id}"

    def distance_m(self, lat: float, lon: float) -> float:
        """Metres from (lat, lon) to the feature: 0 inside its bounds, else to the nearest
        edge of the bounds (to the point for nodes)."""
        west, south, east, north = self.bbox
        clat = min(max(lat, south), north)
        clon = min(max(lon, west), east)
        return float(haversine_m(lat, lon, clat, clon))

    def to_ref(self) -> PlaceRef:
        """A place reference for a feature the city pack lacks (id ``osm-way-123``)."""
        kind, number = self.osm_id.split("/")
        return PlaceRef(
            id=f"osm-{kind}-{number}",
            name_en=self.name_en or self.name,
            name_zh=self.name_zh,
            name_de=self.names.get("name:de", ""),
            names={
                key.removeprefix("name:"): value
                for key, value in self.names.items()
                if key.startswith("name:") and value
            },
            name_local=self.names.get("name", ""),
            category=self.kind,
            lat=self.lat,
            lon=self.lon,
            osm_id=self.osm_id,
            opening_hours=self.tags.get("opening_hours"),
            notes=f"from OpenStreetMap {self.osm_id}",
        )


@dataclass(frozen=True)
class FeatureSet:
    """The named features of one extract and what reading it found.

    ``clipped`` counts elements cut by the extract's edge (a way missing nodes, a relation
    missing members) that kept a point; ``dropped`` those left with no location at all.
    ``bounds`` is ``(west, south, east, north)`` of the nodes the file holds.
    """

    path: Path
    features: list[OsmFeature]
    bounds: tuple[float, float, float, float]
    clipped: int = 0
    dropped: int = 0
    stripped: tuple[tuple[str, str], ...] = ()

    def warning(self) -> str | None:
        """One line about clipped or dropped elements, ``None`` when there were none
        (removed control characters: :func:`osm_text_warning`)."""
        if not self.clipped and not self.dropped:
            return None
        parts = []
        if self.clipped:
            parts.append(f"{self.clipped} named element(s) cut at the edge kept a point location")
        if self.dropped:
            parts.append(f"{self.dropped} with no location inside the extract were skipped")
        return f"extract `{self.path.name}` is clipped: " + "; ".join(parts)


@dataclass(frozen=True)
class NetworkStatus:
    """Whether a place can be reached in a loaded street network.

    ``inside`` is False for places outside the network bounds (never snapped);
    ``snap_m`` is the distance to the nearest walkable street when inside.
    """

    inside: bool
    snap_m: float | None
    reason: str

    @property
    def label(self) -> str:
        """Short text for tables: ``yes (12 m)``, ``no: outside extract`` ..."""
        if self.inside and self.snap_m is not None:
            return f"yes ({self.snap_m:.0f} m)"
        return f"no: {self.reason}"


def _cache_dir() -> Path:
    return cache_root() / "osm-features"


def _file_key(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    digest.update(f"|osmium {version('osmium')}|v{_CACHE_VERSION}".encode())
    return digest.hexdigest()


def _names(tags: Any) -> dict[str, str]:
    return {t.k: t.v.strip() for t in tags if _NAME_KEY.match(t.k) and t.v.strip()}


def _kept_tags(tags: Any) -> dict[str, str]:
    keep = (*_TYPE_KEYS, *_INFO_KEYS)
    return {k: tags[k].strip() for k in keep if k in tags and tags[k].strip()}


@dataclass
class _Raw:
    """An element being read: its tags and the coordinates found so far."""

    osm_id: str
    names: dict[str, str]
    tags: dict[str, str]
    version: int | None
    timestamp: str
    coords: list[tuple[float, float]]
    closed: bool = False
    clipped: bool = False


def _meta(obj: Any) -> tuple[int | None, str]:
    ver = int(obj.version) if obj.version and obj.version > 0 else None
    stamp = obj.timestamp
    text = "" if stamp is None or stamp.year < 2000 else stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ver, text


def _point(raw: _Raw, lines: list[list[tuple[float, float]]] | None = None) -> tuple[float, float]:
    """A point on the element (lon, lat): on its polygon if it closes, else on its lines."""
    from shapely.geometry import LineString, MultiPoint, Polygon  # noqa: PLC0415
    from shapely.ops import polygonize, unary_union  # noqa: PLC0415

    geom: Any
    if lines is not None:
        segments = [LineString(c) for c in lines if len(c) >= 2]
        polygons = list(polygonize(segments)) if segments else []
        if polygons:
            geom = unary_union(polygons)
        elif segments:
            geom = unary_union(segments)
        else:
            geom = MultiPoint(raw.coords)
    elif raw.closed and len(raw.coords) >= 4 and not raw.clipped:
        geom = Polygon(raw.coords)
        if not geom.is_valid:
            geom = geom.buffer(0)
    elif len(raw.coords) >= 2:
        geom = LineString(raw.coords)
    else:
        geom = MultiPoint(raw.coords)
    if geom.is_empty:
        geom = MultiPoint(raw.coords)
    point = geom.representative_point()
    return float(point.x), float(point.y)


def _feature(raw: _Raw, lines: list[list[tuple[float, float]]] | None = None) -> OsmFeature:
    lon, lat = _point(raw, lines)
    lons = [c[0] for c in raw.coords]
    lats = [c[1] for c in raw.coords]
    kind = next((f"{k}={raw.tags[k]}" for k in _TYPE_KEYS if k in raw.tags), "feature")
    return OsmFeature(
        osm_id=raw.osm_id,
        names=raw.names,
        kind=kind,
        lat=round(lat, 7),
        lon=round(lon, 7),
        bbox=(min(lons), min(lats), max(lons), max(lats)),
        tags=raw.tags,
        version=raw.version,
        timestamp=raw.timestamp,
        clipped=raw.clipped,
    )


def _relation_members(path: Path) -> dict[str, tuple[list[int], list[int]]]:
    """Named relations: ``{osm_id: (member way ids, member node ids)}`` (nested relations
    add no geometry of their own)."""
    import osmium  # noqa: PLC0415 - heavy

    out: dict[str, tuple[list[int], list[int]]] = {}
    rel: Any
    for rel in osmium.FileProcessor(str(path), osmium.osm.RELATION):
        if _names(rel.tags):
            way_ids = [m.ref for m in rel.members if m.type == "w"]
            node_ids = [m.ref for m in rel.members if m.type == "n"]
            out[f"relation/{rel.id}"] = (way_ids, node_ids)
    return out


class _Reader:
    """One pass over an extract (with node locations): named elements and the member
    geometry of named relations."""

    def __init__(self, relations: dict[str, tuple[list[int], list[int]]]) -> None:
        self.relations = relations
        self.member_ways = {w for ways, _nodes in relations.values() for w in ways}
        self.member_nodes = {n for _ways, nodes in relations.values() for n in nodes}
        self.raws: list[_Raw] = []
        self.rel_raws: dict[str, _Raw] = {}
        self.node_at: dict[int, tuple[float, float]] = {}
        self.way_lines: dict[int, list[tuple[float, float]]] = {}
        self.way_cut: set[int] = set()
        self.box = [math.inf, math.inf, -math.inf, -math.inf]
        self.cleaner = _Cleaner()

    def node(self, obj: Any) -> None:
        if not obj.location.valid():
            return
        xy = (obj.location.lon, obj.location.lat)
        box = self.box
        box[:] = [min(box[0], xy[0]), min(box[1], xy[1]), max(box[2], xy[0]), max(box[3], xy[1])]
        if obj.id in self.member_nodes:
            self.node_at[obj.id] = xy
        names = _names(obj.tags)
        if names:
            ver, stamp = _meta(obj)
            tags = self.cleaner.element(f"node/{obj.id}", obj.tags, names)
            self.raws.append(_Raw(f"node/{obj.id}", names, tags, ver, stamp, [xy]))

    def way(self, obj: Any) -> None:
        coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
        cut = len(coords) < len(obj.nodes)
        if obj.id in self.member_ways:
            self.way_lines[obj.id] = coords
            if cut:
                self.way_cut.add(obj.id)
        names = _names(obj.tags)
        if names:
            ver, stamp = _meta(obj)
            tags = self.cleaner.element(f"way/{obj.id}", obj.tags, names)
            raw = _Raw(f"way/{obj.id}", names, tags, ver, stamp, coords)
            raw.closed = len(obj.nodes) >= 4 and obj.nodes[0].ref == obj.nodes[-1].ref
            raw.clipped = cut
            self.raws.append(raw)

    def relation(self, obj: Any) -> None:
        key = f"relation/{obj.id}"
        if key in self.relations:
            ver, stamp = _meta(obj)
            names = _names(obj.tags)
            tags = self.cleaner.element(key, obj.tags, names)
            self.rel_raws[key] = _Raw(key, names, tags, ver, stamp, [])

    def features(self) -> tuple[list[OsmFeature], int, int]:
        """``(features, clipped, dropped)`` once the file has been read."""
        out: list[OsmFeature] = []
        clipped = dropped = 0
        for raw in self.raws:
            if not raw.coords:
                dropped += 1
                continue
            clipped += raw.clipped
            out.append(_feature(raw))
        for key, raw in self.rel_raws.items():
            way_ids, node_ids = self.relations[key]
            lines = [self.way_lines[w] for w in way_ids if self.way_lines.get(w)]
            points = [self.node_at[n] for n in node_ids if n in self.node_at]
            raw.coords = [c for line in lines for c in line] + points
            raw.clipped = (
                len(lines) < len(way_ids)
                or any(w in self.way_cut for w in way_ids)
                or len(points) < len(node_ids)
            )
            if not raw.coords:
                dropped += 1
                continue
            clipped += raw.clipped
            out.append(_feature(raw, lines or None))
        return out, clipped, dropped


def _parse(path: Path) -> FeatureSet:
    import osmium  # noqa: PLC0415 - heavy; only needed on a cache miss

    with reading_extract(path, "OSM features"):
        reader = _Reader(_relation_members(path))
        obj: Any
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if obj.is_node():
                reader.node(obj)
            elif obj.is_way():
                reader.way(obj)
            elif obj.is_relation():
                reader.relation(obj)
    features, clipped, dropped = reader.features()
    west, south, east, north = reader.box
    if not math.isfinite(west):
        msg = f"OSM extract `{path}` has no nodes with a location; check the extract file"
        raise InputError(msg)
    return FeatureSet(
        path,
        features,
        (west, south, east, north),
        clipped=clipped,
        dropped=dropped,
        stripped=tuple(reader.cleaner.stripped),
    )


def _decode_features(path: Path, data: Any) -> FeatureSet:
    features = [OsmFeature(**{**r, "bbox": tuple(r["bbox"])}) for r in data["features"]]
    return FeatureSet(
        path,
        features,
        tuple(data["bounds"]),
        clipped=int(data["clipped"]),
        dropped=int(data["dropped"]),
        stripped=tuple((str(e), str(k)) for e, k in data.get("stripped", [])),
    )


def _encode_features(found: FeatureSet) -> Any:
    return {
        "bounds": list(found.bounds),
        "clipped": found.clipped,
        "dropped": found.dropped,
        "stripped": [list(pair) for pair in found.stripped],
        "features": [asdict(f) for f in found.features],
    }


_T = TypeVar("_T")


def existing_extract(osm_file: Path, fix: str) -> Path:
    """*osm_file* as a path; :class:`InputError` (ending in *fix*) when it is no file."""
    path = Path(osm_file)
    if not path.is_file():
        msg = f"OSM extract `{path}` not found; {fix}"
        raise InputError(msg)
    return path


@contextmanager
def reading_extract(path: Path, what: str) -> Iterator[None]:
    """Turn pyosmium's read errors inside the block into one :class:`InputError` line:
    ``cannot read {what} from `path`: …; check the extract file``."""
    try:
        yield
    except (RuntimeError, OSError, ValueError) as err:
        msg = f"cannot read {what} from `{path}`: {err}; check the extract file"
        raise InputError(msg) from None


def nodes_and_ways(path: Path) -> Iterable[Any]:
    """The nodes and ways of the extract *path*, in file order, with node locations."""
    import osmium  # noqa: PLC0415 - heavy; only needed on a cache miss

    return osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()


def load_cached(
    path: Path,
    key: str,
    memory: dict[str, _T],
    disk: Path,
    *,
    cache: bool,
    parse: Callable[[Path], _T],
    decode: Callable[[Path, Any], _T],
    encode: Callable[[_T], Any],
) -> _T:
    """What *parse* reads from *path*, parsed once per *key*: kept in *memory* and, with
    *cache*, in the JSON file *disk* (written atomically; a damaged entry is rebuilt).

    Memory holds one entry per file: a copy of an extract with the same content is read
    from *disk*, so what it returns (and every message about it) names that copy's path.
    """
    held = f"{key}|{path.resolve()}"
    if held in memory:
        return memory[held]
    found: _T | None = None
    if cache and disk.is_file():
        try:
            found = decode(path, json.loads(disk.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            found = None  # a damaged cache entry is rebuilt
    if found is None:
        found = parse(path)
        if cache:
            write_text_atomic(disk, json.dumps(encode(found), ensure_ascii=False))
    memory[held] = found
    return found


def load_feature_set(osm_file: Path, *, cache: bool = True) -> FeatureSet:
    """The named OSM features of *osm_file*, parsed once per file content.

    Parameters
    ----------
    osm_file
        An OSM extract: ``.osm``, ``.osm.bz2`` (XML) or ``.osm.pbf``.
    cache
        Use (and fill) the on-disk cache in the tours cache folder.

    Raises
    ------
    InputError
        The file is missing or cannot be read as OSM data.
    """
    path = existing_extract(osm_file, "pass `network` (an OSM extract that has it)")
    key = _file_key(path)
    disk = _cache_dir() / f"{key}.json"
    return load_cached(
        path,
        key,
        _memory,
        disk,
        cache=cache,
        parse=_parse,
        decode=_decode_features,
        encode=_encode_features,
    )


def load_features(osm_file: Path, *, cache: bool = True) -> list[OsmFeature]:
    """The features of :func:`load_feature_set` (a list, in file order)."""
    return load_feature_set(osm_file, cache=cache).features


def feature_by_id(features: list[OsmFeature], osm_id: str) -> OsmFeature:
    """The feature with *osm_id* (``"way/123"``); ``InputError`` if the extract lacks it."""
    wanted = osm_id.strip().lower()
    for feature in features:
        if feature.osm_id == wanted:
            return feature
    msg = (
        f"OSM element `{osm_id}` is not a named feature of the extract; "
        "find ids with `tours places search TEXT`"
    )
    raise InputError(msg)


def norm(text: str) -> str:
    """*text* folded for comparison: case-folded, letters and digits only."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def search_features(
    features: list[OsmFeature], text: str, *, limit: int = 20, min_score: float = 80.0
) -> list[tuple[OsmFeature, float]]:
    """Features whose name in any script matches *text* (substring or fuzzy), best first.

    An empty list means no match: names only loosely like *text* (below *min_score*) are
    not listed.
    """
    query = norm(text)
    if not query:
        msg = f"search text {text!r} has no letters or digits; give part of a name"
        raise InputError(msg)
    labels: list[str] = []
    owners: list[int] = []
    for index, feature in enumerate(features):
        for name in feature.names.values():
            labels.append(norm(name))
            owners.append(index)
    scored: dict[int, float] = {}
    for label, owner in zip(labels, owners, strict=True):
        if query in label:
            # exact substring: rank shorter (more specific) names first
            scored[owner] = max(scored.get(owner, 0.0), 100.0 - min(len(label) - len(query), 9))
    for _label, score, pos in process.extract(
        query, labels, scorer=fuzz.WRatio, limit=limit * 5, score_cutoff=min_score
    ):
        owner = owners[pos]
        scored[owner] = max(scored.get(owner, 0.0), min(float(score), 90.0))
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], features[kv[0]].osm_id))
    return [(features[i], score) for i, score in ranked[:limit]]


def network_status(
    net: StreetNetwork, lat: float, lon: float, *, max_snap_m: float = 500.0
) -> NetworkStatus:
    """Whether (lat, lon) is reachable in *net*.

    Points outside the network's bounds are flagged ``outside extract`` without snapping;
    points inside are snapped to the walk graph and flagged if no street is within
    *max_snap_m*.
    """
    if not net.contains(lat, lon):
        return NetworkStatus(False, None, "outside extract")
    try:
        snap = net.snap(lat, lon, mode="walk", max_snap_m=max_snap_m)
    except SnapError:
        return NetworkStatus(False, None, f"no street within {max_snap_m:.0f} m")
    return NetworkStatus(True, float(snap.distance_m), "")


# -- control characters in OSM text ---------------------------------------------------------


class _Cleaner:
    """Removes control characters from the text an element contributes and remembers which
    element and tag had them (for :func:`stripped_warning`)."""

    def __init__(self) -> None:
        self.stripped: list[tuple[str, str]] = []

    def clean(self, osm_id: str, tags: dict[str, str]) -> dict[str, str]:
        """*tags* with control characters removed (in place); empty values are dropped."""
        for key, value in list(tags.items()):
            cleaned = strip_control_characters(value).strip()
            if cleaned != value:
                self.stripped.append((osm_id, key))
                if cleaned:
                    tags[key] = cleaned
                else:
                    del tags[key]
        return tags

    def element(self, osm_id: str, tags: Any, names: dict[str, str]) -> dict[str, str]:
        """The kept tags of an element, cleaned; its *names* are cleaned in place."""
        self.clean(osm_id, names)
        return self.clean(osm_id, _kept_tags(tags))


#: Most elements a warning about control characters names (the rest are counted).
STRIPPED_SHOWN = 5


def stripped_warning(path: Path, stripped: Iterable[tuple[str, str]]) -> str | None:
    """One line naming the elements and tags of *path* whose control characters were
    removed (``None``: none were).

    OSM text is untrusted: a control character would make GPX, ICS or HTML ill-formed, so
    it is removed while the extract is read, and this line says where.
    """
    tags_of: dict[str, list[str]] = {}
    for osm_id, key in stripped:
        keys = tags_of.setdefault(osm_id, [])
        if key not in keys:
            keys.append(key)
    if not tags_of:
        return None
    shown = [f"{osm_id} ({', '.join(keys)})" for osm_id, keys in tags_of.items()]
    more = len(shown) - STRIPPED_SHOWN
    text = ", ".join(shown[:STRIPPED_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return (
        f"extract `{path.name}`: removed control characters from the text of "
        f"{len(tags_of)} OSM element(s): {text}; fix the tags in OpenStreetMap"
    )


def osm_text_warning(osm_file: Path) -> str | None:
    """:func:`stripped_warning` for everything tours reads from *osm_file* (named features,
    addresses and street names), ``None`` when its text had no control characters."""
    features = load_feature_set(osm_file)
    addresses = load_address_data(osm_file)
    return stripped_warning(Path(osm_file), [*features.stripped, *addresses.stripped])


# -- addresses and named streets --------------------------------------------------------------

_ADDRESS_CACHE_VERSION = "1"
#: Highway classes whose names a stop's "near ..." fallback may give (streets people name;
#: footways, steps, service roads and motorways are left out).
ADDRESS_STREET_CLASSES = LABELLED_STREETS - {"motorway"}
_address_memory: dict[str, AddressData] = {}


@dataclass(frozen=True)
class AddressElement:
    """An OSM element (named or not) with ``addr:*`` tags.

    ``ring`` is the outline ``[(lon, lat), ...]`` of a closed way (a building or a site a
    place may lie in), empty for nodes and open ways.
    """

    osm_id: str
    tags: dict[str, str]
    lat: float
    lon: float
    ring: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class NamedStreet:
    """A named street of the extract: names by language (``""``: the local ``name``) and its
    line ``[(lon, lat), ...]``."""

    osm_id: str
    names: dict[str, str]
    line: list[tuple[float, float]]


@dataclass(frozen=True)
class AddressData:
    """What an extract says about addresses: elements with ``addr:*`` tags and named streets."""

    path: Path
    elements: list[AddressElement]
    streets: list[NamedStreet]
    stripped: tuple[tuple[str, str], ...] = ()


def _street_names(osm_id: str, tags: Any, cleaner: _Cleaner) -> dict[str, str]:
    names = {"": tags.get("name", "").strip()}
    for tag in tags:
        key = tag.k
        if key.startswith("name:") and 2 <= len(key) - 5 <= 3 and key[5:].isalpha():
            names[key[5:]] = tag.v.strip()
    names = cleaner.clean(osm_id, {k: v for k, v in names.items() if v})
    return names if "" in names else {}


def _parse_addresses(path: Path) -> AddressData:
    cleaner = _Cleaner()
    elements: list[AddressElement] = []
    streets: list[NamedStreet] = []
    with reading_extract(path, "OSM addresses"):
        for obj in nodes_and_ways(path):
            addr = {t.k: t.v.strip() for t in obj.tags if t.k.startswith("addr:") and t.v.strip()}
            if obj.is_node():
                if addr and obj.location.valid():
                    osm_id = f"node/{obj.id}"
                    loc = obj.location
                    elements.append(
                        AddressElement(osm_id, cleaner.clean(osm_id, addr), loc.lat, loc.lon)
                    )
                continue
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if not coords:
                continue
            osm_id = f"way/{obj.id}"
            if obj.tags.get("highway") in ADDRESS_STREET_CLASSES and len(coords) >= 2:
                names = _street_names(osm_id, obj.tags, cleaner)
                if names:
                    streets.append(NamedStreet(osm_id, names, coords))
            if addr:
                closed = len(obj.nodes) >= 4 and obj.nodes[0].ref == obj.nodes[-1].ref
                ring = coords if closed and len(coords) == len(obj.nodes) else []
                lon = sum(c[0] for c in coords) / len(coords)
                lat = sum(c[1] for c in coords) / len(coords)
                elements.append(AddressElement(osm_id, cleaner.clean(osm_id, addr), lat, lon, ring))
    return AddressData(path, elements, streets, stripped=tuple(cleaner.stripped))


def load_address_data(osm_file: Path, *, cache: bool = True) -> AddressData:
    """The ``addr:*`` elements and named streets of *osm_file*, parsed once per content
    (cached in memory and on disk like :func:`load_feature_set`).

    Raises
    ------
    InputError
        The file is missing or cannot be read as OSM data.
    """
    path = existing_extract(osm_file, "check the extract file")
    key = hashlib.sha256(f"{_file_key(path)}|addresses v{_ADDRESS_CACHE_VERSION}".encode())
    digest = key.hexdigest()
    return load_cached(
        path,
        digest,
        _address_memory,
        _cache_dir() / f"addresses-{digest}.json",
        cache=cache,
        parse=_parse_addresses,
        decode=_decode_addresses,
        encode=lambda found: {
            "elements": [asdict(e) for e in found.elements],
            "streets": [asdict(s) for s in found.streets],
            "stripped": [list(pair) for pair in found.stripped],
        },
    )


def _decode_addresses(path: Path, data: Any) -> AddressData:
    return AddressData(
        path,
        [
            AddressElement(
                e["osm_id"], e["tags"], e["lat"], e["lon"], [tuple(c) for c in e["ring"]]
            )
            for e in data["elements"]
        ],
        [
            NamedStreet(s["osm_id"], s["names"], [tuple(c) for c in s["line"]])
            for s in data["streets"]
        ],
        stripped=tuple((str(a), str(b)) for a, b in data["stripped"]),
    )
