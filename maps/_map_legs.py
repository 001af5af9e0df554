"""Travel legs: lines along the real street geometry, time on hover or tap.

A leg is drawn in its day's colour, dotted for a walk and solid for the coach, over a white
casing that keeps it readable on any base map colour. Each leg gets a visible line (classes
``tour-leg tour-leg-<mode> tour-day-<n>``) and a wide transparent twin that makes it easy to
tap on a phone; both open the same tooltip.
"""

from __future__ import annotations

from typing import Any

from folium.template import Template

from maps._map_rendered import Macro, RenderedOnce
from maps._map_style import CASING_STYLE, MODE_LABELS, MODE_STYLES, day_colour, render_html
from maps._names import ENGLISH, Languages
from tours.itinerary import Day, Leg, PlaceRef

_DIGITS = 5


def _line(leg: Leg, places: dict[str, PlaceRef]) -> list[list[float]]:
    if len(leg.geometry) >= 2:
        points = leg.geometry
    else:  # no street geometry recorded: fall back to the straight line between the stops
        ends = [places.get(leg.from_id), places.get(leg.to_id)]
        points = [(p.lat, p.lon) for p in ends if p is not None]
    line: list[list[float]] = []
    for lat, lon in points:
        point = [round(lat, _DIGITS), round(lon, _DIGITS)]
        if not line or line[-1] != point:
            line.append(point)
    return line


def leg_specs(day: Day, *, langs: Languages = ENGLISH) -> list[dict[str, Any]]:
    """Line data for one day's legs (legs with fewer than two distinct points are skipped).

    Tooltips are in the delegation's language of *langs*.
    """
    t = langs.t
    places = day.places_by_id
    specs = []
    for leg in day.legs:
        line = _line(leg, places)
        if len(line) < 2:
            continue
        target = places.get(leg.to_id)
        tooltip = render_html(
            "map_leg_tooltip.html.j2",
            langs.key,
            leg=leg,
            mode=t.gettext(MODE_LABELS[leg.mode]),
            minutes=leg.duration_s / 60,
            to_name=langs.primary(target) if target else None,
        )
        specs.append({"mode": leg.mode, "line": line, "tooltip": tooltip})
    return specs


class LegLayer(RenderedOnce, Macro):
    """All legs of one day, added to that day's feature group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var styles = {{ this.styles|tojson }};
            var casing = Object.assign({className: "tour-leg-casing", interactive: false},
                                       {{ this.casing|tojson }});
            var specs = {{ this.specs|tojson }};
            specs.forEach(function (spec) { L.polyline(spec.line, casing).addTo(group); });
            var day = "tour-day-" + {{ this.day|tojson }};
            specs.forEach(function (spec) {
                var style = Object.assign({className: "tour-leg tour-leg-" + spec.mode + " " + day},
                                          styles[spec.mode], {color: {{ this.colour|tojson }}});
                var line = L.polyline(spec.line, style);
                var hit = L.polyline(spec.line, {className: "tour-leg-hit", weight: 22,
                                                 opacity: 0, color: "#000"});
                var tip = {sticky: true, direction: "top", opacity: 0.95};
                hit.bindTooltip(spec.tooltip, tip).addTo(group);
                line.bindTooltip(spec.tooltip, tip).addTo(group);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, specs: list[dict[str, Any]], *, day_index: int) -> None:
        super().__init__()
        self._name = "LegLayer"
        self.specs = specs
        self.day = day_index
        self.colour = day_colour(day_index)["fill"]
        self.styles = MODE_STYLES
        self.casing = CASING_STYLE
