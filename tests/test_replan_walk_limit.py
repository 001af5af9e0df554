"""Re-planning keeps the daily walking limit for the whole day, counting what was walked
before the re-plan.
"""

from __future__ import annotations

import pytest
import yaml
from _replan_demo import DAY2
from _replan_demo import at as _at
from _replan_demo import day_of as _day
from _replan_demo import reported_move as _move
from checker import assert_feasible, check_itinerary

from routing import StreetNetwork
from tours.itinerary import Day, Itinerary
from tours.places.pack import CityPack
from tours.planning._model import build_model
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.replan.replanner import ReplanError, replan, request_of
from tours.planning.request import city_pack_for, parse_request, resolve_request

WALK_LIMIT_KM = 7.0
WALK_REQUEST = f"""\
title: A walking day
delegation: {{name: Walkers}}
dates: [2025-03-22]
hotel: crowne-plaza-city-center
travel: {{mode: walk, max_walk_km_per_day: {WALK_LIMIT_KM}}}
places:
  optional:
    - {{place: chunxi-road, priority: 5}}
    - {{place: daci-temple, priority: 6}}
    - {{place: taikoo-li, priority: 5}}
    - {{place: tianfu-square, priority: 7}}
    - {{place: chengdu-museum, priority: 8, minutes: 60}}
    - {{place: peoples-park, priority: 7, minutes: 45}}
    - {{place: sichuan-art-museum, priority: 5}}
    - {{place: wenshu-monastery, priority: 8}}
    - {{place: kuanzhai-alley, priority: 6}}
"""
# no time limit: the searches stop after a fixed number of iterations, so they are repeatable
EXACT = {"budget": SearchBudget(max_iterations=200, time_limit=None)}


def _walked_m(day: Day) -> float:
    return sum(leg.distance_m for leg in day.legs if leg.mode == "walk")


@pytest.fixture(scope="module")
def walking_day(chengdu_net: StreetNetwork) -> tuple[Itinerary, CityPack]:
    request = parse_request(WALK_REQUEST, source="walking.yaml")
    pack = city_pack_for(request)
    itinerary = plan(request, pack=pack, network=chengdu_net, **EXACT)
    assert _walked_m(itinerary.days[0]) <= WALK_LIMIT_KM * 1000
    return itinerary, pack


def test_walk_limit_counts_what_was_walked_before_the_replan(
    walking_day: tuple[Itinerary, CityPack], chengdu_net: StreetNetwork
) -> None:
    """Mid-day, the group walked to People's Park unplanned: the rest of the day gets only
    what is left of the 7 km, so the whole day stays within the limit."""
    itinerary, pack = walking_day
    now = _at(DAY2, 10, 0)
    visited = [s.place.id for s in itinerary.days[0].stops if s.start < now]
    assert visited and "peoples-park" not in visited
    res = replan(itinerary, now=now, pack=pack, network=chengdu_net, at="peoples-park", **EXACT)
    move = _move(res)
    assert move.mode == "walk" and move.to_id == "peoples-park"
    before_m = _walked_m(_day(itinerary, DAY2)) - sum(
        leg.distance_m
        for leg in _day(itinerary, DAY2).legs
        if leg.mode == "walk" and leg.start >= now
    )
    assert res.state.walked_m == pytest.approx(before_m)
    walked_before = res.state.walked_m + move.distance_m
    assert walked_before > 0
    # the rest of today may walk only what is left of the limit (whole metres, rounded down)
    left_km = int(WALK_LIMIT_KM * 1000 - walked_before) / 1000
    assert res.forward_request.max_walk_km_on(DAY2) == left_km
    model = build_model(resolve_request(res.forward_request, res.pack), chengdu_net)
    assert model.problem.tours[0].walk_limit == pytest.approx(left_km * 1000)
    assert _walked_m(res.forward.days[0]) <= left_km * 1000 + 1e-6
    # the merged day keeps the request's own limit and respects it as a whole
    assert res.request.max_walk_km_on(DAY2) == WALK_LIMIT_KM
    assert all(d.max_walk_km is None for d in res.request.days)
    merged = _day(res.itinerary, DAY2)
    assert _walked_m(merged) == pytest.approx(walked_before + _walked_m(res.forward.days[0]))
    assert _walked_m(merged) <= WALK_LIMIT_KM * 1000
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    assert_feasible(
        res.itinerary, request=request_of(res.itinerary), pack=pack, network=chengdu_net
    )
    # the old behaviour, the full 7 km for the rest of the day, walks well over the limit ...
    data = res.forward_request.model_dump(mode="json")
    data["days"][0]["max_walk_km"] = None
    full = parse_request(yaml.safe_dump(data, allow_unicode=True), source="full-limit")
    assert full.max_walk_km_on(DAY2) == WALK_LIMIT_KM
    rest = plan(full, pack=res.pack, network=chengdu_net, **EXACT)
    assert walked_before + _walked_m(rest.days[0]) > WALK_LIMIT_KM * 1000
    # ... and the checker catches such a day
    over = merged.model_copy(
        update={"items": [*merged.items[: len(res.state.done) + 1], *rest.days[0].items]}
    )
    problems = check_itinerary(
        res.itinerary.model_copy(update={"days": [over]}),
        request=res.request,
        pack=res.pack,
        network=chengdu_net,
    )
    assert any(p.startswith("2025-03-22: walks ") and "limit 7.0 km" in p for p in problems)


def test_walk_limit_used_up_is_one_clear_line(
    walking_day: tuple[Itinerary, CityPack], chengdu_net: StreetNetwork
) -> None:
    """The group walked so far that even the way back breaks the limit: say so."""
    itinerary, pack = walking_day
    with pytest.raises(ReplanError) as info:
        replan(
            itinerary,
            now=_at(DAY2, 10, 0),
            pack=pack,
            network=chengdu_net,
            at="kuanzhai-alley",
            **EXACT,
        )
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("cannot re-plan from ") and "the group has walked " in text
    assert f"left of the {WALK_LIMIT_KM:g} km daily walking limit" in text
    assert text.endswith("raise `travel.max_walk_km_per_day` in the request (`request`)")
