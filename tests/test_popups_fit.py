"""Every popup fits: tap every marker and every timeline row of every map, phone and desktop.

For each tap the whole popup (its box, tip and close button included) must lie inside the map
and overlap no control (zoom, full screen, locate, fit, layers, timeline, legend, scale,
attribution), and the close button must be the element a finger reaches. Markers are tapped
from the map's opening view; one that a control covers there (as a delegate would do) is first
panned to the centre without changing the zoom.
"""

from __future__ import annotations

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

from maps import write_maps

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

#: What is wrong with the open popup: outside the map, over a control, close button covered.
POPUP_PROBLEMS = """() => {
    const popups = document.querySelectorAll(".leaflet-popup");
    if (popups.length !== 1) { return ["popups open: " + popups.length]; }
    const popup = popups[0];
    const out = [];
    const map = document.querySelector(".leaflet-container").getBoundingClientRect();
    const box = popup.getBoundingClientRect();
    const r = b => [b.left, b.top, b.right, b.bottom].map(Math.round).join(",");
    if (box.left < map.left - 0.5 || box.top < map.top - 0.5 ||
        box.right > map.right + 0.5 || box.bottom > map.bottom + 0.5) {
        out.push("outside the map: " + r(box));
    }
    document.querySelectorAll(".leaflet-control").forEach(el => {
        const c = el.getBoundingClientRect();
        if (!c.width || !c.height) { return; }
        const dx = Math.min(c.right, box.right) - Math.max(c.left, box.left);
        const dy = Math.min(c.bottom, box.bottom) - Math.max(c.top, box.top);
        if (dx > 0.5 && dy > 0.5) { out.push("over " + el.className + ": " + r(box)); }
    });
    const close = popup.querySelector(".leaflet-popup-close-button");
    if (!close) { out.push("no close button"); return out; }
    const b = close.getBoundingClientRect();
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    if (!(close === hit || close.contains(hit))) { out.push("close button covered"); }
    return out;
}"""

#: Tags every marker with its id (``d1:<uid>``), returns the ids in drawing order.
TAG_MARKERS = """(map) => {
    // the hotel's start/end markers of several days are one stack: one finger target, the
    // last drawn (on top)
    const top = new Map();
    Object.keys(map.toursMarkers || {}).forEach(id => {
        const entry = map.toursMarkers[id];
        if (entry.marker.getElement()) { top.set(entry.stack || id, id); }
    });
    const ids = [...top.values()];
    ids.forEach(id => map.toursMarkers[id].marker.getElement().setAttribute("data-marker-id", id));
    return ids;
}"""

#: Whether a finger can reach the marker *id* where it is drawn now.
MARKER_REACHABLE = """([map, id]) => {
    const el = document.querySelector(`[data-marker-id="${id}"]`);
    const b = el.firstElementChild.getBoundingClientRect();
    const x = b.left + b.width / 2, y = b.top + b.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) { return false; }
    const hit = document.elementFromPoint(x, y);
    return el === hit || el.contains(hit);
}"""


@pytest.fixture(scope="module")
def maps_dir(itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"popups-{itinerary_case.name}")
    write_maps(itinerary_case.itinerary, out, basemap=itinerary_case.basemap)
    return out


def _pan_to_marker(page: Any, fmap: str, marker: str) -> None:
    """Centre *marker* as a finger would drag it into view.

    A pan issued while the map still eases out of the previous popup's pan can be undone by
    that animation's last frames, so the centring is repeated until the marker is in view.
    """
    for _ in range(20):
        page.evaluate(
            f"(id) => {{ const m = {fmap}; m.stop(); "
            "m.panTo(m.toursMarkers[id].marker.getLatLng(), {animate: false}); }",
            marker,
        )
        page.evaluate(TWO_FRAMES)
        if page.evaluate(f"(id) => ({MARKER_REACHABLE})([{fmap}, id])", marker):
            return
        page.wait_for_timeout(100)


def _tap(page: Any, locator: Any, *, phone: bool) -> None:
    if phone:
        locator.tap(timeout=10_000)
    else:
        locator.click(timeout=10_000)


def _check_open_popup(page: Any, what: str, *, phone: bool) -> None:
    """Wait until the popup is fitted, check it, close it as a delegate would."""
    page.wait_for_selector(".leaflet-popup[data-fitted]", timeout=10_000)
    problems = page.evaluate(POPUP_PROBLEMS)
    assert problems == [], what
    _tap(page, page.locator(".leaflet-popup-close-button"), phone=phone)
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=10_000)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_marker_popup_fits(maps_dir: Path, browser: Any, size: str) -> None:
    phone = size == "phone"
    tapped = 0
    for path in sorted(maps_dir.glob("*.html")):
        view = open_page(browser, path, viewport=VIEWPORTS[size])
        page = view.page
        try:
            fmap = leaflet_map(page)
            home = page.evaluate(
                f"() => {{ const m = {fmap}; return [m.getCenter(), m.getZoom()]; }}"
            )
            ids = page.evaluate(f"() => ({TAG_MARKERS})({fmap})")
            assert ids, path.name
            for marker in ids:
                page.evaluate(
                    f"([c, z]) => {{ const m = {fmap}; m.stop(); "
                    "m.setView([c.lat, c.lng], z, {animate: false}); }",
                    home,
                )
                page.evaluate(TWO_FRAMES)
                if not page.evaluate(f"(id) => ({MARKER_REACHABLE})([{fmap}, id])", marker):
                    _pan_to_marker(page, fmap, marker)
                target = page.locator(f'[data-marker-id="{marker}"]')
                _tap(page, target, phone=phone)
                if tapped == 0 or marker == ids[-1]:
                    page.wait_for_selector(".leaflet-popup[data-fitted]", timeout=10_000)
                    save_shot(page, f"{maps_dir.name}-{path.stem}-{size}.png")
                _check_open_popup(page, f"{path.name} {marker} {size}", phone=phone)
                tapped += 1
            assert view.errors == []
            assert view.blocked == []
        finally:
            view.close()
    assert tapped > 0


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_timeline_row_popup_fits(maps_dir: Path, browser: Any, size: str) -> None:
    phone = size == "phone"
    for path in sorted(maps_dir.glob("*.html")):
        view = open_page(browser, path, viewport=VIEWPORTS[size])
        page = view.page
        try:
            rows = page.locator(".tour-tl-stop")
            count = rows.count()
            assert count > 0, path.name
            for index in range(count):
                panel = page.locator("details.tour-timeline")
                if not panel.evaluate("el => el.open"):
                    _tap(page, panel.locator("summary"), phone=phone)
                row = rows.nth(index)
                row.scroll_into_view_if_needed()
                _tap(page, row, phone=phone)
                page.wait_for_selector(".leaflet-popup[data-fitted]", timeout=10_000)
                if phone:  # on a phone the timeline folds out of the way of the chosen stop
                    assert not panel.evaluate("el => el.open"), (path.name, index)
                _check_open_popup(page, f"{path.name} row {index} {size}", phone=phone)
            assert view.errors == []
        finally:
            view.close()
