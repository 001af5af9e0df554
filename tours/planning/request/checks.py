"""Checks across a request's fields that need no city data (dates, windows, appointments, meals)."""

from __future__ import annotations

import datetime as dt

from tours._errors import InputError
from tours.places.pack import parse_osm_ref
from tours.planning.request._clock import format_clock
from tours.planning.request._yaml import Path_, dotted
from tours.planning.request.schema import AppointmentSpec, Request, Window


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


def _check_appointments(request: Request, problems: list[str], conflicts: list[str]) -> None:
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
                conflicts.append(
                    f"{request.where(('appointments', i, 'start'))}: {a.title!r} "
                    f"({format_clock(a.start)}–{format_clock(a.end)}) overlaps `appointments[{j}]`"
                    f" {b.title!r} ({format_clock(b.start)}–{format_clock(b.end)}) on "
                    f"{a.date.isoformat()}; move one of them"
                )


def _check_meals(request: Request, conflicts: list[str]) -> None:
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
                conflicts.append(
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


def request_problems(request: Request) -> tuple[list[str], list[str]]:
    """Problems across fields that need no city data: ``(bad input, conflicts)``.

    Conflicts are items of a well-formed request that cannot all be kept (overlapping
    appointments, a meal with no room around them): the same kind of finding as a conflict
    found while planning.
    """
    problems: list[str] = []
    conflicts: list[str] = []
    _check_osm_syntax(request, problems)
    _check_dates(request, problems)
    _check_windows(request, problems)
    _check_appointments(request, problems, conflicts)
    _check_meals(request, conflicts)
    _check_duplicates(request, problems)
    return problems, conflicts


def semantic_problems(request: Request) -> list[str]:
    """Every problem of :func:`request_problems`, bad input first."""
    problems, conflicts = request_problems(request)
    return problems + conflicts
