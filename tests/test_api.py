"""The Python API as a notebook uses it: everything through ``tours.*`` alone.

Plans the demo, checks it, writes its outputs, re-plans it on the day and reads it as a
GeoDataFrame and an HTML map; compares the plan and its summary with golden files.
Set ``TOURS_UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import yaml
from checker import assert_feasible
from conftest import DEMO_REQUEST, GOLDEN, PLAN_ITERATIONS, REPLAN_ITERATIONS

import tours

BUDGET = tours.SearchBudget(max_iterations=PLAN_ITERATIONS, time_limit=None)


@pytest.fixture(scope="module")
def network(chengdu_bz2: Path, routing_cache: Path) -> tours.api.StreetNetwork:
    """The Chengdu network through the public loader (the session's cache: no re-parse)."""
    return tours.load_network(chengdu_bz2, cache_dir=routing_cache)


@pytest.fixture(scope="module")
def demo(network: tours.api.StreetNetwork) -> tours.Itinerary:
    itinerary = tours.plan(DEMO_REQUEST, network=network, budget=BUDGET)
    request = tours.load_request(DEMO_REQUEST)
    pack = tours.load_places(request=request)
    assert_feasible(itinerary, request=request, pack=pack, network=network)
    return itinerary


def test_notebook_plans_replans_and_writes_outputs(
    network: tours.api.StreetNetwork, tmp_path: Path
) -> None:
    request = tours.load_request(DEMO_REQUEST)
    report = tours.check(request, network=network)
    assert (report.must_sees, report.optional) == (3, 14)
    assert any("Jinli Ancient Street" in note for note in report.notes)

    itinerary = tours.plan(request, network=network, budget=BUDGET)
    pack = tours.load_places(request=request)
    assert_feasible(itinerary, request=request, pack=pack, network=network)
    assert len(itinerary.days) == 2

    written = tours.write_outputs(itinerary, tmp_path / "out", formats="ics,gpx,csv")
    assert [p.name for p in written] == [
        "itinerary.json",
        "itinerary.ics",
        "itinerary.gpx",
        "itinerary.csv",
    ]
    assert tours.Itinerary.load(written[0]) == itinerary

    visit = next(s for s in itinerary.days[1].stops if isinstance(s, tours.itinerary.Visit))
    now = visit.start.replace(tzinfo=None) - dt.timedelta(minutes=10)
    result = tours.replan(
        written[0],
        now=now.strftime("%Y-%m-%d %H:%M"),
        delay_min=20,
        network=network,
        budget=tours.SearchBudget(max_iterations=REPLAN_ITERATIONS, time_limit=None),
    )
    assert_feasible(result.itinerary, request=result.request, pack=result.pack, network=network)
    assert result.itinerary.revision == 1
    assert result.changes
    again = tours.write_outputs(result.itinerary, tmp_path / "out", formats="none")
    assert [p.name for p in again] == ["itinerary.json"]
    assert not (tmp_path / "out" / "itinerary.ics").exists()  # one plan per folder


def test_request_as_a_dict_plans_like_the_file(
    demo: tours.Itinerary, network: tours.api.StreetNetwork
) -> None:
    data = yaml.safe_load(DEMO_REQUEST.read_text(encoding="utf-8"))
    from_dict = tours.plan(data, network=network, budget=BUDGET)
    assert from_dict.days == demo.days
    assert_feasible(
        from_dict,
        request=tours.load_request(data),
        pack=tours.load_places(request=data),
        network=network,
    )


def test_geodataframe_has_a_row_per_stop_and_leg(demo: tours.Itinerary) -> None:
    frame = demo.to_geodataframe()
    items = [item for day in demo.days for item in day.items]
    assert len(frame) == len(items)
    assert str(frame.crs) == "EPSG:4326"
    stops = frame[frame["kind"] != "leg"]
    legs = frame[frame["kind"] == "leg"]
    assert set(stops.geom_type) == {"Point"}
    assert set(legs.geom_type) == {"LineString"}
    assert legs["distance_m"].sum() == pytest.approx(
        sum(leg.distance_m for day in demo.days for leg in day.legs)
    )
    first = demo.days[0].stops[0]
    row = stops.iloc[0]
    assert (row["name"], row["day"]) == (first.place.name_en, 1)
    assert row.geometry.x == pytest.approx(first.place.lon)


def test_repr_html_is_an_offline_map(demo: tours.Itinerary) -> None:
    html = demo._repr_html_()
    assert "leaflet" in html.lower()
    assert "OpenStreetMap contributors" in html


def test_errors_share_one_root() -> None:
    assert issubclass(tours.RoutingError, tours.Error)
    assert issubclass(tours.TourError, tours.Error)
    assert issubclass(tours.ConflictError, tours.PlanningError)
    assert issubclass(tours.ConflictError, tours.RequestError)
    assert issubclass(tours.OutputError, OSError)
    with pytest.raises(tours.Error, match="`formats`: 'docx' is not an output"):
        tours.write_outputs(tours.Itinerary.model_construct(), Path("unused"), formats="docx")


def test_unwritable_output_folder_is_an_output_error(demo: tours.Itinerary, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(tours.OutputError, match="is a file, not a folder"):
        tours.write_outputs(demo, blocker / "out", formats="none")


def test_search_budget_is_checked() -> None:
    with pytest.raises(tours.InputError, match="give `time_limit` or `max_iterations`"):
        tours.SearchBudget(time_limit=None, max_iterations=None)
    with pytest.raises(tours.InputError, match="`max_iterations` is 0"):
        tours.SearchBudget(max_iterations=0)


def test_replan_names_python_parameters(demo: tours.Itinerary) -> None:
    with pytest.raises(tours.ReplanError, match="`now` is 'soon'"):
        tours.replan(demo, now="soon")
    with pytest.raises(tours.ReplanError, match="`delay_min` is -5"):
        tours.replan(demo, now="2025-03-22 10:00", delay_min=-5)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TOURS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with TOURS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_demo_plan_matches_golden_files(demo: tours.Itinerary) -> None:
    """The demo at a fixed iteration cap: any change to the plan shows up as a diff."""
    data = json.loads(demo.to_json())
    data.pop("request", None)  # holds the request file's path, which depends on the checkout
    _golden("demo-itinerary.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    _golden("demo-summary.txt", tours.summary(demo) + "\n")
