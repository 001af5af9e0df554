"""``tours plan``, ``tours check`` and ``tours schema`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _cli import ICS_GPX_CSV_FOLDER, files_written
from _cli import write_request as _write
from checker import assert_feasible
from click.testing import CliRunner
from conftest import DEMO_REQUEST as DEMO_FILE
from conftest import FAST_CLI as FAST

from routing import StreetNetwork
from tours.cli import cli
from tours.itinerary import Itinerary
from tours.planning.request import city_pack_for, load_request


def test_plan_demo_writes_itinerary_and_prints_summary(
    runner: CliRunner, tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["plan", str(DEMO_FILE), "-o", str(out), "--formats", "ics,gpx,csv", *FAST]
    )
    assert files_written(result, out) == ICS_GPX_CSV_FOLDER
    itinerary = Itinerary.load(out / "itinerary.json")
    request = load_request(DEMO_FILE)
    assert_feasible(itinerary, request=request, pack=city_pack_for(request), network=chengdu_net)
    text = result.stdout
    assert "Day 1, Fri 21 Mar 2025: " in text
    assert "Day 2, Sat 22 Mar 2025: " in text
    assert "19:00–21:00  Chinese-British dinner with the conference hosts @ Da Rong He" in text
    assert "visit Wenshu Monastery (must-see), priority 10" in text
    assert "Left out:\n  Wuhou Shrine: it lies 0.8 km outside the loaded street network\n" in text
    assert f"Wrote 4 file(s) to {out}:" in text


def test_plan_same_seed_same_file(runner: CliRunner, tmp_path: Path) -> None:
    texts = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = runner.invoke(
            cli, ["plan", str(DEMO_FILE), "-o", str(out), "--formats", "none", "--seed", "5", *FAST]
        )
        assert result.exit_code == 0, result.output
        texts.append((out / "itinerary.json").read_text(encoding="utf-8"))
    assert texts[0] == texts[1]


def test_plan_with_maps(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "maps"
    result = runner.invoke(
        cli, ["plan", str(DEMO_FILE), "-o", str(out), "--formats", "maps", *FAST]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "day-1.html",
        "day-2.html",
        "itinerary.json",
        "overview.html",
    ]


BAD_TIME = """\
title: Bad
delegation: {name: X}
dates: [2025-03-21]
appointments:
  - {title: Dinner, place: da-rong-he-shahe, date: 2025-03-21, start: "19:00", end: "25:00"}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BAD_TIME, "req.yaml, line 5, field `appointments[0].end`: '25:00' is not a time of day"),
        ("title: [unclosed\n", "req.yaml, line 2: YAML syntax error"),
        (
            BAD_TIME.replace('"25:00"', '"18:00"'),
            "field `appointments[0].end`: 'Dinner' ends at 18:00, not after its start 19:00",
        ),
        (
            BAD_TIME.replace('"25:00"', '"20:00"').replace("date: 2025-03-21", "date: 2025-03-23"),
            "field `appointments[0].date`: 2025-03-23 is not one of the requested `dates`",
        ),
        (
            BAD_TIME.replace('"25:00"', '"20:00"').replace("da-rong-he-shahe", "da-rong-he"),
            "field `appointments[0].place`: unknown place `da-rong-he` in city pack `chengdu`; "
            "did you mean `da-rong-he-shahe`",
        ),
    ],
)
def test_bad_requests_exit_2_and_write_nothing(
    runner: CliRunner, tmp_path: Path, text: str, expected: str
) -> None:
    request = _write(tmp_path, text)
    out = tmp_path / "out"
    for command in (["plan", str(request), "-o", str(out), *FAST], ["check", str(request)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert expected in result.stderr
        assert result.stderr.startswith("Error: ")
        assert len(result.stderr.strip().splitlines()) == 1
        assert not out.exists()


def test_conflict_exits_1_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    request = _write(
        tmp_path,
        "title: T\ndelegation: {name: X}\ndates: [2025-03-21]\n"
        "appointments:\n"
        "  - {title: Forum, place: hongxing-road-35, date: 2025-03-21, start: '09:00', "
        "end: '15:00'}\n"
        "  - {title: Talk, place: chengdu-stage, date: 2025-03-21, start: '15:45', end: '16:15'}\n"
        "places:\n  must_see: [wenshu-monastery]\n",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["plan", str(request), "-o", str(out), *FAST])
    assert result.exit_code == 1, result.output
    assert "Wenshu Monastery closes 17:00" in result.stderr
    assert not out.exists()
    check = runner.invoke(cli, ["check", str(request)])
    assert check.exit_code == 1
    assert "Wenshu Monastery closes 17:00" in check.stderr


def test_conflict_found_while_reading_exits_1_like_one_found_while_planning(
    runner: CliRunner, tmp_path: Path
) -> None:
    request = _write(
        tmp_path,
        BAD_TIME.replace('"25:00"', '"21:00"').replace("2025-03-21", "2025-03-24")
        + "places:\n  must_see: [chengdu-museum]\n",
    )
    out = tmp_path / "out"
    for command in (["plan", str(request), "-o", str(out), *FAST], ["check", str(request)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "must-see Chengdu Museum is closed on every requested day (Mon 24 Mar)" in (
            result.stderr
        )
        assert len(result.stderr.strip().splitlines()) == 1
        assert not out.exists()


def test_existing_outputs_untouched_on_error(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "itinerary.json").write_text("old", encoding="utf-8")
    request = _write(tmp_path, BAD_TIME)
    result = runner.invoke(cli, ["plan", str(request), "-o", str(out), *FAST])
    assert result.exit_code == 2
    assert (out / "itinerary.json").read_text(encoding="utf-8") == "old"
    assert [p.name for p in out.iterdir()] == ["itinerary.json"]


def test_check_demo(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(DEMO_FILE), "--no-progress"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"OK: {DEMO_FILE}: 'British Culture & Creative Industries")
    assert "2 day(s), 3 must-see(s), 14 optional place(s), 4 appointment(s), 3 meal(s)" in lines[0]
    assert any(
        line.startswith("note: optional place Jinli Ancient Street lies 0.8 km outside")
        for line in lines
    )
    offline = runner.invoke(cli, ["check", str(DEMO_FILE), "--no-network"])
    assert offline.exit_code == 0 and "note:" not in offline.stdout


def test_missing_request_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "not found; check the path" in result.stderr


def test_bad_formats_option(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["plan", str(DEMO_FILE), "-o", str(tmp_path / "o"), "--formats", "pdf,docx"]
    )
    assert result.exit_code == 2
    assert "'docx' is not an output" in result.stderr
    assert not (tmp_path / "o").exists()


def test_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Itinerary"
    assert {"days", "left_out", "schema_version"} <= set(schema["properties"])
    request = json.loads(runner.invoke(cli, ["schema", "request"]).stdout)
    assert request["title"] == "Request"
    assert request["$defs"]["Window"]["properties"]["start"]["type"] == "string"
