"""Compile the solver's kernels ahead of the first plan.

``python -m tours.planning.solver.warmup`` (run by ``scripts/setup.sh``).

It builds the kernels' extension module (:mod:`._aot`, beside the source in
``tours/planning/solver/__pycache__``), so every ``tours plan`` loads the machine code in
milliseconds instead of compiling it (40-100 s on a small machine) or loading numba's cache
of it (about a second). Where that build fails (no C compiler), numba's just-in-time kernels
are compiled and cached instead, by solving a tiny problem that calls every kernel with the
argument types real plans use (the named arrays of :mod:`._state`).
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable

import numpy as np

from tours.planning.solver import _aot
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


def warm_up(*, report: Callable[[str], None] | None = None) -> float:
    """Load the compiled kernels, building them first if needed; seconds taken.

    Builds the ahead-of-time module when there is none for the current source; if that
    fails, *report* is told why and numba's just-in-time kernels are compiled (and cached).
    """
    began = time.perf_counter()
    if _aot.load_compiled() is None:
        try:
            _aot.build()
        except RuntimeError as err:
            if report is not None:
                report(f"{err}; using numba's just-in-time kernels")
        _aot.solver_kernels.cache_clear()
    solve(tiny_problem(), time_limit=None, max_iterations=20, seed=0)
    return time.perf_counter() - began


def main() -> int:
    """Warm up and say how long it took (on stderr)."""
    say = functools.partial(print, file=sys.stderr)
    if _aot.load_compiled() is None:
        say("tours: compiling the solver kernels (once per checkout) …")
    seconds = warm_up(report=lambda text: say(f"tours: {text}"))
    how = "ahead of time" if _aot.load_compiled() is not None else "just in time (numba)"
    say(f"tours: solver kernels ready in {seconds:.1f} s, compiled {how}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
