"""The fast paths of the planner: lazy package imports and the kernel's table lookups."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import numpy as np
import pytest
from _imports import fresh_import

from routing.traffic import GENERIC_PROFILE
from tours.cli import COMMAND_MODULES, cli
from tours.planning.solver import optw
from tours.planning.solver.optw import Node, Problem, TimedTravel, Tour

HEAVY = ("scipy", "numba", "routing.network", "tours.api", "tours.planning.solver._kernel")


def test_importing_the_packages_loads_no_routing_solver_or_scipy() -> None:
    loaded, names = fresh_import(
        "import tours, routing", HEAVY, "tours.plan.__module__, routing.load_network.__module__"
    )
    assert loaded == []  # nothing heavy until a name is used
    assert names == "tours.api routing.network"  # ... and then the real objects


def test_unknown_public_names_raise_attribute_error() -> None:
    import routing  # noqa: PLC0415
    import tours  # noqa: PLC0415

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = tours.nope  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = routing.nope  # type: ignore[attr-defined]
    assert callable(tours.summary)  # the function, not the submodule of that name


def _timed_problem(n: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    drive = rng.uniform(60.0, 5400.0, size=(n, n))
    drive[rng.random((n, n)) < 0.2] = 0.0  # some legs do not depend on the hour
    np.fill_diagonal(drive, 0.0)
    fixed = rng.uniform(0.0, 900.0, size=(n, n))
    offset = rng.uniform(0.0, 600.0, size=(n, n))
    table_t, table_f = GENERIC_PROFILE.table
    timed = TimedTravel(fixed, drive, offset, table_t, table_f, round_to=60.0)
    travel = np.ceil((fixed + drive) / 60.0) * 60.0
    nodes = [Node(score=1.0, service=0.0, windows=[[(0.0, 3 * 86_400.0)]]) for _ in range(n)]
    return Problem(nodes=nodes, travel=travel, tours=[Tour(0, 0, 0.0, 86_400.0)], timed=timed)


def test_kernel_arrivals_equal_np_interp_bit_for_bit() -> None:
    from tours.planning.solver import _kernel as core  # noqa: PLC0415

    problem = _timed_problem(6, seed=3)
    arrays, _cand = optw._compile(problem)
    rng = np.random.default_rng(7)
    # any second of two days, every minute edge of the table, and midnight itself
    departures = [*rng.uniform(0.0, 2 * 86_400.0, size=400), *np.arange(0.0, 172_800.0, 997.0)]
    departures += [0.0, 86_400.0 - 1e-9, 86_400.0, 43_200.0]
    for t in departures:
        for i in range(6):
            for j in range(6):
                assert core._arrive(arrays, i, j, float(t)) == problem.arrive(i, j, float(t))


def test_kernel_arrivals_stay_fifo() -> None:
    from tours.planning.solver import _kernel as core  # noqa: PLC0415

    problem = _timed_problem(4, seed=11)
    arrays, _cand = optw._compile(problem)
    times = np.arange(0.0, 86_400.0, 60.0)
    for i, j in [(0, 1), (1, 2), (2, 3), (3, 0)]:
        arrivals = [core._arrive(arrays, i, j, float(t)) for t in times]
        assert np.all(np.diff(arrivals) >= 0.0)


def test_each_command_loads_from_the_module_the_root_group_names() -> None:
    """``tours plan`` imports only its own module: the lazy command table matches the commands."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"tours.cli.{module}")
    assert sorted(cli.commands) == sorted(COMMAND_MODULES)
    context = click.Context(cli)
    for name in COMMAND_MODULES:
        command = cli.get_command(context, name)
        assert command is not None and command.name == name


def test_the_plan_command_does_not_load_dask() -> None:
    code = (
        "import sys, click, tours.cli as c; c.cli.get_command(click.Context(c.cli), 'plan');"
        "print(any(m == 'distributed' or m.startswith('dask') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
