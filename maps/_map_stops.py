"""Stop markers: numbered in visiting order, shaped by kind, filled with the day's colour.

Markers are Leaflet ``DivIcon``s styled by ``tours-map.css`` (no image downloads). Every
marker's data, popup HTML included, reaches the page through ``|tojson``; the popup HTML is
rendered by an autoescaping template, so untrusted names stay text. On a map of several days
a stop's label carries its day (``2·3``). :class:`Declutter` nudges markers that overlap at
the current zoom apart, so none hides another.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from folium.template import Template

from maps._clock import shown_minutes
from maps._map_rendered import Macro, RenderedOnce
from maps._map_style import (
    KIND_LABELS,
    day_colour,
    render_html,
    stop_label,
    stop_title,
)
from maps._names import ENGLISH, Languages
from maps._schedule import address_in, derived_stop_text, meal_place_in, note_in
from maps.i18n import html_lang
from tours.itinerary import Appointment, Day, Meal, PlaceRef, Stop, Visit

_DIGITS = 5
#: Marker letters of the day's start and end (a hotel is ``H``; a waypoint ``P``).
_BASE_LABELS = {"start": "S", "start and end": "S", "end": "E"}


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


def _facts(stop: Stop, langs: Languages) -> list[tuple[str, str, str]]:
    """``(label, value, lang)`` of a stop's notes; ``lang`` is set where it is known."""
    _ = langs.t.gettext
    place = stop.place
    address_lang = html_lang(langs.local) if langs.local else ""
    facts = [
        (_("Tickets"), place.tickets, ""),
        (_("Entrance"), place.entrance, ""),
        (_("Access"), place.accessibility, ""),
        (_("Address"), address_in(place, langs.t), address_lang if place.address_zh else ""),
        (_("About"), place.notes, ""),
        (_("Note"), note_in(stop.note, langs.t), ""),
    ]
    if isinstance(stop, Meal) and stop.restaurant is not None:
        found = meal_place_in(stop.restaurant, langs.t, local_language=langs.local)
        facts.append((_("Restaurant"), found, ""))
    return [(label, value, lang) for label, value, lang in facts if value]


def _stop_spec(
    stop: Stop, number: int, day_index: int, slot: int, *, with_day: bool, langs: Languages
) -> dict[str, Any]:
    t = langs.t
    _ = t.gettext
    kind = stop.kind
    head = _("Day %(num)s · %(stop)s. %(kind)s") % {
        "num": day_index,
        "stop": number,
        "kind": _(KIND_LABELS[kind]),
    }
    if isinstance(stop, Visit) and stop.must_see:
        head += " · " + _("must-see")
    title = stop.title if isinstance(stop, Appointment | Meal) else None
    popup = render_html(
        "map_popup.html.j2",
        langs.key,
        head=head,
        title=title,
        names=langs.names(stop.place),
        when=f"{t.time_span(stop.start, stop.end)}"
        f" · {t.duration(shown_minutes(stop.start, stop.end))}",
        facts=_facts(stop, langs),
    )
    label = stop_label(number, day_index, with_day=with_day)
    colour = day_colour(day_index)
    return {
        "id": marker_id(day_index, stop.uid),
        "lat": round(stop.place.lat, _DIGITS),
        "lon": round(stop.place.lon, _DIGITS),
        "label": label,
        "kind": kind,
        "day": day_index,
        "fill": colour["fill"],
        "ink": colour["ink"],
        "must": isinstance(stop, Visit) and stop.must_see,
        "slot": slot,
        "stack": None,
        "title": f"{label}. {stop_title(stop, langs)}",
        "popup": popup,
    }


def _base_spec(
    place: PlaceRef,
    role: str,
    when: str,
    day_index: int,
    slot: int,
    *,
    langs: Languages,
    key: str,
    facts: list[tuple[str, str, str]] | None = None,
) -> dict[str, Any]:
    """A start, end or waypoint marker; *role* is translated, *key* names it in the page."""
    _ = langs.t.gettext
    label = "H" if place.category == "hotel" else _BASE_LABELS.get(key, "P")
    popup = render_html(
        "map_popup.html.j2",
        langs.key,
        head=_("Day %(num)s · %(role)s") % {"num": day_index, "role": role},
        title=None,
        names=langs.names(place),
        when=when,
        facts=facts or [],
    )
    return {
        "id": marker_id(day_index, key),
        "lat": round(place.lat, _DIGITS),
        "lon": round(place.lon, _DIGITS),
        "label": label,
        "kind": "base",
        "day": day_index,
        "fill": None,  # the hotel is every day's: it keeps its own dark colour
        "ink": None,
        "must": False,
        "slot": slot,
        "stack": f"{place.id}#{slot}",  # the same place's start/end markers sit as one
        "title": f"{role}: {langs.primary(place).text}",
        "popup": popup,
    }


def stop_specs(
    day: Day,
    day_index: int,
    slots: SlotCounter,
    *,
    with_day: bool = False,
    langs: Languages = ENGLISH,
) -> list[dict[str, Any]]:
    """Marker data for one day: the start (and a different end) place, then every stop.

    Parameters
    ----------
    with_day
        Label stops ``2·3`` rather than ``3`` (for a map that shows several days).
    langs
        The languages of the map: popups in the delegation's language.
    """
    t = langs.t
    _ = t.gettext
    specs = []
    same_end = day.end_place.id == day.start_place.id
    start_role = _("Start and end") if same_end else _("Start")
    start_when = _("Leave %(time)s") % {"time": t.time(day.start)}
    if same_end:
        start_when += " · " + _("back %(time)s") % {"time": t.time(day.end)}
    specs.append(
        _base_spec(
            day.start_place,
            start_role,
            start_when,
            day_index,
            slots.take(day.start_place, base=True),
            langs=langs,
            key="start and end" if same_end else "start",
        )
    )
    if not same_end:
        specs.append(
            _base_spec(
                day.end_place,
                _("End"),
                _("Arrive %(time)s") % {"time": t.time(day.end)},
                day_index,
                slots.take(day.end_place, base=True),
                langs=langs,
                key="end",
            )
        )
    for number, stop in enumerate(day.stops, start=1):
        specs.append(
            _stop_spec(
                stop, number, day_index, slots.take(stop.place), with_day=with_day, langs=langs
            )
        )
    specs += _waypoint_specs(day, day_index, slots, langs)
    return specs


def _waypoint_specs(
    day: Day, day_index: int, slots: SlotCounter, langs: Languages
) -> list[dict[str, Any]]:
    """Markers ``P`` for the waypoints the day's legs reach (e.g. a reported position)."""
    _ = langs.t.gettext
    arrivals = {leg.to_id: leg.end for leg in reversed(day.legs)}
    specs = []
    for place in day.waypoints:
        if place.id not in arrivals:
            continue
        facts = [(_("About"), place.notes, "")] if place.notes else []
        if place.category == "coach_stop" and place.osm_id:
            facts.insert(0, (_("Check"), derived_stop_text(place, langs.t), ""))
        specs.append(
            _base_spec(
                place,
                _("Passing"),
                _("Passing %(time)s") % {"time": langs.t.time(arrivals[place.id])},
                day_index,
                slots.take(place),
                langs=langs,
                key=f"waypoint:{place.id}",
                facts=facts,
            )
        )
    return specs


class StopLayer(RenderedOnce, Macro):
    """All stop markers of one day, added to that day's feature group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map_name }};
            var group = {{ this._parent.get_name() }};
            var markers = map.toursMarkers = map.toursMarkers || {};
            // PopupFit (maps/_map_popups.py) sizes each popup to the area no control
            // covers and pans it there once laid out; Leaflet's own auto-pan would race it
            var popupOptions = {maxWidth: 280, minWidth: 180, autoPan: false};
            {{ this.specs|tojson }}.forEach(function (spec) {
                var badge = document.createElement("span");
                badge.textContent = spec.label;
                if (spec.fill) {
                    badge.style.setProperty("--day", spec.fill);
                    badge.style.setProperty("--ink", spec.ink);
                }
                var classes = ["tour-marker", "tour-" + spec.kind,
                               spec.kind === "base" ? "tour-base" : "tour-stop",
                               "tour-day-" + spec.day];
                if (spec.must) { classes.push("tour-must"); }
                var shift = {{ this.slot_px|tojson }} * spec.slot;
                var anchor = [14 - shift, 14], popupAnchor = [shift, -12];
                // the box stays 28 px; a longer label ("2·10") overflows it evenly both ways
                var icon = L.divIcon({
                    className: classes.join(" "),
                    html: badge,
                    iconSize: [28, 28],
                    iconAnchor: anchor,
                    popupAnchor: popupAnchor
                });
                var marker = L.marker([spec.lat, spec.lon], {
                    icon: icon, title: spec.title, alt: spec.title, riseOnHover: true,
                    zIndexOffset: spec.kind === "base" ? -100 : 0
                });
                marker.bindPopup(spec.popup, popupOptions);
                marker.addTo(group);
                markers[spec.id] = {marker: marker, group: group, anchor: anchor,
                                    popupAnchor: popupAnchor, stack: spec.stack};
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


class Declutter(Macro):
    """Nudges markers that overlap on screen apart, again after every zoom.

    Markers at the same place already sit side by side (their slots); near-identical places
    (two sights 300 m apart) overlap only at low zoom. After each zoom, or when a day is shown
    or hidden, overlapping markers are pushed apart along the shorter way out, a few pixels at
    a time and never more than *reach* pixels from their place, so each stays next to its spot.
    The start/end markers of one place (the hotel on every day) move as one.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var gap = {{ this.gap|tojson }}, reach = {{ this.reach|tojson }};
            var rounds = {{ this.rounds|tojson }};
            var pending = false;
            function clamp(v) { return Math.max(-reach, Math.min(reach, v)); }
            function layout() {
                pending = false;
                var entries = map.toursMarkers || {};
                var items = [], stacks = {};
                Object.keys(entries).forEach(function (id) {
                    var entry = entries[id], el = entry.marker.getElement();
                    if (!el || !map.hasLayer(entry.marker)) { return; }
                    var point = map.latLngToLayerPoint(entry.marker.getLatLng());
                    var badge = el.firstChild;
                    var item = {entry: entry, el: el, dx: 0, dy: 0, twins: [],
                                x: point.x + 14 - entry.anchor[0], y: point.y,
                                w: badge.offsetWidth, h: badge.offsetHeight};
                    if (entry.stack) {
                        if (stacks[entry.stack]) { stacks[entry.stack].twins.push(item); return; }
                        stacks[entry.stack] = item;
                    }
                    items.push(item);
                });
                for (var round = 0; round < rounds; round++) {
                    var moved = false;
                    for (var i = 0; i < items.length; i++) {
                        for (var j = i + 1; j < items.length; j++) {
                            var a = items[i], b = items[j];
                            var ax = a.x + a.dx, ay = a.y + a.dy, bx = b.x + b.dx, by = b.y + b.dy;
                            var ox = (a.w + b.w) / 2 + gap - Math.abs(ax - bx);
                            var oy = (a.h + b.h) / 2 + gap - Math.abs(ay - by);
                            if (ox <= 0.5 || oy <= 0.5) { continue; }
                            moved = true;
                            if (ox <= oy) {
                                var sx = ax <= bx ? 1 : -1;
                                a.dx = clamp(a.dx - sx * ox / 2);
                                b.dx = clamp(b.dx + sx * ox / 2);
                            } else {
                                var sy = ay <= by ? 1 : -1;
                                a.dy = clamp(a.dy - sy * oy / 2);
                                b.dy = clamp(b.dy + sy * oy / 2);
                            }
                        }
                    }
                    if (!moved) { break; }
                }
                items.forEach(function (item) {
                    [item].concat(item.twins).forEach(function (one) {
                        var entry = one.entry, dx = Math.round(item.dx), dy = Math.round(item.dy);
                        one.el.style.marginLeft = (dx - entry.anchor[0]) + "px";
                        one.el.style.marginTop = (dy - entry.anchor[1]) + "px";
                        entry.marker.options.icon.options.popupAnchor =
                            [entry.popupAnchor[0] + dx, entry.popupAnchor[1] + dy];
                        one.el.setAttribute("data-shift", dx + "," + dy);
                    });
                });
            }
            function schedule() {
                if (!pending) { pending = true; L.Util.requestAnimFrame(layout); }
            }
            map.on("zoomend viewreset", schedule);
            map.on("layeradd layerremove", function (event) {
                if (event.layer instanceof L.Marker) { schedule(); }
            });
            schedule();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, gap: int = 2, reach: int = 30, rounds: int = 24) -> None:
        super().__init__()
        self._name = "Declutter"
        self.gap = gap
        self.reach = reach
        self.rounds = rounds
