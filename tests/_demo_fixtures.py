"""Session fixtures for the renderer tests: the real demo itinerary, planned once.

``demo_plan`` plans ``data/chengdu/requests/british-culture-2025.yaml`` on the shared Chengdu
extract (the ``chengdu_net`` network of ``_routing_fixtures``) with an iteration cap and no
time limit, so the plan is the same on any machine, and loads its base map the way
``tours plan`` does. ``itinerary_case`` runs a renderer test on the hand-built sample and on
the demo (``-k sample`` / ``-k demo`` picks one); expected numbers come from the itinerary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _sample import sample_itinerary
from conftest import DEMO_REQUEST
from conftest import PLAN_ITERATIONS as DEMO_ITERATIONS

from routing import StreetNetwork
from routing.basemap import load_basemap
from tours.itinerary import Itinerary
from tours.outputs import BASEMAP_MARGIN_M
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import city_pack_for, load_request

#: The itineraries every renderer test runs on.
ITINERARY_CASES = ("sample", "demo")


@dataclass(frozen=True)
class ItineraryCase:
    """An itinerary to render and the base map ``tours plan`` would draw under it."""

    name: str
    itinerary: Itinerary
    basemap: dict[str, Any]
    plan_seconds: float = 0.0


@pytest.fixture(scope="session")
def demo_plan(chengdu_net: StreetNetwork, chengdu_pbf: Path) -> ItineraryCase:
    """The demo request planned on the Chengdu extract, with its base map (once a session)."""
    request = load_request(DEMO_REQUEST)
    started = time.perf_counter()
    itinerary = plan(
        request,
        pack=city_pack_for(request),
        network=chengdu_net,
        budget=SearchBudget(time_limit=None, max_iterations=DEMO_ITERATIONS),
    )
    seconds = time.perf_counter() - started
    basemap = load_basemap(chengdu_pbf, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    return ItineraryCase("demo", itinerary, basemap, plan_seconds=seconds)


@pytest.fixture(scope="session")
def demo_itinerary(demo_plan: ItineraryCase) -> Itinerary:
    """The planned demo itinerary."""
    return demo_plan.itinerary


@pytest.fixture(scope="session")
def sample_case(chengdu_pbf: Path) -> ItineraryCase:
    """The hand-built sample with the base map around it."""
    itinerary = sample_itinerary()
    basemap = load_basemap(chengdu_pbf, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    return ItineraryCase("sample", itinerary, basemap)


@pytest.fixture(scope="session", params=ITINERARY_CASES)
def itinerary_case(request: pytest.FixtureRequest) -> ItineraryCase:
    """Each itinerary case in turn (the demo is planned only when a test asks for it)."""
    name = "demo_plan" if request.param == "demo" else "sample_case"
    case: ItineraryCase = request.getfixturevalue(name)
    return case
