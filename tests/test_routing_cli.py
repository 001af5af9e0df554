"""``tours network info``, ``tours network clear-cache`` and ``tours route`` via CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import osmnx as ox
import pytest
from _cli import one_error as _one_line_error
from click.testing import CliRunner

from tours.cli import cli

TIANFU_SQUARE = "30.6598,104.0633"
CHUNXI_ROAD = "30.6560,104.0800"
NEAR_TIANFU = "30.6612,104.0650"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TOURS_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def test_network_info_reports_cache_miss_then_hit(runner: CliRunner, chengdu_bz2: Path) -> None:
    first = runner.invoke(cli, ["network", "info", "--osm", str(chengdu_bz2)])
    assert first.exit_code == 0, first.output
    assert "Bounds:  W 104.0421  S 30.6528  E 104.1296  N 30.7279" in first.output
    assert "Modes:   walk, coach, mixed" in first.output
    assert "Walk:    9,398 nodes" in first.output  # squares walked across (was 9,264, 9,363)
    assert "Coach:   6,552 nodes" in first.output
    assert "Cache:   miss" in first.output
    second = runner.invoke(cli, ["network", "info", "--osm", str(chengdu_bz2)])
    assert "Cache:   hit" in second.output
    entry = second.output.split("Cache:   hit")[1].strip()
    assert Path(entry).is_file()
    cleared = runner.invoke(cli, ["network", "clear-cache"])
    assert cleared.exit_code == 0
    assert "Removed 1 cached network" in cleared.output
    assert not Path(entry).exists()


def test_network_info_defaults_to_the_city_extract(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["network", "info"])
    assert result.exit_code == 0, result.output
    assert "chengdu-central-2018.osm.bz2" in result.output


def test_route_prints_and_writes_geojson(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "leg.geojson"
    result = runner.invoke(
        cli, ["route", TIANFU_SQUARE, CHUNXI_ROAD, "--mode", "walk", "--geojson", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Mode:     walk" in result.output
    assert "Distance: " in result.output
    assert "Duration: " in result.output
    data = json.loads(out.read_text())
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    coords = feature["geometry"]["coordinates"]
    assert coords[0] == [104.0633, 30.6598]
    assert coords[-1] == [104.08, 30.656]
    assert len(coords) > 10
    km = float(result.output.split("Distance: ")[1].split(" km")[0])
    assert km == pytest.approx(feature["properties"]["distance_m"] / 1000, abs=0.006)


def test_route_modes(runner: CliRunner) -> None:
    coach = runner.invoke(cli, ["route", TIANFU_SQUARE, CHUNXI_ROAD, "--mode", "coach"])
    assert coach.exit_code == 0, coach.output
    assert "Mode:     coach" in coach.output
    assert "incl. 10 min boarding/parking" in coach.output
    short = runner.invoke(cli, ["route", TIANFU_SQUARE, NEAR_TIANFU, "--mode", "mixed"])
    assert "Mode:     walk" in short.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["route", "30.6,x", CHUNXI_ROAD], "is not `lat,lon`"),
        (["route", "104.06,30.66", CHUNXI_ROAD], "did you swap them"),
        (["route", TIANFU_SQUARE, CHUNXI_ROAD, "--mode", "bike"], "'bike' is not one of"),
        (["route", "30.6466,104.0480", CHUNXI_ROAD], "`FROM` (30.6466, 104.048) is outside"),
        (["route", TIANFU_SQUARE, "30.80,104.08"], "`TO` (30.8, 104.08) is outside"),
        (["network", "info", "--bbox", "104.1,30.6,104.0"], "is not `W,S,E,N`"),
        (["network", "info", "--bbox", "104.1,30.6,104.0,30.7"], "need west < east"),
        (["network", "info", "--osm", "a.osm", "--place", "Chengdu"], "only one network source"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    runner: CliRunner, args: list[str], expected: str
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert expected in _one_line_error(result.output)


_NO_STREETS = b"""<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6"><node id="1" lat="30.661" lon="104.061"/></osm>
"""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.osm.pbf", None, "does not exist"),
        ("empty.osm", b"", "is empty"),
        ("bad.osm", b"plain text, not OSM\n", "cannot read OSM file"),
        ("cut.osm.bz2", "truncate", "truncated or not OSM data"),
        ("park.osm", _NO_STREETS, "contains no streets"),
    ],
)
def test_bad_osm_files_exit_2(
    *,
    runner: CliRunner,
    tmp_path: Path,
    chengdu_bz2: Path,
    name: str,
    content: bytes | str | None,
    expected: str,
) -> None:
    path = tmp_path / name
    if content == "truncate":
        path.write_bytes(chengdu_bz2.read_bytes()[:50_000])
    elif isinstance(content, bytes):
        path.write_bytes(content)
    for args in (["network", "info"], ["route", TIANFU_SQUARE, CHUNXI_ROAD]):
        result = runner.invoke(cli, [*args, "--osm", str(path)])
        assert result.exit_code == 2, result.output
        line = _one_line_error(result.output)
        assert expected in line
        assert name in line


def test_online_source_offline_exits_2(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ox.settings, "overpass_url", "http://127.0.0.1:9/api")
    monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    result = runner.invoke(cli, ["network", "info", "--bbox", "104.06,30.66,104.07,30.67"])
    assert result.exit_code == 2, result.output
    assert "no network access" in _one_line_error(result.output)
