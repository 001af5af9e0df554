"""Fixed items (appointments, meals) at a venue closed at that time are warned about."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import DEMO_REQUEST as DEMO_FILE

from tours.cli import cli


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
