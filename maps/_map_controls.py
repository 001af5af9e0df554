"""Map controls: fit-to-tour, fullscreen, "where am I", attribution and the tile fallback."""

from __future__ import annotations

from typing import Any

from folium.template import Template

from maps._map_rendered import Macro
from maps.i18n import N_, Translator, translator


class FitControl(Macro):
    """Fits the map to the tour on load; a button fits it again later."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var fit = function (animate) {
                // keep the route (and side-by-side markers) clear of the controls and panel
                var panel = map.getContainer().querySelector(".tour-timeline");
                var right = (panel && panel.open ? panel.offsetWidth : 0) + 48;
                map.fitBounds(bounds, {paddingTopLeft: [56, 24], paddingBottomRight: [right, 24],
                                       maxZoom: 17, animate: animate});
            };
            var Fit = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control tour-fit");
                    var link = L.DomUtil.create("a", "", bar);
                    link.href = "#";
                    link.setAttribute("role", "button");
                    link.title = {{ this.title|tojson }};
                    link.setAttribute("aria-label", {{ this.title|tojson }});
                    link.textContent = "\u2922";
                    L.DomEvent.disableClickPropagation(bar);
                    L.DomEvent.on(link, "click", function (event) {
                        L.DomEvent.preventDefault(event);
                        fit(true);
                    });
                    return bar;
                }
            });
            new Fit().addTo(map);
            fit(false);  // the first view is the tour itself: no zoom animation on opening
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, bounds: list[list[float]], *, title: str = N_("Show the whole tour")
    ) -> None:
        super().__init__()
        self._name = "FitControl"
        self.bounds = bounds
        self.title = title


class PhoneControls(Macro):
    """Fullscreen and locate ("where am I") buttons from the vendored plugins; the zoom
    buttons' titles in the map's language."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            if (map.zoomControl) {  // Leaflet's own buttons, named in the map's language
                [[map.zoomControl._zoomInButton, {{ this.zoom_in|tojson }}],
                 [map.zoomControl._zoomOutButton, {{ this.zoom_out|tojson }}]]
                    .forEach(function (pair) {
                        pair[0].title = pair[1];
                        pair[0].setAttribute("aria-label", pair[1]);
                    });
            }
            new L.Control.FullScreen({{ this.fullscreen|tojson }}).addTo(map);
            var locate = {{ this.locate|tojson }};
            locate.onLocationError = function (err) {
                map.fire("tours:locateerror", {message: err.message});
            };
            L.control.locate(locate).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, t: Translator | None = None) -> None:
        super().__init__()
        _ = (t or translator("en")).gettext
        self._name = "PhoneControls"
        self.zoom_in = _("Zoom in")
        self.zoom_out = _("Zoom out")
        self.fullscreen: dict[str, Any] = {
            "position": "topleft",
            "title": _("Full screen"),
            "titleCancel": _("Leave full screen"),
        }
        self.locate: dict[str, Any] = {
            "position": "topleft",
            "flyTo": False,
            "showPopup": False,
            "keepCurrentZoomLevel": True,
            "strings": {"title": _("Where am I?")},
            "locateOptions": {"enableHighAccuracy": True, "maxZoom": 17},
        }


class Attribution(Macro):
    """The data attribution, on the map itself so it shows whatever layer is hidden."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.html|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.html = html


class TileFallback(Macro):
    """Online maps: if the tile server cannot be reached, swap to the vector base map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var tiles = {{ this.tiles }};
            var vector = {{ this.vector }};
            var failed = 0;
            tiles.on("tileerror", function () {
                failed += 1;
                if (failed === 3 && map.hasLayer(tiles)) {
                    map.removeLayer(tiles);
                    if (!map.hasLayer(vector)) { map.addLayer(vector); }
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, tiles_name: str, vector_name: str) -> None:
        super().__init__()
        self._name = "TileFallback"
        self.tiles = tiles_name
        self.vector = vector_name
