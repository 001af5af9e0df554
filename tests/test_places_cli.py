"""`tours places`: list, filter, show and search, with exit code 2 for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from tours.cli import cli
from tours.places.pack import default_city_pack_dir


def _osm(chengdu_bz2: Path) -> list[str]:
    return ["--osm", str(chengdu_bz2)]


def test_list_json_with_network_flags(runner: CliRunner, chengdu_bz2: Path) -> None:
    result = runner.invoke(cli, ["places", "--json", *_osm(chengdu_bz2)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["id"]: r for r in data["places"]}
    assert data["city"] == "chengdu" and len(rows) >= 25
    assert rows["wenshu-monastery"]["in_network"] is True
    assert rows["wenshu-monastery"]["snap_m"] < 250
    assert rows["wenshu-monastery"]["name_zh"] == "文殊院"
    assert rows["wuhou-shrine"]["in_network"] is False
    assert rows["wuhou-shrine"]["snap_m"] is None
    assert rows["wuhou-shrine"]["network_note"] == "no: outside extract"


def test_table_shows_names_hours_and_network(runner: CliRunner, chengdu_bz2: Path) -> None:
    result = runner.invoke(cli, ["places", "--category", "temple", *_osm(chengdu_bz2)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("wenshu-monastery", "文殊院", "Mo-Su 08:00-17:00", "75 min", "yes (",
                 "wuhou-shrine", "no: outside extract"):  # fmt: skip
        assert text in out, text
    assert "chengdu-museum" not in out


def test_open_on_filters_closed_places(runner: CliRunner) -> None:
    monday = runner.invoke(
        cli, ["places", "--open-on", "2026-05-04", "--category", "museum", "--json", "--no-network"]
    )
    assert monday.exit_code == 0, monday.output
    ids = {r["id"]: r for r in json.loads(monday.stdout)["places"]}
    assert "chengdu-museum" not in ids and "sichuan-museum" not in ids
    assert ids["du-fu-thatched-cottage"]["open_intervals"] == [
        ["2026-05-04T08:00:00+08:00", "2026-05-04T20:00:00+08:00"]
    ]
    tuesday = runner.invoke(
        cli, ["places", "--open-on", "2026-05-05", "--category", "museum", "--json", "--no-network"]
    )
    assert "chengdu-museum" in {r["id"] for r in json.loads(tuesday.stdout)["places"]}


def test_show_reports_osm_match_and_sources(runner: CliRunner, chengdu_bz2: Path) -> None:
    result = runner.invoke(cli, ["places", "show", "chengdu-museum", *_osm(chengdu_bz2)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Chengdu Museum / 成都博物馆" in out
    assert "OSM match     way/430059278 '成都博物馆' by osm_id, 0 m" in out
    assert "in network    yes (" in out
    assert "https://www.openstreetmap.org/way/430059278" in out and "checked 2026-11-26" in out


def test_show_outside_place_flags_it(runner: CliRunner, chengdu_bz2: Path) -> None:
    result = runner.invoke(cli, ["places", "show", "panda-base", "--json", *_osm(chengdu_bz2)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["in_network"] is False and data["snap_m"] is None
    assert data["osm_match"]["method"] is None


def test_search_finds_features_in_any_script(runner: CliRunner, chengdu_bz2: Path) -> None:
    result = runner.invoke(cli, ["places", "search", "文殊", "--json", *_osm(chengdu_bz2)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert "way/267220336" in [r["osm_id"] for r in rows]
    latin = runner.invoke(cli, ["places", "search", "Eastern Suburb", *_osm(chengdu_bz2)])
    assert latin.exit_code == 0
    none = runner.invoke(cli, ["places", "search", "zzqqxx", *_osm(chengdu_bz2)])
    assert none.exit_code == 0 and "no OSM feature" in none.stdout


def test_unknown_id_exits_2_with_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["places", "show", "wenshu", "--no-network"])
    assert result.exit_code == 2
    assert "did you mean `wenshu-monastery`" in result.output
    assert "Traceback" not in result.output


def test_bad_date_and_category_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["places", "--open-on", "tomorrow"]).exit_code == 2
    assert runner.invoke(cli, ["places", "--category", "zoo"]).exit_code == 2


def test_bad_city_pack_exits_2_naming_file_place_and_field(
    runner: CliRunner, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("city.yaml", "places.yaml"):
        shutil.copy(default_city_pack_dir() / name, pack / name)
    places = pack / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace(
            'opening_hours: "Mo-Su 08:00-17:00"', 'opening_hours: "Mo-Su 8 to 5"', 1
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["places", "--city-pack", str(pack), "--no-network"])
    assert result.exit_code == 2
    assert "places.yaml" in result.output and "place `wenshu-monastery`" in result.output
    assert "field `opening_hours`" in result.output
    shown = runner.invoke(cli, ["places", "--city-pack", str(pack), "show", "jinli"])
    assert shown.exit_code == 2 and "field `opening_hours`" in shown.output
