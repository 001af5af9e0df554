"""Refusals of requests whose meals have no restaurant (issue 16, finding 1; not a timed test).

Plans ``--count`` seeded random Chengdu requests (``tests/_meal_requests.py``: an appointment
around midday, lunch "where the group is") with an iteration cap, re-checks every plan with
the independent checker and prints, as JSON: how many were planned or refused (``conflict``:
valid input with no feasible plan; ``bad_request``), checker violations, the total priority
planned and how many places were left out as ``too_long``. The same seed gives the same
requests on every version, so two versions can be compared.

Run: ``python bench/meal_refusals.py [--count 40] [--seed 16] [--iterations 100]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from routing import NetworkSource, load_network
from tours._errors import InputError, PlanningError
from tours.places.pack import load_city_pack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import parse_request

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OSM = ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2"


def main() -> None:
    """Plan the batch and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from _meal_requests import meal_request  # noqa: PLC0415
    from checker import check_itinerary  # noqa: PLC0415 (the independent checker)

    network = load_network(NetworkSource.from_file(args.osm))
    pack = load_city_pack()
    rng = random.Random(args.seed)
    budget = SearchBudget(time_limit=None, max_iterations=args.iterations)
    counts = {"planned": 0, "conflict": 0, "bad_request": 0, "checker_violations": 0}
    priority = 0
    too_long = 0
    refused: list[int] = []
    began = time.perf_counter()
    for index in range(args.count):
        text = meal_request(rng, index)
        try:
            request = parse_request(text, source=f"meal-{index}")
            itinerary = plan(request, pack=pack, network=network, budget=budget)
        except PlanningError:
            counts["conflict"] += 1
            refused.append(index)
            continue
        except InputError:
            counts["bad_request"] += 1
            continue
        counts["planned"] += 1
        if check_itinerary(itinerary, request=request, pack=pack, network=network):
            counts["checker_violations"] += 1
        priority += itinerary.total_priority
        too_long += sum(1 for lo in itinerary.left_out if lo.code == "too_long")
    summary = {
        "seed": args.seed,
        "requests": args.count,
        "iterations": args.iterations,
        **counts,
        "refused": refused,
        "total_priority": priority,
        "left_out_too_long": too_long,
        "seconds": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
