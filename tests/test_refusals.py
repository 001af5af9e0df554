"""Refusals in plain words: each conflict names the place, the day, HH:MM times, km and the
constraint that binds -- never solver internals (node numbers, seconds, metres) and never a
meal or an appointment the day does not have (issue 16, finding 2).

Request-check conflicts need no street network; the others are found by the planner's
checks before the solver runs (``Explainer.check_fixed`` and ``check_must_sees``).
"""

from __future__ import annotations

import re
import textwrap

import pytest

from routing import StreetNetwork
from tours._errors import PlanningError, RequestError
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request, parse_request

HEAD = """\
title: Refusal test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""
_INTERNALS = (
    re.compile(r"\bnode \d"),
    re.compile(r"\btour \d"),
    re.compile(r"\b\d{5,}(\.\d+)?\b"),  # seconds since midnight or metres
    re.compile(r"\bbreak \d"),
    re.compile(r"\bt_end\b|\bwalk_limit\b"),
)
FAST = SearchBudget(time_limit=None, max_iterations=10)
_CLOCK = re.compile(r"\b\d\d:\d\d\b")


def _plain(text: str) -> str:
    for pattern in _INTERNALS:
        assert pattern.search(text) is None, f"{pattern.pattern!r} in {text!r}"
    assert _CLOCK.search(text) or " km" in text, text
    return text


def _request(body: str) -> Request:
    return parse_request(HEAD + textwrap.dedent(body), source="test.yaml")


def _request_problems(body: str) -> list[str]:
    with pytest.raises(RequestError) as info:
        _request(body)
    return info.value.problems


def _refusal(body: str, pack: CityPack, net: StreetNetwork) -> str:
    with pytest.raises(PlanningError) as info:
        plan(
            _request(body),
            pack=pack,
            network=net,
            budget=SearchBudget(time_limit=None, max_iterations=10),
        )
    return _plain(str(info.value))


# -- conflicts the request check sees (no network) -----------------------------------------


def test_lunch_window_ends_before_appointment_plus_buffer() -> None:
    (problem,) = _request_problems(
        """\
        buffer_min: 15
        appointments:
          - {title: Forum, place: chengdu-stage, date: 2025-03-21, start: "10:00", end: "12:00"}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "13:00"}, minutes: 60}
        """
    )
    assert problem.startswith("test.yaml, line 9, field `meals[0].window`: 'Lunch' ")
    assert "does not fit around 'Forum' on 2025-03-21 (10:00–12:00 + 15 min buffer)" in problem
    _plain(problem)


def test_buffer_runs_into_the_next_appointment() -> None:
    (problem,) = _request_problems(
        """\
        buffer_min: 20
        appointments:
          - {title: Forum, place: chengdu-stage, date: 2025-03-21, start: "09:00", end: "12:00"}
          - {title: Talk, place: chengdu-stage, date: 2025-03-21, start: "12:10", end: "13:00"}
        """
    )
    assert "field `appointments[1].start`: 'Talk' starts 12:10 on 2025-03-21" in problem
    assert "'Forum' ends 12:00 and the 20-min buffer after it runs to 12:20" in problem
    _plain(problem)


def test_buffer_after_the_last_appointment_passes_the_day_end() -> None:
    (problem,) = _request_problems(
        """\
        day_window: {start: "08:30", end: "21:00"}
        appointments:
          - {title: Dinner, place: da-rong-he-shahe, date: 2025-03-21, start: "19:00",
             end: "21:00"}
        """
    )
    assert "field `appointments[0].end`: 'Dinner' ends 21:00 on 2025-03-21" in problem
    assert "buffer after it runs to 21:10, after the day ends (08:30–21:00)" in problem
    _plain(problem)


def test_meal_outside_the_day_window() -> None:
    (problem,) = _request_problems(
        """\
        day_window: {start: "08:30", end: "20:00"}
        meals:
          - {title: Dinner, window: {start: "19:30", end: "22:00"}, minutes: 60}
        """
    )
    assert "'Dinner' (60 min within 19:30–22:00) does not fit in the day window 08:30–20:00" in (
        problem
    )
    _plain(problem)


def test_two_meals_that_do_not_fit_together() -> None:
    (problem,) = _request_problems(
        """\
        meals:
          - {title: Lunch, window: {start: "12:00", end: "13:30"}, minutes: 60}
          - {title: Tea, window: {start: "12:30", end: "13:30"}, minutes: 45}
        """
    )
    assert "the meals 'Lunch' (60 min within 12:00–13:30), 'Tea' (45 min within " in problem
    assert "do not all fit on 2025-03-21 together" in problem
    _plain(problem)


def test_feasible_meals_and_buffers_pass() -> None:
    request = _request(
        """\
        buffer_min: 10
        appointments:
          - {title: Forum, place: chengdu-stage, date: 2025-03-21, start: "09:00", end: "12:00"}
          - {title: Talk, place: chengdu-stage, date: 2025-03-21, start: "12:10", end: "13:00"}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "14:30"}, minutes: 60}
          - {title: Tea, window: {start: "13:00", end: "16:00"}, minutes: 30}
        """
    )
    assert len(request.meals) == 2


# -- conflicts the planner's checks find on the street network ----------------------------


def test_walking_limit_binds_on_a_day_without_meals(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    text = _refusal(
        """\
        travel: {mode: walk, max_walk_km_per_day: 1}
        appointments:
          - {title: Talk, place: eastern-suburb-memory, date: 2025-03-21, start: "14:00",
             end: "15:00"}
        """,
        pack,
        chengdu_net,
    )
    assert text.startswith("on Fri 21 Mar: the walking adds up to ")
    assert re.search(r"adds up to \d+\.\d km, more than the day's limit of 1 km", text)
    assert "meal" not in text.lower() and "lunch" not in text.lower()
    assert "raise the walking limit" in text


def test_meal_between_far_appointments(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    text = _refusal(
        """\
        travel: {mode: coach}
        appointments:
          - {title: Forum, place: eastern-suburb-memory, date: 2025-03-21, start: "09:30",
             end: "12:00"}
          - {title: Visit, place: chengdu-museum, date: 2025-03-21, start: "13:30",
             end: "15:00"}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "14:00"}, minutes: 60}
        """,
        pack,
        chengdu_net,
    )
    assert text.startswith("on Fri 21 Mar: after the 09:30–12:00 appointment 'Forum' at ")
    assert "and Lunch there (until 13:10) the group reaches Chengdu Museum at " in text
    assert "must start by 13:30" in text


def test_must_see_over_the_walking_limit(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    text = _refusal(
        """\
        travel: {mode: walk, max_walk_km_per_day: 0.5}
        places:
          must_see: [wenshu-monastery]
        """,
        pack,
        chengdu_net,
    )
    assert text.startswith(
        "must-see Wenshu Monastery cannot be planned within the daily walking limit of 0.5 km"
    )
    assert "appointment" not in text and "meal" not in text.lower()


def test_must_see_closing_before_the_group_can_arrive(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    text = _refusal(
        """\
        appointments:
          - {title: Meeting, place: crowne-plaza-city-center, date: 2025-03-21, start: "08:30",
             end: "16:45"}
        places:
          must_see: [{place: wenshu-monastery, minutes: 75}]
        """,
        pack,
        chengdu_net,
    )
    assert text.startswith("must-see Wenshu Monastery cannot be planned: on Fri 21 Mar: ")
    assert "Wenshu Monastery closes 17:00" in text
