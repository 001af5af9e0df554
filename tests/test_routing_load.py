"""Loading street networks: three file formats, the cache, bad files, offline queries."""

from __future__ import annotations

import bz2
import shutil
from pathlib import Path

import numpy as np
import osmnx as ox
import pytest

from routing import (
    NetworkSource,
    NetworkSourceError,
    OfflineError,
    StreetNetwork,
    clear_cache,
    load_network,
)


def _assert_same_network(a: StreetNetwork, b: StreetNetwork, *, bounds: bool = True) -> None:
    np.testing.assert_array_equal(a.node_id, b.node_id)
    np.testing.assert_array_equal(a.lat, b.lat)
    np.testing.assert_array_equal(a.lon, b.lon)
    if bounds:
        assert a.bounds == b.bounds
    for mode in ("walk", "coach"):
        ga, gb = a.graph(mode), b.graph(mode)
        for field in ("nodes", "src", "dst", "length", "road_class", "maxspeed"):
            np.testing.assert_array_equal(getattr(ga, field), getattr(gb, field), err_msg=field)
        assert (ga.nodes_total, ga.edges_total) == (gb.nodes_total, gb.edges_total)


def test_three_formats_give_the_same_graph(
    chengdu_bz2: Path, chengdu_pbf: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "chengdu.osm"
    plain.write_bytes(bz2.decompress(chengdu_bz2.read_bytes()))
    nets = [
        load_network(NetworkSource.from_file(p), use_cache=False)
        for p in (chengdu_bz2, chengdu_pbf, plain)
    ]
    assert all(n.cache_status == "off" for n in nets)
    # The PBF header declares no bounding box (the XML does), so its bounds are the extent
    # of its street nodes; the graphs themselves are identical.
    _assert_same_network(nets[0], nets[1], bounds=False)
    _assert_same_network(nets[0], nets[2])
    west, south, east, north = nets[1].bounds
    assert west < 104.0421
    assert east > 104.1296
    assert south < 30.6528
    assert north > 30.7279
    stats = nets[0].stats()
    # The extract's README: ~2.3k highway ways; both graphs are substantial and connected.
    assert stats["walk"]["nodes"] > 8000
    assert stats["coach"]["nodes"] > 5000
    assert stats["walk"]["nodes"] <= stats["walk"]["nodes_total"]
    assert nets[0].bounds == (104.0421, 30.6528, 104.1296, 30.7279)


def test_walk_and_coach_graphs_follow_the_mode_rules(chengdu_net: StreetNetwork) -> None:
    walk, coach = chengdu_net.graph("walk"), chengdu_net.graph("coach")
    # Every walkable street is walkable both ways.
    fwd = set(zip(walk.src.tolist(), walk.dst.tolist(), strict=True))
    assert all((v, u) in fwd for u, v in fwd)
    # Coaches respect one-way streets: some drive edges have no reverse.
    drive = set(zip(coach.src.tolist(), coach.dst.tolist(), strict=True))
    one_way = [e for e in drive if (e[1], e[0]) not in drive]
    assert len(one_way) > 100
    # Footways/steps make the walk network larger than the drive network.
    assert len(walk.nodes) > len(coach.nodes)


def test_cache_miss_then_hit(chengdu_bz2: Path, tmp_path: Path) -> None:
    source = NetworkSource.from_file(chengdu_bz2)
    first = load_network(source, cache_dir=tmp_path)
    assert first.cache_status == "miss"
    assert first.cache_path is not None
    assert first.cache_path.is_file()
    assert first.cache_path.parent == tmp_path / "networks"
    second = load_network(source, cache_dir=tmp_path)
    assert second.cache_status == "hit"
    assert second.cache_path == first.cache_path
    _assert_same_network(first, second)
    # Content-addressed: the same bytes under another name hit the same entry.
    copy = tmp_path / "copy.osm.bz2"
    shutil.copyfile(chengdu_bz2, copy)
    third = load_network(NetworkSource.from_file(copy), cache_dir=tmp_path)
    assert third.cache_status == "hit"
    assert third.cache_path == first.cache_path
    assert not list((tmp_path / "networks").glob("*.tmp"))


def test_cache_uses_tours_cache_dir(
    chengdu_bz2: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOURS_CACHE_DIR", str(tmp_path))
    net = load_network(NetworkSource.from_file(chengdu_bz2))
    assert net.cache_path is not None
    assert net.cache_path.parent == tmp_path / "networks"
    assert clear_cache() == 1
    assert not net.cache_path.exists()
    assert load_network(NetworkSource.from_file(chengdu_bz2)).cache_status == "miss"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1000],  # truncated
        lambda b: b[:200] + bytes([b[200] ^ 0xFF]) + b[201:],  # one byte flipped
        lambda b: b"",  # empty
        lambda b: b"not a cache entry at all",
    ],
    ids=["truncated", "bitflip", "empty", "garbage"],
)
def test_corrupt_cache_entry_is_rebuilt(chengdu_bz2: Path, tmp_path: Path, damage: object) -> None:
    source = NetworkSource.from_file(chengdu_bz2)
    good = load_network(source, cache_dir=tmp_path)
    path = good.cache_path
    assert path is not None
    original = path.read_bytes()
    path.write_bytes(damage(original))  # type: ignore[operator]
    rebuilt = load_network(source, cache_dir=tmp_path)
    assert rebuilt.cache_status == "rebuilt"
    _assert_same_network(good, rebuilt)
    assert path.read_bytes() == original  # the entry was rewritten, intact
    assert load_network(source, cache_dir=tmp_path).cache_status == "hit"


_NO_STREETS = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <bounds minlat="30.66" minlon="104.06" maxlat="30.67" maxlon="104.07"/>
  <node id="1" lat="30.661" lon="104.061"><tag k="amenity" v="cafe"/></node>
  <node id="2" lat="30.662" lon="104.062"/>
  <node id="3" lat="30.663" lon="104.063"/>
  <way id="10"><nd ref="2"/><nd ref="3"/><tag k="building" v="yes"/></way>
</osm>
"""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.osm", None, "does not exist"),
        ("empty.osm", b"", "is empty"),
        ("notes.osm", b"hello, this is not XML\n", "cannot read OSM file"),
        ("data.osm.pbf", b'{"json": true}\n', "cannot read OSM file"),
        ("streets.txt", b"<osm></osm>", "not an OSM file name"),
        ("no-streets.osm", _NO_STREETS.encode(), "contains no streets"),
    ],
)
def test_bad_files_raise_one_clear_error(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NetworkSourceError, match=expected) as info:
        load_network(NetworkSource.from_file(path), cache_dir=tmp_path)
    assert str(path.name) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("suffix", [".osm.bz2", ".osm.pbf"])
def test_truncated_extract_is_rejected(
    chengdu_bz2: Path, chengdu_pbf: Path, tmp_path: Path, suffix: str
) -> None:
    source = chengdu_bz2 if suffix == ".osm.bz2" else chengdu_pbf
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(source.read_bytes()[: source.stat().st_size // 3])
    with pytest.raises(NetworkSourceError, match="truncated"):
        load_network(NetworkSource.from_file(cut), cache_dir=tmp_path)
    assert not list(tmp_path.rglob("*.net"))  # nothing cached for a bad file


def test_bbox_source_validation() -> None:
    with pytest.raises(NetworkSourceError, match="west < east"):
        NetworkSource.from_bbox(104.1, 30.6, 104.0, 30.7)
    with pytest.raises(NetworkSourceError, match="positive"):
        NetworkSource.from_point(30.6, 104.0, 0)
    with pytest.raises(NetworkSourceError, match="empty"):
        NetworkSource.from_place("  ")


def test_online_source_without_network_says_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point the real client at a closed local port: a genuine failed connection, no internet.
    monkeypatch.setattr(ox.settings, "overpass_url", "http://127.0.0.1:9/api")
    monkeypatch.setattr(ox.settings, "nominatim_url", "http://127.0.0.1:9/")
    monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    for source in (
        NetworkSource.from_bbox(104.06, 30.66, 104.07, 30.67),
        NetworkSource.from_place("Jinjiang District, Chengdu"),
    ):
        with pytest.raises(OfflineError, match="no network access"):
            load_network(source, cache_dir=tmp_path)


@pytest.mark.online
def test_online_point_query(tmp_path: Path) -> None:
    net = load_network(NetworkSource.from_point(30.6598, 104.0633, 500), cache_dir=tmp_path)
    assert net.stats()["walk"]["nodes"] > 50
    assert load_network(net.source, cache_dir=tmp_path).cache_status == "hit"
