"""Time ``tours plan`` of the demo as a user runs it: the first run after setup, then warm.

Runs the ``tours`` command of this virtualenv in subprocesses (so imports, cache loads and
the solver kernels' loading are all counted) and prints one JSON object:

- ``first_plan_no_outputs_s``: ``tours plan DEMO --formats none`` right after
  ``scripts/setup.sh`` (which compiles the solver kernels); with ``--fresh-cache`` the street
  network is parsed too (an empty ``TOURS_CACHE_DIR``), else it comes from the cache that
  setup (or an earlier run) filled;
- ``warm_plan_no_outputs_s`` and ``warm_plan_all_outputs_s``: the same again, and with every
  output (maps, PDF, print HTML, ICS, GPX, CSV), median of ``--repeat`` runs.

Also ``import_cli_s``: ``python -c "import tours.cli"`` (interpreter start included).
Targets (issue 14): first plan < 5 s, and a warm plan < 3 s with every output. On a
loaded machine the wall times grow with the load; the CPU seconds (``*_cpu_s``) do not.
Run: ``python bench/coldstart.py [--fresh-cache] [--repeat N] [--checkout DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _timing import timed_run

ROOT = Path(__file__).resolve().parents[1]


def _run(checkout: Path, out: Path, formats: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the command and its workers) of one run."""
    demo = checkout / "data" / "chengdu" / "requests" / "british-culture-2025.yaml"
    cmd = [
        sys.executable,
        "-c",
        "from tours.cli import main; main()",
        "plan",
        str(demo),
        "-o",
        str(out),
        "--formats",
        formats,
        "--no-progress",
    ]
    return timed_run(cmd, env=env, cwd=checkout, what="tours plan")


def _import_cli(checkout: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -c 'import tours.cli'`` (interpreter start included)."""
    cmd = [sys.executable, "-c", "import tours.cli"]
    return timed_run(cmd, env=env, cwd=checkout, what="import tours.cli")


def main() -> None:
    """Run the timings and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the clone to run")
    parser.add_argument("--fresh-cache", action="store_true", help="empty network cache")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(args.checkout.resolve()))
    with tempfile.TemporaryDirectory() as scratch:
        if args.fresh_cache:
            env["TOURS_CACHE_DIR"] = str(Path(scratch) / "cache")
        out = Path(scratch) / "out"
        first = _run(args.checkout, out, "none", env)
        warm = [_run(args.checkout, out, "none", env) for _ in range(args.repeat)]
        full = [_run(args.checkout, out, "all", env) for _ in range(args.repeat)]
        imports = [_import_cli(args.checkout, env) for _ in range(args.repeat)]
    report = {
        "checkout": str(args.checkout.resolve()),
        "fresh_network_cache": args.fresh_cache,
        "first_plan_no_outputs_s": round(first[0], 2),
        "warm_plan_no_outputs_s": round(statistics.median(w for w, _ in warm), 2),
        "warm_plan_all_outputs_s": round(statistics.median(w for w, _ in full), 2),
        # CPU seconds barely depend on the machine's load: on an idle machine, a run takes
        # about its CPU time (less where the print renders beside the maps on a 2nd core)
        "first_plan_no_outputs_cpu_s": round(first[1], 2),
        "warm_plan_no_outputs_cpu_s": round(statistics.median(c for _, c in warm), 2),
        "warm_plan_all_outputs_cpu_s": round(statistics.median(c for _, c in full), 2),
        "import_cli_s": round(statistics.median(w for w, _ in imports), 2),
        "import_cli_cpu_s": round(statistics.median(c for _, c in imports), 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "targets_s": {
            "first_plan_no_outputs": 5.0,
            "warm_plan_all_outputs": 3.0,
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
