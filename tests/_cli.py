"""Helpers for tests of ``tours`` commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from tours.cli import cli
from tours.itinerary import Itinerary

#: What ``--formats ics,gpx,csv`` leaves in a plan's output folder, sorted.
ICS_GPX_CSV_FOLDER = ["itinerary.csv", "itinerary.gpx", "itinerary.ics", "itinerary.json"]


def files_written(result: Result, out: Path) -> list[str]:
    """The names of the files in *out* (sorted) after *result*, a command that succeeded."""
    assert result.exit_code == 0, result.output
    return sorted(p.name for p in out.iterdir())


def plan_with_cli(request_file: Path, out: Path, *options: str) -> tuple[Result, Itinerary]:
    """``tours plan REQUEST_FILE -o OUT OPTIONS…``, which must succeed, and the itinerary it
    wrote."""
    result = CliRunner().invoke(cli, ["plan", str(request_file), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return result, Itinerary.load(out / "itinerary.json")


def one_error(output: str) -> str:
    """The one ``Error:`` line of a command's output (no traceback, no second error)."""
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


def write_request(tmp_path: Path, text: str, name: str = "req.yaml") -> Path:
    """*text* written as the request file *name* in *tmp_path*."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_line_exit_2(result: Result, *needles: str) -> str:
    """The output of a refused command: exit code 2, one line holding each of *needles*."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = result.output.strip()
    assert "Traceback" not in text
    assert len(text.splitlines()) == 1, text
    for needle in needles:
        assert needle in text, text
    return text
