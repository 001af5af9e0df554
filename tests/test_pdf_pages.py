"""The printed programme's pages, read back from real PDFs (WeasyPrint, poppler): each day's
schedule and its map on one page (a day too long for both: the whole schedule, then the map
on top of the next page), each driver sheet on one page, no near-empty pages; for the English,
German and Arabic demos."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from _demo_fixtures import ItineraryCase
from _pdf import pdf_pages
from checker import assert_feasible
from conftest import PLAN_ITERATIONS, REQUESTS

from maps._names import Languages
from maps._schedule import city_tz, day_rows
from maps.print_pdf import MAP_HEIGHT_MM, map_fits_beside, map_height_mm
from routing import StreetNetwork
from routing.basemap import load_basemap
from tours.itinerary import Itinerary
from tours.outputs import BASEMAP_MARGIN_M, write_exports
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import city_pack_for, load_request

#: A page but the last holds at least this share of a full page's text, or a map.
MIN_PAGE_TEXT = 0.25


@pytest.fixture(scope="module", params=["british", "deutsche", "arabic"])
def printed(
    request: pytest.FixtureRequest,
    demo_plan: ItineraryCase,
    chengdu_net: StreetNetwork,
    chengdu_pbf: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Itinerary, Path]:
    """The demo (British) or the German or Arabic delegation's plan, printed to PDF."""
    if request.param == "british":
        it, basemap = demo_plan.itinerary, demo_plan.basemap
    else:
        name = {"deutsche": "deutsche-kultur-2025", "arabic": "arabic-culture-2025"}
        req = load_request(REQUESTS / f"{name[request.param]}.yaml")
        pack = city_pack_for(req)
        budget = SearchBudget(time_limit=None, max_iterations=PLAN_ITERATIONS)
        it = plan(req, pack=pack, network=chengdu_net, budget=budget)
        assert_feasible(it, request=req, pack=pack, network=chengdu_net)
        basemap = load_basemap(chengdu_pbf, bbox=it.bounds(margin_m=BASEMAP_MARGIN_M))
    out = tmp_path_factory.mktemp(f"pdf-{request.param}")
    write_exports(it, out, formats={"pdf"}, basemap=basemap)
    return it, out / "itinerary.pdf"


def _image_pages(pdf: Path) -> set[int]:
    """1-based numbers of the pages that show an image (the day maps)."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return {int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()}


def _times(it: Itinerary, day: int) -> tuple[str, str]:
    rows = day_rows(it.days[day], city_tz(it))
    return rows[0].shown_start, rows[-1].shown_start


def _beside(it: Itinerary) -> list[bool]:
    """Per day: whether its schedule and a map fit on one page (the print's estimate)."""
    langs = Languages.of(it)
    return [map_fits_beside(day_rows(d, city_tz(it)), langs.t, langs) for d in it.days]


def test_schedule_and_map_of_a_day_share_a_page(printed: tuple[Itinerary, Path]) -> None:
    it, pdf = printed
    pages = pdf_pages(pdf)
    with_map = _image_pages(pdf)
    for day, beside in enumerate(_beside(it)):
        first, last = _times(it, day)
        # the schedule lists the day's first and last row: find the page that has both
        # (the driver sheets have the same times but no map): the whole schedule is on one
        # page, with its map or, for a day too long for both, the map heads the next page
        whole = [n for n, text in enumerate(pages, start=1) if first in text and last in text]
        schedule = [n for n in whole if (n in with_map) == beside]
        assert len(schedule) >= 1, (day + 1, first, last, with_map, beside)
        if not beside:
            assert schedule[0] + 1 in with_map, (day + 1, schedule, with_map)
    assert len(with_map) == len(it.days)


def test_the_british_demo_has_a_day_of_each_kind(printed: tuple[Itinerary, Path]) -> None:
    """Day 1 (7 rows) shares its page with the map; day 2 (14 rows: coach-stop passes, a
    restaurant suggestion) is too long for both and puts its map on the next page."""
    it, _pdf = printed
    if it.delegation.languages[0] == "en":
        assert _beside(it) == [True, False]


def test_each_driver_sheet_is_one_page(printed: tuple[Itinerary, Path]) -> None:
    it, pdf = printed
    pages = pdf_pages(pdf)
    sheets = [n for n, text in enumerate(pages) if "司机行程单" in text]
    assert len(sheets) == len(it.days)
    for day, n in enumerate(sheets):
        rows = day_rows(it.days[day], city_tz(it))
        text = re.sub(r"\s", "", pages[n])
        # every row's time and local name is on the sheet's own page
        for row in rows:
            assert row.shown_start in text
            local = Languages.of(it).local_name(row.place)
            if local is not None:
                assert local.text.replace(" ", "") in text


def test_no_near_empty_pages(printed: tuple[Itinerary, Path]) -> None:
    it, pdf = printed
    pages = pdf_pages(pdf)
    with_map = _image_pages(pdf)
    fullest = max(len(text.strip()) for text in pages)
    for n, text in enumerate(pages[:-1], start=1):
        assert n in with_map or len(text.strip()) >= MIN_PAGE_TEXT * fullest, (n, text[:80])
    # cover, per day: schedule and map, notes, driver sheet (and a page for the map of a day
    # too long for both); the planner's appendix
    assert len(pages) <= 2 + 3 * len(it.days) + _beside(it).count(False)


def test_map_height_fills_what_the_table_leaves(printed: tuple[Itinerary, Path]) -> None:
    it, _pdf = printed
    langs = Languages.of(it)
    heights = [map_height_mm(day_rows(d, city_tz(it)), langs.t, langs) for d in it.days]
    low, high = MAP_HEIGHT_MM
    for height, beside in zip(heights, _beside(it), strict=True):
        assert low <= height <= high if beside else height == high
