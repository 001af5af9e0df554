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

import json
import sys
import time

from _batch import OSM_DIR, ROOT, batch_args, plan_batch


def main() -> None:
    """Plan the batch and print the summary as JSON."""
    args = batch_args(
        __doc__.splitlines()[0],
        count=40,
        iterations=100,
        osm=OSM_DIR / "chengdu-central-2018.osm.bz2",
    )
    sys.path.insert(0, str(ROOT / "tests"))
    from _meal_requests import meal_request  # noqa: PLC0415

    counts = {"planned": 0, "conflict": 0, "bad_request": 0, "checker_violations": 0}
    priority = 0
    too_long = 0
    refused: list[int] = []
    began = time.perf_counter()
    for _request, itinerary in plan_batch(args, meal_request, "meal", counts, refused):
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
