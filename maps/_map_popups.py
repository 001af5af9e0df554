"""Popups that always fit: a stop's popup lies inside the map, clear of every control.

Leaflet's own auto-pan knows one padding box; the map's controls sit in four corners and the
timeline panel can be a narrow column (desktop) or most of the screen (phone). When a popup
opens, :class:`PopupFit` measures the controls of each corner and picks the largest free
rectangle that passes each corner's controls either beside or below/above them. If that
rectangle is too small for a popup (the open timeline on a phone), the timeline folds to its
one-line summary first: the timeline gets out of the way of the stop chosen. The popup's
width and scroll height are then capped to the rectangle and the map pans once, after the
popup is laid out, so the whole popup (close button and tip included) is inside it. When the
pan has ended the popup carries ``data-fitted="1"``.
"""

from __future__ import annotations

from folium.template import Template

from maps._map_rendered import Macro


class PopupFit(Macro):
    """Places every popup of the map inside the area no control covers."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var margin = {{ this.margin|tojson }};
            var want = {{ this.want|tojson }};  // [width, height] a popup should get
            var chrome = {{ this.chrome|tojson }};  // [x, y] around the content: padding, tip

            function controlCorners() {
                var container = map.getContainer(), outer = container.getBoundingClientRect();
                var corners = [];
                container.querySelectorAll(".leaflet-control-container > div").forEach(
                    function (corner) {
                        var box = null;
                        corner.querySelectorAll(":scope > .leaflet-control").forEach(
                            function (el) {
                                var r = el.getBoundingClientRect();
                                if (!r.width || !r.height) { return; }
                                var b = {left: r.left - outer.left, top: r.top - outer.top,
                                         right: r.right - outer.left,
                                         bottom: r.bottom - outer.top};
                                box = !box ? b : {left: Math.min(box.left, b.left),
                                                  top: Math.min(box.top, b.top),
                                                  right: Math.max(box.right, b.right),
                                                  bottom: Math.max(box.bottom, b.bottom)};
                            });
                        if (box) {
                            corners.push({box: box,
                                          top: corner.classList.contains("leaflet-top"),
                                          left: corner.classList.contains("leaflet-left")});
                        }
                    });
                return corners;
            }

            // the largest rectangle that passes each corner's controls beside or above/below
            function freeArea() {
                var size = map.getSize(), corners = controlCorners(), best = null;
                for (var mask = 0; mask < (1 << corners.length); mask++) {
                    var r = {left: 0, top: 0, right: size.x, bottom: size.y};
                    corners.forEach(function (corner, i) {
                        var b = corner.box;
                        if (mask & (1 << i)) {  // beside the corner's controls
                            if (corner.left) { r.left = Math.max(r.left, b.right); }
                            else { r.right = Math.min(r.right, b.left); }
                        } else if (corner.top) { r.top = Math.max(r.top, b.bottom); }
                        else { r.bottom = Math.min(r.bottom, b.top); }
                    });
                    r = {left: r.left + margin, top: r.top + margin,
                         right: r.right - margin, bottom: r.bottom - margin};
                    var w = r.right - r.left, h = r.bottom - r.top;
                    if (w <= 0 || h <= 0) { continue; }
                    var score = Math.min(w, want[0]) * Math.min(h, want[1]) + w * h * 1e-6;
                    if (!best || score > best.score) {
                        best = {rect: r, score: score, fits: w >= want[0] && h >= want[1]};
                    }
                }
                return best;
            }

            function foldTimeline() {
                var panel = map.getContainer().querySelector("details.tour-timeline[open]");
                if (panel) { panel.open = false; }
                return !!panel;
            }

            function fit(popup) {
                var el = popup.getElement();
                if (!el || !el.isConnected || !map.hasLayer(popup)) { return; }
                var area = freeArea();
                if ((!area || !area.fits) && foldTimeline()) { area = freeArea(); }
                if (!area) { el.setAttribute("data-fitted", "1"); return; }
                var r = area.rect;
                popup.options.maxWidth = Math.max(120, Math.min(
                    {{ this.max_width|tojson }}, r.right - r.left - chrome[0]));
                popup.options.minWidth = Math.min(popup.options.minWidth || 0,
                                                  popup.options.maxWidth);
                popup.options.maxHeight = Math.max(80, r.bottom - r.top - chrome[1]);
                popup.update();
                // pan once the popup is laid out (fonts, wrapping), so it lies inside *r*
                requestAnimationFrame(function () {
                    requestAnimationFrame(function () {
                        if (!el.isConnected || !map.hasLayer(popup)) { return; }
                        var outer = map.getContainer().getBoundingClientRect();
                        var b = el.getBoundingClientRect();
                        var left = b.left - outer.left, top = b.top - outer.top;
                        var right = b.right - outer.left, bottom = b.bottom - outer.top;
                        var dx = 0, dy = 0;
                        if (right > r.right) { dx = right - r.right; }
                        if (left - dx < r.left) { dx = left - r.left; }
                        if (bottom > r.bottom) { dy = bottom - r.bottom; }
                        if (top - dy < r.top) { dy = top - r.top; }
                        dx = Math.round(dx);
                        dy = Math.round(dy);
                        if (!dx && !dy) { el.setAttribute("data-fitted", "1"); return; }
                        map.once("moveend", function () { el.setAttribute("data-fitted", "1"); });
                        map.panBy([dx, dy], {animate: true, duration: 0.25});
                    });
                });
            }

            map.on("popupopen", function (event) {
                var popup = event.popup;
                popup.options.autoPan = false;  // one pan, ours, once laid out
                fit(popup);
            });
            map.toursFitPopup = fit;
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupFit"
        self.margin = 6
        self.max_width = 280
        self.want = [300, 360]
        # content margins (20 + 24 px) and wrapper border; content margins (2 x 13 px),
        # the tip (20 px) and a little slack for the rounded wrapper
        self.chrome = [48, 56]
