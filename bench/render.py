"""Time the output stage of ``tours plan`` per format and as a whole (not a timed test).

Plans the demo request once on the shared Chengdu extract and saves its ``itinerary.json``.
Then every measurement runs in a fresh Python process, as ``tours plan`` does: the process
loads the itinerary (the planning modules are imported before the clock starts, as the CLI
has them loaded after planning) and times ``write_outputs`` with one format of the registry,
then with all of them (the print rendered in a second process beside the maps) and all in one
process. ``cpu_seconds`` adds the CPU time of the worker process. "warm" runs find the
day-map images and the PDF of an earlier run of the same plan in the cache; "cold" runs have
those caches emptied first, as after a plan that changed every day (the base-map geometry
stays cached, as after any earlier plan of the same city). The map budget
is 2 MB per day map (issue 5).

Run: ``python bench/render.py [--repeat N] [--osm FILE]``. Prints one JSON object. The same
script measures another checkout when run with that checkout's Python environment.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routing import NetworkSource, load_network
from tours.outputs import OUTPUT_FORMATS
from tours.planning.planner import plan
from tours.planning.request import city_pack_for, load_request

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "chengdu" / "requests" / "british-culture-2025.yaml"
DEFAULT_OSM = ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2"
DAY_MAP_BUDGET_BYTES = 2_000_000
#: The cache folders of rendered outputs (emptied before a "cold" run): day-map images, PDFs.
OUTPUT_CACHES = ("day-maps", "print")

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from tours.itinerary import Itinerary
from tours.outputs import write_outputs

itinerary = Itinerary.from_json(Path(sys.argv[1]).read_text(encoding="utf-8"))

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

cpu0, start = cpu(), time.perf_counter()
write_outputs(itinerary, Path(sys.argv[2]), formats=sys.argv[3], basemap_osm=sys.argv[4],
              concurrent=sys.argv[5] == "concurrent")
seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}))
"""


@dataclass(frozen=True)
class _Setup:
    """What every timed run shares: the saved itinerary, the extract, the cache root."""

    itinerary_json: Path
    osm: Path
    cache: Path

    def run(self, out: Path, formats: str, *, mode: str = "concurrent") -> dict[str, float]:
        """One ``write_outputs`` in a fresh process: its wall and CPU seconds."""
        command = [sys.executable, "-c", _CHILD, str(self.itinerary_json), str(out), formats]
        result = subprocess.run(
            [*command, str(self.osm), mode],
            capture_output=True,
            text=True,
            env={**os.environ, "TOURS_CACHE_DIR": str(self.cache)},
            check=True,
        )
        timing: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
        return timing

    def median(
        self, runs: int, out: Path, formats: str, *, cold: bool, mode: str = "concurrent"
    ) -> dict[str, float]:
        """Median wall and CPU seconds of *runs* runs (*cold*: output caches emptied first;
        else one untimed run first fills them)."""
        if not cold:
            self.run(out, formats, mode=mode)
        timings = []
        for _ in range(runs):
            if cold:
                for folder in OUTPUT_CACHES:
                    shutil.rmtree(self.cache / folder, ignore_errors=True)
            timings.append(self.run(out, formats, mode=mode))
        return {
            key: round(statistics.median(t[key] for t in timings), 2)
            for key in ("seconds", "cpu_seconds")
        }


def main() -> None:
    """Plan the demo, time every output in fresh processes and print the timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    args = parser.parse_args()

    request = load_request(DEMO)
    network = load_network(NetworkSource.from_file(args.osm))
    itinerary = plan(request, pack=city_pack_for(request), network=network)
    report: dict[str, Any] = {"days": len(itinerary.days), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        setup = _Setup(root / "itinerary.json", args.osm, root / "cache")
        setup.itinerary_json.write_text(itinerary.to_json(), encoding="utf-8")
        out = root / "out"
        setup.run(out, "all")  # warm-up: base map and outputs cached, files on disk
        report["per_format"] = {
            name: {
                "warm": setup.median(args.repeat, root / name, name, cold=False),
                "cold": setup.median(args.repeat, root / name, name, cold=True),
            }
            for name in OUTPUT_FORMATS
        }
        report["output_stage"] = {
            "warm_concurrent": setup.median(args.repeat, out, "all", cold=False),
            "cold_concurrent": setup.median(args.repeat, out, "all", cold=True),
            "cold_one_process": setup.median(
                args.repeat, out, "all", cold=True, mode="one-process"
            ),
        }
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
    report["bytes"] = sizes
    day_maps = [size for name, size in sizes.items() if name.startswith("day-")]
    report["day_map_budget_ok"] = max(day_maps) <= DAY_MAP_BUDGET_BYTES
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
