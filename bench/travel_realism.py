"""The demo before and after issue 11 (walkable squares, coach profile, last entry).

Plans the demo request on the Chengdu extract twice in one run and prints, side by side:
walking km, number of visits, total priority, coach legs and minutes (and the middle step:
squares and last entry without rush hours). "Before" rebuilds the
walk graph without walkable areas (squares dropped, as osmnx's walk filter does), plans with
the same speed at every hour and ignores the pack's last-entry times; "after" is the
product as shipped. Not a timed test.

Run: ``python bench/travel_realism.py [--iterations N]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

import routing._graph as graph_module
from routing import NetworkSource, StreetNetwork, load_network
from tours.itinerary import Itinerary, Visit
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request, city_pack_for, load_request

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "chengdu" / "requests" / "british-culture-2025.yaml"
OSM = (ROOT / ".." / "shared" / "osm" / "chengdu-central-2018.osm.bz2").resolve()


def _network_without_areas(source: NetworkSource) -> StreetNetwork:
    """The network as before: area=yes squares left out of the walk graph."""

    def no_areas(streets: Any, **kw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keep = kw["keep"]
        return (
            kw["a"][keep[kw["seg_way"]]],
            kw["b"][keep[kw["seg_way"]]],
            kw["seg_way"][keep[kw["seg_way"]]],
        )

    original = graph_module.add_walk_areas
    graph_module.add_walk_areas = no_areas  # type: ignore[assignment]
    try:
        return load_network(source, use_cache=False)
    finally:
        graph_module.add_walk_areas = original


def _before(request: Request, pack: CityPack) -> tuple[Request, CityPack]:
    travel = request.travel.model_copy(update={"coach_profile": "flat"})
    flat = request.model_copy(update={"travel": travel})
    pack = city_pack_for(request)
    for pid, place in list(pack.places.items()):
        pack.places[pid] = place.model_copy(update={"last_entry": None, "min_inside_minutes": None})
    return flat, pack


def _numbers(itinerary: Itinerary) -> dict[str, Any]:
    legs = [leg for day in itinerary.days for leg in day.legs]
    visits = [v for day in itinerary.days for v in day.items if isinstance(v, Visit)]
    return {
        "walking_km": round(sum(leg.distance_m for leg in legs if leg.mode == "walk") / 1000, 2),
        "visits": len(visits),
        "total_priority": itinerary.total_priority,
        "coach_legs": sum(leg.mode == "coach" for leg in legs),
        "coach_min": round(sum(leg.duration_s for leg in legs if leg.mode == "coach") / 60),
        "left_out": {o.place.id: o.code for o in itinerary.left_out},
    }


def main() -> None:
    """Plan the demo before and after; print both as one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    source = NetworkSource.from_file(OSM)
    budget = SearchBudget(seed=0, max_iterations=args.iterations, time_limit=None)
    request = load_request(DEMO)
    pack = city_pack_for(request)
    after = plan(request, pack=pack, network=load_network(source), budget=budget)
    old_request, old_pack = _before(request, pack)
    before = plan(
        old_request,
        pack=old_pack,
        network=_network_without_areas(source),
        budget=budget,
    )
    travel = request.travel.model_copy(update={"coach_profile": "flat"})
    flat_request = request.model_copy(update={"travel": travel})
    no_rush = plan(
        flat_request, pack=city_pack_for(request), network=load_network(source), budget=budget
    )
    out = {
        "before": _numbers(before),
        "squares_and_last_entry_only": _numbers(no_rush),
        "after": _numbers(after),
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
