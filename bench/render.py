"""Time every renderer on the demo itinerary and report output sizes (not a timed test).

Plans the demo request once on the shared Chengdu extract, then renders, after one warm-up
(imports, fonts, base-map cache): the offline HTML maps (overview + one per day, with the
vector base map), the PDF, the print HTML, ICS, GPX and CSV, each ``--repeat`` times, and
all exports in one call (the day-map images are drawn once for both the PDF and the print
HTML), and every output as ``tours plan`` writes it with the print rendered in a second
process beside the maps and in one process (``write_outputs(concurrent=...)``). The map
budget is 2 MB per day map (issue 5).

Run: ``python bench/render.py [--repeat N] [--osm FILE]``. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from maps import write_exports, write_maps
from routing import NetworkSource, load_network
from routing.basemap import load_basemap
from tours.outputs import BASEMAP_MARGIN_M, write_outputs
from tours.planning.planner import plan
from tours.planning.request import city_pack_for, load_request

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "chengdu" / "requests" / "british-culture-2025.yaml"
DEFAULT_OSM = ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2"
DAY_MAP_BUDGET_BYTES = 2_000_000


def _median_seconds(run: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def main() -> None:
    """Plan the demo, render every output repeatedly and print timings and sizes as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    args = parser.parse_args()

    request = load_request(DEMO)
    network = load_network(NetworkSource.from_file(args.osm))
    itinerary = plan(request, pack=city_pack_for(request), network=network)
    basemap = load_basemap(args.osm, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    report: dict[str, object] = {"days": len(itinerary.days)}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        write_maps(itinerary, out, basemap=basemap)  # warm-up
        write_exports(itinerary, out, formats={"pdf"}, basemap=basemap)
        report["maps_seconds"] = _median_seconds(
            lambda: write_maps(itinerary, out, basemap=basemap), args.repeat
        )
        for fmt in ("pdf", "html", "ics", "gpx", "csv"):
            report[f"{fmt}_seconds"] = _median_seconds(
                lambda fmt=fmt: write_exports(itinerary, out, formats={fmt}, basemap=basemap),
                args.repeat,
            )
        report["all_exports_seconds"] = _median_seconds(
            lambda: write_exports(itinerary, out, formats={"all"}, basemap=basemap), args.repeat
        )
        # every output of `tours plan` (maps + exports), the print in a second process beside
        # the maps, against one process doing all
        for concurrent in (True, False):
            key = (
                "every_output_concurrent_seconds"
                if concurrent
                else "every_output_one_process_seconds"
            )
            report[key] = _median_seconds(
                lambda concurrent=concurrent: write_outputs(
                    itinerary, out / "every", basemap_osm=args.osm, concurrent=concurrent
                ),
                args.repeat,
            )
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
    report["bytes"] = sizes
    day_maps = [size for name, size in sizes.items() if name.startswith("day-")]
    report["day_map_budget_ok"] = max(day_maps) <= DAY_MAP_BUDGET_BYTES
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
