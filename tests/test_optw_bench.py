"""The public OPTW benchmark files: parsing, the bench script and the independent route checker."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tours._errors import InputError
from tours.planning.solver.benchmarks import read_instance, read_toptw, read_ttdp
from tours.planning.solver.optw import check_solution, solve

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("optw_check", BENCH / "optw_check.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_solomon_file_parsing(optw_dir: Path) -> None:
    inst = read_toptw(optw_dir / "c101.txt")
    problem = inst.problem
    assert len(problem.nodes) == 101
    assert inst.ids[:3] == [0, 1, 2]
    assert problem.tours[0].t_end == 1236
    node1 = problem.nodes[1]  # "1 45.00 68.00 90.00 10.00 1 1 1 912 967"
    assert (node1.score, node1.service, node1.windows) == (10, 90, [[(912, 967)]])
    # travel: Euclidean distance rounded down to one decimal
    assert problem.travel[0, 1] == math.floor(math.hypot(5, 18) * 10) / 10 == 18.6
    assert problem.travel[1, 2] == 2.0


def test_cordeau_file_parsing(optw_dir: Path) -> None:
    inst = read_instance(optw_dir / "pr01.txt")
    problem = inst.problem
    assert len(problem.nodes) == 49
    assert problem.tours[0].t_end == 1000
    node1 = problem.nodes[1]  # "1 -29.730 64.136 2 12 4 1 15 354 509"
    assert (node1.score, node1.service, node1.windows) == (12, 2, [[(354, 509)]])
    expected = math.floor(math.hypot(-29.730 + 10.442, 64.136 - 19.999) * 100) / 100
    assert problem.travel[0, 1] == pytest.approx(expected, abs=1e-12)
    assert round(problem.travel[0, 1] * 100) == problem.travel[0, 1] * 100


def test_ttdp_file_parsing_uses_weekdays(optw_dir: Path) -> None:
    inst = read_ttdp(optw_dir / "t101.txt", tours=3)
    problem = inst.problem
    assert len(problem.nodes) == 102
    assert [(t.t_start, t.t_end) for t in problem.tours] == [(510, 1210)] * 3
    # node 2 is closed on day 2 and open 510-990 otherwise; start day SD = 5
    node2 = problem.nodes[2]
    assert node2.windows_on(0, 3) == [(510, 990)]  # day 5
    assert node2.windows_on(1, 3) == [(510, 990)]  # day 6
    assert node2.windows_on(2, 3) == [(510, 990)]  # day 0
    closed_day2 = read_ttdp(optw_dir / "t101.txt", tours=5).problem.nodes[2]
    assert closed_day2.windows_on(4, 5) == []  # day (5 + 4) % 7 = 2
    assert problem.travel[0, 1] == pytest.approx(
        math.floor(math.hypot(43 - 12.22, 78 - 88.27) * 100) / 100, abs=1e-12
    )


def test_bad_benchmark_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("4 10 100 1\n0 200\n0 40 50 zero 0 0 0 0 1236\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        read_instance(bad)


def test_checker_accepts_solver_routes_on_c101(optw_dir: Path) -> None:
    inst = read_instance(optw_dir / "c101.txt")
    sol = solve(inst.problem, time_limit=None, max_iterations=300, seed=1)
    assert check_solution(inst.problem, sol.routes) == []
    assert sol.score >= 300
    result = {
        "instance": "c101",
        "score": sol.score,
        "routes": [[inst.ids[i] for i in r] for r in sol.routes],
    }
    checker = _load_checker()
    assert checker.check(optw_dir / "c101.txt", result) == []
    # tampering is noticed: a wrong score, a late visit, a double visit
    assert checker.check(optw_dir / "c101.txt", {**result, "score": sol.score + 10})
    route = result["routes"][0]
    swapped = [route[0], route[-2], *route[1:-2], route[-1]]
    assert any(
        "after" in p for p in checker.check(optw_dir / "c101.txt", {**result, "routes": [swapped]})
    )
    doubled = [*route[:-1], route[1], 0]
    assert any(
        "twice" in p for p in checker.check(optw_dir / "c101.txt", {**result, "routes": [doubled]})
    )


def test_checker_on_two_tours_of_t101(optw_dir: Path) -> None:
    inst = read_ttdp(optw_dir / "t101.txt", tours=2)
    sol = solve(inst.problem, time_limit=None, max_iterations=100, seed=0)
    result = {"score": sol.score, "routes": [[inst.ids[i] for i in r] for r in sol.routes]}
    assert _load_checker().check(optw_dir / "t101.txt", result) == []
    assert len(sol.routes) == 2
    assert all(len(r) > 2 for r in sol.routes)


def test_bench_script_prints_checkable_json(optw_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "optw.py"), "pr01", "--tours", "2", "--iterations", "200"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    assert set(result) >= {"instance", "score", "seconds", "routes"}
    assert result["instance"] == "pr01"
    assert len(result["routes"]) == 2
    assert result["score"] > 308  # two tours collect more than the one-tour best known
    check = subprocess.run(
        [sys.executable, str(BENCH / "optw_check.py"), "pr01"],
        input=out.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout.startswith("OK pr01")
