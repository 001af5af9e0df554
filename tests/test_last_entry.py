"""Last entry: no visit starts after a place's last admission (pack or request)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from _planning import plan_checked
from checker import check_itinerary

from routing import StreetNetwork
from tours._errors import InputError
from tours.itinerary import Itinerary, Visit
from tours.places.pack import CityPack, load_city_pack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request, parse_request

HEAD = """\
title: Last entry test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""
BUDGET = SearchBudget(seed=0, max_iterations=300)


def _request(body: str) -> Request:
    return parse_request(HEAD + textwrap.dedent(body), source="test.yaml")


def _talk_until(end: str, *, extra: str = "") -> str:
    # Sichuan Art Museum: Tu-Su 09:00-17:00, last entry 16:00 (pack); a 30-min visit would
    # fit until 16:30 without the rule
    return f"""\
        appointments:
          - {{title: Talk, place: tianfu-square, date: 2025-03-21, start: "09:00", end: "{end}"}}
        places:
          optional:
            - {{place: sichuan-art-museum, minutes: 30{extra}}}
        """


def _visits(itinerary: Itinerary) -> dict[str, Visit]:
    return {v.place.id: v for d in itinerary.days for v in d.items if isinstance(v, Visit)}


def test_pack_last_entries(pack: CityPack) -> None:
    assert pack.places["sichuan-art-museum"].last_entry == "16:00"
    assert pack.places["sichuan-art-museum"].last_entry_minutes == 16 * 60
    assert pack.places["daci-temple"].last_entry == "17:00"
    assert pack.places["wuhou-shrine"].min_inside_minutes == 60


def test_visit_before_last_entry_is_planned(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    request = _request(_talk_until("15:20"))
    itinerary = plan_checked(request, pack, chengdu_net, BUDGET)
    visit = _visits(itinerary)["sichuan-art-museum"]
    assert visit.start.time() <= dt.time(16, 0)


def test_arrival_after_last_entry_leaves_the_place_out(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    request = _request(_talk_until("16:05"))
    itinerary = plan_checked(request, pack, chengdu_net, BUDGET)
    assert "sichuan-art-museum" not in _visits(itinerary)
    (out,) = itinerary.left_out
    assert out.code == "last_entry"
    assert out.reason.startswith("arrives after last entry: Sichuan Art Museum admits visitors")
    assert "until 16:00" in out.reason and "the last entry to Sichuan Art Museum is 16:00" in (
        out.reason
    )


def test_request_overrides_last_entry(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    request = _request(_talk_until("15:20", extra=', last_entry: "15:00"'))
    itinerary = plan_checked(request, pack, chengdu_net, BUDGET)
    (out,) = itinerary.left_out
    assert out.code == "last_entry" and "until 15:00" in out.reason


def test_minimum_time_inside(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    # admission stops 75 min before 17:00 (15:45): a talk until 15:50 leaves the museum out
    request = _request(_talk_until("15:50", extra=", min_inside_minutes: 75"))
    itinerary = plan_checked(request, pack, chengdu_net, BUDGET)
    (out,) = itinerary.left_out
    assert out.code == "last_entry" and "75 min before closing" in out.reason


def test_checker_catches_a_visit_after_last_entry(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    request = _request(_talk_until("15:20"))
    itinerary = plan(request, pack=pack, network=chengdu_net, budget=BUDGET)
    late = _request(_talk_until("15:20", extra=', last_entry: "14:00"'))
    problems = check_itinerary(itinerary, request=late, pack=pack, network=chengdu_net)
    assert any("after last entry 14:00" in p for p in problems), problems


def _pack_copy(tmp_path: Path, edit: str) -> Path:
    src = load_city_pack().path
    dst = tmp_path / "pack"
    dst.mkdir()
    for name in ("city.yaml", "places.yaml"):
        (dst / name).write_text((src / name).read_text("utf-8"), "utf-8")
    places = dst / "places.yaml"
    text = places.read_text("utf-8")
    places.write_text(text.replace('    last_entry: "16:00"\n', edit, 1), "utf-8")
    return dst


def test_pack_last_entry_is_validated(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"sichuan-art-museum.*last_entry"):
        load_city_pack(_pack_copy(tmp_path, '    last_entry: "4pm"\n'))


def test_request_last_entry_is_validated() -> None:
    with pytest.raises(InputError, match=r"last_entry"):
        _request(_talk_until("15:20", extra=', last_entry: "25:00"'))
