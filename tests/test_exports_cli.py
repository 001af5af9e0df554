"""``tours export`` and the all-or-nothing output folder of :func:`tours.outputs.write_exports`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _cli import files_written
from _pdf import pdf_text
from _sample import sample_itinerary
from click.testing import CliRunner

import maps.csv_export
from tours._errors import InputError
from tours.cli import cli
from tours.itinerary import Itinerary
from tours.outputs import write_exports


def test_interrupted_run_leaves_previous_files_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = write_exports(sample_itinerary(), out, formats={"pdf", "ics", "csv"})
    before = {p.name: p.read_bytes() for p in first}

    def interrupted(_itinerary: object) -> bytes:
        raise KeyboardInterrupt

    # The CSV is written last: the new ICS (and the PDF, rendered beside it) are already
    # staged when the run stops.
    monkeypatch.setattr(maps.csv_export, "csv_bytes", interrupted)
    changed = sample_itinerary().to_json().replace("Opening ceremony", "Welcome talk")
    with pytest.raises(KeyboardInterrupt):
        write_exports(Itinerary.from_json(changed), out, formats={"pdf", "ics", "csv"})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unknown_format_names_the_value() -> None:
    with pytest.raises(InputError, match=r"`formats`: 'docx' is not an output"):
        write_exports(sample_itinerary(), Path("unused"), formats={"pdf", "docx"})


def test_cli_exports_chosen_formats(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    result = CliRunner().invoke(
        cli, ["export", str(saved), "--formats", "ics,gpx,csv", "-o", str(out)]
    )
    assert files_written(result, out) == ["itinerary.csv", "itinerary.gpx", "itinerary.ics"]
    assert [Path(line).name for line in result.stdout.splitlines()] == [
        "itinerary.ics",
        "itinerary.gpx",
        "itinerary.csv",
    ]


def test_cli_draws_the_base_map_from_the_osm_extract(
    saved: Path, tmp_path: Path, chengdu_pbf: Path
) -> None:
    plain, based = tmp_path / "plain", tmp_path / "based"
    runner = CliRunner()
    for out, extra in ((plain, ["--no-basemap"]), (based, ["--osm", str(chengdu_pbf)])):
        result = runner.invoke(
            cli, ["export", str(saved), "--formats", "pdf", "-o", str(out), *extra]
        )
        assert result.exit_code == 0, result.output
    text = pdf_text(based / "itinerary.pdf")
    assert "Wenshu Monastery" in text
    assert "文殊院" in text
    # streets, water and parks make the day maps far richer than routes on a plain background
    images = subprocess.run(
        ["pdfimages", "-list", str(based / "itinerary.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert [line.split()[2] for line in images.splitlines()[2:]] == ["image", "image"]
    assert (based / "itinerary.pdf").stat().st_size > 2 * (plain / "itinerary.pdf").stat().st_size


def test_cli_rejects_bad_formats_and_missing_files(saved: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["export", str(saved), "--formats", "pdf,docx"])
    assert bad.exit_code == 2
    assert "'docx' is not an output" in bad.output
    missing = runner.invoke(cli, ["export", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": 3}', encoding="utf-8")
    result = runner.invoke(cli, ["export", str(broken), "--formats", "csv"])
    assert result.exit_code == 2
    assert "tours plan" in result.output
    assert "Traceback" not in result.output
