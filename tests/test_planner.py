"""The planner on the real Chengdu network: the demo plan, conflicts, reasons, determinism."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
import yaml
from checker import assert_feasible, check_itinerary
from conftest import DEMO_REQUEST as DEMO_FILE
from conftest import PLAN_ITERATIONS as ITERATIONS

from routing import StreetNetwork, TravelPolicy, route_leg
from tours._errors import PlanningError
from tours.itinerary import Appointment, Itinerary, Leg, Meal, Visit, stable_uid
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan, plan_detailed
from tours.planning.request import Request, city_pack_for, load_request, parse_request

HEAD = """\
title: Planner test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
"""

BUDGET = SearchBudget(seed=0, max_iterations=ITERATIONS)


@pytest.fixture(scope="module")
def pack() -> CityPack:
    # the city pack plus the demo request's OSM place (`osm:way/576653660`)
    return city_pack_for(load_request(DEMO_FILE))


@pytest.fixture(scope="module")
def demo_request() -> Request:
    return load_request(DEMO_FILE)


@pytest.fixture(scope="module")
def demo(demo_request: Request, pack: CityPack, chengdu_net: StreetNetwork) -> Itinerary:
    return plan(demo_request, pack=pack, network=chengdu_net, budget=BUDGET)


def _request(body: str) -> Request:
    return parse_request(HEAD + textwrap.dedent(body), source="test.yaml")


def _plan(body: str, pack: CityPack, net: StreetNetwork) -> Itinerary:
    return plan(_request(body), pack=pack, network=net, budget=BUDGET)


def test_demo_plan_passes_the_independent_checker(
    demo: Itinerary, demo_request: Request, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    assert_feasible(demo, request=demo_request, pack=pack, network=chengdu_net)
    assert [d.date for d in demo.days] == [dt.date(2025, 3, 21), dt.date(2025, 3, 22)]
    visits = {v.place.id for d in demo.days for v in d.stops if isinstance(v, Visit)}
    assert {"wenshu-monastery", "chengdu-museum", "tianfu-square"} <= visits
    day1 = demo.days[0]
    titles = [a.title for a in day1.stops if isinstance(a, Appointment)]
    assert titles[0].startswith("Opening ceremony") and titles[-1].startswith("Chinese-British")
    dinner = [a for a in day1.stops if isinstance(a, Appointment)][-1]
    assert dinner.start.isoformat() == "2025-03-21T19:00:00+08:00"
    lunch2 = next(m for m in demo.days[1].stops if isinstance(m, Meal) and m.title == "Lunch")
    assert lunch2.place.id == "chen-mapo-tofu" and lunch2.minutes == 75
    # the landmarks tour is on day 2
    assert all(
        v.date() == dt.date(2025, 3, 22)
        for d in demo.days
        for s in d.stops
        if isinstance(s, Visit) and s.must_see
        for v in (s.start,)
    )
    assert demo.total_priority >= 55
    assert demo.delegation.contacts and demo.city.timezone == "Asia/Shanghai"


def test_demo_legs_follow_real_streets(demo: Itinerary, chengdu_net: StreetNetwork) -> None:
    legs = [leg for d in demo.days for leg in d.legs]
    assert {leg.mode for leg in legs} == {"walk", "coach"}
    places = {p.id: p for d in demo.days for p in (d.start_place, *(s.place for s in d.stops))}
    request = load_request(DEMO_FILE)
    policy = TravelPolicy(
        walk_kmh=request.delegation.pace_kmh,
        coach_overhead_min=request.travel.coach_overhead_min,
        mixed_walk_max_min=request.travel.walk_max_min,
        coach_profile=city_pack_for(request).coach_profile,  # rush hours: the time it leaves
    )
    for leg in legs[:6]:
        a, b = places[leg.from_id], places[leg.to_id]
        assert len(leg.geometry) > 2
        assert leg.geometry[0] == pytest.approx((a.lat, a.lon))
        assert leg.geometry[-1] == pytest.approx((b.lat, b.lon))
        clock = leg.start.hour * 3600 + leg.start.minute * 60 + leg.start.second
        again = route_leg(
            chengdu_net,
            (a.lat, a.lon),
            (b.lat, b.lon),
            mode=leg.mode,
            policy=policy,
            depart_s=clock + leg.start.microsecond / 1e6,
        )
        assert again.duration_s == pytest.approx(leg.duration_s, abs=0.01)
        assert again.distance_m == pytest.approx(leg.distance_m, abs=0.01)
        if leg.mode == "coach":
            assert leg.overhead_s == 600.0


def test_demo_left_out_places_have_reasons(demo: Itinerary) -> None:
    reasons = {lo.place.id: lo for lo in demo.left_out}
    for pid in ("wuhou-shrine", "jinli", "du-fu-thatched-cottage"):
        assert reasons[pid].code == "outside_network"
        assert "km outside the loaded street network" in reasons[pid].reason
    others = [lo for lo in demo.left_out if lo.code != "outside_network"]
    assert others and all(lo.code == "no_time" for lo in others)
    assert all("not enough time left" in lo.reason for lo in others)


def test_demo_items_are_aware_local_and_whole_minutes(demo: Itinerary) -> None:
    for day in demo.days:
        for item in day.items:
            assert item.start.utcoffset() == dt.timedelta(hours=8)
            if not isinstance(item, Leg):
                assert item.start.second == 0 and item.end.second == 0


def test_json_round_trip_and_embedded_request(demo: Itinerary, demo_request: Request) -> None:
    assert Itinerary.from_json(demo.to_json()) == demo
    assert demo.request is not None
    assert demo.request["day_window"] == {"start": "08:30", "end": "21:30"}
    again = parse_request(yaml.safe_dump(demo.request, allow_unicode=True), source="embedded")
    assert again.model_dump() == demo_request.model_dump()


def test_same_seed_same_json(
    demo: Itinerary, demo_request: Request, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    again = plan(demo_request, pack=pack, network=chengdu_net, budget=BUDGET)
    assert again.to_json() == demo.to_json()
    other = plan(
        demo_request,
        pack=pack,
        network=chengdu_net,
        budget=SearchBudget(seed=7, max_iterations=ITERATIONS),
    )
    assert check_itinerary(other, request=demo_request, pack=pack, network=chengdu_net) == []


def test_uids_are_stable_and_unique(demo: Itinerary) -> None:
    uids = [item.uid for d in demo.days for item in d.items]
    assert len(uids) == len(set(uids))
    opening = demo.days[0].stops[0]
    assert isinstance(opening, Appointment)
    assert opening.uid == stable_uid("2025-03-21", "appointment", opening.title, "chengdu-stage")
    wenshu = next(s for d in demo.days for s in d.stops if s.place.id == "wenshu-monastery")
    assert wenshu.uid == stable_uid("2025-03-22", "visit", "wenshu-monastery")


def test_must_see_conflict_names_it(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-21]
        appointments:
          - {title: Forum, place: hongxing-road-35, date: 2025-03-21, start: "09:00", end: "15:00"}
          - {title: Talk, place: chengdu-stage, date: 2025-03-21, start: "15:00", end: "16:15"}
        places:
          must_see: [wenshu-monastery]
        """
    with pytest.raises(PlanningError) as info:
        _plan(
            body.replace('start: "15:00", end: "16:15"', 'start: "15:45", end: "16:15"'),
            pack,
            chengdu_net,
        )
    text = str(info.value)
    assert text.startswith("must-see Wenshu Monastery cannot be planned: on Fri 21 Mar: ")
    assert (
        "Wenshu Monastery closes 17:00 (a 75-min visit must start by 15:45); the earliest "
        "arrival after the 15:45–16:15 appointment 'Talk' at Chengdu Stage" in text
    )


def test_fixed_items_that_cannot_all_be_kept(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-21]
        appointments:
          - {title: Forum, place: chengdu-stage, date: 2025-03-21, start: "09:15", end: "12:00"}
          - {title: Lunch talk, place: chen-mapo-tofu, date: 2025-03-21, start: "12:15",
             end: "13:00"}
        """
    # (12:15: the 10-min buffer after the forum ends first; the request check sees that)
    with pytest.raises(PlanningError) as info:
        _plan(body, pack, chengdu_net)
    assert str(info.value).startswith(
        "on Fri 21 Mar: the 12:15–13:00 appointment 'Lunch talk' at Chen Mapo Tofu (Xiyulong "
        "Street) starts 12:15 at the latest, but the earliest arrival after the 09:15–12:00 "
        "appointment 'Forum' at Chengdu Stage (Eastern Suburb Memory) is 12:"
    )
    late = body.replace('"12:15",\n             end: "13:00"', '"20:15", end: "21:15"')
    with pytest.raises(
        PlanningError,
        match=r"the day ends at 21:30, but after the 20:15–21:15 "
        r"appointment 'Lunch talk' .* reaches Crowne Plaza",
    ):
        _plan(late, pack, chengdu_net)


def test_must_see_outside_the_network(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    with pytest.raises(
        PlanningError,
        match=r"^must-see Wuhou Shrine \(`wuhou-shrine`\) lies "
        r"0\.\d km outside the loaded street network; make it optional or plan with an OSM",
    ):
        _plan("dates: [2025-03-22]\nplaces:\n  must_see: [wuhou-shrine]\n", pack, chengdu_net)


def test_appointment_outside_the_network(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-22]
        appointments:
          - {title: Visit, place: tianfu-software-park, date: 2025-03-22, start: "10:00",
             end: "11:00"}
        """
    with pytest.raises(PlanningError, match=r"^the venue of 'Visit', Tianfu Software Park"):
        _plan(body, pack, chengdu_net)


def test_left_out_reasons_closed_too_long_no_time(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    body = """\
        dates: [2025-03-24]          # a Monday: museums with "Mo off" are closed
        appointments:
          - {title: Workshop, place: hongxing-road-35, date: 2025-03-24, start: "10:00",
             end: "16:00"}
        places:
          optional:
            - {place: chengdu-museum, priority: 9}
            - {place: yongling-museum, priority: 9, minutes: 200}
            - {place: shufeng-yayun-opera, priority: 9}
            - {place: daci-temple, priority: 8}
            - {place: chunxi-road, priority: 2, minutes: 240}
        """
    request = _request(body)
    itinerary = plan(request, pack=pack, network=chengdu_net, budget=BUDGET)
    assert check_itinerary(itinerary, request=request, pack=pack, network=chengdu_net) == []
    left = {lo.place.id: lo for lo in itinerary.left_out}
    assert left["chengdu-museum"].code == "closed"
    assert left["chengdu-museum"].reason.startswith(
        "closed: Chengdu Museum is not open on Mon 24 Mar within the day window"
    )
    yong = left["yongling-museum"]
    assert yong.code == "blocked"
    assert "a 200-min visit needs" in yong.reason
    assert "more minutes than any day has with the travel there and back" in yong.reason
    opera = left["shufeng-yayun-opera"]  # the show ends at 21:30, the day too
    assert opera.code == "blocked", opera.reason
    visited = {s.place.id for s in itinerary.days[0].stops if isinstance(s, Visit)}
    assert "daci-temple" in visited
    assert set(left) | visited == {
        "chengdu-museum",
        "yongling-museum",
        "shufeng-yayun-opera",
        "daci-temple",
        "chunxi-road",
    }


def test_walk_limit_reason(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-22]
        travel: {mode: walk, max_walk_km_per_day: 2}
        places:
          optional:
            - {place: chunxi-road, priority: 5}
            - {place: eastern-suburb-memory, priority: 9}
        """
    request = _request(body)
    itinerary = plan(request, pack=pack, network=chengdu_net, budget=BUDGET)
    assert check_itinerary(itinerary, request=request, pack=pack, network=chengdu_net) == []
    left = {lo.place.id: lo for lo in itinerary.left_out}
    assert left["eastern-suburb-memory"].code == "walk_limit"
    assert "the daily walking limit of 2 km" in left["eastern-suburb-memory"].reason
    assert [s.place.id for s in itinerary.days[0].stops] == ["chunxi-road"]
    assert all(leg.mode == "walk" for leg in itinerary.days[0].legs)


def test_walk_limit_reason_with_per_day_limits(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-21, 2025-03-22]
        travel: {mode: walk}
        days:
          - {date: 2025-03-21, max_walk_km: 2}
          - {date: 2025-03-22, max_walk_km: 3}
        places:
          optional:
            - {place: eastern-suburb-memory, priority: 9}
        """
    request = _request(body)
    itinerary = plan(request, pack=pack, network=chengdu_net, budget=BUDGET)
    assert check_itinerary(itinerary, request=request, pack=pack, network=chengdu_net) == []
    (left,) = itinerary.left_out
    assert left.code == "walk_limit"
    assert "the daily walking limits of 2-3 km" in left.reason


def test_meal_break_where_the_group_is(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    body = """\
        dates: [2025-03-22]
        travel: {mode: coach}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "13:30"}, minutes: 60}
        places:
          must_see: [wenshu-monastery, tianfu-square]
          optional: [peoples-park, kuanzhai-alley]
        """
    request = _request(body)
    result = plan_detailed(request, pack=pack, network=chengdu_net, budget=BUDGET)
    itinerary = result.itinerary
    assert check_itinerary(itinerary, request=request, pack=pack, network=chengdu_net) == []
    day = itinerary.days[0]
    lunch = next(s for s in day.stops if isinstance(s, Meal))
    assert lunch.minutes == 60
    assert dt.time(12, 0) <= lunch.start.time() <= dt.time(12, 30)
    before = day.stops[day.stops.index(lunch) - 1]
    assert lunch.place.id == before.place.id  # taken where the group is
    assert all(leg.mode == "coach" for leg in day.legs)
    assert result.solution.missing_mandatory == []


def _with_items(itinerary: Itinerary, day_index: int, items: list) -> Itinerary:
    days = list(itinerary.days)
    days[day_index] = days[day_index].model_copy(update={"items": items})
    return itinerary.model_copy(update={"days": days})


def test_the_checker_catches_broken_plans(
    demo: Itinerary, demo_request: Request, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    def problems(itinerary: Itinerary) -> str:
        return "\n".join(
            check_itinerary(itinerary, request=demo_request, pack=pack, network=chengdu_net)
        )

    day1 = list(demo.days[0].items)
    slow = day1[0].model_copy(update={"duration_s": day1[0].duration_s + 120})
    assert "takes" in problems(_with_items(demo, 0, [slow, *day1[1:]]))
    no_dinner = [i for i in day1 if not (isinstance(i, Appointment) and "dinner" in i.title)]
    text = problems(_with_items(demo, 0, no_dinner))
    assert "appointment 'Chinese-British dinner with the conference hosts' not kept" in text
    day2 = list(demo.days[1].items)
    k = next(
        i for i, x in enumerate(day2) if isinstance(x, Visit) and x.place.id == "wenshu-monastery"
    )
    late = day2[k].model_copy(
        update={
            "start": day2[k].start.replace(hour=16, minute=30),
            "end": day2[k].start.replace(hour=17, minute=45),
        }
    )
    assert "not within opening hours 'Mo-Su 08:00-17:00'" in problems(
        _with_items(demo, 1, [*day2[:k], late, *day2[k + 1 :]])
    )
    assert "must-see 'wenshu-monastery' is not visited" in problems(
        _with_items(demo, 1, [*day2[:k], *day2[k + 1 :]])
    )
    early = demo.days[0].model_copy(update={"start": demo.days[0].start.replace(hour=7)})
    assert "outside window" in problems(demo.model_copy(update={"days": [early, demo.days[1]]}))


def test_meal_at_a_chosen_place_respects_its_opening_hours(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    # Daci Temple closes 17:30: a 45-min meal there in a 16:00-19:00 window must end by then
    body = """\
        dates: [2025-03-22]
        meals:
          - {title: Tea, place: daci-temple, window: {start: "16:00", end: "19:00"},
             minutes: 45}
        """
    itinerary = _plan(body, pack, chengdu_net)
    (tea,) = [s for s in itinerary.days[0].stops if s.kind == "meal"]
    assert tea.end.time() <= dt.time(17, 30)
    late = body.replace('"16:00"', '"17:00"')
    with pytest.raises(PlanningError, match=r"^'Tea' at Daci Temple on Sat 22 Mar: the place is"):
        _plan(late, pack, chengdu_net)
