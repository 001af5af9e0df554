"""A city from an OSM extract alone: the places a request names, found in the extract.

A request without ``city`` is planned on the extract given with ``--osm``: the extract is the
one source of the street network and of the places. :func:`extract_pack` builds an
in-memory :class:`~tours.places.pack.CityPack` holding exactly the places the request names:

- ``osm:node/N``, ``osm:way/N``, ``osm:relation/N`` — a named element of the extract;
- ``"lat,lon"`` with a name (``"Hôtel de Paris @ 43.7387,7.4273"``, or ``name_en`` on a
  requested place) — a point the request asserts;
- a name in any language or script that matches exactly one named feature (every ``name``,
  ``name:xx``, ``alt_name`` tag; case, spaces and punctuation ignored). Elements with that
  name lying within :data:`SAME_PLACE_M` of each other are one place mapped twice (a node and
  its building): the most specific one (a tourism/amenity/historic/leisure tag) is used.

The time zone comes from the coordinates (timezonefinder, offline), the bounds from the
extract's nodes, the country from ``addr:country``/``ISO3166-1`` tags when the data has them.
Opening hours come from ``opening_hours`` (else the request's ``unknown_hours`` rule); visit
lengths from :mod:`tours.places.durations`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

from routing import haversine_m
from tours._errors import InputError, RequestError
from tours.places.osm_features import (
    FeatureSet,
    OsmFeature,
    load_feature_set,
    norm,
    search_features,
)
from tours.places.pack import (
    Bounds,
    CityPack,
    CitySettings,
    Names,
    Place,
    Source,
    is_osm_ref,
    parse_osm_ref,
    place_from_osm,
    slug,
)

#: Elements with the same name closer than this (metres) are one place mapped twice.
SAME_PLACE_M = 200.0
_SPECIFIC_KEYS = ("tourism", "amenity", "historic", "leisure")
_POINT = re.compile(
    r"^\s*(?:(?P<name>.*?\S)\s*@\s*)?(?P<lat>[-+]?\d{1,2}(?:\.\d+)?)\s*,\s*"
    r"(?P<lon>[-+]?\d{1,3}(?:\.\d+)?)\s*$"
)


@cache
def _finder() -> object:
    from timezonefinder import TimezoneFinder  # noqa: PLC0415 - loads its data on first use

    # in memory: no data files left open (and reported unclosed) until the interpreter exits
    return TimezoneFinder(in_memory=True)


def timezone_at(lat: float, lon: float) -> str:
    """The IANA time zone at (lat, lon), offline (``InputError`` in open sea)."""
    zone = _finder().timezone_at(lat=lat, lng=lon)  # type: ignore[attr-defined]
    if not zone:
        msg = f"no time zone is known at ({lat!r}, {lon!r}); name the city with a city pack"
        raise InputError(msg)
    return str(zone)


def extract_country(features: list[OsmFeature]) -> str | None:
    """The most frequent ISO 3166-1 code among ``addr:country``/``ISO3166-1`` tags."""
    codes: Counter[str] = Counter()
    for feature in features:
        for key in ("addr:country", "ISO3166-1", "ISO3166-1:alpha2", "is_in:country_code"):
            value = feature.tags.get(key, "").strip().upper()
            if re.fullmatch(r"[A-Z]{2}", value):
                codes[value] += 1
    return codes.most_common(1)[0][0] if codes else None


def main_place(fs: FeatureSet) -> OsmFeature | None:
    """The biggest place of the extract (a city, else a town, else a village) nearest its
    centre; ``None`` when the data names none."""
    west, south, east, north = fs.bounds
    lat, lon = (south + north) / 2, (west + east) / 2
    rank = {"city": 0, "town": 1, "village": 2}
    towns = [f for f in fs.features if f.tags.get("place") in rank]
    if not towns:
        return None
    return min(towns, key=lambda f: (rank[f.tags["place"]], f.distance_m(lat, lon), f.osm_id))


def extract_city_name(fs: FeatureSet) -> str:
    """The name of :func:`main_place` (else the file's name)."""
    best = main_place(fs)
    return (best.name_en or best.name) if best is not None else extract_stem(fs.path)


def city_centre(fs: FeatureSet) -> tuple[float, float]:
    """``(lat, lon)`` of :func:`main_place`, else the middle of the extract."""
    best = main_place(fs)
    if best is not None:
        return best.lat, best.lon
    west, south, east, north = fs.bounds
    return (south + north) / 2, (west + east) / 2


def extract_stem(path: Path) -> str:
    """``monaco-2012.osm.pbf`` -> ``monaco-2012``."""
    name = path.name
    for suffix in (".osm.pbf", ".osm.bz2", ".osm.gz", ".osm", ".pbf"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _specificity(feature: OsmFeature) -> tuple[int, int, str]:
    specific = any(k in feature.tags for k in _SPECIFIC_KEYS)
    return (0 if specific else 1, 0 if feature.osm_id.startswith("node/") else 1, feature.osm_id)


class ExtractPlaces:
    """Places of one extract, found by OSM id, by point or by name."""

    def __init__(self, fs: FeatureSet) -> None:
        self.fs = fs
        self.name = fs.path.name
        self.by_id = {f.osm_id: f for f in fs.features}
        self.by_name: dict[str, list[OsmFeature]] = {}
        for feature in fs.features:
            for label in {norm(n) for n in feature.names.values()}:
                if label:
                    self.by_name.setdefault(label, []).append(feature)

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) lies inside the extract's bounds."""
        west, south, east, north = self.fs.bounds
        return south <= lat <= north and west <= lon <= east

    def centre(self) -> tuple[float, float]:
        """``(lat, lon)`` of the town the extract covers (:func:`city_centre`)."""
        return city_centre(self.fs)

    def by_osm(self, ref: str) -> OsmFeature:
        """The feature ``osm:way/123`` names; ``InputError`` if the extract lacks it."""
        osm_id = parse_osm_ref(ref)
        feature = self.by_id.get(osm_id)
        if feature is None:
            msg = (
                f"OSM element `osm:{osm_id}` is not a named feature of the extract "
                f"`{self.name}`; find ids with `tours places search NAME --osm {self.name}`"
            )
            raise InputError(msg)
        return feature

    def by_text(self, text: str, *, near: tuple[float, float] | None = None) -> OsmFeature:
        """The one feature named *text*; ``InputError`` listing candidates otherwise.

        *near* ``(lat, lon)`` is where candidate distances are measured from (the extract's
        centre when ``None``).
        """
        lat, lon = near if near is not None else self.centre()
        where = "from the hotel" if near is not None else f"from {extract_city_name(self.fs)}"
        found = sorted(self.by_name.get(norm(text), []), key=_specificity)
        if found:
            best = found[0]
            if all(
                float(haversine_m(best.lat, best.lon, f.lat, f.lon)) <= SAME_PLACE_M for f in found
            ):
                return best
            shown = self._list(found[:5], lat, lon)
            msg = (
                f"place {text!r} is ambiguous in the extract `{self.name}`: {len(found)} "
                f"features have that name ({shown}, {where}); write one as `osm:TYPE/ID`"
            )
            raise InputError(msg)
        hits = [f for f, _score in search_features(self.fs.features, text, limit=5)]
        if not hits:
            msg = (
                f"unknown place {text!r}: no feature of the extract `{self.name}` has a name "
                f"like it; search with `tours places search TEXT --osm {self.name}`, or give "
                "`NAME @ LAT,LON`"
            )
            raise InputError(msg)
        shown = self._list(hits, lat, lon)
        msg = (
            f"unknown place {text!r} in the extract `{self.name}`; closest names: {shown} "
            f"({where}); write one exactly or as `osm:TYPE/ID`"
        )
        raise InputError(msg)

    @staticmethod
    def _list(features: list[OsmFeature], lat: float, lon: float) -> str:
        return ", ".join(
            f"`osm:{f.osm_id}` {f.name!r} ({f.kind}, {haversine_m(lat, lon, f.lat, f.lon):.0f} m)"
            for f in features
        )


def point_place(text: str, *, name: str | None, source: str) -> Place | None:
    """A place for ``"NAME @ LAT,LON"`` or ``"LAT,LON"`` (*name* from elsewhere); ``None``
    when *text* is not a point.

    Raises
    ------
    InputError
        A point without a name, or coordinates out of range.
    """
    match = _POINT.fullmatch(text)
    if match is None:
        return None
    lat, lon = float(match["lat"]), float(match["lon"])
    label = match["name"] or name
    if not label:
        msg = f"place {text!r} has coordinates but no name; write `NAME @ {lat},{lon}`"
        raise InputError(msg)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"place {text!r}: ({lat}, {lon}) is not a latitude, longitude; write `LAT,LON`"
        raise InputError(msg)
    return Place(
        id=slug(label) or f"point-{slug(f'{lat}-{lon}')}",
        names=Names(en=label),
        category="landmark",
        lat=lat,
        lon=lon,
        opening_hours=None,
        visit_minutes=45,
        min_visit_minutes=20,
        tickets="",
        accessibility="",
        notes="a point given by the request",
        sources=[Source(facts=["names", "coordinates", "visit"], title=f"request {source}")],
    )


def extract_pack(
    osm_file: Path,
    named: list[tuple[str, str, str | None]],
    *,
    hotel: str | None = None,
    where: Callable[[str], str] = str,
    source: str = "request",
) -> CityPack:
    """A city pack of the places *named* in the extract *osm_file*.

    Parameters
    ----------
    osm_file
        The extract (``.osm``, ``.osm.bz2``, ``.osm.pbf``).
    named
        ``(field label, text, display name or None)`` for every place field; the same text
        may appear in several fields.
    hotel
        The text naming the hotel (the default start), measured from for candidates.
    where
        Turns a field label into the text an error message starts with.
    source
        The request file, cited as the source of points it gives.

    Raises
    ------
    RequestError
        One line per place that is unknown, ambiguous, or outside the extract.
    """
    fs = load_feature_set(osm_file)
    extract = ExtractPlaces(fs)
    places: dict[str, Place] = {}
    aliases: dict[str, str] = {}
    problems: list[str] = []
    near: tuple[float, float] | None = None
    ordered = sorted(named, key=lambda item: item[1] != hotel)  # the hotel first
    for label, text, display in ordered:
        key = text.strip()
        if key in aliases:
            continue
        try:
            place = _place(extract, key, display, near=near, source=source)
        except InputError as err:
            problems.append(f"{where(label)}: {err}")
            continue
        if not extract.contains(place.lat, place.lon):
            problems.append(
                f"{where(label)}: {place.names.en} at ({place.lat}, {place.lon}) lies outside "
                f"the extract `{extract.name}`; use an extract that covers it"
            )
            continue
        places.setdefault(place.id, place)
        aliases[key] = place.id
        if text == hotel and near is None:
            near = (place.lat, place.lon)
    if problems:
        raise RequestError(problems)
    if not places:
        msg = f"{source}: a request without `city` must name its `hotel` (or a start per day)"
        raise RequestError([msg])
    start = aliases[hotel.strip()] if hotel and hotel.strip() in aliases else next(iter(places))
    return CityPack(
        _settings(fs, start, places), list(places.values()), path=osm_file.parent, aliases=aliases
    )


def _place(
    extract: ExtractPlaces,
    text: str,
    display: str | None,
    *,
    near: tuple[float, float] | None,
    source: str,
) -> Place:
    if is_osm_ref(text):
        feature = extract.by_osm(text)
    else:
        point = point_place(text, name=display, source=source)
        if point is not None:
            return point
        feature = extract.by_text(text, near=near)
    place = place_from_osm(feature, extract=extract.name)
    kind = feature.kind if feature.kind != "feature" else "a named feature"
    note = (
        f"From OpenStreetMap ({kind}); opening hours, tickets and access are as mapped: "
        "confirm them before the visit."
    )
    return place.model_copy(update={"notes": note})


def _settings(fs: FeatureSet, start: str, places: dict[str, Place]) -> CitySettings:
    west, south, east, north = fs.bounds
    anchor = places[start]
    name = extract_city_name(fs)
    return CitySettings(
        id=slug(extract_stem(fs.path)) or "extract",
        names=Names(en=name),
        timezone=timezone_at(anchor.lat, anchor.lon),
        country=extract_country(fs.features),
        bounds=Bounds(west=west, south=south, east=east, north=north),
        osm_extract=str(fs.path.resolve()),
        default_start=start,
        sources=[
            Source(
                facts=["names", "bounds"],
                title=f"OpenStreetMap extract {fs.path.name}",
                url="https://www.openstreetmap.org/copyright",
            ),
            Source(facts=["timezone"], title="timezonefinder (time zone at the hotel)"),
        ],
    )
