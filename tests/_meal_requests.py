"""Seeded random Chengdu requests whose meals have no restaurant (issue 16, finding 1).

Each request has an appointment around midday and a lunch (sometimes a dinner) taken "where
the group is", so the meal often has to be taken at a stop before its visit or appointment.
Shared by ``tests/test_meal_where_group_is.py`` and ``bench/meal_refusals.py``.
"""

from __future__ import annotations

import datetime as dt
import random

from _chengdu_sights import CENTRAL_SIGHTS

SIGHTS = [*CENTRAL_SIGHTS, "sichuan-art-museum", "yongling-museum", "mingtang-creative-center"]
VENUES = ["eastern-suburb-memory", "hongxing-road-35", "chengdu-stage", "da-rong-he-shahe"]
HOTELS = ["crowne-plaza-city-center", "dorsett-grand-chengdu", "temple-house"]


def _clock(minutes: int) -> str:
    return f'"{minutes // 60:02d}:{minutes % 60:02d}"'


def meal_request(rng: random.Random, index: int) -> str:
    """The YAML text of one random request with meals where the group is."""
    first = dt.date(2025, 3, 20) + dt.timedelta(days=rng.randrange(5))
    dates = [first + dt.timedelta(days=k) for k in range(rng.choice([1, 1, 2]))]
    places = rng.sample(SIGHTS, rng.randint(3, 7))
    must = places[: rng.choice([0, 1])]
    mode = rng.choice(["walk", "coach", "mixed", "mixed"])
    lines = [
        "version: 1",
        f"title: Meal request {index}",
        f"delegation: {{name: Group {index}, size: {rng.randint(2, 30)}}}",
        f"dates: [{', '.join(d.isoformat() for d in dates)}]",
        f"hotel: {rng.choice(HOTELS)}",
        f"travel: {{mode: {mode}}}",
        "places:",
        f"  must_see: [{', '.join(must)}]",
        "  optional:",
    ]
    for p in places[len(must) :]:
        longer = f", minutes: {rng.choice([120, 150, 180])}" if rng.random() < 0.25 else ""
        lines.append(f"    - {{place: {p}, priority: {rng.randint(1, 10)}{longer}}}")
    if len(places) == len(must):
        lines[-1] = "  optional: []"
    minutes = rng.choice([30, 45, 60])
    lunch_start = rng.randrange(11 * 60, 12 * 60 + 31, 30)
    # the meeting starts when lunch could just be over (taken before it, at the venue) or a
    # little later; the window often closes before the meeting ends
    appointment = lunch_start + minutes + rng.choice([0, 15, 30, 60])
    lunch_end = max(appointment, lunch_start + minutes + rng.choice([0, 30, 60, 120]))
    lines += [
        "appointments:",
        f"  - {{title: Meeting, place: {rng.choice(VENUES)}, date: {dates[0]}, "
        f"start: {_clock(appointment)}, end: {_clock(appointment + rng.choice([60, 90, 120]))}}}",
        "meals:",
        f"  - {{title: Lunch, window: {{start: {_clock(lunch_start)}, end: "
        f"{_clock(lunch_end)}}}, minutes: {minutes}}}",
    ]
    if rng.random() < 0.3:
        lines.append('  - {title: Dinner, window: {start: "17:30", end: "20:00"}, minutes: 75}')
    return "\n".join(lines) + "\n"
