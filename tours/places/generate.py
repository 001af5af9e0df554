"""Generate an editable city pack from an OSM extract (``tours pack init``).

The pack holds every named feature of the extract whose tags match :data:`PACK_TAGS`
(attractions, museums, galleries, historic sites, parks and gardens, places of worship,
viewpoints, theatres and arts centres, conference and exhibition centres, restaurants, cafés,
hotels), each with every ``name:xx`` the data has, ``opening_hours`` (when it parses),
address, website, wikidata, category, default visit lengths (:mod:`tours.places.durations`)
and the OSM element (type/id, version and timestamp) as the source of each fact. The city's
time zone comes from the coordinates, its country from the data, its bounds from the
extract's nodes; ``osm_extract`` is the extract's path relative to the pack folder.

A planner then edits the YAML: adds facts with their own sources, deletes places.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tours._errors import InputError
from tours.places.extract import (
    city_centre,
    extract_city_name,
    extract_country,
    extract_stem,
    timezone_at,
)
from tours.places.osm_features import FeatureSet, load_feature_set
from tours.places.pack import (
    CityPack,
    CitySettings,
    Place,
    Source,
    load_city_pack,
    osm_place_id,
    place_from_osm,
    slug,
)

#: ``(key, values)``: a named feature with one of these tags becomes a place (empty values:
#: any value of the key).
PACK_TAGS: tuple[tuple[str, frozenset[str]], ...] = (
    ("tourism", frozenset({"attraction", "museum", "gallery", "viewpoint", "zoo", "aquarium"})),
    ("tourism", frozenset({"hotel", "hostel", "guest_house"})),
    ("historic", frozenset()),
    ("leisure", frozenset({"park", "garden"})),
    ("amenity", frozenset({"place_of_worship", "theatre", "arts_centre"})),
    ("amenity", frozenset({"conference_centre", "exhibition_centre"})),
    ("amenity", frozenset({"restaurant", "cafe"})),
)


def wanted(tags: Mapping[str, str]) -> bool:
    """Whether a feature with *tags* belongs in a generated pack (:data:`PACK_TAGS`)."""
    for key, values in PACK_TAGS:
        value = tags.get(key)
        if value is not None and value != "no" and (not values or value in values):
            return True
    return False


def _unique_ids(places: list[Place]) -> list[Place]:
    """Readable ids (slug of the English name; ``osm-way-1`` for names with no Latin
    letters), made unique with the element's id."""
    out: list[Place] = []
    seen: set[str] = set()
    for place in places:
        base = slug(place.names.en)
        pid = base if base and base not in seen else osm_place_id(str(place.osm_id))
        if base and base in seen:
            pid = f"{base}-{osm_place_id(str(place.osm_id)).removeprefix('osm-')}"
        seen.add(pid)
        out.append(place.model_copy(update={"id": pid}))
    return out


def pack_places(fs: FeatureSet, *, checked: dt.date) -> list[Place]:
    """The places of a generated pack: every wanted feature, sources dated *checked*."""
    places = []
    for feature in fs.features:
        if not wanted(feature.tags):
            continue
        place = place_from_osm(feature, extract=fs.path.name)
        osm_source = place.sources[0].model_copy(
            update={"checked": checked, "verified": True, "note": ""}
        )
        default = Source(
            facts=["visit"],
            title="tours default visit length for this kind of place (data/README.md)",
            checked=checked,
        )
        places.append(place.model_copy(update={"sources": [osm_source, default], "notes": ""}))
    return _unique_ids(places)


def _hotel(places: list[Place], centre: tuple[float, float]) -> Place:
    hotels = [p for p in places if p.category == "hotel"] or places
    lat, lon = centre
    return min(hotels, key=lambda p: ((p.lat - lat) ** 2 + (p.lon - lon) ** 2, p.id))


def _dump(data: Any) -> str:
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return text


def _place_yaml(place: Place) -> dict[str, Any]:
    data = place.model_dump(mode="python", exclude_defaults=True)
    data["names"] = place.names.by_language()
    data.setdefault("opening_hours", None)  # written out: `null` means unknown
    return data


def _city_and_places(
    osm_file: Path, *, name: str | None, checked: dt.date
) -> tuple[dict[str, Any], list[Place]]:
    """``city.yaml`` content (``osm_extract`` absolute) and the places of *osm_file*."""
    fs = load_feature_set(osm_file)
    places = pack_places(fs, checked=checked)
    if not places:
        msg = (
            f"the extract `{osm_file.name}` has no named attractions, museums, parks, "
            "restaurants or hotels to put in a pack; check that it covers a town"
        )
        raise InputError(msg)
    west, south, east, north = fs.bounds
    start = _hotel(places, city_centre(fs))
    country = extract_country(fs.features)
    city: dict[str, Any] = {
        "id": slug(name or extract_stem(osm_file)) or "city",
        "names": {"en": name or extract_city_name(fs)},
        "timezone": timezone_at(start.lat, start.lon),
    }
    if country:
        city["country"] = country
    return city | {
        "bounds": {"west": west, "south": south, "east": east, "north": north},
        "osm_extract": str(osm_file.resolve()),
        "default_start": start.id,
        "sources": [
            {
                "facts": ["names", "bounds"],
                "title": f"OpenStreetMap extract {osm_file.name}",
                "checked": checked,
            },
            {
                "facts": ["timezone"],
                "title": "timezonefinder: the time zone at the default start",
                "checked": checked,
            },
        ],
    }, places


def extract_city_pack(osm_file: Path, *, name: str | None = None) -> CityPack:
    """The pack ``tours pack init`` would write for *osm_file*, in memory only (for browsing
    a bare extract with ``tours places``)."""
    city, places = _city_and_places(osm_file, name=name, checked=dt.date.today())
    try:
        settings = CitySettings.model_validate(city)
    except ValidationError as err:  # a generated pack is valid by construction
        msg = f"cannot build a city from `{osm_file}`: {err.errors()[0]['msg']}"
        raise InputError(msg) from None
    return CityPack(settings, places, path=osm_file.resolve().parent)


def init_pack(
    osm_file: Path, out_dir: Path, *, name: str | None = None, today: dt.date | None = None
) -> CityPack:
    """Write a city pack for *osm_file* into *out_dir* and load it back (validated).

    Parameters
    ----------
    osm_file
        The extract (``.osm``, ``.osm.bz2``, ``.osm.pbf``).
    out_dir
        A new or empty folder; nothing is written there unless the whole pack validates.
    name
        The city's display name (default: the biggest place of the extract).
    today
        The date the sources were read (default: today).

    Raises
    ------
    InputError
        The folder is not empty, the extract cannot be read or has no wanted places.
    """
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        msg = f"pack folder `{out_dir}` exists and is not empty; give a new folder with -o"
        raise InputError(msg)
    checked = today or dt.date.today()
    city, places = _city_and_places(osm_file, name=name, checked=checked)
    city["osm_extract"] = os.path.relpath(osm_file.resolve(), out_dir.resolve())
    header = (
        f"# City pack generated by `tours pack init` from {osm_file.name} on {checked}.\n"
        "# Edit freely: add facts with their own sources, delete places. Format: data/README.md\n"
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pack-", dir=out_dir.parent))
    try:
        (staging / "city.yaml").write_text(header + _dump(city), encoding="utf-8")
        body = _dump({"places": [_place_yaml(p) for p in places]})
        (staging / "places.yaml").write_text(header + body, encoding="utf-8")
        # validate in place, relative paths as they will be (the folder's parent is the same)
        load_city_pack(staging)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return load_city_pack(out_dir)


def feature_count(fs: FeatureSet) -> dict[str, int]:
    """How many wanted features of each kind (``tourism=museum``) the extract holds."""
    counts: dict[str, int] = {}
    for feature in fs.features:
        if wanted(feature.tags):
            counts[feature.kind] = counts.get(feature.kind, 0) + 1
    return counts
