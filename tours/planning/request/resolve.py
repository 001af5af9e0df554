"""Resolving a request in a city pack: place ids and OSM elements -> pack places.

A place may be an OSM element of the pack's extract, ``osm:way/123`` (``node``, ``way``,
``relation``): :func:`city_pack_for` returns the pack with those elements added as places
(id ``osm-way-123``, see :meth:`~tours.places.pack.CityPack.with_osm_places`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from tours._errors import InputError, RequestError, UnknownPlaceError, raise_problems
from tours.places.pack import CityPack, CoachStop, Place, load_city_pack, parse_osm_ref
from tours.planning.request._clock import format_day
from tours.planning.request._yaml import Path_, dotted
from tours.planning.request.schema import PlaceSpec, Request, Window


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
    last_entry: int | None = None  # minutes after local midnight: no visit starts later
    min_inside: int | None = None  # admission stops this many minutes before closing


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
        Unknown places (with close matches); one line each.
    ConflictError
        Only conflicts: a must-see closed on every requested day or never open long enough
        for its visit (a :class:`~tours._errors.PlanningError` too); one line each.
    """
    pack = with_osm_places(request, pack)
    problems: list[str] = []
    conflicts: list[str] = []
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
        if spec.coach_stop_at is not None:
            lat, lon = spec.coach_stop_at
            stop = CoachStop(
                name="Drop-off point",
                lat=lat,
                lon=lon,
                source=request.where((*path, "coach_stop")),
            )
            place = place.model_copy(update={"coach_stops": [stop]})
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
            last_entry=spec.last_entry if spec.last_entry is not None else place.last_entry_minutes,
            min_inside=spec.min_inside_minutes or place.min_inside_minutes,
        )
        if must:
            conflict = _must_see_hours_problem(request, pack, entry)
            if conflict:
                conflicts.append(conflict)
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
    raise_problems(problems, conflicts)
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
    days = ", ".join(format_day(d) for d in entry.dates)
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
    once per file content by :func:`tours.places.osm_features.load_features`). *pack* is
    returned as it is when it already holds every element (or the request names none); it is
    never changed.

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
    from tours.places.osm_features import load_features  # noqa: PLC0415 - heavy; only for OSM places

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


def _display_names(request: Request) -> dict[Path_, str]:
    return {
        (*path, "place"): spec.name_en
        for path, spec, _must in request.place_entries()
        if spec.name_en
    }


def extract_pack_for(request: Request, osm: Path) -> CityPack:
    """The places *request* names, found in the OSM extract *osm* (a request without
    ``city``; see :mod:`tours.places.extract`).

    Raises
    ------
    RequestError
        Unknown, ambiguous or outside places, one line each; the extract cannot be read.
    """
    from tours.places.extract import extract_pack  # noqa: PLC0415 - heavy; only without a pack

    display = _display_names(request)
    named = [
        (request.where(path), value, display.get(path)) for path, value in request.place_fields()
    ]
    hotel = request.hotel
    if hotel is None and request.days and request.days[0].start:
        hotel = request.days[0].start
    try:
        return extract_pack(osm, named, hotel=hotel, source=request.source)
    except RequestError:
        raise
    except InputError as err:
        raise RequestError([f"{request.source}: {err}"]) from None


def city_pack_for(
    request: Request, *, city_pack: Path | None = None, osm: Path | None = None
) -> CityPack:
    """The city pack a request names in ``city``, with the request's OSM places added.

    ``city`` is the id of the embedded pack (``chengdu``) or a pack folder, relative to the
    request file. A request without ``city`` is planned from the OSM extract *osm* alone
    (:func:`extract_pack_for`), else in the embedded pack. An explicit *city_pack* folder
    wins but must have the same id as ``city``. Places the
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
        if request.city is None:
            return with_osm_places(request, pack)
    elif request.city is None and osm is not None:
        return extract_pack_for(request, osm)
    else:
        default = load_city_pack(None)
        if request.city is None or request.city == default.id:
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
            f"pack is {pack.id!r}; fix `city` or pass the right `pack`"
        )
        raise InputError(msg)
    return with_osm_places(request, pack)
