"""Where a street network comes from: a local OSM file or an online osmnx query."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from routing._errors import NetworkSourceError

SourceKind = Literal["file", "place", "bbox", "point"]


@dataclass(frozen=True)
class NetworkSource:
    """A street-network source. Build one with the ``from_*`` class methods.

    Parameters
    ----------
    kind : {"file", "place", "bbox", "point"}
        ``file`` reads a local extract; the others query OpenStreetMap online through osmnx.
    path
        The OSM file (``kind == "file"``).
    query
        The online query: ``(name,)``, ``(west, south, east, north)`` or ``(lat, lon, dist_m)``.
    """

    kind: SourceKind
    path: Path | None = None
    query: tuple[Any, ...] = ()

    @classmethod
    def from_file(cls, path: Path | str) -> NetworkSource:
        """A local ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` extract."""
        return cls("file", path=Path(path).expanduser())

    @classmethod
    def from_place(cls, name: str) -> NetworkSource:
        """A place name geocoded by Nominatim (online), e.g. ``"Chengdu, China"``."""
        if not name.strip():
            msg = "`place` is empty; give a name such as 'Jinjiang District, Chengdu'"
            raise NetworkSourceError(msg)
        return cls("place", query=(name.strip(),))

    @classmethod
    def from_bbox(cls, west: float, south: float, east: float, north: float) -> NetworkSource:
        """A bounding box in degrees (online)."""
        values = (west, south, east, north)
        if not all(math.isfinite(v) for v in values):
            msg = f"`bbox` {values!r} has a non-finite value; give W,S,E,N in degrees"
            raise NetworkSourceError(msg)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            msg = (
                f"`bbox` {values!r} is not W,S,E,N with west < east and south < north; "
                "e.g. 104.04,30.65,104.13,30.73"
            )
            raise NetworkSourceError(msg)
        return cls("bbox", query=(float(west), float(south), float(east), float(north)))

    @classmethod
    def from_point(cls, lat: float, lon: float, dist_m: float) -> NetworkSource:
        """All streets within *dist_m* metres of a point (online)."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            msg = f"`point` {(lat, lon)!r} is not a valid latitude, longitude"
            raise NetworkSourceError(msg)
        if not (math.isfinite(dist_m) and dist_m > 0):
            msg = f"`dist_m` {dist_m!r} must be a positive distance in metres"
            raise NetworkSourceError(msg)
        return cls("point", query=(float(lat), float(lon), float(dist_m)))

    @property
    def online(self) -> bool:
        """Whether loading this source needs internet access (on a cache miss)."""
        return self.kind != "file"

    def describe(self) -> str:
        """A short human-readable description."""
        if self.kind == "file":
            return str(self.path)
        if self.kind == "place":
            return f"place {self.query[0]!r} (online)"
        if self.kind == "bbox":
            return "bbox " + ",".join(f"{v:g}" for v in self.query) + " (online)"
        lat, lon, dist = self.query
        return f"{dist:g} m around {lat:g},{lon:g} (online)"

    def cache_key(self, versions: dict[str, str]) -> str:
        """Content address: the file's bytes, or the query, plus builder and library versions."""
        parts: dict[str, Any] = {"kind": self.kind, "versions": versions}
        if self.kind == "file":
            parts["sha256"] = _file_sha256(self.path)
        else:
            parts["query"] = list(self.query)
        blob = json.dumps(parts, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:32]


def _file_sha256(path: Path | None) -> str:
    if path is None or not path.is_file():
        msg = f"OSM file `{path}` does not exist; pass an existing .osm, .osm.bz2 or .osm.pbf"
        raise NetworkSourceError(msg)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
