"""The request file's schema: what a delegation must and may see, and when.

Field-level checks (names, types, ``HH:MM`` times, ranges) live here; checks across fields in
:mod:`tours.planning.request.checks`. ``data/chengdu/requests/README.md`` documents every field.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
)

from tours.modes import TravelMode
from tours.places.pack import is_osm_ref
from tours.planning.request._clock import Clock, format_clock
from tours.planning.request._yaml import Path_, dotted, line_of
from tours.settings import OUTPUT_LANGUAGES

REQUEST_VERSION: Literal[1] = 1
_MOBILITY_PACE_KMH = {"standard": 4.0, "reduced": 3.0, "wheelchair": 3.0}
#: Most walking per day (km) when a request sets no limit, by ``delegation.mobility``:
#: a full sightseeing day on foot for a standard group; a group with reduced mobility or a
#: wheelchair user keeps to short walks between coach stops.
DEFAULT_WALK_KM_PER_DAY = {"standard": 15.0, "reduced": 6.0, "wheelchair": 4.0}

#: Size limits of a request: far above any real visit, low enough that nothing runs for long.
MAX_NAME_CHARS = 200  # titles, names, place ids
MAX_NOTE_CHARS = 2000  # notes and contacts
MAX_PLACES = 200  # per list (must-see, optional)
MAX_ITEMS = 100  # appointments, meals, contacts, languages, per-place dates
_FIRST_DATE, _LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(value: object) -> dt.date:
    """A calendar date written ``YYYY-MM-DD`` (never a number such as a Unix timestamp)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            msg = f"{value!r} is not a calendar date; check the month and day (YYYY-MM-DD)"
            raise ValueError(msg) from None
    else:
        msg = f"{value!r} is not a date; write it as YYYY-MM-DD (e.g. 2025-03-21)"
        raise ValueError(msg)
    if not _FIRST_DATE <= day <= _LAST_DATE:
        msg = f"{day.isoformat()} is out of range; give a date between 2000 and 2099"
        raise ValueError(msg)
    return day


#: A date as the request writes it: ``YYYY-MM-DD`` only.
Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
#: Numbers: strict (``true`` is not a number), finite.
Int = Annotated[int, Field(strict=True)]
Float = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
Note = Annotated[str, Field(max_length=MAX_NOTE_CHARS)]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Window(_Spec):
    """A time span within one day, e.g. ``{start: "08:30", end: "21:30"}``."""

    start: Clock
    end: Clock

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return self.end - self.start

    def __str__(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"


class DelegationSpec(_Spec):
    """Who travels."""

    name: Name
    size: Int = Field(default=1, ge=1, le=500)
    languages: list[Annotated[str, Field(min_length=1, max_length=35)]] = Field(
        default_factory=lambda: ["en", "zh"], max_length=MAX_ITEMS
    )
    mobility: Literal["standard", "reduced", "wheelchair"] = "standard"
    walking_pace_kmh: Float | None = Field(default=None, gt=0.5, le=7.0)
    contacts: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)

    @field_validator("languages")
    @classmethod
    def _outputs_speak_the_first(cls, value: list[str]) -> list[str]:
        """The first language is the outputs' one: it needs a catalog."""
        if value:
            code = value[0].strip().lower().replace("_", "-").split("-", 1)[0]
            if code not in OUTPUT_LANGUAGES:
                msg = (
                    f"the outputs cannot be written in {value[0]!r} (the first language); "
                    f"choose from {', '.join(OUTPUT_LANGUAGES)}"
                )
                raise ValueError(msg)
        return value

    @property
    def pace_kmh(self) -> float:
        """The walking pace used for travel times (explicit, else from ``mobility``)."""
        return self.walking_pace_kmh or _MOBILITY_PACE_KMH[self.mobility]


class TravelSpec(_Spec):
    """How the group moves between stops."""

    mode: TravelMode = "mixed"
    walk_max_min: Float = Field(default=15.0, ge=0, le=120)
    coach_overhead_min: Float = Field(default=10.0, ge=0, le=120)
    max_walk_km_per_day: Float | None = Field(default=None, gt=0, le=50)
    coach_profile: Literal["city", "generic", "flat"] | dict[str, Any] = Field(
        default="city",
        description="Coach speed by hour: the city pack's profile, the generic default, the "
        "same speed at every hour, or {factors: {'17-19': 0.6, ...}} (hours not given: 1).",
    )


class DaySpec(_Spec):
    """Per-day overrides: start and end place, daily window, walking limit."""

    date: Date
    start: Name | None = None
    end: Name | None = None
    window: Window | None = None
    max_walk_km: Float | None = Field(
        default=None,
        ge=0,
        le=50,
        description="Most walking on this day in km (instead of `travel.max_walk_km_per_day`).",
    )


def coach_stop_point(text: str) -> tuple[float, float]:
    """``(lat, lon)`` from ``"lat,lon"`` in degrees; ``ValueError`` naming the fix."""
    parts = text.split(",")
    try:
        lat, lon = (float(part) for part in parts)
    except ValueError:
        msg = f"{text!r} is not 'lat,lon' in degrees (e.g. '30.658546,104.080369')"
        raise ValueError(msg) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"{text!r} is not 'lat,lon' in degrees: latitude -90..90, longitude -180..180"
        raise ValueError(msg)
    return lat, lon


class PlaceSpec(_Spec):
    """One requested place: a city-pack id or name, priority, optional overrides."""

    place: Name
    priority: Int | None = Field(default=None, ge=1, le=10)
    minutes: Int | None = Field(default=None, ge=5, le=720)
    dates: list[Date] | None = Field(default=None, max_length=MAX_ITEMS)
    note: Note = ""
    last_entry: Clock | None = Field(
        default=None,
        description="Last admission ('HH:MM'), instead of the city pack's: no visit starts later.",
    )
    min_inside_minutes: Int | None = Field(
        default=None,
        ge=5,
        le=720,
        description="Admission stops this many minutes before closing (instead of the pack's).",
    )
    name_en: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="English name to show instead of the pack's (e.g. for an OSM feature "
        "named only in Chinese).",
    )
    coach_stop: str | None = Field(
        default=None,
        description="Where the coach drops the group off and picks it up ('lat,lon'), "
        "instead of the city pack's `coach_stops`: a short walk leads to the entrance.",
    )

    @field_validator("coach_stop")
    @classmethod
    def _coach_stop_point(cls, value: str | None) -> str | None:
        if value is not None:
            coach_stop_point(value)
        return value

    @property
    def coach_stop_at(self) -> tuple[float, float] | None:
        """The request's coach stop ``(lat, lon)`` (``None``: the pack's, if any)."""
        return None if self.coach_stop is None else coach_stop_point(self.coach_stop)


def _place_shorthand(value: object) -> object:
    return {"place": value} if isinstance(value, str) else value


PlaceEntry = Annotated[PlaceSpec, BeforeValidator(_place_shorthand)]


class PlacesSpec(_Spec):
    """Places to see: must-sees are hard, optional places compete by priority."""

    must_see: list[PlaceEntry] = Field(default_factory=list, max_length=MAX_PLACES)
    optional: list[PlaceEntry] = Field(default_factory=list, max_length=MAX_PLACES)


class AppointmentSpec(_Spec):
    """A fixed appointment the planner never moves."""

    title: Name
    place: Name
    date: Date
    start: Clock
    end: Clock
    note: Note = ""


class MealSpec(_Spec):
    """A meal break: it lies wholly inside ``window``; optionally at a chosen restaurant."""

    title: Name = "Lunch"
    window: Window
    minutes: Int = Field(ge=10, le=240)
    place: Name | None = None
    dates: list[Date] | None = Field(default=None, max_length=MAX_ITEMS)
    note: Note = ""


class Request(_Spec):
    """A whole planning request (version :data:`REQUEST_VERSION`)."""

    version: Literal[1] = REQUEST_VERSION
    title: Name
    delegation: DelegationSpec
    city: Annotated[str, Field(min_length=1, max_length=1000)] | None = Field(
        default=None,
        description="The city pack (`chengdu` or a pack folder). Leave it out to plan from the "
        "OSM extract given with `--osm` alone (the embedded Chengdu pack without `--osm`).",
    )
    dates: list[Date] = Field(min_length=1, max_length=14)
    day_window: Window = Field(
        default_factory=lambda: Window.model_validate({"start": "08:30", "end": "21:30"})
    )
    hotel: str | None = None
    days: list[DaySpec] = Field(default_factory=list, max_length=14)
    travel: TravelSpec = Field(default_factory=TravelSpec)
    buffer_min: Int = Field(default=10, ge=0, le=120)
    unknown_hours: Window = Field(
        default_factory=lambda: Window.model_validate({"start": "09:00", "end": "17:00"}),
        description="Assumed opening hours of places whose hours the city pack does not know.",
    )
    places: PlacesSpec = Field(default_factory=PlacesSpec)
    appointments: list[AppointmentSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    meals: list[MealSpec] = Field(default_factory=list, max_length=MAX_ITEMS)

    _source: str = PrivateAttr(default="request")
    _lines: dict[Path_, int] = PrivateAttr(default_factory=dict)
    _base_dir: Path | None = PrivateAttr(default=None)

    @field_validator("dates")
    @classmethod
    def _sorted_dates(cls, value: list[dt.date]) -> list[dt.date]:
        if len(set(value)) != len(value):
            msg = "a date is listed twice; list each date once"
            raise ValueError(msg)
        return sorted(value)

    # -- where things are in the file ------------------------------------------------------

    @property
    def source(self) -> str:
        """The file (or label) the request was read from."""
        return self._source

    @property
    def base_dir(self) -> Path | None:
        """The folder of the request file (relative paths in it resolve from here)."""
        return self._base_dir

    def where(self, path: Path_) -> str:
        """``file, line N, field `a.b[0]``` for an error message about *path*."""
        line = line_of(self._lines, path)
        at = f", line {line}" if line is not None else ""
        return f"{self._source}{at}, field `{dotted(path)}`"

    # -- derived values --------------------------------------------------------------------

    def window_on(self, day: dt.date) -> Window:
        """The daily window on *day* (a per-day override, else ``day_window``)."""
        for spec in self.days:
            if spec.date == day and spec.window is not None:
                return spec.window
        return self.day_window

    def max_walk_km_on(self, day: dt.date) -> float:
        """The walking limit on *day* in km: ``days[].max_walk_km``, else the trip's
        ``travel.max_walk_km_per_day``, else :data:`DEFAULT_WALK_KM_PER_DAY` for the
        delegation's mobility."""
        for spec in self.days:
            if spec.date == day and spec.max_walk_km is not None:
                return spec.max_walk_km
        if self.travel.max_walk_km_per_day is not None:
            return self.travel.max_walk_km_per_day
        return DEFAULT_WALK_KM_PER_DAY[self.delegation.mobility]

    def start_place_on(self, day: dt.date, default: str) -> str:
        """Where the day starts: per-day ``start``, else ``hotel``, else *default*."""
        for spec in self.days:
            if spec.date == day and spec.start:
                return spec.start
        return self.hotel or default

    def end_place_on(self, day: dt.date, default: str) -> str:
        """Where the day ends: per-day ``end``, else ``hotel``, else *default*."""
        for spec in self.days:
            if spec.date == day and spec.end:
                return spec.end
        return self.hotel or default

    def meals_on(self, day: dt.date) -> list[tuple[int, MealSpec]]:
        """The meals (with their index in ``meals``) that apply on *day*."""
        return [(i, m) for i, m in enumerate(self.meals) if m.dates is None or day in m.dates]

    def place_fields(self) -> list[tuple[Path_, str]]:
        """Every field that names a place, as ``(path, value)``, in file order."""
        out: list[tuple[Path_, str | None]] = [(("hotel",), self.hotel)]
        for i, day in enumerate(self.days):
            out += [(("days", i, "start"), day.start), (("days", i, "end"), day.end)]
        out += [((*path, "place"), spec.place) for path, spec, _must in self.place_entries()]
        out += [(("appointments", i, "place"), a.place) for i, a in enumerate(self.appointments)]
        out += [(("meals", i, "place"), m.place) for i, m in enumerate(self.meals)]
        return [(path, value) for path, value in out if value]

    def osm_refs(self) -> list[tuple[Path_, str]]:
        """The place fields that name an OSM element (``osm:way/123``), in file order."""
        return [(path, value) for path, value in self.place_fields() if is_osm_ref(value)]

    def place_entries(self) -> list[tuple[Path_, PlaceSpec, bool]]:
        """Every requested place as ``(path, spec, must_see)``, must-sees first."""
        out: list[tuple[Path_, PlaceSpec, bool]] = [
            (("places", "must_see", i), spec, True) for i, spec in enumerate(self.places.must_see)
        ]
        out += [
            (("places", "optional", i), spec, False) for i, spec in enumerate(self.places.optional)
        ]
        return out


def request_json_schema() -> dict[str, Any]:
    """The JSON Schema of a request file."""
    return Request.model_json_schema()
