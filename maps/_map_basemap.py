"""The vector base map layer: streets, water and parks drawn from the OSM extract.

The GeoJSON comes from :func:`routing.basemap.load_basemap`; here it is clipped to the map's
box and drawn on a canvas in its own pane below the route, without interaction.
"""

from __future__ import annotations

from typing import Any

import shapely
from folium.map import Layer
from folium.template import Template
from shapely.geometry import mapping, shape

from maps._map_style import BASEMAP_STYLES

_DIGITS = 5


def clip_basemap(
    basemap: dict[str, Any], bbox: tuple[float, float, float, float]
) -> dict[str, Any]:
    """The features of *basemap* inside ``(west, south, east, north)``."""
    features = []
    for feature in basemap.get("features", []):
        geom = shapely.clip_by_rect(shape(feature["geometry"]), *bbox)
        if geom.is_empty:
            continue
        geom = shapely.transform(geom, lambda xy: xy.round(_DIGITS))
        features.append(
            {"type": "Feature", "properties": feature["properties"], "geometry": mapping(geom)}
        )
    return {"type": "FeatureCollection", "features": features}


class BaseMapLayer(Layer):
    """Streets by class, water and parks; listed in the layer control so it can be hidden."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            if (!map.getPane("tours-basemap")) {
                map.createPane("tours-basemap").style.zIndex = 250;
            }
            var styles = {{ this.styles|tojson }};
            return L.geoJSON({{ this.data|tojson }}, {
                pane: "tours-basemap",
                renderer: L.canvas({pane: "tours-basemap", padding: 0.5}),
                interactive: false,
                // label points are drawn by the label layer (maps/_map_labels.py)
                filter: function (feature) { return feature.properties.layer !== "label"; },
                style: function (feature) {
                    var p = feature.properties;
                    var base = styles[p.layer] || {};
                    var area = feature.geometry.type.indexOf("Polygon") >= 0;
                    return Object.assign({fill: p.layer !== "street" && area}, base,
                                         styles[p["class"]] || {});
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "BaseMapLayer"
        self.data = data
        self.styles = BASEMAP_STYLES
