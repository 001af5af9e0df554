"""Re-check printed OPTW routes against the instance file, independently of the solver code.

Usage::

    python bench/optw.py c101 --seconds 10 | python bench/optw_check.py c101
    python bench/optw_check.py c101 result.json

Reads the instance file itself (TOPTW or TTDP format, rules in ``shared/bench/optw``), walks
every route (arrive, wait until the window opens, start no later than its close, stay, be
back at the depot by the budget), and compares the recomputed score with the printed one.
Prints one line; exit code 0 when every route is feasible and the score matches, 1 otherwise.
Only the standard library is used, so the check is a third party's view of the result.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

TOL = 1e-6
BENCH_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "optw"


def _load(path: Path) -> tuple[dict[int, dict], list[tuple[float, float]], int]:
    """Vertices by id (x, y, service, score, windows per day), tour spans, decimals."""
    lines = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    vertices: dict[int, dict] = {}
    if len(lines[1]) == 7 and len(lines[0]) > 4:  # TTDP: per-weekday opening hours
        start_day = int(lines[0][2])
        depot = [float(x) for x in lines[1]]
        vertices[0] = {"x": depot[1], "y": depot[2], "d": 0.0, "s": 0.0, "days": None}
        for raw in lines[2:]:
            v = [float(x) for x in raw]
            days = [(v[6 + 2 * d], v[7 + 2 * d]) for d in range(7)]
            vertices[int(v[0])] = {"x": v[1], "y": v[2], "d": v[3], "s": v[4], "days": days}
        spans = [(depot[-2], depot[-1])] * 7
        vertices[-1] = {"start_day": start_day}
        return vertices, spans, 2
    for raw in lines[2:]:
        v = [float(x) for x in raw]
        vertices[int(v[0])] = {"x": v[1], "y": v[2], "d": v[3], "s": v[4], "w": (v[-2], v[-1])}
    decimals = 2 if path.stem.lower().startswith("pr") else 1
    return vertices, [(vertices[0]["w"][0], vertices[0]["w"][1])], decimals


def _dist(a: dict, b: dict, decimals: int) -> float:
    scale = 10**decimals
    return math.floor(math.hypot(a["x"] - b["x"], a["y"] - b["y"]) * scale + 1e-9) / scale


def check(instance: Path, result: dict) -> list[str]:
    """Problems found in *result* (``[]``: every route feasible, score as printed)."""
    vertices, spans, decimals = _load(instance)
    start_day = vertices.pop(-1, {}).get("start_day", 0)
    problems: list[str] = []
    seen: set[int] = set()
    total = 0.0
    for k, route in enumerate(result["routes"]):
        if len(route) < 2 or route[0] != 0 or route[-1] != 0:
            problems.append(f"route {k} does not start and end at the depot 0")
            continue
        day = (start_day + k) % 7
        t_start, t_end = spans[0] if len(spans) == 1 else spans[day]
        time = t_start
        for prev, node in itertools.pairwise(route):
            if node not in vertices:
                problems.append(f"route {k}: unknown vertex {node}")
                break
            time += _dist(vertices[prev], vertices[node], decimals)
            if node == 0:
                continue
            if node in seen:
                problems.append(f"vertex {node} visited twice")
            seen.add(node)
            vx = vertices[node]
            opens, closes = vx["w"] if "w" in vx else vx["days"][day]
            if "days" in vx and opens == 0 and closes == 0:
                problems.append(f"route {k}: vertex {node} is closed on day {day}")
            time = max(time, opens)
            if time > closes + TOL:
                problems.append(f"route {k}: vertex {node} starts {time:g} after {closes:g}")
            time += vx["d"]
            total += vx["s"]
        if time > t_end + TOL:
            problems.append(f"route {k}: back at the depot at {time:g}, after {t_end:g}")
    if abs(total - float(result["score"])) > TOL:
        problems.append(f"printed score {result['score']} but the routes collect {total:g}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``optw_check.py INSTANCE [RESULT.json]`` (JSON from stdin if omitted)."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__)
        return 2
    instance = Path(args[0])
    if not instance.is_file():
        instance = BENCH_DIR / f"{args[0]}.txt"
    text = Path(args[1]).read_text(encoding="utf-8") if len(args) > 1 else sys.stdin.read()
    result = json.loads(text)
    problems = check(instance, result)
    if problems:
        print("INVALID: " + "; ".join(problems))
        return 1
    n = sum(len(r) - 2 for r in result["routes"])
    print(f"OK {result.get('instance', instance.stem)}: score {result['score']}, {n} visits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
