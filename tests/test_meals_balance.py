"""Balanced days and mobility-based walking limits (issue 16, finding 4).

Plans on the real Chengdu network, each re-checked by the independent checker.
"""

from __future__ import annotations

import textwrap

import pytest
from checker import check_itinerary

from routing import StreetNetwork
from tours.itinerary import Itinerary, Visit
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request, parse_request
from tours.planning.request.schema import DEFAULT_WALK_KM_PER_DAY

BUDGET = SearchBudget(time_limit=None, max_iterations=150)
HEAD = """\
title: Balance test
delegation: {name: Test delegation, size: 6, mobility: MOBILITY}
hotel: crowne-plaza-city-center
"""


def _plan(
    body: str, pack: CityPack, net: StreetNetwork, *, mobility: str = "standard"
) -> tuple[Request, Itinerary]:
    text = HEAD.replace("MOBILITY", mobility) + textwrap.dedent(body)
    request = parse_request(text, source="balance.yaml")
    itinerary = plan(request, pack=pack, network=net, budget=BUDGET)
    assert check_itinerary(itinerary, request=request, pack=pack, network=net) == []
    return request, itinerary


def _visits(itinerary: Itinerary) -> list[int]:
    return [sum(isinstance(s, Visit) for s in day.stops) for day in itinerary.days]


def _walked_km(itinerary: Itinerary) -> list[float]:
    return [
        sum(leg.distance_m for leg in day.legs if leg.mode == "walk") / 1000
        for day in itinerary.days
    ]


def test_places_that_fit_in_one_day_are_spread_over_both(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    _request, itinerary = _plan(
        """\
        dates: [2025-03-21, 2025-03-22]
        travel: {mode: coach}
        places:
          optional:
            - {place: wenshu-monastery, priority: 8}
            - {place: daci-temple, priority: 6}
            - {place: peoples-park, priority: 5}
            - {place: tianfu-square, priority: 4}
        """,
        pack,
        chengdu_net,
    )
    assert sum(_visits(itinerary)) == 4  # the priority comes first: every place is planned
    assert _visits(itinerary) == [2, 2]  # then the days are balanced: no empty day


def test_balance_never_costs_priority(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    _request, itinerary = _plan(
        """\
        dates: [2025-03-24, 2025-03-25]   # Monday: Chengdu Museum is closed
        travel: {mode: coach}
        places:
          optional:
            - {place: chengdu-museum, priority: 9, minutes: 120}
            - {place: daci-temple, priority: 6}
            - {place: wenshu-monastery, priority: 7}
        """,
        pack,
        chengdu_net,
    )
    assert itinerary.total_priority == 22
    by_day = [{s.place.id for s in d.stops} for d in itinerary.days]
    assert "chengdu-museum" in by_day[1]
    assert all(by_day)


@pytest.mark.parametrize("mobility", ["reduced", "wheelchair"])
def test_low_mobility_walks_no_more_than_its_default(
    pack: CityPack, chengdu_net: StreetNetwork, mobility: str
) -> None:
    request, itinerary = _plan(
        """\
        dates: [2025-03-22]
        travel: {mode: walk}
        places:
          optional:
            - {place: wenshu-monastery, priority: 9}
            - {place: tianfu-square, priority: 8}
            - {place: peoples-park, priority: 7}
            - {place: chengdu-museum, priority: 7}
            - {place: kuanzhai-alley, priority: 6}
            - {place: chunxi-road, priority: 6}
            - {place: daci-temple, priority: 5}
        """,
        pack,
        chengdu_net,
        mobility=mobility,
    )
    limit = DEFAULT_WALK_KM_PER_DAY[mobility]
    assert request.max_walk_km_on(request.dates[0]) == limit
    assert max(_walked_km(itinerary)) <= limit + 1e-6
    assert any(lo.code == "walk_limit" for lo in itinerary.left_out)
    assert f"At most {limit:g} km of walking per day (the default for {mobility} mobility)." in (
        itinerary.notes
    )


def test_defaults_are_ordered_by_mobility() -> None:
    assert (
        DEFAULT_WALK_KM_PER_DAY["wheelchair"]
        < DEFAULT_WALK_KM_PER_DAY["reduced"]
        < DEFAULT_WALK_KM_PER_DAY["standard"]
    )
