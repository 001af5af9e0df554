"""What the seeded batch scripts share: their options, loading and planning loop.

``bench/random_requests.py`` and ``bench/meal_refusals.py`` plan ``--count`` seeded random
requests on the shared Chengdu extract with an iteration cap and re-check every plan with the
independent checker (``tests/checker.py``); only their requests and summaries differ.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from routing import NetworkSource, load_network
from tours._errors import InputError, PlanningError
from tours.itinerary import Itinerary
from tours.places.pack import load_city_pack
from tours.planning.planner import plan
from tours.planning.request import Request, parse_request

ROOT = Path(__file__).resolve().parents[1]
OSM_DIR = ROOT / ".." / "shared" / "osm"


def batch_args(description: str, *, count: int, iterations: int, osm: Path) -> argparse.Namespace:
    """Parse ``--count``, ``--seed`` (16), ``--iterations`` and ``--osm`` with these defaults."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=iterations)
    parser.add_argument("--osm", type=Path, default=osm)
    return parser.parse_args()


def _budget(iterations: int) -> dict[str, Any]:
    """The search budget keywords of this version of the planner (older ones too)."""
    try:
        from tours.planning.budget import SearchBudget  # noqa: PLC0415
    except ImportError:  # before the public API: keywords
        return {"time_limit": None, "max_iterations": iterations}
    return {"budget": SearchBudget(time_limit=None, max_iterations=iterations)}


def plan_batch(
    args: argparse.Namespace,
    request_text: Callable[[random.Random, int], str],
    source: str,
    counts: dict[str, int],
    refused: list[int] | None = None,
) -> Iterator[tuple[Request, Itinerary]]:
    """Plan the seeded batch; yield each planned request and itinerary.

    Parameters
    ----------
    args
        The options of :func:`batch_args`.
    request_text
        The YAML text of request ``index`` drawn from the seeded generator.
    source
        The name requests are read under (``{source}-{index}``).
    counts
        Raised in place: ``planned``, ``conflict`` (valid input with no feasible plan, whether
        the request check or the planner found it), ``bad_request`` (invalid input) and
        ``checker_violations``.
    refused
        When given, the indexes of the requests refused as a conflict are appended.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from checker import check_itinerary  # noqa: PLC0415 (the independent checker)

    network = load_network(NetworkSource.from_file(args.osm))
    pack = load_city_pack()
    rng = random.Random(args.seed)
    for index in range(args.count):
        text = request_text(rng, index)
        try:
            request = parse_request(text, source=f"{source}-{index}")
            itinerary = plan(request, pack=pack, network=network, **_budget(args.iterations))
        except PlanningError:
            counts["conflict"] += 1
            if refused is not None:
                refused.append(index)
            continue
        except InputError:
            counts["bad_request"] += 1
            continue
        counts["planned"] += 1
        if check_itinerary(itinerary, request=request, pack=pack, network=network):
            counts["checker_violations"] += 1
        yield request, itinerary
