"""The API the CLI stands on: plan_details, the checked pack and its warnings, places from an
extract alone (``tours plan`` is a shell over these)."""

from __future__ import annotations

from pathlib import Path

from _osm_files import MONACO_PBF
from checker import assert_feasible
from conftest import DEMO_REQUEST, PLAN_ITERATIONS

import tours
from routing import StreetNetwork

MONACO_DEMO = Path(__file__).resolve().parents[1] / "data/requests/monaco-grimaldi-forum.yaml"
BUDGET = tours.SearchBudget(max_iterations=PLAN_ITERATIONS, time_limit=None, seed=3)


def test_plan_details_reports_the_search_and_plans_as_plan(chengdu_net: StreetNetwork) -> None:
    details = tours.plan_details(DEMO_REQUEST, network=chengdu_net, budget=BUDGET)
    assert isinstance(details, tours.PlanDetails)
    assert 0 < details.iterations <= PLAN_ITERATIONS
    assert details.seconds > 0
    assert details.budget == BUDGET
    request = tours.load_request(DEMO_REQUEST)
    pack = tours.load_places(request=request)
    assert_feasible(details.itinerary, request=request, pack=pack, network=chengdu_net)
    # the same input and seed under an iteration cap: the same itinerary as tours.plan
    assert tours.plan(DEMO_REQUEST, network=chengdu_net, budget=BUDGET) == details.itinerary


def test_check_without_streets_gives_the_pack_the_plan_uses() -> None:
    report = tours.check(DEMO_REQUEST, streets=False)
    assert report.pack.id == "chengdu"
    assert not report.network_checked
    assert report.warnings == []  # the demo keeps no fixed item at a closed venue
    assert (report.must_sees, report.optional) == (3, 14)
    # the request's OSM place (osm:way/...) is added to the pack, as for planning
    assert report.pack.places.keys() == tours.load_places(request=DEMO_REQUEST).places.keys()


def test_a_request_without_city_takes_its_places_and_warnings_from_the_extract() -> None:
    pack = tours.load_places(request=MONACO_DEMO, network=MONACO_PBF)
    assert pack.timezone == "Europe/Monaco"
    report = tours.check(MONACO_DEMO, network=MONACO_PBF, streets=False)
    assert report.pack.timezone == "Europe/Monaco"
    assert report.pack.places.keys() == pack.places.keys()
    clipped = [w for w in report.warnings if w.startswith("extract `monaco-2012.osm.pbf`")]
    assert len(clipped) == 1 and "is clipped" in clipped[0]
