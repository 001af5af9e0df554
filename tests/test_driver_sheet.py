"""The driver sheet in the PDF: one page per day, the city's language first, large type;
planner-only details (left-out reasons, OSM ids) only in the appendix."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from _demo_fixtures import ItineraryCase
from _pdf import pdf_pages

from maps._names import Languages
from tours.outputs import write_exports


@pytest.fixture(scope="module")
def pdf(itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"driver-{itinerary_case.name}")
    write_exports(itinerary_case.itinerary, out, formats={"pdf"}, basemap=itinerary_case.basemap)
    return out / "itinerary.pdf"


def _word_heights(pdf: Path, page: int) -> dict[str, float]:
    """Height in points of each word's box on *page* (1-based), from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', html
    )
    return {text: float(y1) - float(y0) for y0, y1, text in words}


def test_one_driver_page_per_day_local_names_first_large_type(
    pdf: Path, itinerary_case: ItineraryCase
) -> None:
    it = itinerary_case.itinerary
    langs = Languages.of(it)
    pages = pdf_pages(pdf)
    driver = [n for n, text in enumerate(pages, start=1) if "Driver sheet" in text]
    assert len(driver) == len(it.days)  # one page each: no sheet runs over
    for number, day in zip(driver, it.days, strict=True):
        text = pages[number - 1]
        for stop in day.stops:
            local = langs.local_name(stop.place)
            shown = local.text if local else stop.place.name_en
            assert shown.replace(" ", "") in text.replace(" ", "").replace("\n", "")
            if stop.place.address_zh:
                assert stop.place.address_zh in text.replace("\n", "")
        for contact in it.delegation.contacts:
            assert contact.split(",")[-1].strip() in text  # the phone numbers
        # the body type is at least 11 pt (a word's box is about 1.2 x the font size)
        heights = _word_heights(pdf, number)
        times = [h for word, h in heights.items() if re.fullmatch(r"\d\d:\d\d.*", word)]
        assert times and min(times) >= 11 * 1.1, times


def test_planner_details_are_in_the_appendix_only(pdf: Path, itinerary_case: ItineraryCase) -> None:
    it = itinerary_case.itinerary
    pages = pdf_pages(pdf)
    appendix = next(n for n, text in enumerate(pages) if "For the planner" in text)
    assert appendix == len(pages) - 1 or "For the planner" in pages[-2]
    for left in it.left_out:
        where = [n for n, text in enumerate(pages) if left.reason[:30] in text.replace("\n", " ")]
        assert where and min(where) >= appendix, left.place.name_en
    # no near-empty pages: every page but the last holds a fair amount of text or a map
    for text in pages[:-1]:
        assert len(text.strip()) > 200
