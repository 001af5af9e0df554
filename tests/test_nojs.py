"""Maps where JavaScript does not run (a mail app's preview): route image and schedule.

With scripts disabled, every map page shows, instead of an empty map box, each day's route
as an image and its stops numbered as on the map, with times and names; with scripts on,
that block is hidden and the interactive map shows. Nothing is fetched either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _browser import VIEWPORTS, open_page, save_shot
from _demo_fixtures import ItineraryCase

from maps import write_maps
from maps._schedule import city_tz, day_rows

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def maps_dir(itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"nojs-{itinerary_case.name}")
    write_maps(itinerary_case.itinerary, out, basemap=itinerary_case.basemap)
    return out


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_without_javascript_the_page_shows_route_images_and_schedule(
    maps_dir: Path, itinerary_case: ItineraryCase, browser: Any, size: str
) -> None:
    it = itinerary_case.itinerary
    tz = city_tz(it)
    for path in sorted(maps_dir.glob("*.html")):
        days = (
            list(enumerate(it.days, 1))
            if path.stem == "overview"
            else [(int(path.stem.split("-")[1]), it.days[int(path.stem.split("-")[1]) - 1])]
        )
        view = open_page(browser, path, viewport=VIEWPORTS[size], javascript=False)
        page = view.page
        try:
            block = page.locator(".tour-nojs")
            assert block.is_visible()
            assert not page.locator(".folium-map").is_visible()
            images = block.locator("img")
            assert images.count() == len(days)
            widths = images.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
            assert all(w and w > 500 for w in widths), widths
            # the image fits the screen
            box = images.first.bounding_box()
            assert box is not None
            assert box["width"] <= VIEWPORTS[size]["width"]
            text = block.inner_text()
            rows = block.locator(".tour-nojs-rows li")
            expected = [row for _, day in days for row in day_rows(day, tz)]
            assert rows.count() == len(expected)
            for row_el, row in zip(rows.all(), expected, strict=True):
                line = row_el.inner_text()
                assert line.startswith(row.label)
                assert row.place.name_en in line
                assert f"{row.start.astimezone(tz):%H}" in line
            assert it.city.attribution in text
            assert view.blocked == []
            if path.stem in ("overview", "day-1"):
                save_shot(page, f"nojs-{itinerary_case.name}-{path.stem}-{size}.png")
        finally:
            view.close()


def test_with_javascript_the_static_block_is_hidden(maps_dir: Path, browser: Any) -> None:
    view = open_page(browser, maps_dir / "day-1.html", viewport=VIEWPORTS["phone"])
    try:
        assert not view.page.locator(".tour-nojs").is_visible()
        assert view.page.locator(".folium-map").is_visible()
        assert view.errors == []
    finally:
        view.close()
