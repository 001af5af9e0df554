"""The vector base map read from the shared Chengdu extract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from routing._errors import NetworkSourceError
from routing.basemap import basemap_cache_dir, load_basemap

# Declared bounds of the extract (ways crossing the edge are kept whole).
EXTRACT = (104.0421, 30.6528, 104.1296, 30.7279)


def _coords(collection: dict[str, Any]) -> np.ndarray:
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    return np.concatenate([shapely.get_coordinates(g) for g in geoms])


def _by_key(collection: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["properties"]["layer"], f["properties"]["class"]): f for f in _drawn(collection)}


def _drawn(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The features drawn as lines and areas (not the name labels, see test_basemap_labels)."""
    return [f for f in collection["features"] if f["properties"]["layer"] != "label"]


def test_layers_classes_and_lon_lat_order(chengdu_bz2: Path, tmp_path: Path) -> None:
    bm = load_basemap(chengdu_bz2, cache_dir=tmp_path)
    assert bm["type"] == "FeatureCollection"
    keys = _by_key(bm)
    assert len(keys) == len(_drawn(bm))  # one feature per (layer, class)
    assert {layer for layer, _ in keys} == {"street", "water", "park"}
    for cls in ("primary", "secondary", "tertiary", "residential", "footway", "pedestrian"):
        assert ("street", cls) in keys
    assert ("water", "river") in keys
    assert ("park", "park") in keys
    assert keys[("street", "primary")]["geometry"]["type"] == "MultiLineString"
    assert keys[("park", "park")]["geometry"]["type"] == "MultiPolygon"
    # motorway_link etc. count as their road class
    assert not any(cls.endswith("_link") for _, cls in keys)
    xy = _coords(bm)
    lon, lat = xy[:, 0], xy[:, 1]
    assert lon.min() > 103.9 and lon.max() < 104.3  # GeoJSON order: lon first
    assert lat.min() > 30.5 and lat.max() < 30.9
    assert np.allclose(xy, np.round(xy, 5), atol=1e-9)  # rounded to 5 decimals
    assert len(json.dumps(bm)) < 600_000  # whole extract: a few hundred kB


def test_bbox_clips_and_pbf_matches_bz2(
    chengdu_bz2: Path, chengdu_pbf: Path, tmp_path: Path
) -> None:
    box = (104.055, 30.650, 104.085, 30.670)  # Tianfu Square to the hotel
    a = load_basemap(chengdu_bz2, bbox=box, cache_dir=tmp_path / "a")
    b = load_basemap(chengdu_pbf, bbox=box, cache_dir=tmp_path / "b")
    assert a == b
    xy = _coords(a)
    assert xy[:, 0].min() >= box[0] - 1e-5
    assert xy[:, 0].max() <= box[2] + 1e-5
    assert xy[:, 1].min() >= box[1] - 1e-5
    assert xy[:, 1].max() <= box[3] + 1e-5
    whole = load_basemap(chengdu_bz2, cache_dir=tmp_path / "a")
    assert len(json.dumps(a)) < len(json.dumps(whole)) / 2


def test_cache_is_content_addressed_and_reused(chengdu_pbf: Path, tmp_path: Path) -> None:
    box = (104.06, 30.65, 104.08, 30.67)
    first = load_basemap(chengdu_pbf, bbox=box, cache_dir=tmp_path)
    files = sorted(basemap_cache_dir(tmp_path).iterdir())
    assert len(files) == 1
    assert files[0].suffix == ".json"
    assert json.loads(files[0].read_text(encoding="utf-8")) == first
    # a second call reads the cache: corrupting nothing, same answer, no new file
    assert load_basemap(chengdu_pbf, bbox=box, cache_dir=tmp_path) == first
    assert sorted(basemap_cache_dir(tmp_path).iterdir()) == files
    # another box is another entry
    load_basemap(chengdu_pbf, bbox=(104.06, 30.65, 104.09, 30.67), cache_dir=tmp_path)
    assert len(list(basemap_cache_dir(tmp_path).iterdir())) == 2


def test_default_cache_dir_follows_environment(
    chengdu_pbf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOURS_CACHE_DIR", str(tmp_path))
    load_basemap(chengdu_pbf, bbox=(104.06, 30.65, 104.07, 30.66))
    assert len(list((tmp_path / "basemap").glob("*.json"))) == 1


def test_bad_inputs_raise_routing_errors(chengdu_pbf: Path, tmp_path: Path) -> None:
    with pytest.raises(NetworkSourceError, match="not found"):
        load_basemap(tmp_path / "missing.osm.pbf", cache_dir=tmp_path)
    with pytest.raises(NetworkSourceError, match=r"`bbox`.*\(104\.1, 30\.6, 104\.0, 30\.7\)"):
        load_basemap(chengdu_pbf, bbox=(104.1, 30.6, 104.0, 30.7), cache_dir=tmp_path)
    junk = tmp_path / "junk.osm"
    junk.write_text("this is not xml", encoding="utf-8")
    with pytest.raises(NetworkSourceError, match="cannot read OSM file"):
        load_basemap(junk, cache_dir=tmp_path)
