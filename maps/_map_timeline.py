"""The day timeline panel: a compact list of the day's stops and legs.

Each day's heading, badges and leg marks carry the day's colour, and its badges the same
labels as the markers on the map (``2·3`` on a map of several days).

Tapping a stop in the list centres the map on its marker and opens its popup; where the open
panel leaves no room for the popup (a phone) it folds to one line (``_map_popups``). On a phone
the panel starts folded; on wider screens it starts open.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from folium.template import Template

from maps._clock import shown_minutes
from maps._contacts import contact_lines
from maps._map_rendered import Macro, RenderedOnce
from maps._map_stops import marker_id
from maps._map_style import (
    MODE_LABELS,
    day_colour,
    day_label,
    render_html,
    stop_label,
)
from maps._names import ENGLISH, Languages
from tours.itinerary import Day, Leg


def _rows(day: Day, day_index: int, *, with_day: bool, langs: Languages) -> list[dict[str, Any]]:
    t = langs.t
    rows: list[dict[str, Any]] = [
        {
            "leg": False,
            "time": t.time(day.start),
            "kind": "base",
            "label": "H" if day.start_place.category == "hotel" else "S",
            "title": "",
            "name": langs.primary(day.start_place),
            "marker": marker_id(
                day_index,
                "start and end" if day.end_place.id == day.start_place.id else "start",
            ),
        }
    ]
    number = 0
    for item in day.items:
        if isinstance(item, Leg):
            minutes = shown_minutes(item.start, item.end)
            text = f"{t.gettext(MODE_LABELS[item.mode])} {t.duration(minutes)}"
            text += f" · {t.distance(item.distance_m)}"
            rows.append({"leg": True, "mode": item.mode, "text": text})
            continue
        number += 1
        rows.append(
            {
                "leg": False,
                "time": t.time_span(item.start, item.end),
                "kind": item.kind,
                "label": stop_label(number, day_index, with_day=with_day),
                "title": "" if item.kind == "visit" else getattr(item, "title", ""),
                "name": langs.primary(item.place),
                "marker": marker_id(day_index, item.uid),
            }
        )
    if day.end_place.id != day.start_place.id:
        rows.append(
            {
                "leg": False,
                "time": t.time(day.end),
                "kind": "base",
                "label": "H" if day.end_place.category == "hotel" else "E",
                "title": "",
                "name": langs.primary(day.end_place),
                "marker": marker_id(day_index, "end"),
            }
        )
    return rows


def timeline_html(
    summary: str,
    title: str,
    days: list[tuple[int, Day]],
    *,
    langs: Languages = ENGLISH,
    contacts: Sequence[str] = (),
) -> str:
    """The panel's HTML: *summary* on its folded line, *title*, the days' rows, contacts.

    Phone numbers in *contacts* become tappable ``tel:`` links.
    """
    with_day = len(days) > 1
    return render_html(
        "map_timeline.html.j2",
        langs.key,
        summary=summary,
        title=title,
        contacts=contact_lines(list(contacts)),
        open=False,
        days=[
            {
                "index": index,
                "label": day_label(index, day.date, langs.t),
                "colour": day_colour(index),
                "rows": _rows(day, index, with_day=with_day, langs=langs),
            }
            for index, day in days
        ],
    )


class Timeline(RenderedOnce, Macro):
    """The timeline panel (top right); rows open their marker's popup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var Timeline = L.Control.extend({
                options: {position: "topright"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "leaflet-control tour-panel");
                    box.innerHTML = {{ this.html|tojson }};
                    var details = box.querySelector("details");
                    if (window.matchMedia({{ this.open_media|tojson }}).matches) {
                        details.open = true;
                    }
                    var show = function (row) {
                        var entry = (map.toursMarkers || {})[row.getAttribute("data-marker")];
                        if (!entry) { return; }
                        if (!map.hasLayer(entry.group)) { map.addLayer(entry.group); }
                        // on a phone the panel folds out of the way of the stop chosen
                        if (!window.matchMedia({{ this.open_media|tojson }}).matches) {
                            details.open = false;
                        }
                        // no animation: the popup is fitted (PopupFit) to the final view
                        map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 16),
                                    {animate: false});
                        entry.marker.openPopup();
                    };
                    box.querySelectorAll("li[data-marker]").forEach(function (row) {
                        L.DomEvent.on(row, "click", function () { show(row); });
                        L.DomEvent.on(row, "keydown", function (event) {
                            if (event.key === "Enter") { show(row); }
                        });
                    });
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                }
            });
            new Timeline().addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, open_media: str = "(min-width: 700px)") -> None:
        super().__init__()
        self._name = "Timeline"
        self.html = html
        self.open_media = open_media
