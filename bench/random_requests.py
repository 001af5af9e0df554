"""A seeded batch of random Chengdu requests: how balanced are the plans? (not a timed test)

Generates ``--count`` random requests (1-3 days, random places and priorities, must-sees,
appointments, meals, travel modes, mobility and walking limits) from ``--seed``, plans each on
the shared Chengdu extract with an iteration cap (so the numbers do not depend on the
machine), re-checks every plan with the independent checker (``tests/checker.py``) and
reports:

- ``empty_days``: days with neither a visit nor an appointment in a plan of two or more days
  that visits something on another day (the group stays at the hotel beside a full day);
- ``plans_with_empty_day`` and the most walking on a day, overall and for groups with reduced
  mobility or a wheelchair user that set no walking limit;
- how many requests were refused: ``bad_request`` (invalid input) or ``conflict`` (valid
  input with no feasible plan, whether the request check or the planner found it), and
  checker violations.

Run: ``python bench/random_requests.py [--count 60] [--seed 16] [--iterations 200]``.
Prints one JSON object. The same seed gives the same requests on every version of ``tours``,
so the numbers of two versions can be compared side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from typing import Any

from _batch import OSM_DIR, batch_args, plan_batch

from tours.itinerary import Appointment, Itinerary, Visit

SIGHTS = [
    "tianfu-square",
    "wenshu-monastery",
    "kuanzhai-alley",
    "peoples-park",
    "chengdu-museum",
    "daci-temple",
    "chunxi-road",
    "chengdu-ifs",
    "taikoo-li",
    "west-pearl-tower",
    "yongling-museum",
    "sichuan-art-museum",
    "wuhou-shrine",
    "jinli",
    "du-fu-thatched-cottage",
    "sichuan-museum",
    "baihuatan-park",
    "shaocheng-shijing",
    "mingtang-creative-center",
    "shufeng-yayun-opera",
]
VENUES = ["eastern-suburb-memory", "hongxing-road-35", "chengdu-stage", "da-rong-he-shahe"]
HOTELS = ["crowne-plaza-city-center", "dorsett-grand-chengdu", "temple-house", "jinjiang-hotel"]


def _clock(minutes: int) -> str:
    return f'"{minutes // 60:02d}:{minutes % 60:02d}"'


def random_request(rng: random.Random, index: int) -> str:
    """The YAML text of one random request."""
    first = dt.date(2025, 3, 20) + dt.timedelta(days=rng.randrange(5))
    dates = [first + dt.timedelta(days=k) for k in range(rng.choice([1, 2, 2, 3, 3]))]
    places = rng.sample(SIGHTS, rng.randint(3, 9))
    must = places[: rng.choice([0, 0, 1, 2])]
    mobility = rng.choice(["standard"] * 6 + ["reduced"] * 3 + ["wheelchair"])
    mode = rng.choice(["walk", "coach", "mixed", "mixed"])
    lines = [
        "version: 1",
        f"title: Random request {index}",
        f"delegation: {{name: Group {index}, size: {rng.randint(2, 30)}, mobility: {mobility}}}",
        f"dates: [{', '.join(d.isoformat() for d in dates)}]",
        f"hotel: {rng.choice(HOTELS)}",
        f"travel: {{mode: {mode}"
        + (f", max_walk_km_per_day: {rng.randint(3, 10)}" if rng.random() < 0.4 else "")
        + "}",
        "places:",
        f"  must_see: [{', '.join(must)}]",
        "  optional:",
    ]
    lines += [f"    - {{place: {p}, priority: {rng.randint(1, 10)}}}" for p in places[len(must) :]]
    if len(places) == len(must):
        lines[-1] = "  optional: []"
    appointments = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        day = rng.choice(dates)
        start = rng.randrange(9 * 60, 16 * 60, 30)
        end = start + rng.choice([60, 90, 120])
        if any(d == day and s < end + 30 and start < e + 30 for d, s, e in appointments):
            continue
        appointments.append((day, start, end))
    if appointments:
        lines.append("appointments:")
        for k, (day, start, end) in enumerate(sorted(appointments)):
            lines.append(
                f"  - {{title: Meeting {k}, place: {rng.choice(VENUES)}, date: {day}, "
                f"start: {_clock(start)}, end: {_clock(end)}}}"
            )
    meals = []
    if rng.random() < 0.7:
        meals.append('  - {title: Lunch, window: {start: "11:30", end: "14:00"}, minutes: 60}')
    if rng.random() < 0.3:
        meals.append('  - {title: Dinner, window: {start: "17:30", end: "20:00"}, minutes: 75}')
    if meals:
        lines += ["meals:", *meals]
    return "\n".join(lines) + "\n"


def _walked_km(itinerary: Itinerary) -> list[float]:
    return [
        sum(leg.distance_m for leg in day.legs if leg.mode == "walk") / 1000
        for day in itinerary.days
    ]


def _empty_days(itinerary: Itinerary) -> int:
    busy = [any(isinstance(s, Visit | Appointment) for s in day.stops) for day in itinerary.days]
    visits = any(isinstance(s, Visit) for day in itinerary.days for s in day.stops)
    if len(busy) < 2 or not visits:
        return 0
    return busy.count(False)


def main() -> None:
    """Plan the batch and print the summary as JSON."""
    args = batch_args(
        __doc__.splitlines()[0],
        count=60,
        iterations=200,
        osm=OSM_DIR / "chengdu-central-2018.osm.pbf",
    )
    counts = {"planned": 0, "bad_request": 0, "conflict": 0, "checker_violations": 0}
    empty: list[int] = []
    walked_all: list[float] = []
    walked_low_mobility: list[float] = []
    began = time.perf_counter()
    for request, itinerary in plan_batch(args, random_request, "random", counts):
        empty.append(_empty_days(itinerary))
        walked = _walked_km(itinerary)
        walked_all += walked
        if request.delegation.mobility != "standard" and request.travel.max_walk_km_per_day is None:
            walked_low_mobility += walked
    summary: dict[str, Any] = {
        "seed": args.seed,
        "requests": args.count,
        "iterations": args.iterations,
        **counts,
        "empty_days": sum(empty),
        "plans_with_empty_day": sum(1 for e in empty if e),
        "max_walk_km_day": round(max(walked_all, default=0.0), 1),
        "max_walk_km_day_low_mobility_no_limit": round(max(walked_low_mobility, default=0.0), 1),
        "seconds": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
