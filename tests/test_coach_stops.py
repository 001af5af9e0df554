"""Coach stops: the coach leg ends at the drop-off point and a walk leads to the entrance."""

from __future__ import annotations

from pathlib import Path

import pytest
from _planning import plan_checked
from checker import check_itinerary
from click.testing import CliRunner
from conftest import FAST_CLI as FAST

from routing import StreetNetwork
from tours.cli import cli
from tours.itinerary import Itinerary, Leg
from tours.places.pack import CityPack
from tours.planning.request import Request, parse_request

# Daci Temple has a coach stop in the pack (OSM node 5188737722, amenity=bus_station);
# Kuanzhai Alley gets one from the request (a point on the coach road south of it).
KUANZHAI_STOP = "30.66570,104.05369"
HEAD = """\
title: Coach stop test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""


def _plan(text: str, pack: CityPack, net: StreetNetwork) -> tuple[Request, Itinerary]:
    request = parse_request(HEAD + text, source="test.yaml")
    return request, plan_checked(request, pack, net)


def _legs(itinerary: Itinerary) -> list[Leg]:
    return [leg for day in itinerary.days for leg in day.legs]


PLACES = f"""\
travel: {{mode: coach}}
places:
  must_see: [daci-temple, {{place: kuanzhai-alley, coach_stop: "{KUANZHAI_STOP}"}}]
"""


def test_a_drop_off_point_gives_a_coach_leg_and_a_walk_leg(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    _request, itinerary = _plan(PLACES, pack, chengdu_net)
    legs = _legs(itinerary)
    pairs = [(leg.from_id, leg.to_id, leg.mode) for leg in legs]
    assert ("coach-stop-kuanzhai-alley", "kuanzhai-alley", "walk") in pairs
    assert ("kuanzhai-alley", "coach-stop-kuanzhai-alley", "walk") in pairs
    assert ("coach-stop-daci-temple", "daci-temple", "walk") in pairs
    assert ("daci-temple", "coach-stop-daci-temple", "walk") in pairs
    # no coach to either door, and every coach leg ends or starts at a stop
    assert all(
        leg.to_id not in {"kuanzhai-alley", "daci-temple"} for leg in legs if leg.mode == "coach"
    )
    for k, leg in enumerate(legs[:-1]):
        if leg.mode == "coach" and leg.to_id.startswith("coach-stop-"):
            walk = legs[k + 1]
            assert walk.mode == "walk" and walk.start == leg.end  # the walk follows at once
            assert len(walk.geometry) >= 2 and 100 < walk.distance_m < 1000
    day = itinerary.days[0]
    stop = {w.id: w for w in day.waypoints}["coach-stop-daci-temple"]
    assert (stop.lat, stop.lon) == (30.658546, 104.0803686)
    assert "5188737722" in stop.notes


def test_the_walk_to_the_entrance_counts_in_the_walking_limit(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    _request, free = _plan(PLACES, pack, chengdu_net)
    walked = sum(leg.distance_m for leg in _legs(free) if leg.mode == "walk")
    assert 1200 < walked < 2500  # both stops, both ways
    limited = f"""\
travel: {{mode: coach, max_walk_km_per_day: LIMIT}}
places:
  must_see: [{{place: kuanzhai-alley, coach_stop: "{KUANZHAI_STOP}"}}]
  optional: [daci-temple]
"""
    # Kuanzhai's stop walks (there and back) fit 1 km; Daci Temple's would add about 800 m
    _request, itinerary = _plan(limited.replace("LIMIT", "1.0"), pack, chengdu_net)
    assert [lo.place.id for lo in itinerary.left_out] == ["daci-temple"]
    walked = sum(leg.distance_m for leg in _legs(itinerary) if leg.mode == "walk")
    assert 500 < walked <= 1000
    _request, itinerary = _plan(limited.replace("LIMIT", "2.0"), pack, chengdu_net)
    assert itinerary.left_out == []
    walked = sum(leg.distance_m for leg in _legs(itinerary) if leg.mode == "walk")
    assert 1000 < walked <= 2000


def test_the_checker_rejects_a_coach_to_the_door_and_a_wrong_walk(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    request, itinerary = _plan(PLACES, pack, chengdu_net)
    data = itinerary.model_dump(mode="json")
    for item in data["days"][0]["items"]:
        if item["kind"] == "leg" and item["from_id"] == "daci-temple":
            item["distance_m"] += 50
    broken = Itinerary.model_validate(data)
    problems = check_itinerary(broken, request=request, pack=pack, network=chengdu_net)
    assert any("daci-temple->coach-stop-daci-temple is" in p for p in problems), problems
    # the same itinerary checked against a request whose Kuanzhai stop is elsewhere
    moved = parse_request(
        HEAD + PLACES.replace(KUANZHAI_STOP, "30.66500,104.05400"), source="test.yaml"
    )
    problems = check_itinerary(itinerary, request=moved, pack=pack, network=chengdu_net)
    assert any("coach-stop-kuanzhai-alley" in p for p in problems), problems


def test_without_coach_stops_nothing_changes(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    text = "travel: {mode: coach}\nplaces:\n  must_see: [kuanzhai-alley, chunxi-road]\n"
    _request, itinerary = _plan(text, pack, chengdu_net)
    legs = _legs(itinerary)
    assert len(legs) == 3 and all(leg.mode == "coach" for leg in legs)
    assert not any("coach-stop" in leg.from_id + leg.to_id for leg in legs)
    assert itinerary.days[0].waypoints == []


@pytest.mark.parametrize(
    ("stop", "expected"),
    [
        ("north", "field `places.must_see[0].coach_stop`"),
        ("30.6657,204.05", "longitude -180..180"),
        ("30.70000,104.10000", "m on foot from the entrance"),
    ],
)
def test_bad_coach_stops_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, stop: str, expected: str
) -> None:
    request = tmp_path / "req.yaml"
    entry = f'{{place: kuanzhai-alley, coach_stop: "{stop}"}}'
    text = f"travel: {{mode: coach}}\nplaces:\n  must_see: [{entry}]\n"
    request.write_text(HEAD + text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["plan", str(request), "-o", str(out), *FAST])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert not out.exists()
