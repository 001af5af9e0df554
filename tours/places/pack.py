"""City packs: the places a delegation may visit, with names, hours and sources.

A city pack is a folder holding ``city.yaml`` (name, time zone, bounds, OSM extract, default
start) and ``places.yaml`` (one entry per place). The format is documented in
``data/README.md``; the Chengdu pack ships as package data (``tours.data/chengdu``).

:func:`load_city_pack` validates everything up front (pydantic schema, duplicate ids,
``opening_hours`` syntax, coordinates inside the city bounds, a source for every fact) and
raises :class:`~tours._errors.InputError` naming the file, the place id and the field.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from babel.languages import get_official_languages
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from rapidfuzz import fuzz, process

from tours._errors import InputError, UnknownPlaceError
from tours.itinerary import PlaceRef, strip_control_characters
from tours.places.address import format_address
from tours.places.durations import visit_minutes
from tours.places.hours import OpeningHours, validate_expression
from tours.settings import find_osm_extract

if TYPE_CHECKING:
    from routing import CoachSpeedProfile
    from tours.places.osm_features import OsmFeature

Category = Literal[
    "landmark",
    "museum",
    "temple",
    "park",
    "street",
    "creative_park",
    "restaurant",
    "hotel",
    "venue",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

Fact = Literal[
    "names",
    "coordinates",
    "osm_id",
    "opening_hours",
    "visit",
    "tickets",
    "entrance",
    "accessibility",
    "address",
    "notes",
    "timezone",
    "bounds",
    "category",
    "website",
    "wikidata",
    "last_entry",
    "traffic",
]

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_OSM_ID = r"^(node|way|relation)/[1-9][0-9]*$"
_OSM_REF = re.compile(r"osm:\s*(node|way|relation)/([1-9][0-9]*)", re.IGNORECASE)
#: Visit length (and shortest visit) of a place added from OpenStreetMap whose kind has no
#: default of its own (see :mod:`tours.places.durations`), in minutes.
OSM_VISIT_MINUTES = 45
OSM_MIN_VISIT_MINUTES = 20


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]+)?$")


class Names(BaseModel):
    """A place's names by language (``{en: ..., fr: ..., zh: ...}``).

    ``en`` is the display name (the local name when nobody gave an English one); any other
    language code (``fr``, ``zh``, ``zh_pinyin``, ``pt-BR``) may follow, none is required.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    en: Annotated[str, Field(min_length=1)]
    zh: str = ""
    de: str = ""

    @field_validator("*")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _languages(self) -> Names:
        """Check the extra languages: codes like ``fr`` or ``zh_pinyin``, text values."""
        for key, value in (self.model_extra or {}).items():
            if not _LANGUAGE.match(key):
                msg = f"`{key}` is not a language code; use codes such as fr, it or zh_pinyin"
                raise ValueError(msg)
            if not isinstance(value, str) or not value.strip():
                msg = f"the `{key}` name must be non-empty text"
                raise ValueError(msg)
        return self

    def by_language(self) -> dict[str, str]:
        """Every non-empty name keyed by language code."""
        out = {k: v for k, v in (("en", self.en), ("zh", self.zh), ("de", self.de)) if v}
        out.update({k: str(v) for k, v in (self.model_extra or {}).items()})
        return out

    def all(self) -> list[str]:
        """Every non-empty name."""
        return list(self.by_language().values())


class Source(_Model):
    """Where some facts come from and when they were checked.

    ``verified`` is false for facts taken from a source the editor knows but could not
    re-open on the ``checked`` date. ``checked`` is required in a pack's files; it is
    ``None`` only for places read from a data file (an OSM extract, see
    :meth:`CityPack.with_osm_places`), whose facts no editor checked.
    """

    facts: Annotated[list[Fact], Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    url: str | None = None
    checked: dt.date | None = None
    verified: bool = True
    note: str = ""


class CoachStop(_Model):
    """Where a coach drops the group off and picks it up for a place (it cannot stop at the
    door): the coach leg ends here and a short walk leads to the entrance."""

    name: Annotated[str, Field(min_length=1)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    source: Annotated[str, Field(min_length=1)]
    derived_from: Annotated[str, Field(pattern=_OSM_ID)] | None = Field(
        default=None,
        description="The OSM element tours took the stop from when the pack and the request "
        "gave none (see tours.places.osm_coach_stops); not for pack files: the planner must "
        "check such a stop.",
    )
    name_local: str = ""


class Place(_Model):
    """One place of a city pack (see ``data/README.md`` for every field)."""

    id: Annotated[str, Field(pattern=_SLUG)]
    names: Names
    category: Category
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    osm_id: Annotated[str, Field(pattern=_OSM_ID)] | None = None
    opening_hours: str | None = None
    visit_minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    min_visit_minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    tickets: str = ""
    entrance: str = ""
    accessibility: str = ""
    address: dict[str, str] = Field(default_factory=dict)
    address_zh: str = ""
    website: str = ""
    wikidata: Annotated[str, Field(pattern=r"^(Q[1-9][0-9]*)?$")] = ""
    notes: str = ""
    last_entry: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] | None = None
    min_inside_minutes: Annotated[int, Field(gt=0, le=24 * 60)] | None = None
    coach_stops: list[CoachStop] = Field(default_factory=list)
    sources: Annotated[list[Source], Field(min_length=1)]

    @property
    def last_entry_minutes(self) -> int | None:
        """Last admission as minutes after local midnight (``None``: not limited)."""
        if self.last_entry is None:
            return None
        hours, minutes = self.last_entry.split(":")
        return int(hours) * 60 + int(minutes)

    @field_validator("opening_hours")
    @classmethod
    def _hours_parse(cls, value: str | None) -> str | None:
        if value is not None:
            problem = validate_expression(value)
            if problem is not None:
                msg = f"{value!r} is not valid OSM opening_hours syntax ({problem})"
                raise ValueError(msg)
        return value

    @property
    def name_en(self) -> str:
        """English name."""
        return self.names.en

    @property
    def name_zh(self) -> str:
        """Chinese name."""
        return self.names.zh

    @property
    def bilingual_name(self) -> str:
        """``English (中文)``, or the English name alone when there is no Chinese one."""
        return f"{self.names.en} ({self.names.zh})" if self.names.zh else self.names.en

    def hours(self, *, timezone: str = "Asia/Shanghai") -> OpeningHours | None:
        """The parsed opening hours, or ``None`` when they are unknown."""
        if self.opening_hours is None:
            return None
        return OpeningHours(self.opening_hours, timezone=timezone)

    def to_ref(self) -> PlaceRef:
        """The place as the itinerary model shows it."""
        clean = strip_control_characters  # OSM text is untrusted: no control characters
        return PlaceRef(
            id=clean(self.id),
            name_en=clean(self.names.en),
            name_zh=clean(self.names.zh),
            name_de=clean(self.names.de),
            names={  # en, zh and de have fields of their own
                code: clean(name)
                for code, name in self.names.by_language().items()
                if code not in {"en", "zh", "de"}
            },
            category=clean(self.category),
            lat=self.lat,
            lon=self.lon,
            osm_id=self.osm_id,
            opening_hours=None if self.opening_hours is None else clean(self.opening_hours),
            address_zh=clean(self.address_zh or next(iter(self.address.values()), "")),
            tickets=clean(self.tickets),
            entrance=clean(self.entrance),
            accessibility=clean(self.accessibility),
            notes=clean(self.notes),
        )


class Bounds(_Model):
    """A WGS84 bounding box."""

    west: Annotated[float, Field(ge=-180, le=180)]
    south: Annotated[float, Field(ge=-90, le=90)]
    east: Annotated[float, Field(ge=-180, le=180)]
    north: Annotated[float, Field(ge=-90, le=90)]

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies inside (edges included)."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class CitySettings(_Model):
    """The content of ``city.yaml``."""

    id: Annotated[str, Field(pattern=_SLUG)]
    names: Names
    timezone: Annotated[str, Field(min_length=1)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    bounds: Bounds
    osm_extract: Annotated[str, Field(min_length=1)]
    default_start: Annotated[str, Field(pattern=_SLUG)]
    start_points: list[str] = Field(default_factory=list)
    default_venue: str | None = None
    sources: list[Source] = Field(default_factory=list)


_FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "osm_id": ("osm_id",),
    "opening_hours": ("opening_hours",),
    "tickets": ("tickets",),
    "entrance": ("entrance",),
    "accessibility": ("accessibility",),
    "address": ("address", "address_zh"),
    "website": ("website",),
    "wikidata": ("wikidata",),
    "notes": ("notes",),
    "last_entry": ("last_entry",),
}


class CityPack:
    """A loaded, validated city pack.

    Attributes
    ----------
    id, name_en, name_zh, timezone, country
        From ``city.yaml``.
    bounds
        ``(west, south, east, north)`` of the city area.
    osm_extract
        File name of the default OSM extract (see :meth:`osm_extract_path`).
    default_start
        Place id of the default start point (the delegation hotel).
    places
        ``{id: Place}`` in file order.
    path
        The pack's folder.
    """

    def __init__(
        self,
        settings: CitySettings,
        places: list[Place],
        *,
        path: Path,
        aliases: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.path = path
        self.id = settings.id
        self.name_en = settings.names.en
        self.name_zh = settings.names.zh
        self.timezone = settings.timezone
        self.country = settings.country
        official = (
            get_official_languages(settings.country, de_facto=True) if settings.country else ()
        )
        #: The local language (the first official one of the pack's country, from CLDR).
        self.language = official[0] if official else ""
        b = settings.bounds
        self.bounds: tuple[float, float, float, float] = (b.west, b.south, b.east, b.north)
        self.osm_extract = settings.osm_extract
        self.default_start = settings.default_start
        self.start_points = settings.start_points or [settings.default_start]
        self.default_venue = settings.default_venue
        self.places: dict[str, Place] = {p.id: p for p in places}
        #: Other texts naming a place (``{text: place id}``), e.g. how a request named it.
        self.aliases: dict[str, str] = dict(aliases or {})
        self._coach_profile: CoachSpeedProfile | None = None

    @property
    def coach_profile(self) -> CoachSpeedProfile:
        """Coach speed by hour of day: the pack's ``traffic.yaml``, else the generic default."""
        if self._coach_profile is None:
            from tours.places.traffic import load_traffic  # noqa: PLC0415 - import cycle

            self._coach_profile = load_traffic(self.path, _read_yaml)
        return self._coach_profile

    def __repr__(self) -> str:
        return f"CityPack({self.id!r}, {len(self.places)} places, path={str(self.path)!r})"

    def osm_extract_path(self) -> Path:
        """The pack's OSM extract on this machine: relative to the pack's folder, else in
        ``TOURS_OSM_DIR`` and ``../shared/osm`` (``InputError`` if it cannot be found)."""
        return find_osm_extract(self.osm_extract, pack_dir=self.path)

    def hours(self, place: Place | str) -> OpeningHours | None:
        """Opening hours of *place* in the city's time zone (``None`` = unknown)."""
        p = self.place(place) if isinstance(place, str) else place
        if p.opening_hours is None:
            return None
        return OpeningHours(p.opening_hours, timezone=self.timezone, country=self.country)

    def place(self, id_or_name: str) -> Place:
        """Find a place by id, or by any of its names (case-insensitive).

        Raises
        ------
        UnknownPlaceError
            Nothing matches; the message suggests the closest ids and names.
        """
        key = id_or_name.strip()
        if key in self.places:
            return self.places[key]
        if key in self.aliases:
            return self.places[self.aliases[key]]
        if is_osm_ref(key):
            return self._osm_place(key)
        folded = key.casefold()
        for p in self.places.values():
            if folded == p.id.casefold() or folded in (n.casefold() for n in p.names.all()):
                return p
        hint = self.suggest(key)
        msg = f"unknown place `{id_or_name}` in city pack `{self.id}`"
        if hint:
            shown = ", ".join(f"`{p.id}` ({p.names.en} / {p.names.zh})" for p in hint)
            msg += f"; did you mean {shown}? Run `tours places` to list the ids"
        else:
            msg += "; run `tours places` to list the ids"
        raise UnknownPlaceError(msg)

    def _osm_place(self, ref: str) -> Place:
        try:
            osm_id = parse_osm_ref(ref)
        except InputError as err:
            raise UnknownPlaceError(str(err)) from None
        for p in self.places.values():
            if p.osm_id == osm_id:
                return p
        msg = (
            f"OSM element `{ref}` is not among the places of city pack `{self.id}`; name it "
            "in the request's `places` (they are added from the pack's OSM extract) and find "
            "ids with `tours places search TEXT`"
        )
        raise UnknownPlaceError(msg)

    def with_osm_places(self, refs: Iterable[str], features: Iterable[OsmFeature]) -> CityPack:
        """A new pack: this one plus the OSM features *refs* as places (see
        :func:`place_from_osm`); this pack stays unchanged.

        Parameters
        ----------
        refs
            OSM elements as ``osm:way/123`` or ``way/123``. An element that is already a
            place of the pack (its ``osm_id``) is not added again.
        features
            The named features of the pack's extract (``tours.places.osm_features.load_features``).

        Raises
        ------
        InputError
            A reference that is malformed or not among *features*, or a feature outside the
            city bounds.
        """
        known = {p.osm_id for p in self.places.values() if p.osm_id}
        by_id = {f.osm_id: f for f in features}
        added: dict[str, Place] = {}
        for ref in refs:
            osm_id = parse_osm_ref(ref if is_osm_ref(ref) else f"osm:{ref}")
            if osm_id in known or osm_place_id(osm_id) in added:
                continue
            feature = by_id.get(osm_id)
            if feature is None:
                msg = (
                    f"OSM element `osm:{osm_id}` is not a named feature of the extract "
                    f"`{self.osm_extract}`; find ids with `tours places search TEXT`"
                )
                raise InputError(msg)
            place = place_from_osm(feature, extract=self.osm_extract)
            if not self.settings.bounds.contains(place.lat, place.lon):
                msg = (
                    f"OSM element `osm:{osm_id}` ({place.names.en}) lies at ({place.lat!r}, "
                    f"{place.lon!r}), outside the bounds of city pack `{self.id}`; choose a "
                    "place inside the city"
                )
                raise InputError(msg)
            if place.id in self.places:
                msg = (
                    f"OSM element `osm:{osm_id}`: city pack `{self.id}` already has a place "
                    f"with id {place.id!r}; refer to that place by its id"
                )
                raise InputError(msg)
            added[place.id] = place
        if not added:
            return self
        return CityPack(
            self.settings,
            [*self.places.values(), *added.values()],
            path=self.path,
            aliases=self.aliases,
        )

    def suggest(self, text: str, *, limit: int = 3, cutoff: float = 55.0) -> list[Place]:
        """Places whose id or any name is close to *text* (fuzzy, best first)."""
        choices: list[tuple[str, str]] = []
        for p in self.places.values():
            choices += [(p.id, p.id.replace("-", " "))]
            choices += [(p.id, name) for name in p.names.all()]
        labels = [label.casefold() for _pid, label in choices]
        found = process.extract(
            text.casefold().replace("-", " "),
            labels,
            scorer=fuzz.WRatio,
            limit=limit * 6,
            score_cutoff=cutoff,
        )
        out: list[Place] = []
        best = found[0][1] if found else 0.0
        for _label, score, index in found:
            if score < best - 15:
                break
            p = self.places[choices[index][0]]
            if p not in out:
                out.append(p)
        return out[:limit]

    def by_category(self, category: str) -> list[Place]:
        """Places of one category, in file order."""
        return [p for p in self.places.values() if p.category == category]


def is_osm_ref(text: str) -> bool:
    """Whether *text* is meant as an OSM reference (it starts with ``osm:``)."""
    return text.strip().casefold().startswith("osm:")


def parse_osm_ref(text: str) -> str:
    """``"osm:way/123"`` -> ``"way/123"`` (``node``, ``way`` or ``relation``).

    Raises
    ------
    InputError
        *text* is not of the form ``osm:way/123``.
    """
    match = _OSM_REF.fullmatch(text.strip())
    if match is None:
        msg = (
            f"{text!r} is not an OSM reference; write `osm:way/123`, `osm:node/123` or "
            "`osm:relation/123` (find ids with `tours places search TEXT`)"
        )
        raise InputError(msg)
    return f"{match.group(1).lower()}/{match.group(2)}"


def osm_place_id(osm_id: str) -> str:
    """The place id of an OSM element: ``"way/123"`` -> ``"osm-way-123"``."""
    return "osm-" + osm_id.replace("/", "-")


_OSM_CATEGORIES: tuple[tuple[str, frozenset[str], str], ...] = (
    ("tourism", frozenset({"museum", "gallery"}), "museum"),
    ("amenity", frozenset({"place_of_worship", "monastery"}), "temple"),
    ("historic", frozenset({"temple", "monastery", "church", "wayside_shrine"}), "temple"),
    ("building", frozenset({"temple", "church", "mosque", "monastery"}), "temple"),
    ("leisure", frozenset({"park", "garden", "nature_reserve"}), "park"),
    ("amenity", frozenset({"restaurant", "food_court", "cafe"}), "restaurant"),
    ("tourism", frozenset({"hotel", "hostel", "guest_house", "motel"}), "hotel"),
    ("amenity", frozenset({"theatre", "arts_centre", "conference_centre"}), "venue"),
    ("amenity", frozenset({"exhibition_centre"}), "venue"),
    ("highway", frozenset(), "street"),  # any named highway: a street to walk along
)


def osm_category(tags: dict[str, str]) -> Category:
    """The city-pack category of an OSM feature from its tags (``landmark`` if none fits)."""
    for key, values, category in _OSM_CATEGORIES:
        value = tags.get(key)
        if value is not None and (not values or value in values):
            return category  # type: ignore[return-value]
    return "landmark"


def place_from_osm(feature: OsmFeature, *, extract: str) -> Place:
    """A :class:`Place` for an OSM feature the pack lacks (id ``osm-way-123``).

    Names come from ``name:en`` (else a pinyin name, else ``name``), ``name:zh`` (else
    ``name``) and ``name:de``; the category from the tags (:func:`osm_category`); opening
    hours from the ``opening_hours`` tag only when it parses (else ``None``: unknown); the
    visit lasts the default of its kind (:func:`tours.places.durations.visit_minutes`). The
    source cites the element and the extract *extract*; it has no ``checked`` date, so the
    place is the same whenever it is built.
    """
    names = feature.names
    main = feature.name
    en = names.get("name:en") or names.get("name:zh_pinyin") or names.get("name:zh_py") or main
    hours = feature.tags.get("opening_hours")
    if hours is not None and validate_expression(hours) is not None:
        hours = None
    address = format_address(feature.tags)
    wikidata = feature.tags.get("wikidata", "")
    wikidata = wikidata if re.fullmatch(r"Q[1-9][0-9]*", wikidata) else ""
    facts: list[Fact] = ["names", "coordinates", "osm_id", "category"]
    facts += ["opening_hours"] if hours else []
    facts += ["address"] if address else []
    website = feature.tags.get("website") or feature.tags.get("contact:website", "")
    facts += ["website"] if website else []
    facts += ["wikidata"] if wikidata else []
    kind = feature.kind if feature.kind != "feature" else "named feature"
    visit, shortest = visit_minutes(feature.tags)
    others = {
        lang: text
        for lang, text in feature.language_names().items()
        if lang not in {"", "en", "zh", "de"} and _LANGUAGE.match(lang)
    }
    state = f" v{feature.version}" if feature.version else ""
    state += f" ({feature.timestamp})" if feature.timestamp else ""
    return Place(
        id=osm_place_id(feature.osm_id),
        names=Names(en=en, zh=feature.name_zh, de=names.get("name:de", ""), **others),
        category=osm_category(feature.tags),
        lat=feature.lat,
        lon=feature.lon,
        osm_id=feature.osm_id,
        opening_hours=hours,
        visit_minutes=visit,
        min_visit_minutes=shortest,
        tickets="",
        accessibility="",
        address={"local": address} if address else {},
        address_zh=address if _is_cjk(address) else "",
        website=website,
        wikidata=wikidata,
        notes=(
            f"Added from OpenStreetMap ({kind}); hours, tickets and access not checked by "
            "the city pack's editors."
        ),
        sources=[
            Source(
                facts=facts,
                title=f"OpenStreetMap {feature.osm_id}{state}, extract {extract}",
                url=feature.url,
                verified=False,
                note="read from the OSM extract; no editor checked these facts",
            ),
            Source(
                facts=["visit", "notes"],
                title="tours default for a place added from OpenStreetMap",
                verified=False,
            ),
        ],
    )


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def default_city_pack_dir() -> Path:
    """The embedded Chengdu pack (``tours.data/chengdu``)."""
    return Path(str(importlib.resources.files("tours.data") / "chengdu"))


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """A safe YAML loader that rejects duplicate mapping keys instead of keeping the last.

    libyaml's parser when PyYAML has it (about 10x faster on the Chengdu pack), else Python's.
    """


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            msg = (
                f"duplicate key `{key}` (line {key_node.start_mark.line + 1}, "
                f"first on line {seen[key] + 1})"
            )
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        seen[key] = key_node.start_mark.line
    mapping: dict[Any, Any] = loader.construct_mapping(node)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        msg = f"cannot read city pack file `{path}`: {err.strerror}; check `pack`"
        raise InputError(msg) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        msg = f"{path}:{where}: invalid YAML: {problem}"
        raise InputError(msg) from None


def _pydantic_problems(err: ValidationError) -> list[tuple[str, str, Any]]:
    """``(field path, message, bad value)`` for each error."""
    out = []
    for e in err.errors():
        where = ".".join(str(part) for part in e["loc"]) or "(top level)"
        message = str(e["msg"]).removeprefix("Value error, ")
        out.append((where, message, e.get("input")))
    return out


def _describe(where: str, message: str, value: Any) -> str:
    if message == "Field required":
        return f"field `{where}` is missing (required)"
    if isinstance(value, dict | list) or value is None:
        return f"field `{where}`: {message}"
    return f"field `{where}`: {message} (got {value!r})"


def _undated_sources(sources: list[Source]) -> list[str]:
    """A pack file must date every source (only data-file places may leave it out)."""
    return [
        f"field `sources.{i}.checked` is missing (required): give the date the source was read"
        for i, source in enumerate(sources)
        if source.checked is None
    ]


def _check_sources(place: Place) -> list[str]:
    covered = {fact for s in place.sources for fact in s.facts}
    needed = {"names", "coordinates", "visit"}
    needed |= {
        fact for fact, attrs in _FACT_FIELDS.items() if any(getattr(place, a) for a in attrs)
    }
    if place.min_inside_minutes is not None:
        needed.add("last_entry")
    missing = sorted(needed - covered)
    if not missing:
        return []
    listed = ", ".join(missing)
    return [f"field `sources`: no source given for {listed}; add a source with `facts: [{listed}]`"]


def _validate_places(raw: Any, *, file: Path, bounds: Bounds) -> tuple[list[Place], list[str]]:
    problems: list[str] = []
    if isinstance(raw, dict):
        raw = raw.get("places")
    if not isinstance(raw, list):
        return [], [f"{file}: expected a top-level `places:` list of place entries"]
    places: list[Place] = []
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        pid = entry.get("id") if isinstance(entry, dict) else None
        label = f"place `{pid}`" if isinstance(pid, str) and pid else f"place #{index + 1}"
        prefix = f"{file}: {label}"
        if not isinstance(entry, dict):
            problems.append(f"{prefix}: expected a mapping of fields, got {entry!r}")
            continue
        if isinstance(pid, str) and pid in first_seen:
            problems.append(
                f"{prefix}: field `id`: duplicate id {pid!r} "
                f"(also place #{first_seen[pid] + 1}); ids must be unique"
            )
            continue
        if isinstance(pid, str):
            first_seen[pid] = index
        try:
            place = Place.model_validate(entry)
        except ValidationError as err:
            problems += [f"{prefix}: {_describe(*p)}" for p in _pydantic_problems(err)]
            continue
        if place.min_visit_minutes > place.visit_minutes:
            problems.append(
                f"{prefix}: field `min_visit_minutes`: {place.min_visit_minutes!r} is longer "
                f"than `visit_minutes` {place.visit_minutes!r}"
            )
        if not bounds.contains(place.lat, place.lon):
            field = "lat" if not bounds.south <= place.lat <= bounds.north else "lon"
            problems.append(
                f"{prefix}: field `{field}`: coordinates ({place.lat!r}, {place.lon!r}) are "
                f"outside the city bounds (W {bounds.west}, S {bounds.south}, "
                f"E {bounds.east}, N {bounds.north}); check for swapped lat/lon"
            )
        problems += [f"{prefix}: {p}" for p in _undated_sources(place.sources)]
        problems += [f"{prefix}: {p}" for p in _check_sources(place)]
        places.append(place)
    if not raw:
        problems.append(f"{file}: `places` is empty; add at least one place")
    return places, problems


def _raise(problems: list[str]) -> None:
    head = problems[0]
    more = len(problems) - 1
    msg = head if not more else f"{head} (and {more} more problem{'s' * (more > 1)})"
    raise InputError(msg)


def _raise_if(problems: list[str]) -> None:
    if problems:
        _raise(problems)


def load_city_pack(path: Path | None = None) -> CityPack:
    """Load and validate a city pack.

    Parameters
    ----------
    path
        The pack's folder (or its ``city.yaml``); ``None`` loads the embedded Chengdu pack.

    Raises
    ------
    InputError
        A file is missing or invalid; the message names the file, the place and the field.
    """
    folder = default_city_pack_dir() if path is None else Path(path)
    if folder.is_file() and folder.name == "city.yaml":
        folder = folder.parent
    if not folder.is_dir():
        msg = f"city pack `{folder}` is not a folder; pass a folder with city.yaml and places.yaml"
        raise InputError(msg)
    city_file, places_file = folder / "city.yaml", folder / "places.yaml"
    for needed in (city_file, places_file):
        if not needed.is_file():
            msg = f"city pack `{folder}` has no `{needed.name}`; see data/README.md"
            raise InputError(msg)

    try:
        settings = CitySettings.model_validate(_read_yaml(city_file))
    except ValidationError as err:
        _raise([f"{city_file}: {_describe(*p)}" for p in _pydantic_problems(err)])
        raise  # unreachable: _raise always raises
    _raise_if([f"{city_file}: {p}" for p in _undated_sources(settings.sources)])
    try:
        OpeningHours("24/7", timezone=settings.timezone)
    except InputError:
        msg = f"{city_file}: field `timezone`: unknown IANA time zone {settings.timezone!r}"
        raise InputError(msg) from None

    places, problems = _validate_places(
        _read_yaml(places_file), file=places_file, bounds=settings.bounds
    )
    ids = {p.id for p in places}
    for field in ("default_start", "default_venue"):
        value = getattr(settings, field)
        if value is not None and places and value not in ids:
            problems.append(f"{city_file}: field `{field}`: no place with id {value!r}")
    problems += [
        f"{city_file}: field `start_points`: no place with id {sp!r}"
        for sp in settings.start_points
        if places and sp not in ids
    ]
    if problems:
        _raise(problems)
    pack = CityPack(settings, places, path=folder)
    _ = pack.coach_profile  # validate traffic.yaml with the rest of the pack
    return pack


def slug(text: str) -> str:
    """A place-id slug from free text (``"Wenshu Monastery"`` -> ``"wenshu-monastery"``,
    ``"Café Stüberl"`` -> ``"cafe-stuberl"``)."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
