"""The planner uses the coach time of each leg's actual departure (rush hours, FIFO)."""

from __future__ import annotations

import math
import textwrap

import pytest
from _planning import plan_checked
from checker import check_itinerary

from routing import StreetNetwork
from tours._errors import PlanningError
from tours.itinerary import Itinerary, Leg
from tours.places.pack import CityPack
from tours.planning.request import Request, parse_request

HEAD = """\
title: Coach time test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""


def _request(
    first_end: str,
    second_start: str,
    second_end: str,
    travel: str = "travel: {mode: coach}\n",
) -> Request:
    body = f"""\
        appointments:
          - {{title: Forum, place: chengdu-stage, date: 2025-03-21, start: "09:45",
              end: "{first_end}"}}
          - {{title: Visit, place: kuanzhai-alley, date: 2025-03-21, start: "{second_start}",
              end: "{second_end}"}}
        """
    return parse_request(HEAD + travel + textwrap.dedent(body), source="test.yaml")


def _leg(itinerary: Itinerary) -> Leg:
    (leg,) = [
        item
        for day in itinerary.days
        for item in day.legs
        if (item.from_id, item.to_id) == ("chengdu-stage", "kuanzhai-alley")
    ]
    return leg


def test_the_same_coach_leg_takes_longer_in_the_evening_rush(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    morning = _leg(plan_checked(_request("10:30", "12:00", "13:00"), pack, chengdu_net))
    evening = _leg(plan_checked(_request("17:30", "19:00", "20:00"), pack, chengdu_net))
    assert morning.mode == evening.mode == "coach"
    assert morning.start.strftime("%H:%M") == "10:30"
    assert evening.start.strftime("%H:%M") == "17:30"
    assert evening.duration_s > morning.duration_s * 1.2
    assert morning.distance_m == evening.distance_m  # same streets
    # Chengdu's profile: 0.95 at 10:30, 0.65 at 17:30 on the driving part
    flat_request = _request(
        "17:30", "19:00", "20:00", "travel: {mode: coach, coach_profile: flat}\n"
    )
    flat = _leg(plan_checked(flat_request, pack, chengdu_net))
    assert flat.duration_s < morning.duration_s < evening.duration_s


def test_too_tight_in_the_rush_is_refused(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    # a gap that fits the morning's coach time does not fit the evening's: the planner
    # schedules with the time of the actual departure
    wide = _request("10:30", "12:00", "13:00")
    minutes = math.ceil(_leg(plan_checked(wide, pack, chengdu_net)).duration_s / 60)
    gap = wide.buffer_min + minutes

    def clock(base: int) -> str:
        return f"{base // 60:02d}:{base % 60:02d}"

    tight_morning = _request("10:30", clock(10 * 60 + 30 + gap), clock(12 * 60 + 30))
    plan_checked(tight_morning, pack, chengdu_net)
    tight_evening = _request("17:30", clock(17 * 60 + 30 + gap), clock(19 * 60 + 30))
    with pytest.raises(PlanningError, match=r"min by coach"):
        plan_checked(tight_evening, pack, chengdu_net)


def test_checker_catches_a_coach_leg_timed_for_another_hour(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    request = _request("17:30", "19:00", "20:00")
    itinerary = plan_checked(request, pack, chengdu_net)
    flat = parse_request(
        request.model_dump_json(), source="flat.json"
    )  # same request, profile flat: the planned rush-hour time no longer matches
    flat = flat.model_copy(
        update={"travel": flat.travel.model_copy(update={"coach_profile": "flat"})}
    )
    problems = check_itinerary(itinerary, request=flat, pack=pack, network=chengdu_net)
    assert any("the matrix says" in p for p in problems), problems
