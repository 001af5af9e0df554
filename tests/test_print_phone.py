"""The programme HTML on a phone (390x844): no ordinary word is split across lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _browser import VIEWPORTS, open_page, save_shot
from _demo_fixtures import ItineraryCase

from tours.outputs import write_exports

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

#: Words (up to 20 letters) in the page whose letters sit on more than one line.
SPLIT_WORDS = """() => {
    const split = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.offsetParent) { continue; }
        for (const match of node.textContent.matchAll(/[A-Za-z]{2,20}/g)) {
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) { split.push(match[0]); }
        }
    }
    return split;
}"""


def test_programme_html_on_a_phone_splits_no_word(
    itinerary_case: ItineraryCase, browser: Any, tmp_path: Path
) -> None:
    write_exports(itinerary_case.itinerary, tmp_path, formats={"html"})
    view = open_page(
        browser, tmp_path / "itinerary.html", viewport=VIEWPORTS["phone"], wait_for=None
    )
    try:
        page = view.page
        assert page.evaluate(SPLIT_WORDS) == []
        # nothing wider than the screen
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        page.locator(".day").first.scroll_into_view_if_needed()
        save_shot(page, f"print-{itinerary_case.name}-phone.png")
        assert view.blocked == []
    finally:
        view.close()
