"""``tours plan FOLDER``: independent requests planned on the Dask engine (batch mode)."""

from __future__ import annotations

from pathlib import Path

from checker import assert_feasible
from click.testing import CliRunner
from test_conference import _request

from routing import StreetNetwork
from tours.cli import cli
from tours.itinerary import Itinerary
from tours.planning.request import city_pack_for, load_request


def test_a_folder_of_requests_is_planned_into_one_folder_each(
    tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    for name, hotel in (("Leeds", "crowne-plaza-city-center"), ("York", "temple-house")):
        (folder / f"{name.lower()}.yaml").write_text(_request(name, hotel, "en"), "utf-8")
    out = tmp_path / "out"
    args = ["plan", str(folder), "-o", str(out), "--threads", "--workers", "1"]
    result = CliRunner().invoke(cli, [*args, "--iterations", "100", "--formats", "none"])
    assert result.exit_code == 0, result.output
    assert "Planned 2 request(s)" in result.output
    for stem in ("leeds", "york"):
        itinerary = Itinerary.load(out / stem / "itinerary.json")
        request = load_request(folder / f"{stem}.yaml")
        assert_feasible(
            itinerary, request=request, pack=city_pack_for(request), network=chengdu_net
        )
        assert itinerary.total_priority == 16  # alone, each meets both parks' managers


def test_a_bad_request_in_the_folder_stops_before_planning(tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "a.yaml").write_text(_request("A", "crowne-plaza-city-center", "en"), "utf-8")
    (folder / "b.yaml").write_text("title: B\ndelegation: {name: B}\n", "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["plan", str(folder), "-o", str(out)])
    assert result.exit_code == 2
    assert "b.yaml" in result.output
    assert "dates" in result.output
    assert not out.exists()
