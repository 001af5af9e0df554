"""The legend: day colours, marker shapes by stop kind and line patterns by travel mode.

The ``P`` markers of the points a day's route passes get their own entries: a coach stop
(where the coach drops the group off or picks it up, ``category == "coach_stop"``) and any
other passing point (e.g. a position a guide reported to ``tours replan``).
"""

from __future__ import annotations

from folium.template import Template

from maps._map_rendered import Macro, RenderedOnce
from maps._map_style import KIND_LABELS, MODE_LABELS, MODE_STYLES, NEUTRAL, day_colour, render_html
from maps._names import ENGLISH, Languages
from maps.i18n import N_
from tours.itinerary import Day

#: Legend labels of the ``P`` markers, by what the waypoint is.
PASSING_LABELS = {
    "coach_stop": N_("Coach stop (drop-off, pick-up)"),
    "waypoint": N_("Passing point"),
}


def passing_kinds(days: list[Day]) -> set[str]:
    """The kinds of ``P`` markers *days* show: ``"coach_stop"`` and/or ``"waypoint"``.

    A waypoint has a marker when a leg of its day ends there (see ``maps._map_stops``).
    """
    kinds: set[str] = set()
    for day in days:
        reached = {leg.to_id for leg in day.legs}
        for place in day.waypoints:
            if place.id in reached:
                kinds.add("coach_stop" if place.category == "coach_stop" else "waypoint")
    return kinds


def legend_html(
    *,
    days: list[tuple[int, str]],
    modes: set[str],
    kinds: set[str],
    must: bool = False,
    passing: set[str] | None = None,
    langs: Languages = ENGLISH,
) -> str:
    """The legend's HTML: the days' colours, then only the kinds and modes the map shows.

    Parameters
    ----------
    days
        ``(day number, label)`` of each day on the map. With one day, shapes and lines are
        drawn in its colour; with several, in grey under the list of day colours.
    must
        Whether a must-see visit is on the map.
    passing
        The kinds of ``P`` markers on the map (:func:`passing_kinds`).
    langs
        The languages of the map (labels in the delegation's language).
    """
    _ = langs.t.gettext
    colour = day_colour(days[0][0]) if len(days) == 1 else NEUTRAL
    return render_html(
        "map_legend.html.j2",
        langs.key,
        open=False,
        days=[(index, label, day_colour(index)) for index, label in days],
        colour=colour,
        kinds=[(k, _(label)) for k, label in KIND_LABELS.items() if k in kinds],
        must=must,
        passing=[(k, _(label)) for k, label in PASSING_LABELS.items() if k in (passing or ())],
        modes=[(m, _(label), MODE_STYLES[m]) for m, label in MODE_LABELS.items() if m in modes],
    )


class Legend(RenderedOnce, Macro):
    """A small legend in the bottom-left corner, folded on phones."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var Legend = L.Control.extend({
                options: {position: "bottomleft"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "leaflet-control tour-panel");
                    box.innerHTML = {{ this.html|tojson }};
                    if (window.matchMedia({{ this.open_media|tojson }}).matches) {
                        box.querySelector("details").open = true;
                    }
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                }
            });
            new Legend().addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, open_media: str = "(min-width: 700px)") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.open_media = open_media
