"""One error family: a root for routing and tours errors, flags in CLI messages, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import routing
import tours
from tours.cli import cli, cli_words


def test_every_error_is_under_one_root_and_a_builtin() -> None:
    assert routing.RoutingError is tours.RoutingError
    for error in (tours.RoutingError, tours.TourError, tours.SnapError, tours.RequestError):
        assert issubclass(error, tours.Error)
    assert issubclass(tours.SnapError, ValueError)
    assert issubclass(tours.UnknownPlaceError, LookupError)
    assert issubclass(tours.OutputError, OSError)
    assert issubclass(tours.PlanningError, RuntimeError)
    conflict = tours.ConflictError(["`dates`: a", "`meals`: b"])
    assert isinstance(conflict, tours.PlanningError)
    assert isinstance(conflict, tours.RequestError)
    assert conflict.problems == ["`dates`: a", "`meals`: b"]


def test_cli_words_name_flags_for_python_parameters() -> None:
    assert cli_words("with `delay_min=60` the dinner is missed; shorten `delay_min`") == (
        "with `--delay 60` the dinner is missed; shorten `--delay`"
    )
    assert cli_words("give `skip=wenshu-monastery`") == "give `--skip wenshu-monastery`"
    assert cli_words("`now` 2025-03-23 09:00 is after the plan") == (
        "`--now` 2025-03-23 09:00 is after the plan"
    )
    assert cli_words("raise the budget's `time_limit`") == "raise the budget's `--time-limit`"
    # request fields keep their names
    assert cli_words("field `meals[0].window`: too short") == "field `meals[0].window`: too short"


def test_overlapping_appointments_are_a_conflict_exit_1(tmp_path: Path) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(
        "title: T\ndelegation: {name: X}\ndates: [2025-03-21]\nappointments:\n"
        "  - {title: A, place: chengdu-stage, date: 2025-03-21, start: '09:00', end: '12:00'}\n"
        "  - {title: B, place: chengdu-stage, date: 2025-03-21, start: '11:00', end: '13:00'}\n",
        encoding="utf-8",
    )
    with pytest.raises(tours.ConflictError, match=r"overlaps `appointments\[0\]` 'A'"):
        tours.load_request(request)
    result = CliRunner().invoke(cli, ["check", str(request), "--no-network"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "overlaps" in result.stderr


def test_a_bad_field_beside_a_conflict_is_bad_input_exit_2(tmp_path: Path) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(
        "title: T\ndelegation: {name: X}\ndates: [2025-03-21]\nappointments:\n"
        "  - {title: A, place: chengdu-stage, date: 2025-03-21, start: '09:00', end: '12:00'}\n"
        "  - {title: B, place: chengdu-stage, date: 2025-03-21, start: '11:00', end: '13:00'}\n"
        "  - {title: C, place: chengdu-stage, date: 2025-03-25, start: '10:00', end: '11:00'}\n",
        encoding="utf-8",
    )
    with pytest.raises(tours.RequestError) as info:
        tours.load_request(request)
    assert not isinstance(info.value, tours.PlanningError)
    assert len(info.value.problems) == 2
    result = CliRunner().invoke(cli, ["check", str(request), "--no-network"])
    assert result.exit_code == 2
