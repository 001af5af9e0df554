"""Coach stops from OSM, and the choice among a place's stops (issue 11, points 1 and 2).

On the real extracts: what each holds (Chengdu 6 bus stations, Monaco 9, Krems 6; no car park
tagged for buses in any), a clipped variant made with pyosmium, plans whose coach legs end at
the stop found in OSM (checked by the independent checker, which reads the extract itself),
and the choice of the stop with the shortest walk + coach + walk per leg.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _osm_files import KREMS_BZ2, MONACO_CLIP, MONACO_PBF, clip
from _planning import plan_checked
from conftest import CHENGDU_PBF

from routing import NetworkSource, StreetNetwork, TravelPolicy, load_network, travel_matrix
from tours.itinerary import Itinerary, Leg, PlaceRef
from tours.places.osm_coach_stops import (
    COACH_STOP_RADIUS_M,
    coach_stop_rule,
    coach_stops_near,
    load_osm_coach_stops,
)
from tours.places.pack import CityPack, CoachStop
from tours.planning._coach_stops import MAX_DERIVED_WALK_M, fold_coach_stops
from tours.planning.budget import SearchBudget
from tours.planning.request import Request, city_pack_for, load_request, parse_request

MONACO_DEMO = Path(__file__).resolve().parents[1] / "data/requests/monaco-grimaldi-forum.yaml"
#: The unnamed bus station by Daci Temple: 173 m from Chengdu IFS, 323 m from Taikoo Li.
DACI_STATION = "node/5188737722"
HEAD = """\
title: OSM coach stop test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""


@pytest.fixture(scope="module")
def monaco_net() -> StreetNetwork:
    return load_network(NetworkSource.from_file(MONACO_PBF))


def _legs(itinerary: Itinerary) -> list[Leg]:
    return [leg for day in itinerary.days for leg in day.legs]


def _waypoints(itinerary: Itinerary) -> dict[str, PlaceRef]:
    return {w.id: w for day in itinerary.days for w in day.waypoints}


# -- which elements are coach stops -----------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "rule"),
    [
        ({"amenity": "bus_station"}, "amenity=bus_station"),
        ({"amenity": "bus_station", "bus": "yes"}, "amenity=bus_station + bus=yes"),
        ({"amenity": "bus_station", "tourist_bus": "no"}, None),
        ({"amenity": "bus_station", "access": "private"}, None),
        ({"public_transport": "station", "bus": "yes"}, "public_transport=station + bus=yes"),
        ({"amenity": "parking", "bus": "yes"}, "amenity=parking + bus=yes"),
        (
            {"amenity": "parking", "tourist_bus": "designated"},
            "amenity=parking + tourist_bus=designated",
        ),
        (
            {"amenity": "parking", "access": "private", "coach": "yes"},
            "amenity=parking + coach=yes",
        ),
        ({"amenity": "parking", "tourist_bus": "no", "bus": "yes"}, None),  # most specific wins
        ({"amenity": "parking"}, None),
        ({"amenity": "parking", "access": "permissive"}, None),  # a car park
        ({"amenity": "parking", "hgv": "yes"}, None),  # a lorry park (Krems' LKW Parkplatz)
        ({"highway": "bus_stop"}, None),  # public bus lines only
        ({"place": "square"}, None),
    ],
)
def test_which_tags_make_a_coach_stop(tags: dict[str, str], rule: str | None) -> None:
    assert coach_stop_rule(tags) == rule


def test_what_the_shared_extracts_hold() -> None:
    chengdu = load_osm_coach_stops(CHENGDU_PBF)
    assert {s.osm_id for s in chengdu} == {
        DACI_STATION,
        "way/206090467",  # 五块石客运站
        "way/288148451",  # North Railway Station Bus Station
        "way/311853112",  # Chengbei Bus Station
        "way/311865071",  # Beimen Bus Station
        "way/575071459",  # 昭觉寺汽车站 (amenity=bus_station + bus=yes)
    }
    by_id = {s.osm_id: s for s in chengdu}
    assert by_id["way/288148451"].name == "North Railway Station Bus Station"
    assert by_id[DACI_STATION].name == "Bus station"  # unnamed in OSM
    # a station polygon gives a point inside it
    station = by_id["way/311853112"]
    assert 30.69 < station.lat < 30.71 and 104.06 < station.lon < 104.07
    monaco = load_osm_coach_stops(MONACO_PBF)
    assert len(monaco) == 9 and all(s.rule == "amenity=bus_station" for s in monaco)
    krems = load_osm_coach_stops(KREMS_BZ2)
    assert len(krems) == 6
    assert {s.names.get("name") for s in krems} == {"Krems Bahnhof", "Krems a.d. Donau"}


def test_stops_near_a_place_within_the_radius(pack: CityPack) -> None:
    stops = load_osm_coach_stops(CHENGDU_PBF)
    found = {}
    for pid in ("chengdu-ifs", "taikoo-li", "chunxi-road", "wenshu-monastery"):
        place = pack.places[pid]
        found[pid] = [
            (s.osm_id, round(d)) for s, d in coach_stops_near(stops, place.lat, place.lon)
        ]
    assert found == {
        "chengdu-ifs": [(DACI_STATION, 173)],
        "taikoo-li": [(DACI_STATION, 323)],
        "chunxi-road": [],  # 489 m: beyond the 400 m radius
        "wenshu-monastery": [],  # Beimen Bus Station is 1.5 km away
    }
    assert COACH_STOP_RADIUS_M == 400.0


def test_a_clipped_extract_keeps_the_stops_inside(tmp_path: Path) -> None:
    clipped = clip(MONACO_PBF, tmp_path / "monaco-clip.osm.pbf", MONACO_CLIP)
    west, south, east, north = MONACO_CLIP
    inside = [
        s.osm_id
        for s in load_osm_coach_stops(MONACO_PBF)
        if west <= s.lon <= east and south <= s.lat <= north
    ]
    got = load_osm_coach_stops(clipped, cache=False)
    assert sorted(s.osm_id for s in got) == sorted(inside)
    assert 0 < len(got) < 9
    # cached by content: the same bytes under another name give the same stops
    copy = tmp_path / "copy.osm.pbf"
    copy.write_bytes(clipped.read_bytes())
    assert load_osm_coach_stops(copy) == got


# -- plans via stops found in OSM -------------------------------------------------------------


def _plan(text: str, pack: CityPack, net: StreetNetwork) -> tuple[Request, Itinerary]:
    request = parse_request(HEAD + text, source="test.yaml")
    return request, plan_checked(request, pack, net)


def test_a_place_without_stops_uses_the_bus_station_near_it(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    _request, itinerary = _plan(
        "travel: {mode: coach}\nplaces:\n  must_see: [chengdu-ifs, wenshu-monastery]\n",
        pack,
        chengdu_net,
    )
    legs = _legs(itinerary)
    pairs = [(leg.from_id, leg.to_id, leg.mode) for leg in legs]
    assert ("coach-stop-chengdu-ifs", "chengdu-ifs", "walk") in pairs
    assert ("chengdu-ifs", "coach-stop-chengdu-ifs", "walk") in pairs
    assert all(leg.to_id != "chengdu-ifs" for leg in legs if leg.mode == "coach")
    stop = _waypoints(itinerary)["coach-stop-chengdu-ifs"]
    assert stop.osm_id == DACI_STATION
    assert (stop.lat, stop.lon) == (30.658546, 104.0803686)
    assert "not checked" in stop.name_en and "not checked" in stop.notes
    walks = [leg for leg in legs if {leg.from_id, leg.to_id} == {"chengdu-ifs", stop.id}]
    assert all(150 < leg.distance_m <= MAX_DERIVED_WALK_M for leg in walks)
    # Wenshu Monastery has no stop within 400 m: the coach drives to its door
    assert "coach-stop-wenshu-monastery" not in _waypoints(itinerary)
    assert any(leg.to_id == "wenshu-monastery" and leg.mode == "coach" for leg in legs)


def test_walk_mode_and_pack_stops_are_unchanged(pack: CityPack, chengdu_net: StreetNetwork) -> None:
    _request, walked = _plan(
        "travel: {mode: walk}\nplaces:\n  must_see: [chengdu-ifs]\n", pack, chengdu_net
    )
    assert _waypoints(walked) == {}
    _request, daci = _plan(
        "travel: {mode: coach}\nplaces:\n  must_see: [daci-temple]\n", pack, chengdu_net
    )
    stop = _waypoints(daci)["coach-stop-daci-temple"]
    assert stop.osm_id is None  # the pack's stop: checked by an editor, not flagged


def test_monaco_demo_drops_off_and_picks_up_at_different_stops(
    monaco_net: StreetNetwork,
) -> None:
    request = load_request(MONACO_DEMO)
    pack = city_pack_for(request, osm=MONACO_PBF)
    budget = SearchBudget(time_limit=None, max_iterations=300)
    itinerary = plan_checked(request, pack, monaco_net, budget)
    stops = _waypoints(itinerary)
    assert stops and all(w.osm_id for w in stops.values())
    # La Rascasse (the dinner): dropped off at Princesse Stéphanie, picked up at Place d'Armes
    legs = _legs(itinerary)
    rascasse = "osm-way-112681614"
    into = {leg.from_id for leg in legs if leg.to_id == rascasse and "stop" in leg.from_id}
    out = {leg.to_id for leg in legs if leg.from_id == rascasse and "stop" in leg.to_id}
    assert into == {f"coach-stop-{rascasse}"} and out == {f"coach-stop-{rascasse}.2"}
    assert stops[f"coach-stop-{rascasse}"].osm_id == "node/941738044"
    assert stops[f"coach-stop-{rascasse}.2"].osm_id == "node/1306034047"


# -- the choice among several stops ----------------------------------------------------------

#: Two stops for Kuanzhai Alley: east (on Changshun Street) and south-west of it.
EAST_STOP = (30.66570, 104.05369)
WEST_STOP = (30.664881, 104.048076)


def _two_stop_pack(pack: CityPack) -> CityPack:
    stops = [
        CoachStop(name="East stop", lat=lat, lon=lon, source="test: east of the alley")
        for lat, lon in [EAST_STOP]
    ] + [CoachStop(name="West stop", lat=WEST_STOP[0], lon=WEST_STOP[1], source="test: west")]
    alley = pack.places["kuanzhai-alley"].model_copy(update={"coach_stops": stops})
    west = pack.places["peoples-park"].model_copy(
        update={"id": "west-gate", "lat": 30.6680, "lon": 104.0460, "coach_stops": []}
    )
    places = {**pack.places, "kuanzhai-alley": alley, "west-gate": west}
    return CityPack(pack.settings, list(places.values()), path=pack.path)


def test_each_leg_takes_the_stop_with_the_shortest_total(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    two = _two_stop_pack(pack)
    names = ["crowne-plaza-city-center", "kuanzhai-alley", "west-gate"]
    locations = [two.places[n] for n in names]
    policy = TravelPolicy(coach_overhead_min=10)
    points = [(p.lat, p.lon) for p in locations]
    base = travel_matrix(chengdu_net, points, mode="coach", policy=policy)
    folded, choice, via = fold_coach_stops(chengdu_net, base, locations, policy, from_osm=False)
    assert via[0, 1] and via[1, 0] and via[2, 1] and via[1, 2] and not via[0, 2]
    # independently: every way via either stop, walks from the travel matrix
    alley = points[1]
    ends = [points[0], EAST_STOP, WEST_STOP, points[2]]
    walk = travel_matrix(chengdu_net, [alley, EAST_STOP, WEST_STOP], mode="walk", policy=policy)
    coach = travel_matrix(chengdu_net, ends, mode="coach", policy=policy)
    to_alley = {
        src: [coach.duration_s[src_i, s] + walk.duration_s[s, 0] for s in (1, 2)]
        for src, src_i in (("hotel", 0), ("west", 3))
    }
    assert folded.duration_s[0, 1] == pytest.approx(min(to_alley["hotel"]))
    assert folded.duration_s[2, 1] == pytest.approx(min(to_alley["west"]))
    drop_from_hotel = choice.pair(0, 1)[1]
    drop_from_west = choice.pair(2, 1)[1]
    assert drop_from_hotel is not None and drop_from_west is not None
    assert drop_from_hotel.stop.name == "East stop"  # the hotel is east of the alley
    assert drop_from_west.stop.name == "West stop"
    assert choice.pair(0, 1)[0] is None  # the hotel has no stop: its door
    # walked metres of a leg via a stop count towards the walking limit
    assert folded.walk_distance_m[0, 1] == pytest.approx(drop_from_hotel.in_m)
    assert np.all(folded.walk_distance_m[~via] == base.walk_distance_m[~via])


def test_a_plan_with_two_stops_uses_both_and_checks(
    pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    two = _two_stop_pack(pack)
    _request, itinerary = _plan(
        "travel: {mode: coach}\nplaces:\n  must_see: [kuanzhai-alley, west-gate]\n",
        two,
        chengdu_net,
    )
    used = {w.id for w in _waypoints(itinerary).values()}
    assert used == {"coach-stop-kuanzhai-alley", "coach-stop-kuanzhai-alley.2"}
