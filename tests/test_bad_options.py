"""Bad command-line options: empty or overlong folder names, non-finite numbers, huge delays,
a cache folder that is a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli import one_line_exit_2 as _one_line_exit_2
from click.testing import CliRunner
from test_hostile_requests import BASE

from tours.cli import cli


def test_empty_output_folder(saved: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(saved), "--formats", "csv", "-o", ""])
    assert result.exit_code == 2  # a usage error: click adds its usage line
    assert "Invalid value for '-o' / '--out': the folder name is empty" in result.output


def test_output_name_too_long(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / ("n" * 300)
    result = CliRunner().invoke(cli, ["export", str(saved), "--formats", "csv", "-o", str(out)])
    _one_line_exit_2(result, "longer than")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e400"])
def test_time_limit_must_be_finite(tmp_path: Path, value: str) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(BASE)
    result = CliRunner().invoke(
        cli, ["plan", str(request), "-o", str(tmp_path / "o"), "--time-limit", value]
    )
    assert result.exit_code == 2
    assert "--time-limit" in result.output
    assert not (tmp_path / "o").exists()


def test_huge_delay_is_refused(saved: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "replan",
            str(saved),
            "--now",
            "2025-03-21 12:00",
            "--delay",
            "99999999999",
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "--delay" in result.output


def test_cache_folder_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from routing import CacheError  # noqa: PLC0415
    from routing._cache import read_entry, write_atomic  # noqa: PLC0415

    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOURS_CACHE_DIR", str(blocker))
    with pytest.raises(CacheError, match="is a file, not a folder"):
        write_atomic(blocker / "networks" / "x.net", b"data")
    with pytest.raises(CacheError, match="TOURS_CACHE_DIR"):
        read_entry(blocker / "networks" / "x.net")
