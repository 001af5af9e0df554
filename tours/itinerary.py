"""The one itinerary model that the planner writes and every renderer reads.

An :class:`Itinerary` is plain data: per day an ordered list of items (visits, fixed
appointments, meals and the travel legs between them) with aware local datetimes in the
city's time zone, plus the places left out and why. Renderers (maps, PDF, ICS, GPX, CSV, JSON)
add no facts of their own; anything they show comes from here.

The JSON form is versioned by :data:`SCHEMA_VERSION`; ``tours schema`` prints its JSON
Schema (``Itinerary.model_json_schema()``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from tours._errors import InputError
from tours.modes import LegMode

SCHEMA_VERSION = "1.0"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_LICENSE_URL = "https://www.openstreetmap.org/copyright"
#: Largest itinerary file read (bytes); a two-week plan with street geometry is a few MB.
MAX_ITINERARY_BYTES = 64_000_000
#: Longest text in an itinerary (titles are shorter: :data:`MAX_TITLE_CHARS`).
MAX_TEXT_CHARS = 10_000
MAX_TITLE_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _no_control_characters(value: Any) -> Any:
    """Refuse control characters in any text (they make GPX, ICS and HTML ill-formed)."""
    texts = [value] if isinstance(value, str) else []
    if isinstance(value, list | tuple):
        texts = [v for v in value if isinstance(v, str)]
    for text in texts:
        if len(text) > MAX_TEXT_CHARS:
            msg = f"is {len(text):,} characters long, more than {MAX_TEXT_CHARS:,}"
            raise ValueError(msg)
        if (match := _CONTROL.search(text)) is not None:
            msg = f"contains the control character U+{ord(match.group()):04X}"
            raise ValueError(msg)
    return value


def strip_control_characters(text: str) -> str:
    """*text* without control characters (tab and line breaks kept): for untrusted OSM text."""
    return _CONTROL.sub("", text)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    _text = field_validator("*")(_no_control_characters)


class Address(_Model):
    """Where a place is, for a driver or a taxi, and where that comes from.

    ``source`` : {"pack", "osm", "street"}: the city pack's address, the ``addr:*`` tags of
    an OSM element (``osm_id``: the place's own element or one at the same location), or,
    when neither knows one, the nearest named street (``text`` is then the street's local
    name, ``names`` its names by language, ``distance_m`` how far the place is from it):
    no postal address, and every output says so.
    """

    text: str
    source: Literal["pack", "osm", "street"]
    osm_id: str | None = None
    names: dict[str, str] = Field(default_factory=dict)
    distance_m: float | None = Field(default=None, ge=0)

    @property
    def is_postal(self) -> bool:
        """Whether this is a postal address (not the nearest-street fallback)."""
        return self.source != "street"


class PlaceRef(_Model):
    """A place as the itinerary shows it: names in several scripts, position, notes."""

    id: str
    name_en: str
    name_zh: str = ""
    name_de: str = ""
    names: dict[str, str] = Field(
        default_factory=dict,
        description="Names by language code (`fr`, `ja`, `ar` ...): the city pack's names and "
        "OSM `name:xx` tags. `name_en`, `name_zh` and `name_de` are read as the names of "
        "their languages too.",
    )
    name_local: str = Field(
        default="",
        description="The name in the city's local language as signs show it (OSM `name`), "
        "when no language-tagged name gives it.",
    )
    category: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    osm_id: str | None = None
    opening_hours: str | None = None
    address_zh: str = ""
    address: Address | None = Field(
        default=None,
        description="The place's address with its source (pack, OSM element or nearest "
        "street); `address_zh` keeps the city pack's address as it was.",
    )
    tickets: str = ""
    entrance: str = ""
    accessibility: str = ""
    notes: str = ""

    def name_for(self, code: str) -> str:
        """The name tagged with language *code*, or ``""`` (no fallback; see :meth:`name_in`)."""
        legacy = {"en": self.name_en, "zh": self.name_zh, "de": self.name_de}
        return self.names.get(code) or legacy.get(code, "")

    def name_in(self, code: str, *, local_language: str = "") -> tuple[str, str]:
        """``(name, language)`` of the place for a reader of language *code*.

        The fallback chain is: the name in *code*; else the English name; else the local
        name (OSM ``name``, in the city's *local_language*). The language returned is the
        one the name is really in, for the text's ``lang`` attribute.
        """
        if name := self.name_for(code):
            return name, code
        if self.name_en:
            return self.name_en, "en"
        local = self.name_for(local_language) if local_language else ""
        return (local or self.name_local), local_language

    @property
    def bilingual_name(self) -> str:
        """``English (中文)``, or the English name alone when there is no Chinese one."""
        return f"{self.name_en} ({self.name_zh})" if self.name_zh else self.name_en


class _Timed(_Model):
    uid: str = Field(description="Stable id: the same event keeps it across re-plans.")
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        """Length of the item in whole minutes."""
        return round((self.end - self.start).total_seconds() / 60)


class Visit(_Timed):
    """Time spent at a place of interest."""

    kind: Literal["visit"] = "visit"
    place: PlaceRef
    priority: int = Field(ge=0, le=10)
    must_see: bool = False
    note: str = ""


class Appointment(_Timed):
    """A fixed appointment (ceremony, talk, dinner): the planner never moves it."""

    kind: Literal["appointment"] = "appointment"
    title: str
    place: PlaceRef
    note: str = ""


#: The note of a meal the planner placed where the group is (renderers translate it).
MEAL_WHERE_THE_GROUP_IS = "Where the group is at that time, or close by."


class MealPlace(_Model):
    """The restaurant suggested for a meal taken where the group is.

    ``place`` is the nearest suitable restaurant within ``radius_m`` on foot (``None``: none
    is known there); ``hours`` : {"open", "unknown"} says whether its opening hours cover the
    whole meal or are not known.
    """

    radius_m: int = Field(gt=0)
    place: PlaceRef | None = None
    walk_m: float | None = Field(default=None, ge=0)
    walk_min: int | None = Field(default=None, ge=0)
    hours: Literal["open", "unknown"] | None = None


class Meal(_Timed):
    """A meal break, at a chosen restaurant or where the group is at that time."""

    kind: Literal["meal"] = "meal"
    title: str
    place: PlaceRef
    note: str = ""
    restaurant: MealPlace | None = Field(
        default=None,
        description="For a meal where the group is: the restaurant suggested nearby.",
    )


class Leg(_Timed):
    """Travel between two consecutive stops, along real streets.

    ``geometry`` is a list of ``[lat, lon]`` pairs from the start stop to the end stop.
    ``overhead_s`` is the part of the duration spent boarding and parking a coach.
    ``wait_s`` is time the group waits at the destination before the next item starts.
    """

    kind: Literal["leg"] = "leg"
    mode: LegMode
    from_id: str
    to_id: str
    distance_m: float = Field(ge=0)
    duration_s: float = Field(ge=0)
    overhead_s: float = Field(default=0, ge=0)
    geometry: list[tuple[float, float]] = Field(default_factory=list)

    @field_validator("geometry")
    @classmethod
    def _on_earth(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for k, (lat, lon) in enumerate(value):
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                msg = f"point {k} ({lat!r}, {lon!r}) is not a latitude, longitude pair"
                raise ValueError(msg)
        return value


Item = Annotated[Visit | Appointment | Meal | Leg, Field(discriminator="kind")]
Stop = Visit | Appointment | Meal


class Day(_Model):
    """One day of the programme: where it starts and ends, and what happens in between."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime
    start_place: PlaceRef
    end_place: PlaceRef
    items: list[Item] = Field(default_factory=list)
    waypoints: list[PlaceRef] = Field(
        default_factory=list,
        description="Places that legs join but that are no stop of the day, e.g. the position "
        "a guide reported during a re-plan.",
    )

    @model_validator(mode="after")
    def _in_order(self) -> Day:
        """Items run forward in time (legs are checked by the itinerary)."""
        if self.end < self.start:
            msg = f"the day ends ({self.end:%H:%M}) before it starts ({self.start:%H:%M})"
            raise ValueError(msg)
        previous: dt.datetime | None = None
        for k, item in enumerate(self.items):
            if item.end < item.start:
                msg = f"item {k} ({item.kind}) ends before it starts"
                raise ValueError(msg)
            if previous is not None and item.start < previous:
                msg = f"item {k} ({item.kind}) starts before the item before it; items run in order"
                raise ValueError(msg)
            previous = item.start
        return self

    @property
    def places_by_id(self) -> dict[str, PlaceRef]:
        """Every place a leg of the day may name: start, end, stops and waypoints, by id."""
        places = {place.id: place for place in self.waypoints}
        places.update({day_end.id: day_end for day_end in (self.start_place, self.end_place)})
        places.update({stop.place.id: stop.place for stop in self.stops})
        return places

    @property
    def stops(self) -> list[Stop]:
        """Visits, appointments and meals in order (legs left out)."""
        return [item for item in self.items if not isinstance(item, Leg)]

    @property
    def legs(self) -> list[Leg]:
        """Travel legs in order."""
        return [item for item in self.items if isinstance(item, Leg)]


class LeftOut(_Model):
    """A requested place the plan does not visit, and why.

    ``code`` : {"outside_network", "skipped", "closed", "too_long", "blocked", "walk_limit",
    "last_entry", "no_time", "capacity"}, defined in :mod:`tours.planning.explain.reasons`
    (``capacity``: a shared venue was full, conference mode).
    """

    place: PlaceRef
    code: str
    reason: str


class Delegation(_Model):
    """Who travels: shown on covers and map titles."""

    name: str
    size: int = Field(default=1, ge=1)
    languages: list[str] = Field(default_factory=lambda: ["en", "zh"])
    contacts: list[str] = Field(default_factory=list)


class City(_Model):
    """The host city and its time zone."""

    id: str
    name_en: str
    name_zh: str = ""
    timezone: str
    language: str = Field(
        default="",
        description="Code of the city's local language (what drivers and signs read). "
        "Files written before it existed leave it empty: read as `zh` when the city has a "
        "Chinese name.",
    )
    attribution: str = OSM_ATTRIBUTION
    osm_extract: str = Field(
        default="",
        description="The OSM extract the city's places and streets come from (a path on the "
        "planning machine, or a file name found as city packs find theirs); `tours map` and "
        "`tours export` draw their base map from it unless given `--osm`.",
    )

    @model_serializer(mode="wrap")
    def _without_empty_extract(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave ``osm_extract`` out when empty (itineraries of the embedded pack)."""
        data = handler(self)
        if isinstance(data, dict) and not data.get("osm_extract"):
            data.pop("osm_extract", None)
        return data

    @property
    def local_language(self) -> str:
        """The local language's code (``""`` when the itinerary does not say)."""
        return self.language or ("zh" if self.name_zh else "")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"{value[:60]!r} is not a known time zone (e.g. 'Asia/Shanghai')"
            raise ValueError(msg) from None
        return value


class Itinerary(_Model):
    """A whole planned visit (schema version :data:`SCHEMA_VERSION`)."""

    schema_version: str = SCHEMA_VERSION
    title: str = Field(max_length=MAX_TITLE_CHARS)
    revision: int = Field(
        default=0,
        ge=0,
        description="0 for a fresh plan; each re-plan adds one (calendar SEQUENCE).",
    )
    delegation: Delegation
    city: City
    days: list[Day] = Field(min_length=1)
    left_out: list[LeftOut] = Field(default_factory=list)
    total_priority: int = 0
    notes: list[str] = Field(default_factory=list)
    request: dict[str, Any] | None = Field(
        default=None,
        description="The request this plan was made from (normalised), so `tours replan` "
        "can re-plan from the itinerary file alone.",
    )

    @model_validator(mode="after")
    def _legs_join_known_places(self) -> Itinerary:
        """Every leg joins places the itinerary knows: a place of its day, or a place left
        out (a re-plan keeps the leg the group was on toward a place it then skipped)."""
        left = {lo.place.id for lo in self.left_out}
        for d, day in enumerate(self.days):
            places = day.places_by_id.keys() | left
            for k, item in enumerate(day.items):
                if not isinstance(item, Leg):
                    continue
                for end in (item.from_id, item.to_id):
                    if end not in places:
                        msg = (
                            f"`days[{d}].items[{k}]` is a leg to or from `{end[:60]}`, which is "
                            "no place of the itinerary"
                        )
                        raise ValueError(msg)
        return self

    @field_validator("schema_version")
    @classmethod
    def _readable_version(cls, value: str) -> str:
        major = SCHEMA_VERSION.split(".", 1)[0]
        if value.split(".", 1)[0] != major:
            msg = (
                f"schema version {value!r} cannot be read by this version of tours "
                f"(it reads {major}.x)"
            )
            raise ValueError(msg)
        return value

    def bounds(self, *, margin_m: float = 0.0) -> tuple[float, float, float, float]:
        """``(west, south, east, north)`` of every place and leg point, plus *margin_m*."""
        points = [
            (p.lat, p.lon)
            for day in self.days
            for p in (day.start_place, day.end_place, *(s.place for s in day.stops))
        ]
        points += [pt for day in self.days for leg in day.legs for pt in leg.geometry]
        if not points:
            msg = f"itinerary `{self.title}` has no places; re-create it with `tours plan`"
            raise InputError(msg)
        lats = [lat for lat, _ in points]
        lons = [lon for _, lon in points]
        dlat = margin_m / 111_320.0
        dlon = dlat / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.1)
        return min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat

    def to_geodataframe(self) -> Any:
        """The stops and legs as a GeoDataFrame (WGS 84), one row each, in programme order.

        Columns: ``day`` (1-based), ``date``, ``seq`` (order within the day), ``kind``
        {"visit", "appointment", "meal", "leg"}, ``name`` (the place, or ``from → to`` for a
        leg), ``place_id``, ``start``, ``end`` (aware local datetimes), ``minutes``,
        ``must_see``, ``priority``, ``mode`` (legs: {"walk", "coach"}), ``distance_m`` and
        ``geometry``: a Point for a stop, the street path (LineString) for a leg.
        """
        import geopandas as gpd  # noqa: PLC0415 (only notebooks need it)
        from shapely.geometry import LineString, Point  # noqa: PLC0415

        rows: list[dict[str, Any]] = []
        for n, day in enumerate(self.days, start=1):
            places = day.places_by_id
            for seq, item in enumerate(day.items):
                row: dict[str, Any] = {
                    "day": n,
                    "date": day.date,
                    "seq": seq,
                    "kind": item.kind,
                    "start": item.start,
                    "end": item.end,
                    "minutes": item.minutes,
                    "must_see": False,
                    "priority": None,
                    "mode": None,
                    "distance_m": None,
                }
                if isinstance(item, Leg):
                    a, b = places.get(item.from_id), places.get(item.to_id)
                    path = [(lon, lat) for lat, lon in item.geometry]
                    if len(path) < 2 and a is not None and b is not None:
                        path = [(a.lon, a.lat), (b.lon, b.lat)]
                    row |= {
                        "name": f"{a.name_en if a else item.from_id} → "
                        f"{b.name_en if b else item.to_id}",
                        "place_id": item.to_id,
                        "mode": item.mode,
                        "distance_m": item.distance_m,
                        "geometry": LineString(path) if len(path) >= 2 else None,
                    }
                else:
                    row |= {
                        "name": item.place.name_en,
                        "place_id": item.place.id,
                        "geometry": Point(item.place.lon, item.place.lat),
                    }
                    if isinstance(item, Visit):
                        row |= {"must_see": item.must_see, "priority": item.priority}
                rows.append(row)
        columns = [
            "day", "date", "seq", "kind", "name", "place_id", "start", "end", "minutes",
            "must_see", "priority", "mode", "distance_m", "geometry",
        ]  # fmt: skip
        return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")

    def _repr_html_(self) -> str:
        """The overview map, for Jupyter (an offline Folium map with every day)."""
        from maps.folium_map import build_map  # noqa: PLC0415 (maps render; loaded late)

        if not self.days:
            return f"<p>{html.escape(self.title)}: no days</p>"
        rendered: str = build_map(self, offline=True)._repr_html_()
        return rendered

    def to_json(self) -> str:
        """The itinerary as indented JSON text."""
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str, *, source: str = "itinerary") -> Itinerary:
        """Read an itinerary back; a bad file raises :class:`InputError` naming the field."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as err:
            errors = err.errors()
            # A file of another schema version fails on many fields; name the version.
            first = next((e for e in errors if e["loc"] == ("schema_version",)), errors[0])
            where = _field_path(first["loc"])
            problem = first["msg"].removeprefix("Value error, ")
            if first["type"] not in {"value_error", "missing", "extra_forbidden"}:
                shown = repr(first.get("input"))
                problem += f" (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
            msg = f"{source}: field `{where}`: {problem}; re-create it with `tours plan`"
            raise InputError(msg) from None

    @classmethod
    def load(cls, path: Path) -> Itinerary:
        """Read ``itinerary.json`` from *path* (at most :data:`MAX_ITINERARY_BYTES`)."""
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_ITINERARY_BYTES + 1)
        except OSError as err:
            msg = f"cannot read itinerary `{path}`: {err.strerror}; check the path"
            raise InputError(msg) from None
        if len(data) > MAX_ITINERARY_BYTES:
            msg = (
                f"itinerary `{path}` is larger than {MAX_ITINERARY_BYTES:,} bytes; "
                "is it an itinerary.json?"
            )
            raise InputError(msg)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            msg = (
                f"itinerary `{path}` is not UTF-8 JSON text (is it an itinerary.json?); "
                "re-create it with `tours plan`"
            )
            raise InputError(msg) from None
        return cls.from_json(text, source=str(path))


_ITEM_KINDS = frozenset({"visit", "appointment", "meal", "leg"})


def _field_path(loc: tuple[str | int, ...]) -> str:
    """``("days", 0, "items", 3, "visit", "place", "lat")`` -> ``days[0].items[3].place.lat``.

    The item kind that pydantic adds for the tagged union is left out.
    """
    text = ""
    for k, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif k >= 2 and loc[k - 2] == "items" and part in _ITEM_KINDS:
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def stable_uid(*parts: object) -> str:
    """A short, stable id from the parts that identify an event (for ICS and re-plans)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode(), usedforsecurity=False)
    return f"{digest.hexdigest()[:16]}@tours"
