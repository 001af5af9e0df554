"""Time the whole ``tours plan`` of the demo with every output, checkouts side by side.

Each checkout runs with its own virtualenv (``CHECKOUT/.venv/bin/python``), in turns, round
after round, so a change in the machine's load hits every checkout alike. A run is the whole
command as a user types it (interpreter start, imports, the solver kernels' loading, the
network from the cache, planning and every output: maps, PDF, print HTML, ICS, GPX, CSV).

- ``warm``: the output caches hold this plan's day-map images and PDF (as on a re-run);
- ``cold``: the day-map, print and map-page caches are emptied before each run (as after a plan that
  changed every day); the parsed network and base map stay cached.

The cache is a temporary copy of ``$TOURS_CACHE_DIR`` (or the user cache folder), so the
user's cache is neither used nor emptied. Prints one JSON object: per checkout and kind, the
median wall and CPU seconds (the command and its worker processes) over ``--repeat`` runs.
Target (issue 14): warm < 3 s on a 2-core machine.

Run: ``python bench/plan_outputs.py [--repeat N] [CHECKOUT ...]`` (default: this checkout).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from _timing import timed_run

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path("data") / "chengdu" / "requests" / "british-culture-2025.yaml"
#: Cache folders of rendered outputs, emptied before a cold run.
OUTPUT_CACHES = ("day-maps", "print", "map-pages")


def _user_cache() -> Path:
    """The cache root ``tours`` uses here (``$TOURS_CACHE_DIR`` or the user cache folder)."""
    if env := os.environ.get("TOURS_CACHE_DIR"):
        return Path(env).expanduser()
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir("tours", appauthor=False))


def _run(checkout: Path, out: Path, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the command and its workers) of one plan."""
    python = checkout / ".venv" / "bin" / "python"
    command = [str(python), "-c", "from tours.cli import main; main()", "plan"]
    command += [str(checkout / DEMO), "-o", str(out), "--formats", "all", "--no-progress"]
    env = {**os.environ, "TOURS_CACHE_DIR": str(cache), "PYTHONPATH": str(checkout)}
    return timed_run(command, env=env, cwd=checkout, what=f"{checkout}: tours plan")


def main() -> None:
    """Run the rounds and print the medians as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    checkouts = [Path(c).resolve() for c in args.checkouts]
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {
        str(c): {"warm": [], "cold": []} for c in checkouts
    }
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        shutil.copytree(_user_cache(), cache, dirs_exist_ok=True)
        for checkout in checkouts:  # fill the caches (network, base map, this plan's outputs)
            _run(checkout, Path(scratch) / "warm-up", cache)
        for _ in range(args.repeat):
            for kind in ("warm", "cold"):
                for checkout in checkouts:
                    if kind == "cold":
                        for folder in OUTPUT_CACHES:
                            shutil.rmtree(cache / folder, ignore_errors=True)
                    out = Path(scratch) / f"out-{len(runs[str(checkout)][kind])}"
                    runs[str(checkout)][kind].append(_run(checkout, out, cache))
            for checkout in checkouts:  # cache keys may differ between checkouts: refill
                _run(checkout, Path(scratch) / "refill", cache)
    report = {
        "repeat": args.repeat,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "target_warm_s": 3.0,
        "checkouts": {
            name: {
                kind: {
                    "wall_s": round(statistics.median(w for w, _ in timings), 2),
                    "cpu_s": round(statistics.median(c for _, c in timings), 2),
                    "wall_all_s": [round(w, 2) for w, _ in timings],
                }
                for kind, timings in kinds.items()
            }
            for name, kinds in runs.items()
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
