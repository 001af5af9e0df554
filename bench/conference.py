"""Conference mode at scale (a script, not a timed test): joint plan vs first come, scaling.

Generates a Chengdu conference (seeded): N delegations over two days (21-22 March 2025),
12 shared venues with capacities (exclusive park talks, museums per 30-min slot, temples and
squares with several groups at once), 4 guide languages and a coach fleet. Then:

1. **Joint vs first come** on ``--delegations`` (default 60): total priority, worst
   delegation's share, must-sees kept, capacity violations (must be 0 for both), wall time.
2. **Scale**: ``--scale`` delegations (default 300) with 1 and 2 local workers (this machine
   has 2 cores: "all" = 2), same seed — the plans must be identical.
3. **Curve**: wall time against the number of delegations (``--curve 25,50,100``), 2 workers.
4. Resident memory per worker after planning.

Run: ``python bench/conference.py [--delegations 60] [--scale 300] [--curve 25,50,100,200]
[--iterations 150] [--rounds 4]``. Prints a Markdown table and one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from routing import NetworkSource, load_network
from tours.conference.engine import Engine
from tours.conference.joint import Budget, ConferencePlan, plan_conference
from tours.conference.schema import load_conference

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OSM = ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2"

VENUES: list[dict[str, Any]] = [
    {"place": "eastern-suburb-memory", "exclusive": True},
    {"place": "hongxing-road-35", "exclusive": True},
    {"place": "chengdu-museum", "slots": "every 30 min, 2 groups"},
    {"place": "sichuan-art-museum", "slots": "every 30 min, 1 group"},
    {"place": "yongling-museum", "slots": "every 30 min, 1 group"},
    {"place": "wenshu-monastery", "groups": 3},
    {"place": "daci-temple", "groups": 2},
    {"place": "peoples-park", "groups": 4},
    {"place": "kuanzhai-alley", "people": 120},
    {"place": "tianfu-square", "groups": 6},
    {"place": "mingtang-creative-center", "groups": 1},
    {"place": "west-pearl-tower", "groups": 2},
]
EXTRA = ["chunxi-road", "taikoo-li", "chengdu-ifs"]
HOTELS = ["crowne-plaza-city-center", "dorsett-grand-chengdu", "temple-house"]
LANGUAGES = ["en", "fr", "de", "es"]


def generate(folder: Path, n: int, seed: int) -> Path:
    """Write a conference of *n* delegations into *folder*; the conference file."""
    rng = random.Random(seed)
    (folder / "requests").mkdir(parents=True, exist_ok=True)
    entries = []
    places = [v["place"] for v in VENUES] + EXTRA
    spoken: list[str] = []
    for i in range(n):
        language = rng.choices(LANGUAGES, weights=[5, 2, 2, 2])[0]
        spoken.append(language)
        wanted = rng.sample(places, 7)
        must = (
            wanted[0]
            if rng.random() < 0.5
            and wanted[0] in ("tianfu-square", "peoples-park", "kuanzhai-alley")
            else None
        )
        optional = [
            {
                "place": p,
                "priority": rng.randint(2, 9),
                "dates": [rng.choice(["2025-03-21", "2025-03-22"])],
            }
            for p in wanted
            if p != must
        ]
        request = {
            "title": f"Delegation {i + 1:03d}",
            "delegation": {
                "name": f"Delegation {i + 1:03d}",
                "size": rng.randint(5, 30),
                "languages": [language, "zh"],
            },
            "dates": ["2025-03-21", "2025-03-22"],
            "day_window": {"start": "09:00", "end": "17:30"},
            "hotel": rng.choice(HOTELS),
            "travel": {"mode": "mixed"},
            "buffer_min": 5,
            "places": {"must_see": [must] if must else [], "optional": optional},
            "meals": [
                {"title": "Lunch", "window": {"start": "11:30", "end": "13:30"}, "minutes": 60}
            ],
        }
        path = folder / "requests" / f"d{i + 1:03d}.yaml"
        path.write_text(yaml.safe_dump(request, sort_keys=False), encoding="utf-8")
        entries.append({"request": f"requests/{path.name}"})
    # one interpreter per delegation of each language, two spare English guides
    guides = [
        {
            "language": lang,
            "count": sum(1 for x in spoken if x == lang) + (2 if lang == "en" else 0),
        }
        for lang in LANGUAGES
    ]
    conference = {
        "title": f"Generated Chengdu conference ({n} delegations)",
        "fairness": "maxmin",
        "delegations": entries,
        "resources": {"venues": VENUES, "guides": guides, "coaches": {"count": n, "seats": 45}},
    }
    path = folder / "conference.yaml"
    path.write_text(yaml.safe_dump(conference, sort_keys=False), encoding="utf-8")
    return path


def _row(plan: ConferencePlan, seconds: float) -> dict[str, Any]:
    musts = sum(r.must_sees for r in plan.results)
    wanted = sum(1 for r in plan.results for _ in r.delegation.request.places.must_see)
    return {
        "total_priority": plan.total_priority,
        "worst_share": round(plan.worst_share, 3),
        "mean_share": round(sum(r.share for r in plan.results) / len(plan.results), 3),
        "must_sees_kept": f"{musts}/{wanted}",
        "violations": len(plan.violations()),
        "rounds": plan.rounds,
        "repaired": len(plan.repaired),
        "seconds": round(seconds, 1),
    }


def run(
    path: Path, net: Any, *, workers: int, budget: Budget, method: str = "joint"
) -> tuple[ConferencePlan, float, dict[str, int]]:
    conference = load_conference(path)
    with Engine(workers=workers, processes=True) as engine:
        began = time.perf_counter()
        plan = plan_conference(conference, net, engine, budget=budget, method=method)  # type: ignore[arg-type]
        seconds = time.perf_counter() - began
        memory = engine.worker_memory()
    return plan, seconds, memory


def _table(header: list[str], rows: list[list[Any]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegations", type=int, default=60)
    parser.add_argument("--scale", type=int, default=300)
    parser.add_argument("--curve", default="25,50,100,200")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    args = parser.parse_args()
    net = load_network(NetworkSource.from_file(args.osm))
    budget = Budget(seed=0, max_iterations=args.iterations, rounds=args.rounds)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        conf = generate(Path(tmp) / "c60", args.delegations, args.seed)
        for method in ("first_come", "joint"):
            plan, seconds, _mem = run(conf, net, workers=2, budget=budget, method=method)
            out[method] = _row(plan, seconds)
        print(f"\n## Joint vs first come ({args.delegations} delegations x 2 days, 12 venues)\n")
        keys = ["total_priority", "worst_share", "mean_share", "must_sees_kept", "violations"]
        keys += ["rounds", "repaired", "seconds"]
        _table(
            ["method", *keys], [[m, *(out[m][k] for k in keys)] for m in ("first_come", "joint")]
        )
        scale = generate(Path(tmp) / "scale", args.scale, args.seed)
        plans = {}
        out["scale"] = {}
        for workers in (1, 2):
            plan, seconds, memory = run(scale, net, workers=workers, budget=budget)
            plans[workers] = [r.itinerary.to_json() for r in plan.results]
            out["scale"][workers] = {
                **_row(plan, seconds),
                "worker_rss_mib": sorted(round(v / 2**20) for v in memory.values()),
            }
        out["scale"]["identical"] = plans[1] == plans[2]
        print(f"\n## Scale ({args.scale} delegations)\n")
        base = out["scale"][1]["seconds"]
        keys = ["seconds", "total_priority", "worst_share", "violations", "worker_rss_mib"]
        _table(
            ["workers", "speed-up", *keys],
            [
                [w, f"{base / out['scale'][w]['seconds']:.2f}", *(out["scale"][w][k] for k in keys)]
                for w in (1, 2)
            ],
        )
        print(f"\nidentical plans with 1 and 2 workers: {out['scale']['identical']}")
        out["curve"] = {}
        for n in [int(x) for x in args.curve.split(",") if x]:
            conf_n = generate(Path(tmp) / f"n{n}", n, args.seed)
            plan, seconds, _mem = run(conf_n, net, workers=2, budget=budget)
            out["curve"][n] = {
                "seconds": round(seconds, 1),
                "rounds": plan.rounds,
                "per_delegation_s": round(seconds / n, 3),
            }
        print("\n## Time vs delegations (2 workers)\n")
        print("| delegations | wall s | s per delegation | rounds |")
        print("|---|---|---|---|")
        for n, r in out["curve"].items():
            print(f"| {n} | {r['seconds']} | {r['per_delegation_s']} | {r['rounds']} |")
    print()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
