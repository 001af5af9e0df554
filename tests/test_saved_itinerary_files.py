"""Saved itinerary files: another schema version, or not UTF-8, is one clear line."""

from __future__ import annotations

import json
from pathlib import Path

from _cli import one_error as _one_error
from click.testing import CliRunner

from tours.cli import cli


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
