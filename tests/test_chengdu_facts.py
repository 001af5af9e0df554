"""Audited facts of the Chengdu pack (tours issue 11), checked against the offline extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing import NetworkSource, StreetNetwork, load_network
from routing._graph import haversine_m
from tours.places.osm_features import network_status
from tours.places.pack import CityPack

NEW_PLACES = (
    "tianfu-long-island",
    "bailuwan-new-economy-park",
    "jinsha-site-museum",
    "century-city-convention-centre",
)


@pytest.fixture(scope="module")
def net(chengdu_bz2: Path) -> StreetNetwork:
    return load_network(NetworkSource.from_file(chengdu_bz2))


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(haversine_m(a[0], a[1], b[0], b[1]))


def test_jinjiang_hotel_is_at_its_address_beside_its_metro_station(pack: CityPack) -> None:
    hotel = pack.places["jinjiang-hotel"]
    assert _metres((hotel.lat, hotel.lon), (30.650, 104.065)) < 100
    # OSM node 1492367532: Jinjiang Hotel metro stop under 人民南路二段 (in the extract file)
    assert _metres((hotel.lat, hotel.lon), (30.6517956, 104.0634996)) < 300
    assert _metres((hotel.lat, hotel.lon), (30.6497, 104.0707)) > 500  # the old, wrong point
    assert any("1492367532" in s.title and "coordinates" in s.facts for s in hotel.sources)


def test_chengdu_stage_is_an_open_air_stage(pack: CityPack) -> None:
    stage = pack.places["chengdu-stage"]
    text = f"{stage.tickets} {stage.notes}".lower()
    assert "open-air" in text
    assert text.count("conference hall") == text.count("not a conference hall") == 1


def test_hongxing_road_entrance_names_the_river_bridge(pack: CityPack) -> None:
    park = pack.places["hongxing-road-35"]
    assert park.entrance is not None
    assert "Yihao Bridge" in park.entrance and "一号桥" in park.entrance
    assert "north of the Fu River bridge" not in park.entrance


def test_panda_base_moved_and_flagged(pack: CityPack) -> None:
    base = pack.places["panda-base"]
    assert _metres((base.lat, base.lon), (30.733, 104.1455)) > 400
    coords = [s for s in base.sources if "coordinates" in s.facts]
    assert coords and all(not s.verified for s in coords)


def test_weak_sources_replaced(pack: CityPack) -> None:
    wuhou = pack.places["wuhou-shrine"]
    hours = [s for s in wuhou.sources if "opening_hours" in s.facts]
    assert hours and all("blogspot" not in (s.url or "") for s in hours)
    kuanzhai = pack.places["kuanzhai-alley"]
    entrance = [s for s in kuanzhai.sources if "entrance" in s.facts]
    assert entrance and all("teahouse" not in (s.url or "") for s in entrance)


@pytest.mark.parametrize("pid", NEW_PLACES)
def test_new_places_are_sourced_and_outside_the_extract(
    pack: CityPack, net: StreetNetwork, pid: str
) -> None:
    place = pack.places[pid]
    status = network_status(net, place.lat, place.lon)
    assert not status.inside and status.reason == "outside extract"
    coords = [s for s in place.sources if "coordinates" in s.facts]
    assert coords and all(not s.verified for s in coords)  # placements, not checked
