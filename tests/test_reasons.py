"""Reason codes of left-out places: one definition each, each used only for its case.

The definitions live in :mod:`tours.planning.explain.reasons`; these tests plan small
requests on the real Chengdu network, one per case, and check every plan with the
independent checker (issue 16, finding 3).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from checker import LEFT_OUT_CODES, check_itinerary

from routing import StreetNetwork
from tours.itinerary import Itinerary, LeftOut
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.explain import reasons
from tours.planning.planner import plan
from tours.planning.request import parse_request

BUDGET = SearchBudget(time_limit=None, max_iterations=60)
HEAD = """\
title: Reason test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
"""
TOURS = Path(__file__).resolve().parents[1] / "tours"


def _left_out(body: str, pack: CityPack, net: StreetNetwork) -> dict[str, LeftOut]:
    request = parse_request(HEAD + textwrap.dedent(body), source="reasons.yaml")
    itinerary: Itinerary = plan(request, pack=pack, network=net, budget=BUDGET)
    assert check_itinerary(itinerary, request=request, pack=pack, network=net) == []
    return {lo.place.id: lo for lo in itinerary.left_out}


def test_every_code_has_one_definition() -> None:
    assert set(reasons.REASONS) == set(reasons.ReasonCode.__args__)  # type: ignore[attr-defined]
    assert set(reasons.REASONS) == LEFT_OUT_CODES
    doc = reasons.__doc__ or ""
    for code in reasons.REASONS:
        assert doc.count(f"``{code}``\n") == 1, code


def test_codes_are_only_set_from_the_reasons_module() -> None:
    """No module spells a code as a string literal in ``LeftOut(code=...)``."""
    offenders = []
    for path in TOURS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            literal = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant)
            if literal and node.arg == "code":
                offenders.append(f"{path.name}:{node.value.lineno}")
    assert offenders == []


def test_closed_too_long_outside_network_and_no_time(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    left = _left_out(
        """\
        dates: [2025-03-24]          # a Monday: Chengdu Museum is closed
        places:
          must_see:
            - {place: wenshu-monastery, minutes: 420}
          optional:
            - {place: chengdu-museum, priority: 9}
            - {place: daci-temple, priority: 9, minutes: 600}
            - {place: wuhou-shrine, priority: 9}
            - {place: peoples-park, priority: 1, minutes: 300}
        """,
        pack,
        chengdu_net,
    )
    assert left["chengdu-museum"].code == reasons.CLOSED
    assert left["daci-temple"].code == reasons.TOO_LONG  # open 08:00-17:00 (last entry) < 600 min
    assert "open at most 540 min at a stretch" in left["daci-temple"].reason
    assert left["wuhou-shrine"].code == reasons.OUTSIDE_NETWORK
    assert left["peoples-park"].code == reasons.NO_TIME  # fits alone; the must-see fills the day
    assert set(left) == {"chengdu-museum", "daci-temple", "wuhou-shrine", "peoples-park"}


@pytest.mark.parametrize(
    "evening",
    [
        "",  # a short visit would fit before the day ends
        """\
        day_window: {start: "08:30", end: "22:00"}
        appointments:
          - {title: Dinner, place: da-rong-he-shahe, date: 2025-03-22, start: "19:00",
             end: "21:00"}
        """,  # nothing fits after the dinner
    ],
    ids=["day-end", "dinner"],
)
def test_evening_show_that_never_fits_is_blocked(
    pack: CityPack, chengdu_net: StreetNetwork, evening: str
) -> None:
    left = _left_out(
        """\
        dates: [2025-03-22]
        places:
          optional:
            - {place: shufeng-yayun-opera, priority: 9}
            - {place: peoples-park, priority: 2}
        """.rstrip(" ")
        + evening,
        pack,
        chengdu_net,
    )
    show = left["shufeng-yayun-opera"]
    assert show.code == reasons.BLOCKED, show.reason
    assert "peoples-park" not in left


def test_walk_limit(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    left = _left_out(
        """\
        dates: [2025-03-22]
        travel: {mode: walk, max_walk_km_per_day: 2}
        places:
          optional:
            - {place: eastern-suburb-memory, priority: 9}
        """,
        pack,
        chengdu_net,
    )
    assert left["eastern-suburb-memory"].code == reasons.WALK_LIMIT
