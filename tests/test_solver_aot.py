"""The solver's kernels compiled ahead of time: built by setup, loaded without numba, same plans.

``scripts/setup.sh`` (and the session fixture ``_solver_kernels``) builds the extension
module of :mod:`tours.planning.solver._aot`; these tests check that planning uses it, that it
never loads numba, and that it plans exactly what numba's just-in-time kernels plan.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from checker import assert_feasible
from conftest import DEMO_REQUEST, PLAN_ITERATIONS

import tours
from routing import StreetNetwork
from tours.planning.solver import _aot, _kernel, optw
from tours.planning.solver.benchmarks import BenchmarkInstance, read_instance, read_toptw
from tours.planning.solver.warmup import tiny_problem


def test_setup_built_the_module_of_the_current_source() -> None:
    module = _aot.load_compiled()
    assert module is not None, "the session fixture builds it when setup did not"
    assert _aot.solver_kernels() is module
    assert module.__name__ == _aot.module_name()
    assert _aot.module_path().parent == Path(_kernel.__file__).parent / "__pycache__"


def test_a_plan_in_a_new_process_never_loads_numba() -> None:
    code = (
        "import sys\n"
        "from tours.planning.solver.optw import solve\n"
        "from tours.planning.solver.warmup import tiny_problem\n"
        "solution = solve(tiny_problem(), time_limit=None, max_iterations=50, seed=0)\n"
        "print(solution.routes, 'numba' in sys.modules, 'llvmlite' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    routes, numba_loaded, llvm_loaded = done.stdout.rsplit(" ", 2)
    assert (numba_loaded, llvm_loaded.strip()) == ("False", "False")
    assert routes == str(
        optw.solve(tiny_problem(), time_limit=None, max_iterations=50, seed=0).routes
    )


def test_a_module_built_from_other_source_is_never_loaded(tmp_path: Path) -> None:
    """An edited kernel has another hash: its stale module is ignored, numba's JIT plans."""
    built = _aot.module_path()
    stale = tmp_path / built.name.replace(_aot.module_name(), "_kernel_aot_0123456789abcdef")
    shutil.copyfile(built, stale)
    assert _aot.load_compiled(tmp_path) is None
    shutil.copyfile(built, tmp_path / built.name)
    assert _aot.load_compiled(tmp_path) is not None


@pytest.mark.parametrize(
    ("name", "reader", "iterations"),
    [
        ("c101.txt", read_toptw, 400),
        ("r101.txt", read_toptw, 400),
        ("pr01.txt", read_instance, 300),
    ],
)
def test_compiled_and_jit_kernels_find_the_same_routes(
    optw_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    reader: Callable[[Path], BenchmarkInstance],
    iterations: int,
) -> None:
    problem = reader(optw_dir / name).problem
    for seed in (0, 1):
        ahead = optw.solve(problem, time_limit=None, max_iterations=iterations, seed=seed)
        with monkeypatch.context() as patch:
            patch.setattr(optw, "solver_kernels", lambda: _kernel)
            jit = optw.solve(problem, time_limit=None, max_iterations=iterations, seed=seed)
        assert ahead.routes == jit.routes
        assert (ahead.score, ahead.iterations) == (jit.score, jit.iterations)
        assert optw.check_solution(problem, ahead.routes) == []


def test_the_demo_plans_the_same_with_either_kernels(
    chengdu_net: StreetNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = chengdu_net
    request = tours.load_request(DEMO_REQUEST)
    budget = tours.SearchBudget(time_limit=None, max_iterations=PLAN_ITERATIONS, seed=0)
    ahead = tours.plan(request, network=network, budget=budget)
    monkeypatch.setattr(optw, "solver_kernels", lambda: _kernel)
    jit = tours.plan(request, network=network, budget=budget)
    assert ahead.to_json() == jit.to_json()
    visits = [s for day in ahead.days for s in day.stops if isinstance(s, tours.itinerary.Visit)]
    assert len(visits) == 8
    assert_feasible(
        ahead, request=request, pack=tours.load_places(request=request), network=network
    )


def test_a_folder_that_cannot_hold_the_module_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(RuntimeError, match="cannot write the compiled solver kernels to `"):
        _aot.build(blocker / "kernels")
    assert _aot.load_compiled(blocker / "kernels") is None
