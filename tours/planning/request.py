"""The request file: what a delegation must and may see, and when (YAML -> a checked model).

:func:`load_request` reads a YAML request and checks everything that needs no city data:
syntax, the schema (field names, types, ``HH:MM`` times), times that end before they start,
dates outside the request, overlapping appointments, meals that cannot fit. Every problem is
one line naming the file, the line and the field. :func:`resolve_request` then checks the
request against a city pack: unknown places (with "did you mean"), a must-see that is closed
on every requested day. ``data/chengdu/requests/README.md`` documents every field.

A place may also be an OSM element of the pack's extract, ``osm:way/123`` (``node``, ``way``,
``relation``): :func:`city_pack_for` returns the pack with those elements added as places
(id ``osm-way-123``, see :meth:`~tours.citypack.CityPack.with_osm_places`).

Times of day are kept as minutes after local midnight (``"24:00"`` is 1440).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from tours._errors import InputError, UnknownPlaceError
from tours.citypack import CityPack, Place, is_osm_ref, load_city_pack, parse_osm_ref
from tours.planning._yaml import Path_, dotted, line_of, load_yaml, read_text

REQUEST_VERSION: Literal[1] = 1
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_MOBILITY_PACE_KMH = {"standard": 4.0, "reduced": 3.0, "wheelchair": 3.0}


class RequestError(InputError):
    """A request with one or more problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _parse_clock(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, str):
        msg = f"{value!r} is not a time of day; write it as 'HH:MM' (e.g. '09:30')"
        raise ValueError(msg)  # pydantic turns a ValueError into a field error
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        msg = f"{value!r} is not a time of day; write it as 'HH:MM' (e.g. '09:30')"
        raise ValueError(msg)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes > 0):
        msg = f"{value!r} is not a time of day; use 00:00 to 24:00"
        raise ValueError(msg)
    return hours * 60 + minutes


def format_clock(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


Clock = Annotated[
    int,
    BeforeValidator(_parse_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"}),
]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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

    name: str = Field(min_length=1)
    size: int = Field(default=1, ge=1, le=500)
    languages: list[str] = Field(default_factory=lambda: ["en", "zh"])
    mobility: Literal["standard", "reduced", "wheelchair"] = "standard"
    walking_pace_kmh: float | None = Field(default=None, gt=0.5, le=7.0)
    contacts: list[str] = Field(default_factory=list)

    @property
    def pace_kmh(self) -> float:
        """The walking pace used for travel times (explicit, else from ``mobility``)."""
        return self.walking_pace_kmh or _MOBILITY_PACE_KMH[self.mobility]


class TravelSpec(_Spec):
    """How the group moves between stops."""

    mode: Literal["walk", "coach", "mixed"] = "mixed"
    walk_max_min: float = Field(default=15.0, ge=0, le=120)
    coach_overhead_min: float = Field(default=10.0, ge=0, le=120)
    max_walk_km_per_day: float | None = Field(default=None, gt=0, le=50)


class DaySpec(_Spec):
    """Per-day overrides: start and end place, daily window, walking limit."""

    date: dt.date
    start: str | None = None
    end: str | None = None
    window: Window | None = None
    max_walk_km: float | None = Field(
        default=None,
        ge=0,
        le=50,
        description="Most walking on this day in km (instead of `travel.max_walk_km_per_day`).",
    )


class PlaceSpec(_Spec):
    """One requested place: a city-pack id or name, priority, optional overrides."""

    place: str = Field(min_length=1)
    priority: int | None = Field(default=None, ge=1, le=10)
    minutes: int | None = Field(default=None, ge=5, le=720)
    dates: list[dt.date] | None = None
    note: str = ""
    name_en: str | None = Field(
        default=None,
        min_length=1,
        description="English name to show instead of the pack's (e.g. for an OSM feature "
        "named only in Chinese).",
    )


def _place_shorthand(value: object) -> object:
    return {"place": value} if isinstance(value, str) else value


PlaceEntry = Annotated[PlaceSpec, BeforeValidator(_place_shorthand)]


class PlacesSpec(_Spec):
    """Places to see: must-sees are hard, optional places compete by priority."""

    must_see: list[PlaceEntry] = Field(default_factory=list)
    optional: list[PlaceEntry] = Field(default_factory=list)


class AppointmentSpec(_Spec):
    """A fixed appointment the planner never moves."""

    title: str = Field(min_length=1)
    place: str = Field(min_length=1)
    date: dt.date
    start: Clock
    end: Clock
    note: str = ""


class MealSpec(_Spec):
    """A meal break: it lies wholly inside ``window``; optionally at a chosen restaurant."""

    title: str = "Lunch"
    window: Window
    minutes: int = Field(ge=10, le=240)
    place: str | None = None
    dates: list[dt.date] | None = None
    note: str = ""


class Request(_Spec):
    """A whole planning request (version :data:`REQUEST_VERSION`)."""

    version: Literal[1] = REQUEST_VERSION
    title: str = Field(min_length=1)
    delegation: DelegationSpec
    city: str = "chengdu"
    dates: list[dt.date] = Field(min_length=1, max_length=14)
    day_window: Window = Field(
        default_factory=lambda: Window.model_validate({"start": "08:30", "end": "21:30"})
    )
    hotel: str | None = None
    days: list[DaySpec] = Field(default_factory=list)
    travel: TravelSpec = Field(default_factory=TravelSpec)
    buffer_min: int = Field(default=10, ge=0, le=120)
    unknown_hours: Window = Field(
        default_factory=lambda: Window.model_validate({"start": "09:00", "end": "17:00"}),
        description="Assumed opening hours of places whose hours the city pack does not know.",
    )
    places: PlacesSpec = Field(default_factory=PlacesSpec)
    appointments: list[AppointmentSpec] = Field(default_factory=list)
    meals: list[MealSpec] = Field(default_factory=list)

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

    def max_walk_km_on(self, day: dt.date) -> float | None:
        """The walking limit on *day* in km (``days[].max_walk_km``, else the trip's).

        ``None``: no limit.
        """
        for spec in self.days:
            if spec.date == day and spec.max_walk_km is not None:
                return spec.max_walk_km
        return self.travel.max_walk_km_per_day

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


# -- reading -----------------------------------------------------------------------------------


def _pydantic_problems(err: ValidationError, lines: dict[Path_, int], source: str) -> list[str]:
    problems: list[str] = []
    for item in err.errors():
        path: Path_ = tuple(item["loc"])
        line = line_of(lines, path)
        at = f", line {line}" if line is not None else ""
        text = item["msg"]
        if text.startswith("Value error, "):
            text = text.removeprefix("Value error, ")
        elif item["type"] == "extra_forbidden":
            text = "unknown field; check the spelling (see data/chengdu/requests/README.md)"
        elif item["type"] == "missing":
            text = "required field is missing"
        else:
            text = f"{text} (got {item['input']!r})"
        problems.append(f"{source}{at}, field `{dotted(path)}`: {text}")
    return problems


def parse_request(text: str, *, source: str = "request", base_dir: Path | None = None) -> Request:
    """Read a request from YAML *text* (see :func:`load_request`)."""
    data, lines = load_yaml(text, source=source)
    if not isinstance(data, dict):
        msg = f"{source}, line 1: a request is a YAML mapping (`title: ...`, `dates: ...`, ...)"
        raise RequestError([msg])
    try:
        request = Request.model_validate(data)
    except ValidationError as err:
        raise RequestError(_pydantic_problems(err, lines, source)) from None
    request._source = source
    request._lines = lines
    request._base_dir = base_dir
    problems = _semantic_problems(request)
    if problems:
        raise RequestError(problems)
    return request


def load_request(path: Path) -> Request:
    """Read and check a request file (everything that needs no city data).

    Raises
    ------
    RequestError
        One line per problem, each naming the file, the line and the field.
    """
    path = Path(path)
    return parse_request(read_text(path), source=str(path), base_dir=path.parent)


# -- checks that need no city data --------------------------------------------------------------


def _fmt_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _dates_text(request: Request) -> str:
    return ", ".join(d.isoformat() for d in request.dates)


def _check_dates(request: Request, problems: list[str]) -> None:
    requested = set(request.dates)

    def outside(path: Path_, day: dt.date) -> None:
        if day not in requested:
            problems.append(
                f"{request.where(path)}: {day.isoformat()} is not one of the requested "
                f"`dates` ({_dates_text(request)}); add it to `dates` or fix the date"
            )

    seen: set[dt.date] = set()
    for i, day_spec in enumerate(request.days):
        outside(("days", i, "date"), day_spec.date)
        if day_spec.date in seen:
            problems.append(
                f"{request.where(('days', i, 'date'))}: {day_spec.date.isoformat()} has two "
                "`days` entries; merge them"
            )
        seen.add(day_spec.date)
    for path, spec, _must in request.place_entries():
        for k, day in enumerate(spec.dates or []):
            outside((*path, "dates", k), day)
    for i, appt in enumerate(request.appointments):
        outside(("appointments", i, "date"), appt.date)
    for i, meal in enumerate(request.meals):
        for k, day in enumerate(meal.dates or []):
            outside(("meals", i, "dates", k), day)


def _check_windows(request: Request, problems: list[str]) -> None:
    windows: list[tuple[Path_, Window]] = [(("day_window",), request.day_window)]
    windows += [(("days", i, "window"), s.window) for i, s in enumerate(request.days) if s.window]
    windows += [(("meals", i, "window"), m.window) for i, m in enumerate(request.meals)]
    for path, window in windows:
        if window.end <= window.start:
            problems.append(
                f"{request.where((*path, 'end'))}: ends at {format_clock(window.end)}, not after "
                f"its start {format_clock(window.start)}; swap or fix the times"
            )
    for i, meal in enumerate(request.meals):
        if meal.window.end > meal.window.start and meal.minutes > meal.window.minutes:
            problems.append(
                f"{request.where(('meals', i, 'minutes'))}: a {meal.minutes}-minute "
                f"{meal.title.lower()} does not fit in its window {meal.window} "
                f"({meal.window.minutes} min); widen the window or shorten the meal"
            )


def _check_appointments(request: Request, problems: list[str]) -> None:
    valid: list[tuple[int, AppointmentSpec]] = []
    for i, appt in enumerate(request.appointments):
        if appt.end <= appt.start:
            problems.append(
                f"{request.where(('appointments', i, 'end'))}: {appt.title!r} ends at "
                f"{format_clock(appt.end)}, not after its start {format_clock(appt.start)}; "
                "fix the times"
            )
            continue
        window = request.window_on(appt.date)
        if appt.date in request.dates and (appt.start < window.start or appt.end > window.end):
            problems.append(
                f"{request.where(('appointments', i, 'start'))}: {appt.title!r} "
                f"({format_clock(appt.start)}–{format_clock(appt.end)}) lies outside the day "
                f"window {window} on {appt.date.isoformat()}; widen `day_window` or move it"
            )
        valid.append((i, appt))
    for k, (i, a) in enumerate(valid):
        for j, b in valid[:k]:
            if a.date == b.date and a.start < b.end and b.start < a.end:
                problems.append(
                    f"{request.where(('appointments', i, 'start'))}: {a.title!r} "
                    f"({format_clock(a.start)}–{format_clock(a.end)}) overlaps `appointments[{j}]`"
                    f" {b.title!r} ({format_clock(b.start)}–{format_clock(b.end)}) on "
                    f"{a.date.isoformat()}; move one of them"
                )


def _check_meals(request: Request, problems: list[str]) -> None:
    for day in request.dates:
        busy = sorted(
            (a.start, a.end) for a in request.appointments if a.date == day and a.end > a.start
        )
        for i, meal in request.meals_on(day):
            lo, hi = meal.window.start, meal.window.end
            if hi - lo < meal.minutes:
                continue  # reported by _check_windows
            free, cursor = 0, lo
            for a, b in busy:
                if b <= cursor or a >= hi:
                    continue
                free = max(free, min(a, hi) - cursor)
                cursor = max(cursor, b)
            free = max(free, hi - cursor)
            if free < meal.minutes:
                blockers = ", ".join(
                    repr(a.title)
                    for a in request.appointments
                    if a.date == day and a.start < hi and a.end > lo
                )
                problems.append(
                    f"{request.where(('meals', i, 'window'))}: {meal.title!r} "
                    f"({meal.minutes} min within {meal.window}) does not fit around {blockers} "
                    f"on {day.isoformat()}; widen the window or move the appointment"
                )


def _check_duplicates(request: Request, problems: list[str]) -> None:
    seen: dict[str, Path_] = {}
    for path, spec, _must in request.place_entries():
        key = spec.place.strip().casefold()
        if key in seen:
            problems.append(
                f"{request.where((*path, 'place'))}: {spec.place!r} is already listed at "
                f"`{dotted(seen[key])}`; list each place once"
            )
        else:
            seen[key] = path


def _check_osm_syntax(request: Request, problems: list[str]) -> None:
    for path, value in request.osm_refs():
        try:
            parse_osm_ref(value)
        except InputError as err:
            problems.append(f"{request.where(path)}: {err}")


def _semantic_problems(request: Request) -> list[str]:
    problems: list[str] = []
    _check_osm_syntax(request, problems)
    _check_dates(request, problems)
    _check_windows(request, problems)
    _check_appointments(request, problems)
    _check_meals(request, problems)
    _check_duplicates(request, problems)
    return problems


# -- checks against a city pack ---------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedPlace:
    """A requested place resolved in the city pack, with its effective settings."""

    path: Path_
    place: Place
    must_see: bool
    priority: int
    minutes: int
    dates: tuple[dt.date, ...]
    note: str


@dataclass(frozen=True)
class Resolved:
    """A request checked against a city pack: every place id resolved."""

    request: Request
    pack: CityPack
    places: list[ResolvedPlace]
    starts: dict[dt.date, Place]
    ends: dict[dt.date, Place]
    appointments: list[Place]
    meal_places: list[Place | None]

    @property
    def timezone(self) -> str:
        """The city's IANA time zone."""
        return str(self.pack.timezone)


def _lookup(
    request: Request, pack: CityPack, path: Path_, name: str, problems: list[str]
) -> Place | None:
    try:
        return pack.place(name)
    except UnknownPlaceError as err:
        problems.append(f"{request.where(path)}: {err}")
        return None


def open_spans(
    request: Request, pack: CityPack, place: Place, day: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    """When *place* is open on *day* within the request's window for that day.

    Unknown opening hours (``None`` in the pack) count as the request's ``unknown_hours``
    (default 09:00–17:00), so nobody is sent to a gate that may be shut in the evening.
    """
    window = request.window_on(day)
    hours = pack.hours(place)
    if hours is None:
        guess = request.unknown_hours
        window = Window.model_construct(
            start=max(window.start, guess.start), end=min(window.end, guess.end)
        )
        if window.end <= window.start:
            return []
    tz = ZoneInfo(pack.timezone)
    midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)
    lo = midnight + dt.timedelta(minutes=window.start)
    hi = midnight + dt.timedelta(minutes=window.end)
    return [(lo, hi)] if hours is None else hours.intervals_between(lo, hi)


def candidate_dates(request: Request, spec: PlaceSpec) -> tuple[dt.date, ...]:
    """The dates a place may be visited on (its ``dates``, else every requested date)."""
    return tuple(sorted(spec.dates)) if spec.dates else tuple(request.dates)


def resolve_request(request: Request, pack: CityPack) -> Resolved:
    """Check *request* against *pack*: resolve places, reject impossible must-sees.

    OSM places of the request (``osm:way/123``) that *pack* lacks are added first
    (:func:`with_osm_places`); ``Resolved.pack`` is the pack the places come from.

    Raises
    ------
    RequestError
        Unknown places (with close matches), a must-see closed on every requested day or
        never open long enough for its visit; one line each.
    """
    pack = with_osm_places(request, pack)
    problems: list[str] = []
    default = str(pack.default_start)
    starts: dict[dt.date, Place] = {}
    ends: dict[dt.date, Place] = {}
    for day in request.dates:
        for which, name, target in (
            ("start", request.start_place_on(day, default), starts),
            ("end", request.end_place_on(day, default), ends),
        ):
            path = _day_place_path(request, day, which)
            place = _lookup(request, pack, path, name, problems)
            if place is not None:
                target[day] = place
    places: list[ResolvedPlace] = []
    for path, spec, must in request.place_entries():
        place = _lookup(request, pack, (*path, "place"), spec.place, problems)
        if place is None:
            continue
        if spec.name_en:
            names = place.names.model_copy(update={"en": spec.name_en})
            place = place.model_copy(update={"names": names})
        minutes = spec.minutes or int(place.visit_minutes)
        priority = spec.priority or (10 if must else 5)
        entry = ResolvedPlace(
            path=path,
            place=place,
            must_see=must,
            priority=priority,
            minutes=minutes,
            dates=candidate_dates(request, spec),
            note=spec.note,
        )
        if must:
            problem = _must_see_hours_problem(request, pack, entry)
            if problem:
                problems.append(problem)
        places.append(entry)
    _check_resolved_duplicates(request, places, problems)
    appointments = [
        _lookup(request, pack, ("appointments", i, "place"), a.place, problems)
        for i, a in enumerate(request.appointments)
    ]
    meal_places = [
        _lookup(request, pack, ("meals", i, "place"), m.place, problems) if m.place else None
        for i, m in enumerate(request.meals)
    ]
    if problems:
        raise RequestError(problems)
    return Resolved(
        request=request,
        pack=pack,
        places=places,
        starts=starts,
        ends=ends,
        appointments=[p for p in appointments if p is not None],
        meal_places=meal_places,
    )


def _day_place_path(request: Request, day: dt.date, which: str) -> Path_:
    for i, spec in enumerate(request.days):
        if spec.date == day and getattr(spec, which):
            return ("days", i, which)
    return ("hotel",)


def _check_resolved_duplicates(
    request: Request, places: list[ResolvedPlace], problems: list[str]
) -> None:
    seen: dict[str, Path_] = {}
    for entry in places:
        if entry.place.id in seen:
            problems.append(
                f"{request.where((*entry.path, 'place'))}: {entry.place.names.en!r} is already "
                f"listed at `{dotted(seen[entry.place.id])}`; list each place once"
            )
        else:
            seen[entry.place.id] = entry.path


def _must_see_hours_problem(request: Request, pack: CityPack, entry: ResolvedPlace) -> str | None:
    name = entry.place.names.en
    longest = 0.0
    for day in entry.dates:
        for a, b in open_spans(request, pack, entry.place, day):
            longest = max(longest, (b - a).total_seconds() / 60)
    days = ", ".join(_fmt_date(d) for d in entry.dates)
    if longest <= 0:
        hours = entry.place.opening_hours or "always open"
        return (
            f"{request.where((*entry.path, 'place'))}: must-see {name} is closed on every "
            f"requested day ({days}) within the day window (opening hours: {hours}); "
            "make it optional or change the dates"
        )
    if longest < entry.minutes:
        return (
            f"{request.where((*entry.path, 'place'))}: must-see {name} needs {entry.minutes} min "
            f"but is open at most {round(longest)} min at a stretch on the requested days "
            f"({days}); shorten `minutes` or change the dates"
        )
    return None


def with_osm_places(request: Request, pack: CityPack) -> CityPack:
    """*pack* plus the OSM elements the request names (``osm:way/123``) as places.

    The features come from the pack's OSM extract (:meth:`CityPack.osm_extract_path`, read
    once per file content by :func:`tours.osmjoin.load_features`). *pack* is returned as it
    is when it already holds every element (or the request names none); it is never changed.

    Raises
    ------
    RequestError
        An element the extract does not have, or no extract: one line per field.
    """
    wanted: list[tuple[Path_, str, str]] = []
    for path, value in request.osm_refs():
        try:
            osm_id = parse_osm_ref(value)
        except InputError:
            continue  # reported by load_request
        if not any(p.osm_id == osm_id for p in pack.places.values()):
            wanted.append((path, value, osm_id))
    if not wanted:
        return pack
    from tours.osmjoin import load_features  # noqa: PLC0415 - heavy; only for OSM places

    try:
        features = load_features(pack.osm_extract_path())
    except InputError as err:
        path, value, _osm_id = wanted[0]
        msg = f"{request.where(path)}: cannot add OSM place {value!r}: {err}"
        raise RequestError([msg]) from None
    known = {f.osm_id for f in features}
    problems = [
        f"{request.where(path)}: OSM element `osm:{osm_id}` is not a named feature of the "
        f"extract `{pack.osm_extract}`; find the id with `tours places search NAME`"
        for path, _value, osm_id in wanted
        if osm_id not in known
    ]
    if problems:
        raise RequestError(problems)
    try:
        return pack.with_osm_places([osm_id for _p, _v, osm_id in wanted], features)
    except InputError as err:
        raise RequestError([f"{request.where(wanted[0][0])}: {err}"]) from None


def city_pack_for(request: Request, *, city_pack: Path | None = None) -> CityPack:
    """The city pack a request names in ``city``, with the request's OSM places added.

    ``city`` is the id of the embedded pack (``chengdu``) or a pack folder, relative to the
    request file. An explicit *city_pack* folder wins but must have the same id. Places the
    request names as OSM elements (``osm:way/123``) are added from the pack's extract
    (:func:`with_osm_places`); the loaded pack itself is not changed.

    Raises
    ------
    InputError
        The pack cannot be found or loaded, or its id differs from ``city``; an OSM element
        the extract does not have (a :class:`RequestError` naming the field).
    """
    if city_pack is not None:
        pack = load_city_pack(city_pack)
    else:
        default = load_city_pack(None)
        if request.city == default.id:
            return with_osm_places(request, default)
        folder = Path(request.city)
        if not folder.is_absolute() and request.base_dir is not None:
            folder = request.base_dir / folder
        if not (folder / "city.yaml").is_file():
            msg = (
                f"{request.where(('city',))}: no city pack {request.city!r}; use "
                f"{default.id!r} (embedded) or the folder of a city pack"
            )
            raise InputError(msg)
        pack = load_city_pack(folder)
    if pack.id != request.city and Path(request.city).name != pack.path.name:
        msg = (
            f"{request.where(('city',))}: the request is for {request.city!r} but the city "
            f"pack is {pack.id!r}; fix `city` or pass the right `--city-pack`"
        )
        raise InputError(msg)
    return with_osm_places(request, pack)


def request_json_schema() -> dict[str, Any]:
    """The JSON Schema of a request file."""
    return Request.model_json_schema()
