"""Time the planner on the demo request (not a timed test).

Measures ``plan_detailed`` (resolve, build the problem with its travel matrix, check fixed
items and must-sees, solve, explain, street legs) on the shared Chengdu extract, after one
warm-up run that loads the compiled solver kernels. The network is loaded once beforehand,
as ``tours plan`` does before planning. Target: < 2 s per plan (demo size: <= 30 candidate
places, <= 3 days); the solver alone aims at < 0.6 s (median). On a loaded machine wall times grow
with the load; ``plan_cpu_seconds_median`` does not.

Run: ``python bench/plan.py [REQUEST] [--repeat N] [--iterations N] [--osm FILE]``.
``--large`` plans a three-day variant of the demo instead, with every sightseeing place of the
pack (about 30) as an optional place. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from routing import NetworkSource, load_network
from tours.places.pack import CityPack
from tours.planning.budget import PLAN_BUDGET, SearchBudget
from tours.planning.planner import plan_detailed
from tours.planning.request import Request, city_pack_for, load_request, parse_request

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REQUEST = ROOT / "data" / "chengdu" / "requests" / "british-culture-2025.yaml"
DEFAULT_OSM = ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2"
TARGET_S = 2.0
#: What the solver alone aims at (median of the repeats; demo size, 1000 iterations).
SOLVER_AIM_S = 0.6


def _large(path: Path, pack: CityPack) -> Request:
    """The demo over three days with every sightseeing place of *pack* as optional."""
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "dates: [2025-03-21, 2025-03-22]", "dates: [2025-03-21, 2025-03-22, 2025-03-23]"
    )
    head = text[: text.index("places:\n  # Must-sees")]
    listed = {"wenshu-monastery", "chengdu-museum", "tianfu-square"}
    optional = [
        p.id
        for p in pack.places.values()
        if p.category not in {"hotel", "restaurant", "venue"} and p.id not in listed
    ]
    optional += ["shufeng-yayun-opera", "chen-mapo-tofu", "caidie-vegetarian"]
    body = "places:\n  must_see: [wenshu-monastery, chengdu-museum, tianfu-square]\n  optional:\n"
    body += "".join(
        f"    - {{place: {pid}, priority: {1 + i % 9}}}\n" for i, pid in enumerate(optional)
    )
    return parse_request(head + body, source=f"{path.name} (large)")


def main() -> None:
    """Parse the arguments, plan the request repeatedly and print the timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("request", nargs="?", type=Path, default=DEFAULT_REQUEST)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=PLAN_BUDGET.max_iterations)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    parser.add_argument("--large", action="store_true", help="3 days, ~30 optional places")
    args = parser.parse_args()

    request = load_request(args.request)
    pack = city_pack_for(request)
    if args.large:
        request = _large(args.request, pack)
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        net = load_network(NetworkSource.from_file(args.osm), cache_dir=Path(cache))
        load_s = time.perf_counter() - t0
    budget = SearchBudget(
        time_limit=PLAN_BUDGET.time_limit, max_iterations=args.iterations, seed=args.seed
    )
    kwargs = {"pack": pack, "network": net, "budget": budget}
    plan_detailed(request, **kwargs)  # type: ignore[arg-type] # warm-up: kernels, caches
    times: list[float] = []
    cpu: list[float] = []
    solver: list[float] = []
    result = None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = plan_detailed(request, **kwargs)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        solver.append(result.solution.seconds)
    assert result is not None
    model = result.model
    candidates = sum(1 for n in model.nodes if n.kind == "visit")
    print(
        json.dumps(
            {
                "request": request.source,
                "days": len(model.days),
                "candidate_places": candidates,
                "requested_places": len(model.resolved.places),
                "iterations": result.solution.iterations,
                "total_priority": result.itinerary.total_priority,
                "plan_seconds_median": round(statistics.median(times), 3),
                "plan_seconds_max": round(max(times), 3),
                "plan_cpu_seconds_median": round(statistics.median(cpu), 3),
                "solver_seconds": round(statistics.median(solver), 3),
                "solver_kernel_calls": result.solution.kernel_calls,
                "solver_aim_seconds": SOLVER_AIM_S,
                "network_load_seconds": round(load_s, 3),
                "target_seconds": TARGET_S,
                "ok": max(times) < TARGET_S,
                "solver_within_aim": statistics.median(solver) < SOLVER_AIM_S,
                "load_average_1min": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
