"""The console script ends quickly (no interpreter teardown) without losing output or codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from checker import assert_feasible
from conftest import DEMO_REQUEST

from routing import StreetNetwork
from tours.itinerary import Itinerary
from tours.planning.request import city_pack_for, load_request

TOURS = [sys.executable, "-c", "from tours.cli import main; main()"]


def _tours(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TOURS, *args], capture_output=True, text=True, check=False, timeout=300, cwd=cwd
    )


def test_every_byte_of_a_long_output_reaches_the_pipe() -> None:
    done = _tours("schema")
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)  # 40 kB and more, flushed before the quick exit
    assert len(done.stdout) > 10_000
    assert "properties" in schema


def test_exit_codes_and_the_one_line_error_survive_the_quick_exit(tmp_path: Path) -> None:
    missing = _tours("check", str(tmp_path / "nope.yaml"), "--no-network")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"Error: request file `{tmp_path / 'nope.yaml'}` not found; check the path"
    ]
    usage = _tours("plan")
    assert usage.returncode == 2
    assert "Missing argument 'REQUEST'" in usage.stderr
    checked = _tours("check", str(DEMO_REQUEST), "--no-network")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip()


def test_a_plan_leaves_no_staging_folder_behind(tmp_path: Path, chengdu_net: StreetNetwork) -> None:
    out = tmp_path / "out"
    done = _tours(
        "plan", str(DEMO_REQUEST), "-o", str(out), "--formats", "csv,ics",
        "--iterations", "50", "--no-progress",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "itinerary.csv",
        "itinerary.ics",
        "itinerary.json",
    ]
    assert done.stdout.rstrip().endswith(str(out / "itinerary.csv"))
    request = load_request(DEMO_REQUEST)
    itinerary = Itinerary.load(out / "itinerary.json")
    assert_feasible(itinerary, request=request, pack=city_pack_for(request), network=chengdu_net)


def test_output_that_cannot_be_written_is_one_line_and_exit_code_1() -> None:
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        done = subprocess.run(
            [*TOURS, "schema"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Error: cannot write the output: [Errno 28] No space left on device"
    ]
