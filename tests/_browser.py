"""Helpers for browser tests: Debian chromium through Playwright, no network at all.

A page opens with every request but ``file:``/``data:`` aborted (and recorded), console
errors recorded, at a phone (390x844, touch) or desktop (1280x800) viewport.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

#: Resolves after two animation frames: whatever a view change scheduled has been drawn.
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass
class View:
    """An open page, what it tried to fetch, complained about or asked in a dialog, and the
    milliseconds it took to show (load, the selector waited for and two frames)."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_ms: float = 0.0

    def close(self) -> None:
        """Close the page's browser context."""
        self.page.context.close()


def open_page(
    browser: Any,
    path: Path,
    *,
    viewport: dict[str, int],
    javascript: bool = True,
    wait_for: str | None = ".leaflet-marker-icon",
) -> View:
    """Open *path* in a fresh context at *viewport*, the network blocked."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    view = View(page)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            view.blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda msg: view.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: view.errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        view.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    started = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load")
    if wait_for and javascript:
        page.wait_for_selector(wait_for)
        page.evaluate(TWO_FRAMES)
    view.load_ms = (time.perf_counter() - started) * 1000
    return view


def leaflet_map(page: Any) -> str:
    """A JS expression for the folium map object of *page*."""
    name = page.locator(".folium-map").get_attribute("id")
    return f"window[{json.dumps(name)}]"


def save_shot(page: Any, name: str) -> Path:
    """A screenshot of *page* as ``test-artifacts/<name>``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path
