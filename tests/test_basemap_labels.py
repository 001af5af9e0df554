"""The labelled offline base map: names present at street zoom, legible, not overlapping.

Measured on a street-level screenshot (1280x800, network blocked): street and landmark
labels are drawn, none overlaps another label or a stop marker, and each label's text
contrasts at least 3:1 with the pixels around it. Every street class is drawn in a colour
with at least 3:1 contrast against the map background.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from _browser import (
    TWO_FRAMES,
    VIEWPORTS,
    leaflet_map,
    open_page,
    save_shot,
)
from _demo_fixtures import ItineraryCase
from PIL import Image

from maps import write_maps
from maps._map_style import BASEMAP_BACKGROUND, BASEMAP_STYLES
from routing.basemap import STREET_CLASSES

playwright_api = pytest.importorskip("playwright.sync_api")


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_every_street_class_contrasts_three_to_one_with_the_background() -> None:
    background = _hex(BASEMAP_BACKGROUND)
    for cls in STREET_CLASSES | {"street"}:
        style = BASEMAP_STYLES.get(cls, BASEMAP_STYLES["street"])
        assert _contrast(_hex(style["color"]), background) >= 3, cls


#: Boxes of the labels on screen and of the stop markers.
BOXES = """() => {
    const box = el => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom, el.textContent]; };
    return {
        labels: [...document.querySelectorAll(".tour-label > span")].map(box),
        landmarks: document.querySelectorAll(".tour-label-landmark").length,
        markers: [...document.querySelectorAll(".leaflet-marker-icon > span")].map(box),
    };
}"""


def _overlap(a: list[Any], b: list[Any]) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def _densest(case: ItineraryCase) -> Any:
    """The stop with the most labels within about 300 m: a street-level view of the centre."""
    points = [
        f["geometry"]["coordinates"]
        for f in case.basemap["features"]
        if f["properties"]["layer"] == "label"
    ]
    places = [stop.place for day in case.itinerary.days for stop in day.stops]
    return max(
        places,
        key=lambda p: sum(
            1 for lon, lat in points if abs(lon - p.lon) < 0.003 and abs(lat - p.lat) < 0.003
        ),
    )


@pytest.mark.browser
def test_street_level_screenshot_has_legible_labels_without_overlaps(
    itinerary_case: ItineraryCase, browser: Any, tmp_path: Path
) -> None:
    it = itinerary_case.itinerary
    write_maps(it, tmp_path, basemap=itinerary_case.basemap)
    view = open_page(browser, tmp_path / "day-1.html", viewport=VIEWPORTS["desktop"])
    page = view.page
    try:
        fmap = leaflet_map(page)
        stop = _densest(itinerary_case)
        page.evaluate(
            f"([lat, lon]) => {{ {fmap}.setView([lat, lon], 14, {{animate: false}}); }}",
            [stop.lat, stop.lon],
        )
        page.evaluate(TWO_FRAMES)
        assert page.evaluate(BOXES)["labels"] == []  # no labels above street zoom
        page.evaluate(
            f"([lat, lon]) => {{ {fmap}.setView([lat, lon], 17, {{animate: false}}); }}",
            [stop.lat, stop.lon],
        )
        page.evaluate(TWO_FRAMES)
        page.evaluate(TWO_FRAMES)
        boxes = page.evaluate(BOXES)
        labels = boxes["labels"]
        assert len(labels) >= 6, labels
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not _overlap(a, b), (a[4], b[4])
            for marker in boxes["markers"]:
                assert not _overlap(a, marker), a[4]
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        save_shot(page, f"labels-{itinerary_case.name}-street-desktop.png")
        measured = 0
        for left, top, right, bottom, text in labels:
            if right - left < 12 or left < 0 or top < 0 or right > 1280 or bottom > 800:
                continue
            region = shot.crop((int(left), int(top), int(right), int(bottom)))
            pixels = sorted(region.get_flattened_data(), key=_luminance)
            darkest, typical = pixels[len(pixels) // 50], pixels[len(pixels) // 2]
            assert _contrast(darkest, typical) >= 3, text
            measured += 1
        assert measured >= 6
        assert view.errors == []
        assert view.blocked == []
    finally:
        view.close()
