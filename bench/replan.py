"""Benchmark ``tours replan`` on the demo: the re-planning itself and the whole command.

    python bench/replan.py [--repeat N] [--formats all|none|...]

Plans the demo request once (offline, shared Chengdu extract; the street network comes from
the cache after the first run), then times four re-plans in-process (45-min delay on day 2,
a skipped must-see, a new start position, a position reported at 14:30) and the whole
``tours replan`` command in a fresh process (imports, network cache, re-plan, outputs).
Prints one JSON object; target: the re-planning itself under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tours.cli._source import default_source, load_source_network
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.replan.replanner import replan
from tours.planning.request import city_pack_for, load_request

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data/chengdu/requests/british-culture-2025.yaml"
DAY2 = dt.date(2025, 3, 22)
CASES = {
    "delay-45": {"now": dt.datetime.combine(DAY2, dt.time(10, 0)), "delay_min": 45},
    "skip-must-see": {"now": dt.datetime.combine(DAY2, dt.time(8, 40)), "skip": ["chengdu-museum"]},
    "new-start": {"now": dt.datetime.combine(DAY2, dt.time(8, 0)), "at": (30.66, 104.07)},
    "mid-day-at": {"now": dt.datetime.combine(DAY2, dt.time(14, 30)), "at": (30.66, 104.07)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="all")
    args = parser.parse_args()

    request = load_request(DEMO)
    pack = city_pack_for(request)
    began = time.perf_counter()
    network = load_source_network(default_source(), progress=False)
    load_s = time.perf_counter() - began
    itinerary = plan(request, pack=pack, network=network, budget=SearchBudget(max_iterations=300))
    if itinerary.request is None:
        itinerary = itinerary.model_copy(update={"request": request.model_dump(mode="json")})
    replan(itinerary, pack=pack, network=network, **CASES["delay-45"])  # warm the kernels

    results: dict[str, dict[str, float | bool]] = {}
    for name, case in CASES.items():
        times = []
        for _ in range(args.repeat):
            res = replan(itinerary, pack=pack, network=network, **case)
            times.append(res.seconds)
        results[name] = {
            "replan_s": round(statistics.median(times), 3),
            "kept_old_order": res.kept_old_order,
            "priority": res.itinerary.total_priority,
        }

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "itinerary.json"
        path.write_text(itinerary.to_json(), encoding="utf-8")
        cmd = [
            str(Path(sys.executable).with_name("tours")),
            "replan",
            str(path),
            "--now",
            "2025-03-22 10:00",
            "--delay",
            "45",
            "-o",
            str(Path(tmp) / "out"),
            "--formats",
            args.formats,
            "--no-progress",
        ]
        began = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        command_s = time.perf_counter() - began
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import tours.cli"], capture_output=True, check=False)
        import_s = time.perf_counter() - began
    report = {
        "network_load_s": round(load_s, 3),
        "replan": results,
        "command": {
            "formats": args.formats,
            "exit_code": done.returncode,
            "wall_s": round(command_s, 2),
            "import_tours_cli_s": round(import_s, 2),
            "reported": next(
                (ln for ln in done.stdout.splitlines() if ln.startswith("Re-planned in")), ""
            ),
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
