"""Checks across a request's fields that need no city data (dates, windows, appointments, meals)."""

from __future__ import annotations

import datetime as dt
import itertools

from tours._errors import InputError
from tours.places.pack import parse_osm_ref
from tours.planning.request._clock import format_clock
from tours.planning.request._yaml import Path_, dotted
from tours.planning.request.schema import AppointmentSpec, MealSpec, Request, Window


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


_Busy = list[tuple[int, int, AppointmentSpec | None]]  # (start, end incl. buffer, what)


def _earliest_fit(lo: int, hi: int, minutes: int, busy: _Busy) -> int | None:
    """The earliest start in ``[lo, hi - minutes]`` of *minutes* clear of *busy*, or ``None``."""
    start = lo
    moved = True
    while moved:
        moved = False
        for a, b, _appt in busy:
            if start < b and a < start + minutes:
                start, moved = b, True
    return start if start + minutes <= hi else None


def _busy_on(request: Request, day: dt.date) -> _Busy:
    """The day's appointments as ``(start, end + buffer, spec)`` (the buffer follows each)."""
    busy: _Busy = [
        (a.start, a.end + request.buffer_min, a)
        for a in request.appointments
        if a.date == day and a.end > a.start
    ]
    return sorted(busy, key=lambda slot: slot[:2])


def _meal_span(request: Request, day: dt.date, meal: MealSpec) -> tuple[int, int]:
    window = request.window_on(day)
    return max(meal.window.start, window.start), min(meal.window.end, window.end)


def _check_appointment_buffers(request: Request, conflicts: list[str]) -> None:
    """The buffer after an appointment must end before the next one and the day's end."""
    buffer = request.buffer_min
    if not buffer:
        return
    index = {id(a): i for i, a in enumerate(request.appointments)}
    for day in request.dates:
        busy = _busy_on(request, day)
        window = request.window_on(day)
        for (_a0, b0, first), (a1, _b1, second) in itertools.pairwise(busy):
            if first is not None and second is not None and first.end <= a1 < b0:
                conflicts.append(
                    f"{request.where(('appointments', index[id(second)], 'start'))}: "
                    f"{second.title!r} starts {format_clock(a1)} on {day.isoformat()}, but "
                    f"{first.title!r} ends {format_clock(first.end)} and the {buffer}-min "
                    f"buffer after it runs to {format_clock(b0)}; leave {buffer} min between "
                    "them or lower `buffer_min`"
                )
        last = busy[-1][2] if busy else None
        if last is not None and last.start >= window.start and last.end <= window.end < busy[-1][1]:
            conflicts.append(
                f"{request.where(('appointments', index[id(last)], 'end'))}: {last.title!r} "
                f"ends {format_clock(last.end)} on {day.isoformat()} and the {buffer}-min "
                f"buffer after it runs to {format_clock(busy[-1][1])}, after the day ends "
                f"({window}); widen the day window or end it earlier"
            )


def _check_meals(request: Request, conflicts: list[str]) -> None:
    """Every meal fits in its window within the day, around the appointments and buffers,
    alone and together with the day's other meals."""
    buffer = request.buffer_min
    for day in request.dates:
        busy = _busy_on(request, day)
        window = request.window_on(day)
        alone: list[tuple[int, MealSpec]] = []
        for i, meal in request.meals_on(day):
            if meal.window.end - meal.window.start < meal.minutes:
                continue  # reported by _check_windows
            lo, hi = _meal_span(request, day, meal)
            if window.end <= window.start:  # a broken day window is reported already
                lo, hi = meal.window.start, meal.window.end
            if hi - lo < meal.minutes:
                conflicts.append(
                    f"{request.where(('meals', i, 'window'))}: {meal.title!r} "
                    f"({meal.minutes} min within {meal.window}) does not fit in the day "
                    f"window {window} on {day.isoformat()}; widen the day window or move "
                    "the meal"
                )
                continue
            if _earliest_fit(lo, hi, meal.minutes, busy) is None:
                blockers = [appt for a, b, appt in busy if a < hi and b > lo and appt]
                names = ", ".join(repr(appt.title) for appt in blockers)
                spans = ", ".join(
                    f"{format_clock(appt.start)}–{format_clock(appt.end)}"
                    + (f" + {buffer} min buffer" if buffer else "")
                    for appt in blockers
                )
                conflicts.append(
                    f"{request.where(('meals', i, 'window'))}: {meal.title!r} "
                    f"({meal.minutes} min within {format_clock(lo)}–{format_clock(hi)}) does "
                    f"not fit around {names} on {day.isoformat()} ({spans}); widen the "
                    "window or move the appointment"
                )
                continue
            alone.append((i, meal))
        if 1 < len(alone) <= 5 and not _meals_fit_together(request, day, alone, busy):
            listed = ", ".join(
                f"{m.title!r} ({m.minutes} min within {m.window})" for _i, m in alone
            )
            conflicts.append(
                f"{request.where(('meals', alone[0][0], 'window'))}: the meals {listed} do not "
                f"all fit on {day.isoformat()} together (around the appointments); widen "
                "a window or shorten a meal"
            )


def _meals_fit_together(
    request: Request, day: dt.date, meals: list[tuple[int, MealSpec]], busy: _Busy
) -> bool:
    """Whether some order of *meals* fits one after another (each as early as it can)."""
    for order in itertools.permutations(meals):
        taken = list(busy)
        ok = True
        for _i, meal in order:
            lo, hi = _meal_span(request, day, meal)
            if request.window_on(day).end <= request.window_on(day).start:
                lo, hi = meal.window.start, meal.window.end
            start = _earliest_fit(lo, hi, meal.minutes, taken)
            if start is None:
                ok = False
                break
            taken.append((start, start + meal.minutes, None))
        if ok:
            return True
    return False


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
    _check_appointment_buffers(request, conflicts)
    _check_meals(request, conflicts)
    _check_duplicates(request, problems)
    return problems, conflicts


def semantic_problems(request: Request) -> list[str]:
    """Every problem of :func:`request_problems`, bad input first."""
    problems, conflicts = request_problems(request)
    return problems + conflicts
