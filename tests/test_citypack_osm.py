"""The Chengdu pack joined with the real OSM extract and its street network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from routing import NetworkSource, SnapError, StreetNetwork, load_network
from tours._errors import InputError
from tours.places import osm_features
from tours.places.join import join_pack, match_place
from tours.places.osm_features import (
    feature_by_id,
    load_features,
    network_status,
    search_features,
)
from tours.places.pack import Place, load_city_pack

# Places that lie inside the offline extract's bounds (lon 104.0421-104.1296, lat 30.6528-30.7279)
INSIDE = {
    "tianfu-square", "wenshu-monastery", "kuanzhai-alley", "peoples-park", "chengdu-museum",
    "daci-temple", "chunxi-road", "chengdu-ifs", "taikoo-li", "west-pearl-tower",
    "yongling-museum", "sichuan-art-museum", "eastern-suburb-memory", "hongxing-road-35",
    "shaocheng-shijing", "mingtang-creative-center", "da-rong-he-shahe", "chen-mapo-tofu",
    "xiaolongkan-chunxi", "caidie-vegetarian", "crowne-plaza-city-center",
    "dorsett-grand-chengdu", "temple-house", "chengdu-stage", "shufeng-yayun-opera",
}  # fmt: skip
OUTSIDE = {
    "wuhou-shrine", "jinli", "du-fu-thatched-cottage", "sichuan-museum", "panda-base",
    "tianfu-software-park", "jinjiang-hotel", "baihuatan-park", "tianfu-long-island",
    "bailuwan-new-economy-park", "jinsha-site-museum", "century-city-convention-centre",
}  # fmt: skip


@pytest.fixture(scope="module")
def net(chengdu_bz2: Path) -> StreetNetwork:
    return load_network(NetworkSource.from_file(chengdu_bz2))


@pytest.fixture(scope="module")
def features(chengdu_bz2: Path) -> list:
    return load_features(chengdu_bz2)


def test_inside_and_outside_sets_cover_the_pack() -> None:
    assert set(load_city_pack().places) == INSIDE | OUTSIDE


def test_places_inside_the_extract_snap_to_nearby_streets(net: StreetNetwork) -> None:
    pack = load_city_pack()
    for pid in sorted(INSIDE):
        p = pack.places[pid]
        status = network_status(net, p.lat, p.lon)
        assert status.inside, (pid, status)
        assert status.snap_m is not None and status.snap_m < 250, (pid, status.snap_m)
        assert status.label.startswith("yes (")


def test_places_outside_the_extract_are_flagged_not_snapped(net: StreetNetwork) -> None:
    pack = load_city_pack()
    for pid in sorted(OUTSIDE):
        p = pack.places[pid]
        assert not net.contains(p.lat, p.lon), pid
        status = network_status(net, p.lat, p.lon)
        assert (status.inside, status.snap_m, status.reason) == (False, None, "outside extract")
        assert status.label == "no: outside extract"
        # the routing layer refuses to snap them too, instead of picking a far street
        with pytest.raises(SnapError, match="outside"):
            net.snap(p.lat, p.lon)


def test_default_hotel_and_venue_are_inside(net: StreetNetwork) -> None:
    pack = load_city_pack()
    for pid in (pack.default_start, pack.default_venue):
        assert pid is not None
        p = pack.places[pid]
        assert network_status(net, p.lat, p.lon).inside


def test_every_osm_id_of_the_pack_is_in_the_extract(features: list) -> None:
    pack = load_city_pack()
    matches = {m.place_id: m for m in join_pack(pack, features)}
    with_id = [p for p in pack.places.values() if p.osm_id]
    assert len(with_id) >= 20
    for p in with_id:
        m = matches[p.id]
        assert m.method == "osm_id" and m.feature is not None, p.id
        assert m.feature.osm_id == p.osm_id
        assert m.distance_m is not None and m.distance_m < 1.0, (p.id, m.distance_m)
    assert matches["wuhou-shrine"].method is None
    assert "no osm_id" in matches["wuhou-shrine"].note


def test_match_by_name_when_the_osm_id_is_missing(features: list) -> None:
    wenshu = load_city_pack().places["wenshu-monastery"]
    no_id = Place.model_validate({**wenshu.model_dump(), "osm_id": None})
    m = match_place(no_id, features)
    assert m.method == "name" and m.feature is not None
    assert m.feature.name == "文殊院"
    assert m.distance_m is not None and m.distance_m < 300
    far = Place.model_validate({**no_id.model_dump(), "lat": 30.70, "lon": 104.10})
    assert match_place(far, features).method is None


def test_search_in_any_script(features: list) -> None:
    zh = [f.osm_id for f, _ in search_features(features, "东郊记忆")]
    assert zh[0] == "way/259715485"
    en = [f.osm_id for f, _ in search_features(features, "people's park")]
    assert "way/103295076" in en[:3]
    tower = search_features(features, "West Pearl Tower")[0][0]
    assert tower.osm_id == "node/2653274215" and tower.name_zh == "四川广播电视塔"


def test_add_a_place_by_osm_id(features: list) -> None:
    f = feature_by_id(features, "way/299410326")  # 文化公园, not in the pack
    ref = f.to_ref()
    assert (ref.id, ref.name_zh, ref.osm_id) == ("osm-way-299410326", "文化公园", "way/299410326")
    assert 30.65 < ref.lat < 30.67
    with pytest.raises(InputError, match="not a named feature"):
        feature_by_id(features, "node/1")


def test_features_are_cached_by_content(
    chengdu_bz2: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_features(chengdu_bz2)
    assert load_features(chengdu_bz2) is first  # parsed once per process
    cache = Path(os.environ["TOURS_CACHE_DIR"]) / "osm-features"
    assert (cache / f"{osm_features._file_key(chengdu_bz2)}.json").is_file()
    copy = tmp_path / "same.osm.bz2"
    copy.write_bytes(chengdu_bz2.read_bytes())

    def never(path: Path) -> object:
        msg = f"{path} parsed again"
        raise AssertionError(msg)

    monkeypatch.setattr(osm_features, "_parse", never)
    assert load_features(copy) == first  # same bytes: the same cache entry, not parsed
