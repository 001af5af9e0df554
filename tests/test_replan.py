"""Re-planning the demo on the real Chengdu network: delay, a closed must-see, a new start.

Every re-planned itinerary passes the independent checker (``tests/checker.py``), keeps the
appointments, and keeps the ICS UIDs of events that did not change.
"""

from __future__ import annotations

import datetime as dt

import _replan_demo
import pytest
from _replan_demo import DAY1, DAY2
from _replan_demo import at as _at
from _replan_demo import day_of as _day
from _replan_demo import ics_events as _ics_events
from _replan_demo import reported_move as _move
from _replan_demo import visit_after_lunch as _visit_after_lunch
from checker import assert_feasible, check_itinerary
from icalendar import Calendar

from maps.calendar_ics import calendar_bytes
from routing import StreetNetwork
from tours.itinerary import Appointment, Itinerary, Leg, Meal, Visit
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.replan.replanner import Replan, ReplanError, replan, request_of

FAST = {"budget": SearchBudget(max_iterations=200, time_limit=2.0)}

#: the module-scoped fixtures of the re-planning demo
demo, demo_file, pack = _replan_demo.demo, _replan_demo.demo_file, _replan_demo.pack


def _meals(it: Itinerary) -> list[tuple[dt.date, str]]:
    return sorted(
        (m.start.date(), m.title) for d in it.days for m in d.stops if isinstance(m, Meal)
    )


def _check_result(old: Itinerary, res: Replan, net: StreetNetwork) -> None:
    """Feasible (merged and rest), appointments kept, done items and UIDs kept."""
    assert_feasible(res.forward, request=res.forward_request, pack=res.pack, network=net)
    new = res.itinerary
    # earlier days unchanged, done items of today unchanged
    k = res.state.day
    assert new.days[:k] == old.days[:k]
    assert _day(new, old.days[k].date).items[: len(res.state.done)] == res.state.done
    # appointments kept exactly
    appts = lambda it: sorted(  # noqa: E731
        (a.uid, a.title, a.start, a.end)
        for d in it.days
        for a in d.stops
        if isinstance(a, Appointment)
    )
    assert appts(new) == appts(old)
    # one meal per title and day, as before
    assert _meals(new) == _meals(old)
    # ICS: an event with the same times and summary as before keeps its UID
    before, after = _ics_events(old), _ics_events(new)
    by_content = {content: uid for uid, content in after.items()}
    kept = [uid for uid, content in before.items() if content in by_content]
    assert kept, "no event is unchanged"
    assert all(by_content[before[uid]] == uid for uid in kept)
    unchanged = [uid for uid, content in before.items() if after.get(uid) == content]
    planned = {item.uid: item for item in old.days[k].items}
    for item in res.state.done:
        if isinstance(item, Leg):
            continue
        if item.end == planned[item.uid].end:
            assert item.uid in unchanged
        else:  # the visit the group left early for its reported move: same event, new end
            assert isinstance(item, Visit) and item is res.state.done[-1]
            end = item.end.replace(microsecond=0)  # the calendar keeps whole seconds
            assert after[item.uid][:2] == (item.start.isoformat(), end.isoformat())
    assert new.request is not None
    assert {s.uid for d in new.days for s in d.items} >= {a[0] for a in appts(old)}


def test_delay_of_45_minutes_on_day_2(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    now = _at(DAY2, 10, 0)
    res = replan(demo, now=now, pack=pack, network=chengdu_net, delay_min=45, **FAST)
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    _check_result(demo, res, chengdu_net)
    assert res.state.free_at.tzinfo is not None
    # nothing after the done part starts before now + 45 min
    day2 = _day(res.itinerary, DAY2)
    rest = day2.items[len(res.state.done) :]
    assert rest and all(i.start >= res.state.free_at for i in rest)
    assert res.state.free_at >= res.state.now + dt.timedelta(minutes=45)
    # the must-sees are all still visited
    visits = {s.place.id for d in res.itinerary.days for s in d.stops if isinstance(s, Visit)}
    assert {"wenshu-monastery", "chengdu-museum", "tianfu-square"} <= visits
    assert res.changes[0].startswith(f"Re-planned from {res.state.free_at:%H:%M} on Sat 22 Mar")
    assert "45-min delay" in res.changes[0]
    assert any(line.startswith(("Moved: ", "Dropped: ")) for line in res.changes)
    # a guard against a hang only: re-planning speed is measured by bench/replan.py
    assert res.seconds < 60


def test_closed_must_see_is_skipped(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    now = _at(DAY2, 8, 40)
    ahead = [
        s for s in _day(demo, DAY2).stops if isinstance(s, Visit) and s.must_see and s.start > now
    ]
    closed = ahead[-1].place.id
    res = replan(demo, now=now, pack=pack, network=chengdu_net, skip=[closed], **FAST)
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    _check_result(demo, res, chengdu_net)
    visits = {s.place.id for d in res.itinerary.days for s in d.stops if isinstance(s, Visit)}
    assert closed not in visits
    assert closed not in {pack.place(s.place).id for _p, s, _m in res.request.place_entries()}
    assert any(line.startswith("Dropped: ") and line.endswith("— skipped.") for line in res.changes)
    assert "skipping" in res.itinerary.notes[-1]


def test_new_start_location(demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork) -> None:
    where = (30.6600, 104.0700)
    res = replan(demo, now=_at(DAY2, 8, 0), pack=pack, network=chengdu_net, at=where, **FAST)
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    _check_result(demo, res, chengdu_net)
    day2 = _day(res.itinerary, DAY2)
    assert (day2.start_place.lat, day2.start_place.lon) == where
    first = day2.legs[0]
    assert first.from_id == day2.start_place.id and first.start.time() >= dt.time(8, 30)
    assert "starting at the reported position (30.66000, 104.07000)" in res.changes[0]
    # a proper place the checker can read without the planner's city pack
    assert day2.start_place.id == "position-n30-660000-e104-070000"
    assert (day2.start_place.name_en, day2.start_place.name_zh) == ("Reported position", "报告位置")
    assert_feasible(res.itinerary, request=res.request, pack=pack, network=chengdu_net)
    assert not any(isinstance(i, Leg) and i.to_id == day2.start_place.id for i in day2.items)


@pytest.mark.parametrize("where", ["kuanzhai-alley", (30.6600, 104.0700)])
def test_new_position_in_the_middle_of_the_day(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork, where: str | tuple
) -> None:
    now = _at(DAY2, 14, 30)
    res = replan(demo, now=now, pack=pack, network=chengdu_net, at=where, **FAST)
    _check_result(demo, res, chengdu_net)
    new = res.itinerary
    # the whole trip passes the checker, with the planner's pack and with the plain city pack
    assert_feasible(new, request=res.request, pack=res.pack, network=chengdu_net)
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    assert new.revision == demo.revision + 1 == 1
    # the group's move to the reported position is a real street leg ...
    move, last = _move(res), res.state.done[-1]
    position = res.state.position
    assert move.from_id == last.place.id and move.to_id == position.id
    assert move.mode in {"walk", "coach"} and move.distance_m > 0 and move.duration_s > 0
    assert move.geometry[-1] == pytest.approx((position.lat, position.lon), abs=1e-9)
    assert move.geometry[0] == pytest.approx((last.place.lat, last.place.lon), abs=1e-9)
    # ... that ends at `now` (the group is there then) and leaves no earlier than the last
    # kept item ends; the re-plan starts then or after the buffer of the last visit
    assert move.end == now <= res.state.free_at
    travel = dt.timedelta(seconds=move.duration_s)
    assert move.start == max(last.end, now - travel)
    # (with the demo's day 2 since coach stops, the group is inside a visit then: it ends early)
    assert any(change.startswith("Reported move: from ") for change in res.changes[1:3])
    rest = _day(new, DAY2).items[len(res.state.done) + 1 :]
    assert all(i.start >= res.state.free_at for i in rest)
    assert getattr(rest[0], "from_id", position.id) == position.id
    if isinstance(where, tuple):
        assert position.id == "position-n30-660000-e104-070000"
        assert position.name_en == "Reported position"
        assert "the reported position (30.66000, 104.07000)" in res.changes[0]
    # the checker accepts a compressed move only in a re-planned itinerary
    if move.end - move.start < travel:
        problems = check_itinerary(
            new.model_copy(update={"revision": 0}),
            request=res.request,
            pack=res.pack,
            network=chengdu_net,
        )
        assert problems == [
            f"2025-03-22: leg {move.from_id}->{move.to_id}: start and end do not match its duration"
        ]


@pytest.mark.parametrize("which", ["first", "later"])
def test_reported_move_replaces_a_leg_under_way(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork, which: str
) -> None:
    """The coach is stuck on the way: the leg under way is not kept, the move replaces it."""
    day2 = _day(demo, DAY2)
    legs = [i for i in day2.items if isinstance(i, Leg) and i.duration_s > 600]
    leg = legs[0] if which == "first" else next(lg for lg in legs if lg is not day2.items[0])
    now = leg.start + dt.timedelta(minutes=5)
    where = (30.6600, 104.0700)
    res = replan(demo, now=now, pack=pack, network=chengdu_net, at=where, **FAST)
    assert leg not in res.state.done and res.state.begun
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    assert_feasible(res.itinerary, request=res.request, pack=pack, network=chengdu_net)
    move = _move(res)
    # from a coach stop, the move replaces the walk to the stop too: it starts at the place
    k = day2.items.index(leg)
    first = day2.items[k - 1] if leg.from_id.startswith("coach-stop-") else leg
    assert isinstance(first, Leg)
    assert move.from_id == first.from_id and move.start >= first.start
    assert move.end == now <= res.state.free_at
    assert _day(res.itinerary, DAY2).start_place == day2.start_place


@pytest.mark.parametrize(
    ("where", "delay"), [("kuanzhai-alley", 0), ((30.6600, 104.0700), 0), ((30.66, 104.07), 20)]
)
def test_reported_position_cuts_short_the_visit_in_progress(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork, where: str | tuple, delay: int
) -> None:
    """`--at` mid-visit: the group left the visit in time to be there at `now`."""
    visit = _visit_after_lunch(demo)
    now = visit.start + dt.timedelta(minutes=30)
    assert visit.end > now
    res = replan(demo, now=now, pack=pack, network=chengdu_net, at=where, delay_min=delay, **FAST)
    new = res.itinerary
    assert_feasible(new, request=res.request, pack=res.pack, network=chengdu_net)
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    _check_result(demo, res, chengdu_net)
    move, travel = _move(res), dt.timedelta(seconds=_move(res).duration_s)
    assert travel < now - visit.start  # the move fits since the visit began: not compressed
    # the move ends at `now`, where the group is; it left the visit when it had to
    assert (move.from_id, move.to_id) == (visit.place.id, res.state.position.id)
    assert move.end == now and move.start == now - travel
    # the visit is kept (same uid, same start) and ends when the move starts
    cut = res.state.done[-1]
    assert isinstance(cut, Visit)
    assert (cut.uid, cut.place, cut.start, cut.end) == (
        visit.uid,
        visit.place,
        visit.start,
        move.start,
    )
    assert _day(new, DAY2).items[len(res.state.done) - 1 : len(res.state.done) + 1] == [cut, move]
    assert cut.end < visit.end and cut.minutes < visit.minutes
    # the rest starts after `now`, the buffer after the visit and the delay
    buffer = dt.timedelta(minutes=res.request.buffer_min)
    ready = max(now, cut.end + buffer) + dt.timedelta(minutes=delay)
    assert ready <= res.state.free_at < ready + dt.timedelta(minutes=1)  # whole minute
    rest = _day(new, DAY2).items[len(res.state.done) + 1 :]
    assert rest and all(i.start >= res.state.free_at for i in rest)
    # the guide reads out that the visit was cut short, then the move
    name = visit.place.name_en
    assert res.changes[1] == f"{name} ended early at {cut.end:%H:%M} (was {visit.end:%H:%M})."
    assert res.changes[2].startswith("Reported move: from ") and res.changes[2].endswith(
        f"{move.start:%H:%M}–{now:%H:%M}."
    )
    assert not any(line.startswith(f"Moved: {name} ") for line in res.changes)
    # still visited, its priority counted; the calendar event keeps its UID, with the new end
    assert visit.place.id not in {lo.place.id for lo in new.left_out}
    assert _ics_events(new)[visit.uid] == (  # the calendar keeps whole seconds
        visit.start.isoformat(),
        cut.end.replace(microsecond=0).isoformat(),
        _ics_events(demo)[visit.uid][2],
    )
    # only a re-plan may shorten a visit, and only the one right before the reported move
    problems = check_itinerary(
        new.model_copy(update={"revision": 0}), request=res.request, pack=pack, network=chengdu_net
    )
    requested = res.request.place_entries()
    minutes = next(
        spec.minutes or pack.place(spec.place).visit_minutes
        for _p, spec, _m in requested
        if pack.place(spec.place).id == visit.place.id
    )
    assert f"2025-03-22 visit {visit.place.id}: {cut.minutes} min, requested {minutes}" in problems


def test_reported_position_right_after_a_visit_began_compresses_the_move(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    """The travel does not fit since the visit began: the group left at once."""
    visit = _visit_after_lunch(demo)
    now = visit.start + dt.timedelta(minutes=5)
    res = replan(demo, now=now, pack=pack, network=chengdu_net, at=(30.66, 104.07), **FAST)
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    move, cut = _move(res), res.state.done[-1]
    assert move.duration_s > 5 * 60
    assert (move.start, move.end) == (visit.start, now)
    assert isinstance(cut, Visit) and (cut.uid, cut.start, cut.end) == (
        visit.uid,
        visit.start,
        visit.start,
    )
    assert f"{visit.place.name_en} ended early at {visit.start:%H:%M}" in res.changes[1]
    # the checker: a shortened visit is accepted only right before the move it was left for
    day2 = _day(res.itinerary, DAY2)
    k = len(res.state.done)
    late = move.model_copy(update={"start": move.start + dt.timedelta(seconds=30)})
    days = [
        d
        if d.date != DAY2
        else d.model_copy(update={"items": [*day2.items[: k - 1], cut, late, *day2.items[k + 1 :]]})
        for d in res.itinerary.days
    ]
    problems = check_itinerary(
        res.itinerary.model_copy(update={"days": days}),
        request=res.request,
        pack=pack,
        network=chengdu_net,
    )
    assert any(p.startswith(f"2025-03-22 visit {visit.place.id}: 0 min, ") for p in problems)


def test_checker_rejects_a_shortened_visit_without_a_reported_move(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    """A re-planned itinerary may not shorten a visit that is followed by an ordinary leg."""
    res = replan(demo, now=_at(DAY2, 12, 0), pack=pack, network=chengdu_net, **FAST)
    day2 = _day(res.itinerary, DAY2)
    visit = next(s for s in day2.stops if isinstance(s, Visit) and s.start > res.state.now)
    k = day2.items.index(visit)
    short = visit.model_copy(update={"end": visit.end - dt.timedelta(minutes=10)})
    after = day2.items[k + 1]
    assert isinstance(after, Leg)
    moved = after.model_copy(
        update={"start": short.end, "end": after.end - dt.timedelta(minutes=10)}
    )
    items = [*day2.items[:k], short, moved, *day2.items[k + 2 :]]
    days = [
        d if d.date != DAY2 else d.model_copy(update={"items": items}) for d in res.itinerary.days
    ]
    broken = res.itinerary.model_copy(update={"days": days})
    assert broken.revision == 1
    problems = check_itinerary(broken, request=res.request, pack=pack, network=chengdu_net)
    assert f"2025-03-22 visit {visit.place.id}: {short.minutes} min, requested {visit.minutes}" in (
        problems
    )


def test_without_a_position_the_visit_in_progress_is_finished_as_planned(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    visit = _visit_after_lunch(demo)
    now = visit.start + dt.timedelta(minutes=30)
    res = replan(demo, now=now, pack=pack, network=chengdu_net, **FAST)
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    _check_result(demo, res, chengdu_net)
    assert res.state.done[-1] == visit
    assert _day(res.itinerary, DAY2).items[len(res.state.done) - 1] == visit
    assert res.state.free_at == visit.end + dt.timedelta(minutes=res.request.buffer_min)
    assert not any("ended early" in line or "Reported move" in line for line in res.changes)
    assert _ics_events(res.itinerary)[visit.uid] == _ics_events(demo)[visit.uid]


def test_checker_rejects_a_compressed_leg_that_does_not_leave_at_once(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    res = replan(
        demo, now=_at(DAY2, 14, 30), pack=pack, network=chengdu_net, at=(30.66, 104.07), **FAST
    )
    day2 = _day(res.itinerary, DAY2)
    k = len(res.state.done)
    move = _move(res)
    late = move.model_copy(update={"start": move.end - dt.timedelta(seconds=move.duration_s / 2)})
    days = [
        d
        if d.date != DAY2
        else d.model_copy(update={"items": [*day2.items[:k], late, *day2.items[k + 1 :]]})
        for d in res.itinerary.days
    ]
    broken = res.itinerary.model_copy(update={"days": days})
    problems = check_itinerary(broken, request=res.request, pack=pack, network=chengdu_net)
    assert any("start and end do not match its duration" in p for p in problems), problems


def test_skipped_places_are_left_out_and_revisions_add_up(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    now = _at(DAY2, 8, 40)
    ahead = [s for s in _day(demo, DAY2).stops if isinstance(s, Visit) and s.start > now]
    skipped = ahead[0].place.id
    first = replan(demo, now=now, pack=pack, network=chengdu_net, skip=[skipped], **FAST)
    entry = next(lo for lo in first.itinerary.left_out if lo.place.id == skipped)
    assert (entry.code, entry.reason) == (
        "skipped",
        "skipped on the day by the guide at 08:40 on Sat 22 Mar",
    )
    assert_feasible(first.itinerary, request=first.request, pack=pack, network=chengdu_net)
    # a second re-plan keeps the skipped place left out and counts the revision
    second = replan(
        first.itinerary,
        now=_at(DAY2, 12, 0),
        pack=pack,
        network=chengdu_net,
        delay_min=5,
        **FAST,
    )
    new = second.itinerary
    assert new.revision == 2
    assert [lo for lo in new.left_out if lo.code == "skipped"] == [entry]
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    # the calendar: same UIDs for unchanged events, SEQUENCE and DTSTAMP grow per revision
    seqs, stamps = [], []
    for it in (demo, first.itinerary, new):
        cal = Calendar.from_ical(calendar_bytes(it))
        events = cal.walk("VEVENT")
        seqs.append({int(ev["SEQUENCE"]) for ev in events})
        stamps.append({ev["DTSTAMP"].dt for ev in events})
    assert seqs == [{0}, {1}, {2}]
    assert len(stamps[0]) == len(stamps[1]) == len(stamps[2]) == 1
    assert min(stamps[0]) < min(stamps[1]) < min(stamps[2])
    before, after = _ics_events(first.itinerary), _ics_events(new)
    unchanged = [uid for uid, content in before.items() if content in after.values()]
    assert unchanged
    assert all(after.get(uid) == before[uid] for uid in unchanged)


def test_replan_is_deterministic_and_keeps_order_when_nothing_changes(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    # during lunch (at 12:00 the group has reached the restaurant before lunch's planned start:
    # a re-plan may start it a minute earlier)
    now = _at(DAY2, 12, 30)
    a = replan(demo, now=now, pack=pack, network=chengdu_net, **FAST)
    b = replan(demo, now=now, pack=pack, network=chengdu_net, **FAST)
    assert a.itinerary == b.itinerary
    stops = lambda it: [(s.uid, s.start) for s in _day(it, DAY2).stops]  # noqa: E731
    if a.kept_old_order:
        assert stops(a.itinerary) == stops(demo)


def test_bad_input_raises_one_clear_line(
    demo: Itinerary, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    def err(**kw: object) -> str:
        with pytest.raises(ReplanError) as info:
            replan(demo, pack=pack, network=chengdu_net, **FAST, **kw)
        text = str(info.value)
        assert "\n" not in text
        return text

    assert "outside the plan's dates (2025-03-21 to 2025-03-22)" in err(
        now=_at(DAY2, 0, 0) + dt.timedelta(days=1)
    )
    done = next(s for s in _day(demo, DAY2).stops if isinstance(s, Visit))
    text = err(now=done.end + dt.timedelta(minutes=30), skip=[done.place.id])
    assert text.startswith("`skip`: ") and "was already visited" in text
    assert "did you mean" in err(now=_at(DAY2, 9, 0), skip=["wenshu-monastry"])
    text = err(now=_at(DAY1, 18, 0), delay_min=60)
    assert "'Chinese-British dinner with the conference hosts'" in text
    assert "`delay_min=60`" in text and "min" in text
