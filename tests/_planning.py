"""Plan a request in a test and re-verify it with the independent checker."""

from __future__ import annotations

from checker import assert_feasible

from routing import StreetNetwork
from tours.itinerary import Itinerary
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request

#: A small search: 100 iterations, seed 0.
SMALL_BUDGET = SearchBudget(seed=0, max_iterations=100)


def plan_checked(
    request: Request, pack: CityPack, net: StreetNetwork, budget: SearchBudget = SMALL_BUDGET
) -> Itinerary:
    """The plan of *request*, after :func:`checker.assert_feasible` found nothing wrong."""
    itinerary = plan(request, pack=pack, network=net, budget=budget)
    assert_feasible(itinerary, request=request, pack=pack, network=net)
    return itinerary
