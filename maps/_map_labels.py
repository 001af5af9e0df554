"""Street and landmark names on the offline base map, placed without overlaps.

The label points come from :func:`routing.basemap.load_basemap` (``layer`` ``"label"``).
From street zoom on (:data:`LABEL_MIN_ZOOM`), after every move or zoom, :class:`LabelLayer`
places labels greedily: landmarks first, then streets from the major classes down; a label
whose box (rotated along its street) would overlap one already placed, a stop marker or a
control, or leave the screen, is left out. Each shows the name in the delegation's language
where OSM has it, else the local name; landmarks add the local name below. Text is dark on a
white halo, so it reads on any street colour.
"""

from __future__ import annotations

from typing import Any

from folium.template import Template

from maps._map_rendered import Macro, RenderedOnce
from maps._names import Languages

#: The first zoom level that shows labels (street level).
LABEL_MIN_ZOOM = 15
#: At most this many labels on screen at once.
LABEL_LIMIT = 160


def label_specs(basemap: dict[str, Any], langs: Languages) -> list[list[Any]]:
    """``[lat, lon, text, second line, angle, kind, rank]`` of each label of *basemap*.

    The first line is the name in the delegation's language if OSM has it, else the local
    name; landmarks get the local name as a second line when it differs.
    """
    specs = []
    for feature in basemap.get("features", []):
        props = feature.get("properties") or {}
        if props.get("layer") != "label":
            continue
        names: dict[str, str] = props.get("names") or {}
        local = names.get("", "")
        first = names.get(langs.ui) or local
        second = local if props.get("kind") == "landmark" and local != first else ""
        if not first:
            continue
        lon, lat = feature["geometry"]["coordinates"]
        specs.append(
            [
                lat,
                lon,
                first,
                second,
                props.get("angle", 0),
                props.get("kind"),
                props.get("rank", 99),
            ]
        )
    specs.sort(key=lambda spec: (spec[5] != "landmark", spec[6]))
    return specs


class LabelLayer(RenderedOnce, Macro):
    """Labels in their own pane above the base map, re-placed after every move."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var specs = {{ this.specs|tojson }};
            var minZoom = {{ this.min_zoom|tojson }}, limit = {{ this.limit|tojson }};
            if (!map.getPane("tours-labels")) {
                var pane = map.createPane("tours-labels");
                pane.style.zIndex = 350;  // above the base map (250), below routes (400)
                pane.style.pointerEvents = "none";
            }
            var box = L.DomUtil.create("div", "tour-labels leaflet-zoom-hide",
                                       map.getPane("tours-labels"));
            var ruler = document.createElement("canvas").getContext("2d");
            function width(text, font) { ruler.font = font; return ruler.measureText(text).width; }
            function blocked() {  // screen boxes of markers and controls
                var out = [], outer = map.getContainer().getBoundingClientRect();
                map.getContainer().querySelectorAll(
                    ".leaflet-marker-icon, .leaflet-control").forEach(function (el) {
                    var r = el.getBoundingClientRect();
                    if (r.width && r.height) {
                        out.push([r.left - outer.left, r.top - outer.top,
                                  r.right - outer.left, r.bottom - outer.top]);
                    }
                });
                return out;
            }
            function hits(a, list) {
                for (var i = 0; i < list.length; i++) {
                    var b = list[i];
                    if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) { return true; }
                }
                return false;
            }
            function place() {
                box.innerHTML = "";
                if (map.getZoom() < minZoom) { return; }
                var size = map.getSize(), taken = blocked(), placed = [], shown = 0;
                for (var i = 0; i < specs.length && shown < limit; i++) {
                    var s = specs[i], landmark = s[5] === "landmark";
                    var p = map.latLngToContainerPoint([s[0], s[1]]);
                    if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { continue; }
                    var font = (landmark ? "600 13px " : "12px ") + "system-ui, sans-serif";
                    var w = Math.max(width(s[2], font), s[3] ? width(s[3], font) : 0) + 6;
                    var h = s[3] ? 34 : 17;
                    var a = Math.abs(s[4]) * Math.PI / 180;
                    var bw = w * Math.cos(a) + h * Math.sin(a);
                    var bh = w * Math.sin(a) + h * Math.cos(a);
                    var r = [p.x - bw / 2, p.y - bh / 2, p.x + bw / 2, p.y + bh / 2];
                    if (r[0] < 0 || r[1] < 0 || r[2] > size.x || r[3] > size.y) { continue; }
                    if (hits(r, taken) || hits(r, placed)) { continue; }
                    placed.push(r);
                    shown += 1;
                    var label = L.DomUtil.create("div", "tour-label tour-label-" + s[5], box);
                    var text = L.DomUtil.create("span", "", label);
                    text.textContent = s[2];
                    if (s[3]) {
                        var local = L.DomUtil.create("span", "tour-label-local", text);
                        local.textContent = s[3];
                    }
                    text.style.transform = "translate(-50%, -50%) rotate(" + (-s[4]) + "deg)";
                    L.DomUtil.setPosition(label, map.containerPointToLayerPoint(p));
                }
            }
            var pending = false;
            function schedule() {
                if (!pending) {
                    pending = true;
                    L.Util.requestAnimFrame(function () { pending = false; place(); });
                }
            }
            map.on("moveend zoomend viewreset resize layeradd layerremove", schedule);
            schedule();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, specs: list[list[Any]]) -> None:
        super().__init__()
        self._name = "LabelLayer"
        self.specs = specs
        self.min_zoom = LABEL_MIN_ZOOM
        self.limit = LABEL_LIMIT
