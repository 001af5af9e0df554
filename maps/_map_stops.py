"""Stop markers: numbered in visiting order, shaped by kind, with bilingual popups.

Markers are Leaflet ``DivIcon``s styled by ``tours-map.css`` (no image downloads). Every
marker's data, popup HTML included, reaches the page through ``|tojson``; the popup HTML is
rendered by an autoescaping template, so untrusted names stay text.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from branca.element import MacroElement
from folium.template import Template

from maps._map_style import KIND_LABELS, hhmm, render_html, span, stop_title
from tours.itinerary import Appointment, Day, Meal, PlaceRef, Stop, Visit

_DIGITS = 5


class SlotCounter:
    """Gives markers at the same spot increasing slots so they sit side by side."""

    def __init__(self) -> None:
        self._used: Counter[tuple[float, float]] = Counter()
        self._bases: dict[str, int] = {}

    def take(self, place: PlaceRef, *, base: bool = False) -> int:
        """The next free slot at *place* (0 for the first marker there).

        Start/end markers of the same place share one slot: on the overview the hotel of
        every day sits in one spot, like the hotel does.
        """
        if base and place.id in self._bases:
            return self._bases[place.id]
        key = (round(place.lat, _DIGITS), round(place.lon, _DIGITS))
        slot = self._used[key]
        self._used[key] += 1
        if base:
            self._bases[place.id] = slot
        return slot


def marker_id(day_index: int, key: str) -> str:
    """The id the timeline uses to find a marker: ``d<day>:<key>``."""
    return f"d{day_index}:{key}"


def _facts(stop: Stop) -> list[tuple[str, str]]:
    place = stop.place
    facts = [
        ("Tickets", place.tickets),
        ("Entrance", place.entrance),
        ("Access", place.accessibility),
        ("Address", place.address_zh),
        ("About", place.notes),
        ("Note", stop.note),
    ]
    return [(label, value) for label, value in facts if value]


def _stop_spec(stop: Stop, number: int, day_index: int, slot: int) -> dict[str, Any]:
    kind = stop.kind
    head = f"Day {day_index} · {number}. {KIND_LABELS[kind]}"
    if isinstance(stop, Visit) and stop.must_see:
        head += " · must-see"
    title = stop.title if isinstance(stop, Appointment | Meal) else None
    popup = render_html(
        "map_popup.html.j2",
        head=head,
        title=title,
        place=stop.place,
        when=f"{hhmm(stop.start)}\N{EN DASH}{hhmm(stop.end)} · {span(stop.minutes)}",
        facts=_facts(stop),
    )
    return {
        "id": marker_id(day_index, stop.uid),
        "lat": round(stop.place.lat, _DIGITS),
        "lon": round(stop.place.lon, _DIGITS),
        "label": str(number),
        "kind": kind,
        "must": isinstance(stop, Visit) and stop.must_see,
        "slot": slot,
        "title": f"{number}. {stop_title(stop)}",
        "popup": popup,
    }


def _base_spec(place: PlaceRef, role: str, when: str, day_index: int, slot: int) -> dict[str, Any]:
    label = "H" if place.category == "hotel" else role[0]
    popup = render_html(
        "map_popup.html.j2",
        head=f"Day {day_index} · {role}",
        title=None,
        place=place,
        when=when,
        facts=[],
    )
    return {
        "id": marker_id(day_index, role.lower()),
        "lat": round(place.lat, _DIGITS),
        "lon": round(place.lon, _DIGITS),
        "label": label,
        "kind": "base",
        "must": False,
        "slot": slot,
        "title": f"{role}: {place.name_en}",
        "popup": popup,
    }


def stop_specs(day: Day, day_index: int, slots: SlotCounter) -> list[dict[str, Any]]:
    """Marker data for one day: the start (and a different end) place, then every stop."""
    specs = []
    same_end = day.end_place.id == day.start_place.id
    start_role = "Start and end" if same_end else "Start"
    start_when = f"Leave {hhmm(day.start)}" + ("" if not same_end else f" · back {hhmm(day.end)}")
    specs.append(
        _base_spec(
            day.start_place,
            start_role,
            start_when,
            day_index,
            slots.take(day.start_place, base=True),
        )
    )
    if not same_end:
        specs.append(
            _base_spec(
                day.end_place,
                "End",
                f"Arrive {hhmm(day.end)}",
                day_index,
                slots.take(day.end_place, base=True),
            )
        )
    for number, stop in enumerate(day.stops, start=1):
        specs.append(_stop_spec(stop, number, day_index, slots.take(stop.place)))
    return specs


class StopLayer(MacroElement):
    """All stop markers of one day, added to that day's feature group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map_name }};
            var group = {{ this._parent.get_name() }};
            var markers = map.toursMarkers = map.toursMarkers || {};
            // pan popups clear of the controls on the right (layer switch, timeline line) and
            // the legend (bottom), so the close button stays tappable; long ones scroll. The
            // top padding is measured from the controls just before a popup opens (Leaflet
            // reads this array each time it pans a popup into view).
            var padTop = [12, {{ this.pad_top|tojson }}];
            function clearOfControls() {
                var top = map.getContainer().getBoundingClientRect().top;
                var lowest = 0;
                map.getContainer()
                    .querySelectorAll(".leaflet-top.leaflet-right > .leaflet-control")
                    .forEach(function (el) {
                        lowest = Math.max(lowest, el.getBoundingClientRect().bottom - top);
                    });
                padTop[1] = Math.max({{ this.pad_top|tojson }}, Math.ceil(lowest) + 12);
            }
            var popupOptions = {
                maxWidth: 280, minWidth: 180,
                maxHeight: Math.max(200, Math.round(map.getSize().y * 0.6)),
                autoPanPaddingTopLeft: padTop,
                autoPanPaddingBottomRight: [12, {{ this.pad_bottom|tojson }}]
            };
            map.on("popupopen", clearOfControls);
            {{ this.specs|tojson }}.forEach(function (spec) {
                var badge = document.createElement("span");
                badge.textContent = spec.label;
                var classes = ["tour-marker", "tour-" + spec.kind,
                               spec.kind === "base" ? "tour-base" : "tour-stop"];
                if (spec.must) { classes.push("tour-must"); }
                var shift = {{ this.slot_px|tojson }} * spec.slot;
                var icon = L.divIcon({
                    className: classes.join(" "),
                    html: badge,
                    iconSize: [28, 28],
                    iconAnchor: [14 - shift, 14],
                    popupAnchor: [shift, -12]
                });
                var marker = L.marker([spec.lat, spec.lon], {
                    icon: icon, title: spec.title, alt: spec.title, riseOnHover: true,
                    zIndexOffset: spec.kind === "base" ? -100 : 0
                });
                marker.on("click", clearOfControls);  // before bindPopup: runs first
                marker.bindPopup(spec.popup, popupOptions);
                marker.addTo(group);
                markers[spec.id] = {marker: marker, group: group};
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, specs: list[dict[str, Any]], *, map_name: str) -> None:
        super().__init__()
        self._name = "StopLayer"
        self.specs = specs
        self.map_name = map_name
        self.slot_px = 24
        self.pad_top = 110
        self.pad_bottom = 48
