"""Coach stops in what people read: the map legend's ``P`` entry, and a stop taken from OSM
flagged "not checked" in its map popup and on the driver sheet (issue 11, points 1 and 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from checker import assert_feasible

from maps._map_legend import legend_html, passing_kinds
from maps._names import Languages
from maps.folium_map import build_map
from routing import StreetNetwork
from tours.itinerary import Itinerary
from tours.outputs import write_exports
from tours.places.pack import load_city_pack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import parse_request

REQUEST = """\
title: Coach stop outputs
delegation: {name: Test delegation, size: 6, languages: [de, zh]}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
travel: {mode: coach}
places:
  must_see: [chengdu-ifs, daci-temple]
"""
#: The unnamed bus station OSM has beside Daci Temple: the pack's stop for the temple, the
#: stop tours finds for Chengdu IFS.
STATION = "node/5188737722"


@pytest.fixture(scope="module")
def itinerary(chengdu_net: StreetNetwork) -> Itinerary:
    pack = load_city_pack()
    request = parse_request(REQUEST, source="outputs.yaml")
    planned = plan(
        request, pack=pack, network=chengdu_net, budget=SearchBudget(seed=0, max_iterations=100)
    )
    assert_feasible(planned, request=request, pack=pack, network=chengdu_net)
    return planned


def test_the_plan_passes_a_derived_and_a_pack_stop(itinerary: Itinerary) -> None:
    stops = {w.id: w for day in itinerary.days for w in day.waypoints}
    assert stops["coach-stop-chengdu-ifs"].osm_id == STATION  # taken from OSM
    assert stops["coach-stop-daci-temple"].osm_id is None  # the pack's, checked by an editor
    assert passing_kinds(list(itinerary.days)) == {"coach_stop"}


def test_legend_explains_the_p_markers_in_every_language() -> None:
    days = [(1, "Day 1")]
    english = legend_html(days=days, modes={"coach"}, kinds={"base"}, passing={"coach_stop"})
    assert "Coach stop (drop-off, pick-up)" in english
    assert "Passing point" not in english
    both = legend_html(
        days=days, modes={"coach"}, kinds={"base"}, passing={"coach_stop", "waypoint"}
    )
    assert "Passing point" in both
    assert "tour-legend-coach_stop" in both and "<span>P</span>" in both
    assert "Coach stop" not in legend_html(days=days, modes={"walk"}, kinds={"base"})
    german = Languages(ui="de", extra=(), local="zh", tag="de")
    assert "Busparkplatz (Ausstieg, Zustieg)" in legend_html(
        days=days, modes={"coach"}, kinds={"base"}, passing={"coach_stop"}, langs=german
    )


def test_map_legend_and_popup_flag_the_stop_from_osm(itinerary: Itinerary) -> None:
    html = build_map(itinerary).get_root().render()
    assert "Busparkplatz (Ausstieg, Zustieg)" in html  # the delegation's language: German
    # popups travel as JSON (non-ASCII escaped): one flag, for the one stop taken from OSM
    flag = f"Busparkplatz aus OpenStreetMap ({STATION}), nicht gepr\\u00fcft"
    assert html.count(flag) == 1
    assert html.count("Busparkplatz aus OpenStreetMap") == 1  # the pack's stop: not flagged


def test_driver_sheet_flags_the_stop_from_osm_in_the_drivers_language(
    itinerary: Itinerary, tmp_path: Path
) -> None:
    write_exports(itinerary, tmp_path, formats={"pdf"})
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "itinerary.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    driver = [page for page in text.split("\f") if "司机" in page or "Fahrer" in page]
    assert driver, "no driver sheet"
    flat = "".join("".join(driver).split())
    assert "大巴停靠点取自OpenStreetMap" in flat and "未经核实" in flat
