"""Join city-pack places with the OSM features of an extract, and search those features.

Features come from ``osmnx.features_from_xml`` (every tagged node, way and relation of the
file). Only named features are kept, reduced to plain :class:`OsmFeature` records (id, names
in every script, a few type tags, a representative point and the geometry's bounds) and
cached twice: in memory for the process, and on disk as JSON under the tours cache folder,
keyed by the SHA-256 of the file's bytes plus the osmnx version (content-addressed, written
atomically, safe to delete).

:func:`match_place` finds a place's feature by its OSM id, else by name (``name``,
``name:en``, ``name:zh``, ...) within a radius, and reports the distance.
:func:`network_status` says whether a place is inside a loaded street network; places
outside it are flagged, never snapped to a far street.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from routing import SnapError, cache_root, haversine_m
from tours._atomic import write_text_atomic
from tours._errors import InputError
from tours.itinerary import PlaceRef

if TYPE_CHECKING:
    from routing import StreetNetwork
    from tours.places.pack import CityPack, Place

_CACHE_VERSION = "2"
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
_INFO_KEYS = ("opening_hours", "website", "addr:street", "addr:housenumber", "wikipedia")
_memory: dict[str, list[OsmFeature]] = {}


@dataclass(frozen=True)
class OsmFeature:
    """A named OSM element of an extract.

    ``osm_id`` is ``"node/N"``, ``"way/N"`` or ``"relation/N"``; ``names`` holds every
    ``name``/``name:*``/``alt_name`` tag; ``lat``/``lon`` is a point on the feature;
    ``bbox`` is ``(west, south, east, north)`` of its geometry.
    """

    osm_id: str
    names: dict[str, str]
    kind: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]
    tags: dict[str, str] = field(default_factory=dict)

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
            category=self.kind,
            lat=self.lat,
            lon=self.lon,
            osm_id=self.osm_id,
            opening_hours=self.tags.get("opening_hours"),
            notes=f"from OpenStreetMap {self.osm_id}",
        )


@dataclass(frozen=True)
class PlaceMatch:
    """How a pack place joins the extract.

    ``method`` : {"osm_id", "name", None} — None when no feature matched.
    ``distance_m`` is from the place's coordinates to the matched feature.
    """

    place_id: str
    method: str | None
    feature: OsmFeature | None
    distance_m: float | None
    note: str = ""


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
    digest.update(f"|osmnx {version('osmnx')}|v{_CACHE_VERSION}".encode())
    return digest.hexdigest()


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _parse(path: Path) -> list[OsmFeature]:
    import osmnx  # noqa: PLC0415 - heavy; only needed on a cache miss

    try:
        gdf = osmnx.features_from_xml(path)
    except Exception as err:  # osmnx raises several types for unreadable files
        msg = f"cannot read OSM features from `{path}`: {err}; check the extract file"
        raise InputError(msg) from None
    name_cols = [c for c in gdf.columns if c == "name" or c.startswith(("name:", "alt_name"))]
    keep = [c for c in (*_TYPE_KEYS, *_INFO_KEYS) if c in gdf.columns]
    out: list[OsmFeature] = []
    for (element, number), row in gdf.iterrows():
        names = {c: v for c in name_cols if (v := _clean(row[c])) is not None}
        if not names:
            continue
        tags = {c: v for c in keep if (v := _clean(row[c])) is not None}
        kind = next((f"{k}={tags[k]}" for k in _TYPE_KEYS if k in tags), "feature")
        geom = row.geometry
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        west, south, east, north = (float(v) for v in geom.bounds)
        out.append(
            OsmFeature(
                osm_id=f"{element}/{int(number)}",
                names=names,
                kind=kind,
                lat=round(float(point.y), 7),
                lon=round(float(point.x), 7),
                bbox=(west, south, east, north),
                tags=tags,
            )
        )
    return out


def load_features(osm_file: Path, *, cache: bool = True) -> list[OsmFeature]:
    """Named OSM features of *osm_file*, parsed once per file content.

    Parameters
    ----------
    osm_file
        An OSM XML extract (``.osm`` or ``.osm.bz2``) readable by osmnx.
    cache
        Use (and fill) the on-disk cache in the tours cache folder.
    """
    path = Path(osm_file)
    if not path.is_file():
        msg = f"OSM extract `{path}` not found; pass `network` (an OSM extract that has it)"
        raise InputError(msg)
    key = _file_key(path)
    if key in _memory:
        return _memory[key]
    disk = _cache_dir() / f"{key}.json"
    features: list[OsmFeature] | None = None
    if cache and disk.is_file():
        try:
            rows = json.loads(disk.read_text(encoding="utf-8"))
            features = [
                OsmFeature(**{**r, "bbox": tuple(r["bbox"])})  # type: ignore[arg-type]
                for r in rows
            ]
        except (OSError, ValueError, TypeError, KeyError):
            features = None  # a damaged cache entry is rebuilt below
    if features is None:
        features = _parse(path)
        if cache:
            payload = json.dumps([asdict(f) for f in features], ensure_ascii=False)
            write_text_atomic(disk, payload)
    _memory[key] = features
    return features


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


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def match_place(place: Place, features: list[OsmFeature], *, radius_m: float = 300.0) -> PlaceMatch:
    """Find *place* among *features*: by OSM id, else by any name within *radius_m*.

    Name matching compares the place's en/zh/de names with every name tag of a feature
    (normalised, so spaces and punctuation do not matter; a score of 90+ also counts).
    """
    if place.osm_id:
        for feature in features:
            if feature.osm_id == place.osm_id:
                dist = feature.distance_m(place.lat, place.lon)
                return PlaceMatch(place.id, "osm_id", feature, dist)
        note = f"{place.osm_id} is not in the extract"
    else:
        note = "no osm_id"
    wanted = [_norm(n) for n in place.names.all() if _norm(n)]
    best: tuple[float, OsmFeature] | None = None
    for feature in features:
        dist = feature.distance_m(place.lat, place.lon)
        if dist > radius_m:
            continue
        labels = [_norm(n) for n in feature.names.values()]
        score = max((fuzz.ratio(w, lab) for w in wanted for lab in labels if lab), default=0.0)
        if score >= 90 and (best is None or dist < best[0]):
            best = (dist, feature)
    if best is not None:
        return PlaceMatch(place.id, "name", best[1], best[0], note=note)
    return PlaceMatch(
        place.id, None, None, None, note=f"{note}; no named feature within {radius_m:.0f} m"
    )


def join_pack(
    pack: CityPack, features: list[OsmFeature], *, radius_m: float = 300.0
) -> list[PlaceMatch]:
    """:func:`match_place` for every place of *pack*, in pack order."""
    return [match_place(p, features, radius_m=radius_m) for p in pack.places.values()]


def search_features(
    features: list[OsmFeature], text: str, *, limit: int = 20, min_score: float = 70.0
) -> list[tuple[OsmFeature, float]]:
    """Features whose name in any script matches *text* (substring or fuzzy), best first."""
    query = _norm(text)
    if not query:
        msg = f"search text {text!r} has no letters or digits; give part of a name"
        raise InputError(msg)
    labels: list[str] = []
    owners: list[int] = []
    for index, feature in enumerate(features):
        for name in feature.names.values():
            labels.append(_norm(name))
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
