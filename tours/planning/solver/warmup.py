"""Compile the solver's kernels ahead of the first plan.

``python -m tours.planning.solver.warmup`` (run by ``scripts/setup.sh``).

numba compiles the kernels on their first call and caches the machine code on disk, beside
the source (``tours/planning/solver/__pycache__``). ``scripts/setup.sh`` runs this module, so
the first ``tours plan`` after setup loads the cached code (about a second) instead of
compiling it (40-100 s on a small machine). It solves a tiny problem that calls every kernel
with the argument types real plans use (the named arrays of :mod:`._state`).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from tours.planning.solver.optw import Break, Node, Problem, Tour, solve


def tiny_problem() -> Problem:
    """Two tours, a break, a walking limit, a mandatory node: every kernel path is typed."""
    travel = np.array(
        [
            [0.0, 10.0, 12.0, 15.0],
            [10.0, 0.0, 8.0, 9.0],
            [12.0, 8.0, 0.0, 7.0],
            [15.0, 9.0, 7.0, 0.0],
        ]
    )
    nodes = [
        Node(score=0.0, service=0.0, windows=[[(0.0, 600.0)]]),
        Node(score=5.0, service=30.0, windows=[[(60.0, 300.0)]], mandatory=True),
        Node(score=3.0, service=20.0, windows=[[(0.0, 500.0)]]),
        Node(score=4.0, service=25.0, windows=[[(100.0, 400.0)]]),
    ]
    tours = [
        Tour(0, 0, 0.0, 600.0, breaks=(Break(180.0, 240.0, 45.0),), walk_limit=100.0),
        Tour(0, 0, 0.0, 600.0),
    ]
    return Problem(nodes=nodes, travel=travel, tours=tours, walk=travel / 2)


def warm_up() -> float:
    """Load the compiled kernels, compiling and caching them first if needed; seconds taken."""
    began = time.perf_counter()
    solve(tiny_problem(), time_limit=None, max_iterations=20, seed=0)
    return time.perf_counter() - began


def main() -> int:
    """Warm up and say how long it took (on stderr)."""
    print("tours: compiling the solver kernels (once per checkout) …", file=sys.stderr)  # noqa: T201
    seconds = warm_up()
    print(f"tours: solver kernels ready in {seconds:.1f} s", file=sys.stderr)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
