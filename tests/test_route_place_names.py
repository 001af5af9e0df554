"""``tours route`` takes city-pack place ids and names as well as coordinates."""

from __future__ import annotations

from _cli import one_error as _one_error
from click.testing import CliRunner

from tours.cli import cli
from tours.places.pack import load_city_pack


def test_route_takes_place_ids_and_names(runner: CliRunner) -> None:
    pack = load_city_pack(None)
    wenshu, square = pack.place("wenshu-monastery"), pack.place("tianfu-square")
    by_name = runner.invoke(cli, ["route", "wenshu-monastery", "Tianfu Square"])
    by_coords = runner.invoke(
        cli, ["route", f"{wenshu.lat},{wenshu.lon}", f"{square.lat},{square.lon}"]
    )
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_coords.output
    # 3.1 km before the square itself (way 499418546, area=yes with no highway tag) was walked
    assert "Distance: 2.85 km" in by_name.output


def test_route_unknown_place_suggests_ids(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["route", "wenshu", "30.6598,104.0633"])
    assert result.exit_code == 2
    assert "did you mean `wenshu-monastery`" in _one_error(result.output)
    malformed = runner.invoke(cli, ["route", "30.6598;", "30.6598,104.0633"])
    assert malformed.exit_code == 2
    assert "is not `lat,lon`" in _one_error(malformed.output)
