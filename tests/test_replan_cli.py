"""``tours replan`` on the command line: bad input exits 2 and writes nothing; the outputs
and the changes in plain words; a reported position mid-day and mid-visit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import _replan_demo
import pytest
from _cli import ICS_GPX_CSV_FOLDER, files_written
from _replan_demo import DAY2
from _replan_demo import day_of as _day
from _replan_demo import ics_events as _ics_events
from _replan_demo import visit_after_lunch as _visit_after_lunch
from checker import assert_feasible
from click.testing import CliRunner
from icalendar import Calendar

from routing import StreetNetwork
from tours.cli import cli
from tours.itinerary import Itinerary, Visit
from tours.places.pack import CityPack
from tours.planning.replan.replanner import request_of

#: the module-scoped fixtures of the re-planning demo
demo, demo_file, pack = _replan_demo.demo, _replan_demo.demo_file, _replan_demo.pack


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--now", "2025-03-25 10:00"], "is outside the plan's dates"),
        (["--now", "2025-03-22 12:00", "--skip", "no-such-place"], "unknown place"),
        (["--now", "2025-03-22 23:50"], "after the plan's end"),
        (["--now", "2025-03-21 18:00", "--delay", "60"], "cannot keep the appointment"),
        (["--now", "22/03/2025"], "is not a date and time"),
        (["--now", "2025-03-22 12:00", "--at", "95,104"], "out of range"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    demo_file: Path, tmp_path: Path, args: list[str], expected: str, chengdu_net: StreetNetwork
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "itinerary.json").write_text("old", encoding="utf-8")
    before = _snapshot(out)
    result = CliRunner().invoke(
        cli, ["replan", str(demo_file), *args, "-o", str(out), "--no-progress"]
    )
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert _snapshot(out) == before


def test_cli_skip_already_visited_exits_2(
    demo: Itinerary, demo_file: Path, tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    done = next(s for s in _day(demo, DAY2).stops if isinstance(s, Visit))
    now = (done.end + dt.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["replan", str(demo_file), "--now", now, "--skip", done.place.id, "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "was already visited" in result.output and len(result.output.splitlines()) == 1
    assert not out.exists()


def test_cli_replan_writes_outputs_and_prints_the_changes(
    demo: Itinerary, demo_file: Path, tmp_path: Path, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    out = tmp_path / "new"
    result = CliRunner().invoke(
        cli,
        [
            "replan",
            str(demo_file),
            "--now",
            "2025-03-22 10:00",
            "--delay",
            "45",
            "-o",
            str(out),
            "--formats",
            "ics,gpx,csv",
            "--iterations",
            "200",
            "--no-progress",
        ],
    )
    assert files_written(result, out) == ICS_GPX_CSV_FOLDER
    text = result.output
    assert text.startswith("Re-planned from ") and "after a 45-min delay." in text
    assert "Re-planned in " in text
    new = Itinerary.load(out / "itinerary.json")
    assert new.request is not None
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    old_uids, new_uids = _ics_events(demo), _ics_events(new)
    assert {u for u, t in old_uids.items() if t[0] < "2025-03-22T10:00"} <= set(new_uids)


def test_cli_replan_mid_day_at_a_position(
    demo_file: Path, tmp_path: Path, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    out = tmp_path / "moved"
    args = ["--now", "2025-03-22 14:30", "--at", "30.66,104.07", "--formats", "ics,gpx,csv"]
    result = CliRunner().invoke(
        cli, ["replan", str(demo_file), *args, "-o", str(out), "--iterations", "200"]
    )
    assert result.exit_code == 0, result.output
    assert "Reported move: from " in result.output
    new = Itinerary.load(out / "itinerary.json")
    assert new.revision == 1
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    moves = [leg for d in new.days for leg in d.legs if leg.to_id.startswith("position-")]
    assert [leg.to_id for leg in moves] == ["position-n30-660000-e104-070000"]
    ics = (out / "itinerary.ics").read_bytes().decode()
    assert ics.count("SEQUENCE:1\r\n") == ics.count("BEGIN:VEVENT") > 0
    # the renderers name the reported position (a waypoint of the day), not its raw id
    (day,) = [d for d in new.days if d.waypoints]
    assert day.places_by_id["position-n30-660000-e104-070000"].name_zh == "报告位置"
    csv_text = (out / "itinerary.csv").read_bytes().decode("utf-8-sig")
    assert "to Reported position" in csv_text


def test_cli_replan_at_a_position_mid_visit_ends_it_early(
    demo: Itinerary, demo_file: Path, tmp_path: Path, pack: CityPack, chengdu_net: StreetNetwork
) -> None:
    visit = _visit_after_lunch(demo)
    now = visit.start + dt.timedelta(minutes=30)
    out = tmp_path / "left-early"
    args = ["--now", f"{now:%Y-%m-%d %H:%M}", "--at", "30.66,104.07", "--formats", "ics"]
    result = CliRunner().invoke(
        cli, ["replan", str(demo_file), *args, "-o", str(out), "--iterations", "200"]
    )
    assert result.exit_code == 0, result.output
    new = Itinerary.load(out / "itinerary.json")
    assert_feasible(new, request=request_of(new), pack=pack, network=chengdu_net)
    (cut,) = [s for d in new.days for s in d.stops if s.uid == visit.uid]
    (move,) = [leg for d in new.days for leg in d.legs if leg.to_id.startswith("position-")]
    assert cut.start == visit.start and cut.end == move.start < now == move.end
    lines = result.output.splitlines()
    assert lines[1] == (
        f"{visit.place.name_en} ended early at {cut.end:%H:%M} (was {visit.end:%H:%M})."
    )
    assert lines[2].startswith("Reported move: from ") and lines[2].endswith(f"–{now:%H:%M}.")
    # the calendar shows the visit, same UID, with its new end
    cal = Calendar.from_ical((out / "itinerary.ics").read_bytes())
    (event,) = [ev for ev in cal.walk("VEVENT") if str(ev["UID"]) == visit.uid]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (
        visit.start,
        cut.end.replace(microsecond=0),
    )
    assert int(event["SEQUENCE"]) == 1
