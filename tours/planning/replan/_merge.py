"""Merge the old plan and the re-planned rest into one itinerary; say what changed.

Earlier days stay as they were; the current day keeps its done items (a visit the group left
early for its reported move shortened, same uid), the group's reported move (``at``, a
leg) if any, and continues with the re-planned ones; later days are the
re-planned ones. Items keep their stable ids (``stable_uid`` of what identifies them), so
calendar events of unchanged or moved items keep their UIDs. The result's ``revision`` is one
more than the old one's. Places given to ``skip`` are left out with code ``"skipped"`` (and
stay left out in later re-plans, unless visited again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tours.itinerary import (
    Appointment,
    Day,
    Item,
    Itinerary,
    LeftOut,
    Leg,
    Meal,
    PlaceRef,
    Stop,
    Visit,
    stable_uid,
)
from tours.places.pack import Place
from tours.planning.explain.reasons import NO_TIME, SKIPPED
from tours.planning.replan._move import where
from tours.planning.replan._request import Transformed
from tours.planning.replan._state import GroupState
from tours.planning.request import Request
from tours.timetext import format_day as _fmt_day


def _renamed(items: Iterable[Item], used: set[str]) -> list[Item]:
    out: list[Item] = []
    for item in items:
        uid = item.uid
        n = 1
        while uid in used:
            uid = stable_uid(item.uid, "re-planned", n)
            n += 1
        used.add(uid)
        out.append(item if uid == item.uid else item.model_copy(update={"uid": uid}))
    return out


def _skipped(old: Itinerary, state: GroupState, transformed: Transformed) -> list[LeftOut]:
    """Places skipped in earlier re-plans and now, each once."""
    now = state.now
    reason = f"skipped on the day by the guide at {now:%H:%M} on {_fmt_day(now.date())}"
    out = {lo.place.id: lo for lo in old.left_out if lo.code == "skipped"}
    for place in transformed.skipped:
        out[place.id] = LeftOut(place=place.to_ref(), code=SKIPPED, reason=reason)
    return list(out.values())


def _left_out(
    old: Itinerary,
    forward: Itinerary,
    *,
    effective: Request,
    days: list[Day],
    pack_place: dict[str, Place],
    skipped: list[LeftOut],
) -> list[LeftOut]:
    visited = {s.place.id for d in days for s in d.stops if isinstance(s, Visit)}
    fwd = {lo.place.id: lo for lo in forward.left_out}
    before = {lo.place.id: lo for lo in old.left_out}
    out: list[LeftOut] = []
    for _path, spec, _must in effective.place_entries():
        place = pack_place[spec.place]
        if place.id in visited:
            continue
        if place.id in fwd:
            out.append(fwd[place.id])
        elif place.id in before:
            out.append(before[place.id])
        else:
            out.append(
                LeftOut(
                    place=place.to_ref(),
                    code=NO_TIME,
                    reason="not enough time left: the days it may be visited on are over",
                )
            )
    listed = {lo.place.id for lo in out}
    out += [lo for lo in skipped if lo.place.id not in visited | listed]
    return out


def merge(
    old: Itinerary,
    forward: Itinerary,
    state: GroupState,
    transformed: Transformed,
    *,
    note: str,
    move: Leg | None = None,
) -> Itinerary:
    """The whole trip after the re-plan (see the module doc); *move*: the reported move."""
    k = state.day
    days = list(old.days[:k])
    used = {item.uid for day in days for item in day.items}
    rest = list(forward.days)
    if state.day_over:
        days.append(old.days[k])
        used |= {item.uid for item in old.days[k].items}
    else:
        was, now = old.days[k], rest.pop(0)
        done = list(state.done)
        used |= {item.uid for item in done}
        moved = _renamed([move], used) if move is not None else []
        items = done + moved + _renamed(now.items, used)
        reported = [state.position] if move is not None else []
        days.append(
            Day(
                date=was.date,
                start=items[0].start if items else now.start,
                end=now.end,
                start_place=was.start_place if state.begun else now.start_place,
                end_place=now.end_place,
                items=items,
                waypoints=_waypoints([*was.waypoints, *now.waypoints, *reported]),
            )
        )
    for day in rest:
        days.append(day.model_copy(update={"items": _renamed(day.items, used)}))
    effective = transformed.effective
    pack = transformed.pack
    left = _left_out(
        old,
        forward,
        effective=effective,
        days=days,
        pack_place={s.place: pack.place(s.place) for _p, s, _m in effective.place_entries()},
        skipped=_skipped(old, state, transformed),
    )
    total = sum(s.priority for d in days for s in d.stops if isinstance(s, Visit))
    return old.model_copy(
        update={
            "revision": old.revision + 1,
            "days": days,
            "left_out": left,
            "total_priority": total,
            "notes": [*old.notes, note],
            "request": effective.model_dump(mode="json"),
        }
    )


# -- the diff a guide reads out --------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    key: tuple[object, ...]
    stop: Stop

    @property
    def name(self) -> str:
        s = self.stop
        if isinstance(s, Visit):
            return s.place.name_en
        if isinstance(s, Appointment):
            return s.title
        return f"{s.title} at {s.place.name_en}"


def _key(stop: Stop) -> tuple[object, ...]:
    if isinstance(stop, Visit):
        return ("visit", stop.place.id)
    if isinstance(stop, Meal):
        return ("meal", stop.start.date(), stop.title)
    return ("appointment", stop.uid)


def _ahead(itinerary: Itinerary, state: GroupState) -> dict[tuple[object, ...], _Entry]:
    done = {item.uid for item in state.done}
    out: dict[tuple[object, ...], _Entry] = {}
    for day in itinerary.days[state.day :]:
        for stop in day.stops:
            if day.date == state.now.date() and stop.uid in done:
                continue
            out[_key(stop)] = _Entry(_key(stop), stop)
    return out


def _span(stop: Stop, *, with_day: bool) -> str:
    day = f"{_fmt_day(stop.start.date())} " if with_day else ""
    return f"{day}{stop.start:%H:%M}–{stop.end:%H:%M}"


def _cut_short(old: Itinerary, state: GroupState) -> list[str]:
    """The visit the group left early for its reported move, as the guide reads it out."""
    planned = {item.uid: item for item in old.days[state.day].items}
    lines: list[str] = []
    for item in state.done:
        was = planned.get(item.uid)
        if isinstance(item, Visit) and was is not None and item.end < was.end:
            lines.append(
                f"{item.place.name_en} ended early at {item.end:%H:%M} (was {was.end:%H:%M})."
            )
    return lines


def _header(
    old: Itinerary, state: GroupState, transformed: Transformed, *, move: Leg | None
) -> list[str]:
    """Where and when the re-plan starts, and the reported move."""
    today = old.days[state.day].date
    if state.day_over:
        return [f"{_fmt_day(today)} is over; re-planned from {_fmt_day(transformed.dates[0])}."]
    delay = f", after a {state.delay_min}-min delay" if state.delay_min else ""
    lines = [
        f"Re-planned from {state.free_at:%H:%M} on {_fmt_day(today)}, starting at "
        f"{where(state.position)}{delay}."
    ]
    lines += _cut_short(old, state)
    if move is not None:
        lines.append(
            f"Reported move: from {where(state.origin)} to {where(state.position)}, "
            f"{move.mode} {round(move.duration_s / 60)} min, {move.distance_m / 1000:.1f} km, "
            f"{move.start:%H:%M}–{move.end:%H:%M}."
        )
    return lines


def describe(
    old: Itinerary,
    new: Itinerary,
    state: GroupState,
    transformed: Transformed,
    *,
    move: Leg | None = None,
) -> list[str]:
    """What changed, in plain words a guide can read out (one line each)."""
    lines = _header(old, state, transformed, move=move)
    header = len(lines)
    before, after = _ahead(old, state), _ahead(new, state)
    skipped = {p.id for p in transformed.skipped}
    added = {p.id for p in transformed.added}
    why = {lo.place.id: lo.reason for lo in new.left_out}
    events: list[tuple[dt.datetime, str]] = []
    unchanged: list[str] = []
    for key, entry in before.items():
        stop = entry.stop
        if key not in after:
            pid = stop.place.id
            reason = "skipped" if pid in skipped else why.get(pid, "no longer fits").split(":")[0]
            events.append(
                (
                    stop.start,
                    f"Dropped: {entry.name} (was {_span(stop, with_day=True)}) — {reason}.",
                )
            )
            continue
        moved = after[key].stop
        if (moved.start, moved.end, moved.place.id) == (stop.start, stop.end, stop.place.id):
            unchanged.append(entry.name)
            continue
        other_day = moved.start.date() != stop.start.date()
        there = "" if moved.place.id == stop.place.id else f"at {stop.place.name_en}, "
        events.append(
            (
                moved.start,
                f"Moved: {after[key].name} now {_span(moved, with_day=other_day)} "
                f"(was {there}{_span(stop, with_day=other_day)}).",
            )
        )
    for key, entry in after.items():
        if key in before:
            continue
        stop = entry.stop
        asked = " (as asked)" if stop.place.id in added else ""
        events.append((stop.start, f"Added: {entry.name}, {_span(stop, with_day=True)}{asked}."))
    lines += [text for _t, text in sorted(events, key=lambda e: e[0])]
    lines += [f"{text}." for text in transformed.late_meals]
    if unchanged:
        lines.append(f"Unchanged: {', '.join(unchanged)}.")
    for was in old.days[state.day :]:
        now = next((d for d in new.days if d.date == was.date), None)
        if now is not None and now.end != was.end:
            lines.append(
                f"Back at {now.end_place.name_en} at {now.end:%H:%M} on {_fmt_day(now.date)} "
                f"(was {was.end:%H:%M})."
            )
    if new.total_priority != old.total_priority:
        lines.append(f"Total priority {old.total_priority} -> {new.total_priority}.")
    if len(lines) == header:
        lines.append("Nothing changes: the rest of the plan stays as it is.")
    return lines


def _waypoints(places: list[PlaceRef]) -> list[PlaceRef]:
    """*places* without repeats (a coach stop both plans pass), first seen first."""
    seen: dict[str, PlaceRef] = {}
    for place in places:
        seen.setdefault(place.id, place)
    return list(seen.values())
