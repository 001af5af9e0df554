"""Vendored Leaflet and plugins, inlined so a saved map needs no network at all.

Folium links Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs. A delegate's phone
in China often cannot reach those, so :class:`OfflineMap` drops folium's default links and
:class:`InlineAssets` writes the vendored files (``maps/assets/vendor``) into the page head as
``<script>``/``<style>`` blocks instead. Stylesheet references to images become data URIs and
source-map comments are removed, so the browser has nothing to fetch.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure
from folium.template import Template

_ASSETS = resources.files("maps") / "assets"
_VENDOR = _ASSETS / "vendor"

#: Vendored files in load order (paths below ``maps/assets/vendor``).
VENDOR_JS = (
    "leaflet/leaflet.js",
    "leaflet.fullscreen/Control.FullScreen.umd.js",
    "leaflet.locatecontrol/L.Control.Locate.min.js",
)
VENDOR_CSS = (
    "leaflet/leaflet.css",
    "leaflet.fullscreen/Control.FullScreen.css",
    "leaflet.locatecontrol/L.Control.Locate.min.css",
)
_OWN_CSS = "tours-map.css"

_SOURCE_MAP = re.compile(
    r"^\s*(//[#@] sourceMappingURL=.*|/\*[#@] sourceMappingURL=.*\*/)\s*$", re.M
)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")


def _read(name: str) -> str:
    return (_VENDOR / name).read_text(encoding="utf-8")


def _inline_images(css: str, base: str) -> str:
    def data_uri(match: re.Match[str]) -> str:
        png = (_VENDOR / base / match.group(2)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return _CSS_URL.sub(data_uri, css)


def _script_safe(code: str) -> str:
    # A literal "</script" or "</style" inside inlined code would end the element early.
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.I)


@functools.cache
def inline_js() -> str:
    """All vendored JavaScript, in load order, ready to sit inside one ``<script>``."""
    parts = [_SOURCE_MAP.sub("", _read(name)) for name in VENDOR_JS]
    return _script_safe("\n;\n".join(parts))


@functools.cache
def inline_css() -> str:
    """All vendored stylesheets plus the tour map's own, images as data URIs."""
    parts = []
    for name in VENDOR_CSS:
        base = name.split("/", 1)[0]
        parts.append(_inline_images(_SOURCE_MAP.sub("", _read(name)), base))
    parts.append((_ASSETS / _OWN_CSS).read_text(encoding="utf-8"))
    return _script_safe("\n".join(parts))


class InlineAssets(Element):
    """Vendored Leaflet, plugins and the map stylesheet, written into the page head."""

    _template = Template("<style>{{ this.css }}</style>\n<script>{{ this.js }}</script>\n")

    def __init__(self) -> None:
        super().__init__()
        self._name = "InlineAssets"
        self.css = inline_css()
        self.js = inline_js()


class OfflineMap(folium.Map):
    """A folium map that links no CDN: its assets come from :class:`InlineAssets`."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's own class attribute
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The head must hold Leaflet before any map script runs: add it as the first child.
        root = self.get_root()
        if isinstance(root, Figure):
            root.header.add_child(InlineAssets(), name="tours_inline_assets", index=0)
