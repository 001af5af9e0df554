"""The vector base map layer: streets, water and parks drawn from the OSM extract.

The GeoJSON comes from :func:`routing.basemap.load_basemap`; here it is clipped to the map's
box and drawn on a canvas in its own pane below the route, without interaction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from folium.map import Layer
from folium.template import Template
from shapely.geometry import mapping, shape

from maps._map_rendered import RenderedOnce
from maps._map_style import BASEMAP_STYLES

_DIGITS = 5


def clip_basemap(
    basemap: dict[str, Any], bbox: tuple[float, float, float, float]
) -> dict[str, Any]:
    """The features of *basemap* inside ``(west, south, east, north)``."""
    features = basemap.get("features", [])
    clipped = shapely.clip_by_rect(_geometries(basemap), *bbox)
    kept = np.flatnonzero(~shapely.is_empty(clipped))
    rounded = shapely.transform(clipped[kept], lambda xy: xy.round(_DIGITS))
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": features[i]["properties"], "geometry": mapping(g)}
            for i, g in zip(kept.tolist(), rounded, strict=True)
        ],
    }


#: The Shapely geometries of the last base map clipped: the overview and every day map of
#: one run clip the same base map, so its features are converted once.
_SHAPES: list[tuple[dict[str, Any], np.ndarray]] = []


def _geometries(basemap: dict[str, Any]) -> np.ndarray:
    """The features of *basemap* as an array of Shapely geometries (kept for the next map)."""
    if _SHAPES and _SHAPES[0][0] is basemap:
        return _SHAPES[0][1]
    shapes = np.array(
        [shape(feature["geometry"]) for feature in basemap.get("features", [])], dtype=object
    )
    _SHAPES[:] = [(basemap, shapes)]
    return shapes


class BaseMapLayer(RenderedOnce, Layer):
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
