"""Every stop gets an address: the city pack's, an OSM element's, or the nearest street.

:class:`AddressBook` answers :meth:`AddressBook.address_of` for a place in this order:

1. the city pack's address (``address``/``address_zh``; source ``pack``);
2. the ``addr:*`` tags of the place's own OSM element, else of an element at the same
   location: a building or site outline that contains the place, else an address node
   within :data:`SAME_LOCATION_M` (source ``osm``, formatted by
   :func:`tours.places.address.format_address` the way the country writes addresses);
3. the nearest named street within :data:`NEAREST_STREET_M` (source ``street``): no postal
   address, and every output marks it so ("near 春熙路 / Chunxi Road").

A place none of these reaches has no address (``None``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tours.itinerary import Address, PlaceRef
from tours.places.address import format_address

if TYPE_CHECKING:
    from tours.places.osm_features import AddressData, AddressElement, NamedStreet
    from tours.places.pack import CityPack, Place

#: An address node this close (metres) to a place stands at the same location.
SAME_LOCATION_M = 30.0
#: Farthest (metres) a place may be from the street its "near ..." fallback names.
NEAREST_STREET_M = 250.0
_M_PER_DEG = 111_320.0


@dataclass(frozen=True)
class _Segments:
    """Street segments in a local metric frame, for nearest-street look-ups."""

    lat0: float
    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    owner: np.ndarray

    @classmethod
    def of(cls, streets: list[NamedStreet]) -> _Segments:
        lats = [lat for s in streets for _lon, lat in s.line]
        lat0 = float(np.mean(lats)) if lats else 0.0
        k = math.cos(math.radians(lat0))
        rows = [
            (a[0] * k, a[1], b[0] * k, b[1], i)
            for i, s in enumerate(streets)
            for a, b in zip(s.line, s.line[1:], strict=False)
        ]
        arr = np.array(rows, dtype=float).reshape(-1, 5) * [
            _M_PER_DEG, _M_PER_DEG, _M_PER_DEG, _M_PER_DEG, 1,
        ]  # fmt: skip
        return cls(lat0, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], arr[:, 4].astype(int))

    def nearest(self, lat: float, lon: float) -> tuple[int, float] | None:
        """``(street index, metres)`` of the segment nearest to (lat, lon)."""
        if not len(self.owner):
            return None
        px = lon * math.cos(math.radians(self.lat0)) * _M_PER_DEG
        py = lat * _M_PER_DEG
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        length2 = dx * dx + dy * dy
        dot = (px - self.x1) * dx + (py - self.y1) * dy
        t = np.divide(dot, length2, out=np.zeros_like(dot), where=length2 > 0)
        t = np.clip(t, 0.0, 1.0)
        dist = np.hypot(self.x1 + t * dx - px, self.y1 + t * dy - py)
        best = int(np.argmin(dist))
        return int(self.owner[best]), float(dist[best])


def _contains(ring: list[tuple[float, float]], lat: float, lon: float) -> bool:
    """Whether the outline *ring* ``[(lon, lat), ...]`` contains the point (even-odd rule)."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    k = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon2 - lon1) * k, lat2 - lat1) * _M_PER_DEG


class AddressBook:
    """Addresses of places from a city pack and an OSM extract's address data.

    Parameters
    ----------
    pack
        The city pack (its addresses come first); ``None`` for none.
    data
        The extract's ``addr:*`` elements and named streets
        (:func:`tours.places.osm_features.load_address_data`); ``None`` when no extract is
        at hand (then only pack addresses are known).
    country
        ISO 3166-1 code for address formatting when the tags carry none.
    """

    def __init__(
        self, *, pack: CityPack | None, data: AddressData | None, country: str | None = None
    ) -> None:
        self.pack = pack
        self.data = data
        self.country = country if country is not None else (pack.country if pack else None)
        self._by_id: dict[str, AddressElement] = (
            {e.osm_id: e for e in data.elements} if data is not None else {}
        )
        self._segments = _Segments.of(data.streets) if data is not None else None
        self._cache: dict[str, Address | None] = {}

    def address_of(self, place: PlaceRef) -> Address | None:
        """The address of *place* (see the module docstring for the order), or ``None``."""
        key = f"{place.id}|{place.lat}|{place.lon}"
        if key not in self._cache:
            self._cache[key] = (
                self._from_pack(place) or self._from_osm(place) or self._near_street(place)
            )
        return self._cache[key]

    def with_address(self, place: PlaceRef) -> PlaceRef:
        """*place* with its :attr:`~tours.itinerary.PlaceRef.address` filled in."""
        if place.address is not None:
            return place
        found = self.address_of(place)
        return place if found is None else place.model_copy(update={"address": found})

    def _pack_place(self, place: PlaceRef) -> Place | None:
        if self.pack is None:
            return None
        return self.pack.places.get(place.id)

    def _from_pack(self, place: PlaceRef) -> Address | None:
        pack_place = self._pack_place(place)
        text = place.address_zh
        if pack_place is not None and not text:
            text = next(iter(pack_place.address.values()), "")
        if not text:
            return None
        return Address(text=text, source="pack")

    def _from_osm(self, place: PlaceRef) -> Address | None:
        candidates: list[AddressElement] = []
        if place.osm_id and place.osm_id in self._by_id:
            candidates.append(self._by_id[place.osm_id])
        if self.data is not None:
            outlines = [
                e for e in self.data.elements if e.ring and _contains(e.ring, place.lat, place.lon)
            ]
            outlines.sort(key=lambda e: (_ring_area(e.ring), e.osm_id))  # smallest first
            nodes = [
                (d, e)
                for e in self.data.elements
                if not e.ring
                and (d := _metres(place.lat, place.lon, e.lat, e.lon)) <= SAME_LOCATION_M
            ]
            candidates += outlines + [
                e for _d, e in sorted(nodes, key=lambda p: (p[0], p[1].osm_id))
            ]
        for element in candidates:
            text = format_address(element.tags, country=self.country)
            if text:
                return Address(text=text, source="osm", osm_id=element.osm_id)
        return None

    def _near_street(self, place: PlaceRef) -> Address | None:
        if self.data is None or self._segments is None:
            return None
        found = self._segments.nearest(place.lat, place.lon)
        if found is None or found[1] > NEAREST_STREET_M:
            return None
        street = self.data.streets[found[0]]
        return Address(
            text=street.names[""],
            source="street",
            osm_id=street.osm_id,
            names=dict(street.names),
            distance_m=round(found[1], 1),
        )


def _ring_area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)))
