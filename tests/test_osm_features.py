"""OSM features read with pyosmium: PBF and XML alike, clipped extracts, the cache."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from _osm_files import KREMS_BZ2, MONACO_CLIP, MONACO_PBF, clip, convert

from tours.places import osm_features
from tours.places.osm_features import load_feature_set, search_features


def _rows(path: Path) -> list[dict]:
    return [asdict(f) for f in load_feature_set(path, cache=False).features]


def test_pbf_and_xml_of_monaco_give_the_same_features(tmp_path: Path) -> None:
    xml = convert(MONACO_PBF, tmp_path / "monaco.osm")
    pbf_rows, xml_rows = _rows(MONACO_PBF), _rows(xml)
    assert len(pbf_rows) == len(xml_rows) == 583
    assert pbf_rows == xml_rows
    forum = next(r for r in pbf_rows if r["osm_id"] == "node/1699777422")
    assert forum["names"] == {"name": "Grimaldi Forum"}
    assert forum["version"] == 1 and forum["timestamp"] == "2012-03-31T16:05:16Z"


def test_krems_bz2_and_pbf_give_the_same_features(tmp_path: Path) -> None:
    pbf = convert(KREMS_BZ2, tmp_path / "krems.osm.pbf")
    bz2_set = load_feature_set(KREMS_BZ2, cache=False)
    pbf_set = load_feature_set(pbf, cache=False)
    assert [asdict(f) for f in bz2_set.features] == [asdict(f) for f in pbf_set.features]
    assert bz2_set.bounds == pbf_set.bounds
    hours = {f.name: f.tags["opening_hours"] for f in bz2_set.features if "opening_hours" in f.tags}
    assert len(hours) >= 30
    assert hours["Café Fünf Sinne"] == "Mo-Fr 09:30-22:00; Sa 09:30-13:30; Su 17:00-21:00; SH off"


def test_a_clipped_extract_keeps_points_and_counts_the_cut(tmp_path: Path) -> None:
    cut = clip(MONACO_PBF, tmp_path / "monaco-clipped.osm.pbf", MONACO_CLIP)
    full = load_feature_set(MONACO_PBF, cache=False)
    part = load_feature_set(cut, cache=False)
    assert 100 < len(part.features) < len(full.features)
    assert part.clipped > full.clipped
    cut_ways = [f for f in part.features if f.clipped and f.osm_id.startswith("way/")]
    assert cut_ways, "the box cuts named ways"
    west, south, east, north = MONACO_CLIP
    for feature in cut_ways:  # the point lies on the part inside the box
        assert west - 1e-7 <= feature.lon <= east + 1e-7
        assert south - 1e-7 <= feature.lat <= north + 1e-7
    warning = part.warning()
    assert warning is not None and warning.count("\n") == 0
    assert f"{part.clipped} named element(s) cut at the edge" in warning
    found = [f.osm_id for f, _score in search_features(part.features, "Palais Princier")]
    assert "way/38545604" in found


def test_features_are_cached_by_content(tmp_path: Path) -> None:
    copy = tmp_path / "copy.osm.pbf"
    copy.write_bytes(MONACO_PBF.read_bytes())
    osm_features._memory.clear()
    first = load_feature_set(copy)
    cached = list((osm_features._cache_dir()).glob("*.json"))
    assert cached, "a parsed feature set is written to the cache folder"
    osm_features._memory.clear()
    again = load_feature_set(copy)  # read back from disk
    assert again is not first and again.features == first.features
    assert again.clipped == first.clipped and again.bounds == first.bounds


def test_an_unreadable_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"not an OSM file at all")
    with pytest.raises(Exception, match="cannot read OSM features from") as info:
        load_feature_set(bad, cache=False)
    assert "\n" not in str(info.value)


def test_search_says_no_match_instead_of_unrelated_names() -> None:
    features = load_feature_set(MONACO_PBF).features
    assert search_features(features, "Wenshu Monastery") == []
    assert search_features(features, "Oceanographique")[0][0].osm_id == "way/23715051"
