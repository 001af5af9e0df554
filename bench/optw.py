"""Run the tours solver on the public OPTW benchmark files.

Usage::

    python bench/optw.py c101 --tours 1 --seconds 10          # one JSON object on stdout
    python bench/optw.py --all --seconds 10 --ortools         # table vs bks.csv and OR-Tools

INSTANCE is a file path or a name in ``../shared/bench/optw`` (``c101``, ``pr01``, ``t101``...).
The JSON object is ``{"instance", "score", "seconds", "routes"}`` with routes as the file's
vertex ids in visiting order (depot first and last); ``bench/optw_check.py`` re-checks it.
``--iterations N`` stops after N search iterations (results independent of machine speed).
The OR-Tools baseline is routing with one disjunction per place (penalty = score) and guided
local search under the same time limit.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from tours.planning.solver.benchmarks import BenchmarkInstance, read_instance
from tours.planning.solver.optw import evaluate_route, solve

BENCH_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "optw"
ALL = ("c101", "r101", "rc101", "pr01")


def resolve(name: str) -> Path:
    """A path, or an instance name in the shared benchmark folder."""
    path = Path(name)
    if path.is_file():
        return path
    candidate = BENCH_DIR / f"{name}.txt"
    if candidate.is_file():
        return candidate.resolve()
    msg = f"benchmark instance {name!r} not found (as a path or in {BENCH_DIR.resolve()})"
    raise SystemExit(msg)


def best_known(tours: int) -> dict[str, float]:
    """Best-known scores from ``bks.csv`` for *tours* tours."""
    path = BENCH_DIR / "bks.csv"
    with path.open(encoding="utf-8") as fh:
        return {
            row["instance"]: float(row["best_known_score"])
            for row in csv.DictReader(fh)
            if int(row["tours"]) == tours
        }


def run_ours(
    inst: BenchmarkInstance, *, seconds: float, seed: int, iterations: int | None
) -> dict[str, object]:
    """Solve with the tours solver; the JSON-ready result."""
    began = time.perf_counter()
    sol = solve(inst.problem, time_limit=seconds, seed=seed, max_iterations=iterations)
    elapsed = time.perf_counter() - began
    return {
        "instance": inst.name,
        "score": sol.score,
        "seconds": round(elapsed, 3),
        "iterations": sol.iterations,
        "routes": [[inst.ids[i] for i in route] for route in sol.routes],
    }


def run_ortools(inst: BenchmarkInstance, *, seconds: float) -> tuple[float, list[list[int]]]:
    """OR-Tools routing baseline: disjunctions with score penalties + guided local search."""
    from ortools.constraint_solver import (  # noqa: PLC0415 (only for the baseline)
        pywrapcp,
        routing_enums_pb2,
    )

    problem = inst.problem
    n = len(problem.nodes)
    kk = len(problem.tours)
    scale = 100  # travel times have at most 2 decimals
    travel = [[round(problem.travel[i, j] * scale) for j in range(n)] for i in range(n)]
    service = [round(node.service * scale) for node in problem.nodes]
    horizon = round(max(t.t_end for t in problem.tours) * scale)
    manager = pywrapcp.RoutingIndexManager(n, kk, 0)
    routing = pywrapcp.RoutingModel(manager)

    def transit(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return travel[a][b] + service[a]

    cb = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    routing.AddDimension(cb, horizon, horizon, False, "time")
    dim = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        index = manager.NodeToIndex(node)
        wins = [problem.nodes[node].windows_on(k, kk) for k in range(kk)]
        allowed = [k for k in range(kk) if wins[k]]
        if not allowed or any(wins[k] != wins[allowed[0]] for k in allowed):
            # per-tour windows differ (TTDP days): keep the node out of the baseline
            routing.AddDisjunction([index], 0)
            routing.solver().Add(routing.ActiveVar(index) == 0)
            continue
        opens, closes = wins[allowed[0]][0]
        dim.CumulVar(index).SetRange(round(opens * scale), round(closes * scale))
        penalty = round(problem.nodes[node].score * scale * 1000)
        routing.AddDisjunction([index], penalty)
    for k, tour in enumerate(problem.tours):
        dim.CumulVar(routing.Start(k)).SetRange(round(tour.t_start * scale), horizon)
        dim.CumulVar(routing.End(k)).SetRange(0, round(tour.t_end * scale))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    assignment = routing.SolveWithParameters(params)
    routes: list[list[int]] = []
    if assignment is None:
        return 0.0, routes
    score = 0.0
    for k in range(kk):
        index = routing.Start(k)
        route = [0]
        while not routing.IsEnd(index):
            index = assignment.Value(routing.NextVar(index))
            route.append(manager.IndexToNode(index))
        ev = evaluate_route(problem, k, route)
        score += ev.score if ev.feasible else 0.0
        routes.append([inst.ids[i] for i in route])
    return score, routes


def table(args: argparse.Namespace) -> None:
    """Print the comparison table over the standard instances."""
    bks = best_known(args.tours)
    names = args.instance or list(ALL)
    head = f"{'instance':<9} {'bks':>6} {'ours':>6} {'gap %':>6} {'seconds':>8}"
    if args.ortools:
        head += f" {'ortools':>8}"
    print(head)
    gaps: list[float] = []
    for name in names:
        inst = read_instance(resolve(name), tours=args.tours)
        res = run_ours(inst, seconds=args.seconds, seed=args.seed, iterations=args.iterations)
        ref = bks.get(inst.name)
        score = float(res["score"])  # type: ignore[arg-type]
        gap = 100.0 * (ref - score) / ref if ref else float("nan")
        if ref:
            gaps.append(gap)
        line = f"{inst.name:<9} {ref or float('nan'):>6g} {score:>6g} {gap:>6.2f} "
        line += f"{res['seconds']:>8.2f}"
        if args.ortools:
            ort, _ = run_ortools(inst, seconds=args.seconds)
            line += f" {ort:>8g}"
        print(line, flush=True)
    if gaps:
        print(f"{'mean gap':<9} {'':>6} {'':>6} {sum(gaps) / len(gaps):>6.2f}")


def main(argv: list[str] | None = None) -> None:
    """Entry point (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", nargs="*", help="instance path or name (c101, pr01, ...)")
    parser.add_argument("--tours", type=int, default=1, help="number of tours (default 1)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per instance")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--iterations", type=int, default=None, help="iteration cap")
    parser.add_argument("--all", action="store_true", help="print the table vs bks.csv")
    parser.add_argument("--ortools", action="store_true", help="add an OR-Tools column")
    args = parser.parse_args(argv)
    if args.all:
        table(args)
        return
    if len(args.instance) != 1:
        parser.error("give exactly one INSTANCE (or --all)")
    inst = read_instance(resolve(args.instance[0]), tours=args.tours)
    res = run_ours(inst, seconds=args.seconds, seed=args.seed, iterations=args.iterations)
    if args.ortools:
        ort, ort_routes = run_ortools(inst, seconds=args.seconds)
        res["ortools"] = {"score": ort, "routes": ort_routes}
    json.dump(res, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
