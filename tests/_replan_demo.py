"""The demo planned for the re-planning tests, and helpers to read re-planned itineraries.

Shared by ``test_replan.py``, ``test_replan_cli.py`` and ``test_replan_walk_limit.py``; the
fixtures are module-scoped (imported by each test module that uses them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import DEMO_REQUEST as DEMO_FILE
from conftest import PLAN_ITERATIONS as ITERATIONS
from icalendar import Calendar

from maps.calendar_ics import calendar_bytes
from routing import StreetNetwork
from tours.itinerary import Day, Itinerary, Leg, Visit
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.replan.replanner import Replan
from tours.planning.request import city_pack_for, load_request

DAY1, DAY2 = dt.date(2025, 3, 21), dt.date(2025, 3, 22)


@pytest.fixture(scope="module")
def pack() -> CityPack:
    # the city pack plus the demo request's OSM place (`osm:way/576653660`)
    return city_pack_for(load_request(DEMO_FILE))


@pytest.fixture(scope="module")
def demo(pack: CityPack, chengdu_net: StreetNetwork) -> Itinerary:
    request = load_request(DEMO_FILE)
    # the re-planning scenarios below were written for the same coach speed at every hour
    travel = request.travel.model_copy(update={"coach_profile": "flat"})
    request = request.model_copy(update={"travel": travel})
    itinerary = plan(
        request, pack=pack, network=chengdu_net, budget=SearchBudget(max_iterations=ITERATIONS)
    )
    if itinerary.request is None:  # until the planner stores its request (issue 7 needs it)
        itinerary = itinerary.model_copy(update={"request": request.model_dump(mode="json")})
    return itinerary


@pytest.fixture(scope="module")
def demo_file(demo: Itinerary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("replan") / "itinerary.json"
    path.write_text(demo.to_json(), encoding="utf-8")
    return path


def at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=ZoneInfo("Asia/Shanghai"))


def day_of(it: Itinerary, date: dt.date) -> Day:
    return next(d for d in it.days if d.date == date)


def ics_events(it: Itinerary) -> dict[str, tuple[str, str, str]]:
    cal = Calendar.from_ical(calendar_bytes(it))
    return {
        str(ev["UID"]): (ev["DTSTART"].dt.isoformat(), ev["DTEND"].dt.isoformat(), ev["SUMMARY"])
        for ev in cal.walk("VEVENT")
    }


def reported_move(res: Replan) -> Leg:
    """The reported move: the leg right after the kept items of today."""
    items = day_of(res.itinerary, res.state.now.date()).items
    leg = items[len(res.state.done)]
    assert isinstance(leg, Leg)
    return leg


def visit_after_lunch(demo: Itinerary) -> Visit:
    """A visit of day 2 of an hour or more after lunch (Chengdu Museum in the demo)."""
    return next(
        s
        for s in day_of(demo, DAY2).stops
        if isinstance(s, Visit) and s.start.hour >= 14 and s.minutes >= 60
    )
