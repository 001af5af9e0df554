"""The maps as delegates see them: headless Debian chromium, phone viewport, no network.

Every test is parameterised on an itinerary case; expected numbers come from the itinerary
itself, so the same tests run on the sample and on the real demo itinerary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _browser import ARTIFACTS, DESKTOP, PHONE, View, open_page
from _demo_fixtures import ItineraryCase

from maps import write_maps
from tours.itinerary import OSM_ATTRIBUTION, Day, Itinerary

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

DAY_MAP_BUDGET = 2 * 1024 * 1024


@dataclass
class Rendered:
    name: str
    itinerary: Itinerary
    paths: dict[str, Path]  # "overview", "day-1", ...
    timings: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="module")
def rendered(itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The case's maps, as ``tours plan`` writes them (with the base map around the tour)."""
    name, itinerary = itinerary_case.name, itinerary_case.itinerary
    out = tmp_path_factory.mktemp(f"maps-{name}")
    paths = write_maps(itinerary, out, basemap=itinerary_case.basemap)
    return Rendered(name, itinerary, {p.stem: p for p in paths})


def _open(browser: Any, path: Path, *, viewport: dict[str, int] = PHONE) -> View:
    return open_page(
        browser,
        path,
        viewport=viewport,
        wait_for=".leaflet-marker-icon.tour-stop, .leaflet-marker-icon.tour-base",
    )


def _days(rendered: Rendered, key: str) -> list[Day]:
    if key == "overview":
        return list(rendered.itinerary.days)
    return [rendered.itinerary.days[int(key.split("-")[1]) - 1]]


def _expected(days: list[Day]) -> tuple[int, int, int]:
    """(numbered stops, start/end/waypoint markers, leg lines) a map of *days* must draw."""
    stops = sum(len(day.stops) for day in days)
    bases = sum(1 if day.start_place.id == day.end_place.id else 2 for day in days)
    bases += sum(len(day.waypoints) for day in days)  # coach stops, reported positions: P
    legs = sum(1 for day in days for leg in day.legs if len(set(leg.geometry)) >= 2)
    return stops, bases, legs


def _counts(page: Any) -> tuple[int, int, int]:
    return (
        page.locator(".leaflet-marker-icon.tour-stop").count(),
        page.locator(".leaflet-marker-icon.tour-base").count(),
        page.locator("path.tour-leg").count(),
    )


#: What a map shows of each day, read from the page: ``{day: {"legs": [...], ...}}`` with
#: computed colours (``rgb(...)``), so legs, markers, legend, layer switch and timeline compare.
DAY_STYLES = """() => {
    const out = {};
    const add = (day, what, value) => {
        const entry = out[day] = out[day] || {};
        (entry[what] = entry[what] || []).push(value);
    };
    const dayOf = el => [...el.classList].find(c => c.startsWith("tour-day-")).slice(9);
    const fill = el => getComputedStyle(el).backgroundColor;
    document.querySelectorAll("path.tour-leg").forEach(path => {
        const style = getComputedStyle(path);
        add(dayOf(path), "legs", style.stroke);
        const dotted = style.strokeDasharray !== "none";
        add(dayOf(path), "dotted_walks", dotted === path.classList.contains("tour-leg-walk"));
    });
    document.querySelectorAll(".leaflet-marker-icon.tour-stop").forEach(icon => {
        add(dayOf(icon), "stops", fill(icon.firstElementChild));
        add(dayOf(icon), "labels", icon.textContent);
    });
    document.querySelectorAll(".tour-legend-day").forEach(row => {
        add(row.dataset.day, "legend", fill(row.querySelector(".tour-swatch")));
    });
    document.querySelectorAll(".leaflet-control-layers-overlays label").forEach(label => {
        const day = /Day (\\d+) ·/.exec(label.textContent);
        const swatch = label.querySelector(".tour-swatch");
        if (day && swatch) { add(day[1], "layers", fill(swatch)); }
    });
    document.querySelectorAll(".tour-tl-day h3 .tour-swatch").forEach(swatch => {
        add(swatch.closest(".tour-tl-day").dataset.day, "timeline", fill(swatch));
    });
    return out;
}"""

#: Pairs of marker shapes that overlap on screen (start/end markers stacked on one spot apart).
OVERLAPS = """() => {
    const boxes = [...document.querySelectorAll(".leaflet-marker-icon")].map(icon => ({
        title: icon.title, base: icon.classList.contains("tour-base"),
        box: icon.firstElementChild.getBoundingClientRect()
    }));
    const out = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        const dx = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const dy = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        const stacked = a.base && b.base && a.box.x === b.box.x && a.box.y === b.box.y;
        if (dx > 1 && dy > 1 && !stacked) { out.push([a.title, b.title]); }
    }));
    return out;
}"""


def _check_day_styles(
    styles: dict[str, dict[str, list[Any]]], days: dict[int, Day], overview: dict[str, str]
) -> dict[str, str]:
    """Each day on a map has one colour on its legs, markers, legend and layer switch rows.

    Returns ``{day: colour}``; *overview* (the same from the overview) must agree with it.
    """
    several = len(days) > 1
    assert sorted(styles) == sorted(str(n) for n in days)
    colours = {}
    for number, day in days.items():
        shown = styles[str(number)]
        stops, _, legs = _expected([day])
        assert len(shown.get("legs", [])) == legs
        assert all(shown.get("dotted_walks", []))  # walks dotted, coach legs solid
        assert len(shown.get("stops", [])) == stops
        labels = [f"{number}\N{MIDDLE DOT}{k}" if several else str(k) for k in range(1, stops + 1)]
        assert shown.get("labels", []) == labels
        parts = ["legs", "stops", "legend", "layers"] + (["timeline"] if several else [])
        seen = {colour for part in parts for colour in shown.get(part, [])}
        assert len(seen) == 1, (number, shown)
        assert all(shown.get(part) for part in parts if part != "legs" or legs), number
        colours[str(number)] = seen.pop()
    assert len(set(colours.values())) == len(colours)  # no two days share a colour
    for number, colour in colours.items():
        assert overview.get(number, colour) == colour  # the day map matches the overview
    return colours


def _leaflet_map(page: Any) -> str:
    """A JS expression for the folium map object."""
    name = page.locator(".folium-map").get_attribute("id")
    return f"window[{json.dumps(name)}]"


#: True once no map pan runs and the open popup's close button is on screen and uncovered.
POPUP_SETTLED = """() => {
    const close = document.querySelector(".leaflet-popup-close-button");
    if (!close) { return false; }
    const box = close.getBoundingClientRect();
    const moving = document.querySelector(".leaflet-pan-anim, .leaflet-zoom-anim");
    if (moving || box.top < 0 || box.bottom > window.innerHeight) { return false; }
    // nothing (a control, another popup) covers the button where a finger would tap it
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return close === hit || close.contains(hit);
}"""


def _tap_marker(page: Any, title: str, lat: float, lon: float) -> None:
    """Centre the map on a marker without animation and tap the marker."""
    # a block body: returning the map object would make Playwright serialise all of it (~1 s)
    page.evaluate(
        "([lat, lon]) => { const map = "
        + _leaflet_map(page)
        + "; map.setView([lat, lon], 17, {animate: false}); }",
        [lat, lon],
    )
    page.get_by_title(title, exact=True).first.tap()


def test_every_map_initialises_offline_with_all_markers_and_legs(
    rendered: Rendered, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    report = {}
    overview: dict[str, str] = {}
    for key, path in rendered.paths.items():
        view = _open(browser, path)
        page = view.page
        try:
            assert page.locator(".leaflet-container").count() == 1
            assert _counts(page) == _expected(_days(rendered, key)), key
            days = dict(enumerate(rendered.itinerary.days, start=1))
            if key != "overview":
                days = {int(key.split("-")[1]): days[int(key.split("-")[1])]}
            colours = _check_day_styles(page.evaluate(DAY_STYLES), days, overview)
            overview = overview or colours
            # at the phone's fitted zoom no marker hides another, none strays from its place
            assert page.evaluate(OVERLAPS) == [], key
            shifts = page.locator(".leaflet-marker-icon").evaluate_all(
                "icons => icons.map(icon => icon.dataset.shift.split(',').map(Number))"
            )
            assert max(abs(v) for shift in shifts for v in shift) <= 30, key
            attribution = page.locator(".leaflet-control-attribution")
            assert OSM_ATTRIBUTION in attribution.inner_text()
            box = attribution.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["y"] + box["height"] <= PHONE["height"]
            # controls a delegate needs on a phone
            for selector in (
                ".leaflet-control-zoom-fullscreen",
                ".leaflet-control-locate",
                ".tour-fit",
                ".leaflet-control-layers",
                ".tour-timeline",
                ".tour-legend",
            ):
                assert page.locator(selector).count() == 1, selector
            # the vector base map is drawn on its canvas (no tiles)
            assert page.locator(".leaflet-tours-basemap-pane canvas").count() == 1
            assert page.locator(".leaflet-tile").count() == 0
            page.screenshot(path=str(ARTIFACTS / f"map-{rendered.name}-{key}-phone.png"))
            assert view.blocked == []
            assert view.errors == []
            assert view.dialogs == []
        finally:
            page.context.close()
        report[key] = {"bytes": path.stat().st_size, "show_ms": round(view.load_ms)}
        if key != "overview":
            assert path.stat().st_size <= DAY_MAP_BUDGET, key
    (ARTIFACTS / f"map-{rendered.name}-timings.json").write_text(
        json.dumps(report, indent=2), encoding="utf-8"
    )
    print(f"\nmaps[{rendered.name}]: {report}")


def test_toggling_a_day_layer_hides_its_markers_and_legs(rendered: Rendered, browser: Any) -> None:
    view = _open(browser, rendered.paths["overview"])
    page = view.page
    try:
        total = _counts(page)
        page.locator(".leaflet-control-layers-toggle").tap()
        labels = page.locator(".leaflet-control-layers-overlays label")
        for number, day in enumerate(rendered.itinerary.days, start=1):
            label = labels.filter(has_text=f"Day {number} ·")
            checkbox = label.locator("input")
            checkbox.uncheck()
            hidden = _expected([day])
            assert _counts(page) == tuple(t - h for t, h in zip(total, hidden, strict=True))
            checkbox.check()
            assert _counts(page) == total
        assert view.errors == []
    finally:
        page.context.close()


def test_tapping_each_stop_shows_both_names_as_text(rendered: Rendered, browser: Any) -> None:
    for number, day in enumerate(rendered.itinerary.days, start=1):
        view = _open(browser, rendered.paths[f"day-{number}"])
        page = view.page
        try:
            for index, stop in enumerate(day.stops, start=1):
                title = f"{index}. {stop.title if stop.kind != 'visit' else stop.place.name_en}"
                _tap_marker(page, title, stop.place.lat, stop.place.lon)
                # pick this stop's popup by its heading (another may still be fading out)
                popup = page.locator(".leaflet-popup-content", has_text=f"Day {number} · {index}. ")
                popup.wait_for(state="visible")
                text = popup.inner_text()
                close = page.locator(".leaflet-popup-close-button")
                assert stop.place.name_en in text  # literally, even "<img src=x ...>"
                if stop.place.name_zh:
                    assert stop.place.name_zh in text
                assert stop.start.strftime("%H:%M") in text
                if stop.note:
                    assert stop.note in text
                if "<" in stop.place.name_en or "<" in stop.note:
                    page.wait_for_timeout(250)  # let the popup finish fading in
                    page.screenshot(
                        path=str(ARTIFACTS / f"map-{rendered.name}-day-{number}-hostile.png")
                    )
                # close it as a delegate would, once the popup has panned into view
                page.wait_for_function(POPUP_SETTLED)
                close.click()
                close.wait_for(state="detached")
            # no untrusted markup became an element, no script ran
            assert page.locator(".leaflet-container img").count() == 0
            assert page.locator(".leaflet-container script, .leaflet-container b").count() == 0
            assert view.dialogs == []
            assert view.errors == []
            assert view.blocked == []
        finally:
            page.context.close()


def test_timeline_row_opens_the_stop_popup(rendered: Rendered, browser: Any) -> None:
    day = rendered.itinerary.days[0]
    view = _open(browser, rendered.paths["day-1"])
    page = view.page
    try:
        page.locator(".tour-timeline summary").tap()
        rows = page.locator(".tour-tl-stop")
        assert rows.count() == len(day.stops) + (1 if day.start_place.id == day.end_place.id else 2)
        last = day.stops[-1]
        rows.nth(len(day.stops)).tap()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(state="visible")
        assert last.place.name_en in popup.inner_text()
        assert view.errors == []
    finally:
        page.context.close()


def test_desktop_layout_opens_panels(rendered: Rendered, browser: Any) -> None:
    view = _open(browser, rendered.paths["overview"], viewport=DESKTOP)
    page = view.page
    try:
        assert page.locator(".tour-timeline").evaluate("el => el.open")
        assert page.locator(".tour-legend").evaluate("el => el.open")
        assert _counts(page) == _expected(list(rendered.itinerary.days))
        page.screenshot(path=str(ARTIFACTS / f"map-{rendered.name}-overview-desktop.png"))
        assert view.errors == []
        assert view.blocked == []
    finally:
        page.context.close()
