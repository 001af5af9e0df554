"""Saved itinerary files, output folders (unusable, stale outputs), long words in the print,
fixed items at closed venues, place names in ``tours route`` (each found in review).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from _sample import sample_itinerary
from click.testing import CliRunner
from conftest import DEMO_REQUEST as DEMO_FILE

from maps.print_pdf import html_to_pdf, render_print_html
from tours._atomic import staged_outputs
from tours._errors import OutputError
from tours.cli import cli
from tours.outputs import remove_outdated_outputs, remove_stale_day_maps
from tours.places.pack import load_city_pack


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "plan" / "itinerary.json"
    path.parent.mkdir()
    path.write_text(sample_itinerary().to_json(), encoding="utf-8")
    return path


def _one_error(output: str) -> str:
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


# -- saved itineraries -------------------------------------------------------------------------


def test_itinerary_of_another_schema_version_is_refused(
    runner: CliRunner, saved: Path, tmp_path: Path
) -> None:
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["schema_version"] = "2.0"
    data["days"][0]["new_field"] = 1  # a v2 file differs elsewhere too: the version is named
    saved.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["export", str(saved), "--formats", "csv", "-o", str(out)])
    assert result.exit_code == 2
    line = _one_error(result.output)
    assert "`schema_version`" in line and "'2.0'" in line and "1.x" in line
    assert not out.exists()


def test_non_utf8_itinerary_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "itinerary.json"
    bad.write_bytes(b"\xff\xfe{\x00")
    result = runner.invoke(cli, ["map", str(bad), "--no-basemap", "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "not UTF-8" in _one_error(result.output)


# -- output folders ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["export", "map", "plan"])
def test_output_folder_below_a_file_is_one_line_exit_2(
    runner: CliRunner, saved: Path, tmp_path: Path, command: str
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "sub"
    args = {
        "export": ["export", str(saved), "--formats", "csv"],
        "map": ["map", str(saved), "--no-basemap"],
        "plan": ["plan", str(DEMO_FILE), "--formats", "none", "--no-progress"],
    }[command]
    result = runner.invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 2
    line = _one_error(result.output)
    assert f"`{out}`" in line and "is a file, not a folder" in line
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_staged_outputs_check_every_target_before_moving_any(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "b.txt").mkdir(parents=True)  # a folder where an output file should go
    with (
        pytest.raises(OutputError, match="a folder has that name"),
        staged_outputs(out) as stage,
    ):
        (stage / "a.txt").write_text("new", encoding="utf-8")
        (stage / "b.txt").write_text("new", encoding="utf-8")
    assert not (out / "a.txt").exists()  # nothing half-written
    assert [p.name for p in out.iterdir()] == ["b.txt"]


# -- stale day maps ----------------------------------------------------------------------------


def test_map_removes_day_maps_of_an_earlier_longer_plan(
    runner: CliRunner, saved: Path, tmp_path: Path
) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    for name in ("day-3.html", "day-12.html", "day-notes.html", "day-0.html"):
        (out / name).write_text("old plan", encoding="utf-8")
    result = runner.invoke(cli, ["map", str(saved), "--no-basemap", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "day-0.html",  # not one of ours: kept
        "day-1.html",
        "day-2.html",
        "day-notes.html",
        "overview.html",
    ]


def test_remove_stale_day_maps_keeps_the_current_days(tmp_path: Path) -> None:
    for n in (1, 2, 3):
        (tmp_path / f"day-{n}.html").write_text("x", encoding="utf-8")
    assert remove_stale_day_maps(tmp_path, days=2) == [tmp_path / "day-3.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day-1.html", "day-2.html"]


def test_plan_leaves_no_outputs_of_an_earlier_plan(tmp_path: Path) -> None:
    for name in ("itinerary.pdf", "itinerary.ics", "overview.html", "day-1.html", "notes.txt"):
        (tmp_path / name).write_text("old plan", encoding="utf-8")
    removed = remove_outdated_outputs(tmp_path, keep={"itinerary.json", "itinerary.ics"})
    assert sorted(p.name for p in removed) == ["day-1.html", "itinerary.pdf", "overview.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["itinerary.ics", "notes.txt"]


# -- the print ---------------------------------------------------------------------------------


def test_pdf_wraps_a_very_long_title_instead_of_clipping_it(tmp_path: Path) -> None:
    word = "Delegation" + "X" * 300 + "End"
    itinerary = sample_itinerary().model_copy(update={"title": word})
    html = render_print_html(itinerary, map_pngs=[None] * len(itinerary.days), for_pdf=True)
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(html_to_pdf(html))
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert word in text.replace("\n", "")


# -- fixed items at closed venues ---------------------------------------------------------------


def _demo_with(tmp_path: Path, edit: dict[str, object]) -> Path:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    data.update(edit)
    path = tmp_path / "req.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_appointment_and_meal_at_a_closed_venue_are_warned(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    evening = {
        "title": "Evening at the monastery",
        "place": "wenshu-monastery",  # Mo-Su 08:00-17:00
        "date": "2025-03-22",
        "start": "19:00",
        "end": "20:00",
    }
    meals = data["meals"]
    meals[1] = {
        **meals[1],
        "place": "wenshu-monastery",
        "window": {"start": "17:10", "end": "18:40"},
    }
    del meals[2]
    request = _demo_with(
        tmp_path, {"appointments": [*data["appointments"], evening], "meals": meals}
    )
    result = runner.invoke(cli, ["check", str(request), "--no-network"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, result.output
    assert "`appointments[4].place`" in warnings[0]
    assert "'Evening at the monastery'" in warnings[0] and "Mo-Su 08:00-17:00" in warnings[0]
    assert "`meals[1].place`" in warnings[1] and "2025-03-22" in warnings[1]


def test_the_demo_has_no_closed_venue_warnings(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(DEMO_FILE), "--no-network"])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output


# -- tours route with place names ---------------------------------------------------------------


def test_route_takes_place_ids_and_names(runner: CliRunner) -> None:
    pack = load_city_pack(None)
    wenshu, square = pack.place("wenshu-monastery"), pack.place("tianfu-square")
    by_name = runner.invoke(cli, ["route", "wenshu-monastery", "Tianfu Square"])
    by_coords = runner.invoke(
        cli, ["route", f"{wenshu.lat},{wenshu.lon}", f"{square.lat},{square.lon}"]
    )
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_coords.output
    assert "Distance: 3.1" in by_name.output


def test_route_unknown_place_suggests_ids(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["route", "wenshu", "30.6598,104.0633"])
    assert result.exit_code == 2
    assert "did you mean `wenshu-monastery`" in _one_error(result.output)
    malformed = runner.invoke(cli, ["route", "30.6598;", "30.6598,104.0633"])
    assert malformed.exit_code == 2
    assert "is not `lat,lon`" in _one_error(malformed.output)
