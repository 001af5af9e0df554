"""Output folders: unusable folders, nothing half-written, no outputs of an earlier plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli import one_error as _one_error
from click.testing import CliRunner
from conftest import DEMO_REQUEST as DEMO_FILE

from tours._atomic import staged_outputs
from tours._errors import OutputError
from tours.cli import cli
from tours.outputs import remove_outdated_outputs, remove_stale_day_maps


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
