"""The printed itinerary: one Jinja2 HTML template, rendered to A4 PDF with WeasyPrint.

The same HTML (with the day maps embedded as data URIs) is also written as a print-friendly
``itinerary.html``. Autoescaping is on: names and notes come from OSM and request files.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Sequence
from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from maps._contacts import contact_lines
from maps._names import Languages
from maps._schedule import (
    MODE_LABELS,
    PASSING_KINDS,
    Row,
    city_tz,
    day_places,
    day_rows,
    derived_stop_text,
    left_out_reason,
    place_facts,
)
from maps.i18n import N_, Translator, environment, html_lang, translator
from maps.static_map import MODE_STYLE
from tours._errors import InputError
from tours.itinerary import Itinerary, PlaceRef

#: Driver sheet strings the template shows in the city's language (``local_t.gettext``).
DRIVER_STRINGS = (N_("Driver sheet"), N_("Pick-up / drop-off"))
DASH = "\u2013"  # en dash between times and dates


def render_print_html(
    itinerary: Itinerary,
    *,
    map_pngs: Sequence[bytes | None] = (),
    for_pdf: bool = False,
    language: str | None = None,
) -> str:
    """The printed itinerary as one self-contained HTML document.

    Parameters
    ----------
    map_pngs
        One PNG per day (from :func:`maps.static_map.render_day_map`), embedded as data
        URIs; missing entries leave the day without a map.
    for_pdf
        Put the attribution into the page footer of every page (WeasyPrint) instead of
        the end of the document (browsers).
    language
        The language of the print; ``None`` takes the delegation's first language.
    """
    langs = Languages.of(itinerary, language=language)
    t = langs.t
    tz = city_tz(itinerary)
    days: list[dict[str, Any]] = []
    for index, day in enumerate(itinerary.days):
        rows = day_rows(day, tz)
        png = map_pngs[index] if index < len(map_pngs) else None
        walk = sum(leg.distance_m for leg in day.legs if leg.mode == "walk")
        coach = sum(leg.distance_m for leg in day.legs if leg.mode == "coach")
        days.append(
            {
                "number": index + 1,
                "date": t.date_long(day.date),
                "date_value": day.date,
                "span": t.time_span(day.start.astimezone(tz), day.end.astimezone(tz)),
                "stop_count": sum(1 for row in rows if row.kind not in PASSING_KINDS),
                "passes": any(row.kind == "waypoint" for row in rows),
                "walk": t.distance(walk) if walk else DASH,
                "coach": t.distance(coach) if coach else DASH,
                "rows": rows,
                "map_uri": _data_uri(png) if png else "",
                "notes": _day_notes(rows, t, langs),
                "modes": _map_key({leg.mode for leg in day.legs}, t),
                "driver": driver_rows(rows, langs),
            }
        )
    contacts = itinerary.delegation.contacts
    template = environment(langs.key).get_template("print.html.j2")
    return template.render(
        it=itinerary,
        days=days,
        dates=_dates(itinerary, t),
        for_pdf=for_pdf,
        contacts=list(zip(contact_lines(contacts), contacts, strict=True)),
        langs=langs,
        local_t=_local_translator(langs),
        planner_places=_planner_places(itinerary),
        left_out=[(lo, left_out_reason(lo, t)) for lo in itinerary.left_out],
        local_language=t.language_name(langs.local) if langs.local else "",
    )


def html_to_pdf(html: str) -> bytes:
    """A4 PDF bytes of *html*; only ``data:`` URLs are fetched (offline, no file access)."""
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher, media_type="print").write_pdf()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _dates(itinerary: Itinerary, t: Translator) -> str:
    if not itinerary.days:
        return ""
    first, last = itinerary.days[0].date, itinerary.days[-1].date
    if first == last:
        return t.date_long(first)
    return f"{t.date_long(first)} {DASH} {t.date_long(last)}"


def _map_key(modes: set[str], t: Translator) -> list[dict[str, str]]:
    """The day map's line styles, named in the print's language (the image has no text)."""
    key = []
    for mode in MODE_STYLE:
        if mode in modes:
            style = MODE_STYLE[mode]
            dashed = style["linestyle"] != "solid"
            key.append(
                {
                    "label": t.gettext(MODE_LABELS[mode]),
                    "colour": str(style["color"]),
                    "dash": "5 3" if dashed else "",
                }
            )
    return key


def _day_notes(
    rows: list[Row], t: Translator, langs: Languages
) -> list[tuple[PlaceRef, list[tuple[str, str, str]]]]:
    """Per place of the day: address, tickets, entrance, accessibility, notes, hours.

    Each line is ``(label, text, lang)``: the address is in the city's local language, the
    other notes in the language they were written in (unknown: ``lang`` left empty).
    """
    address_lang = html_lang(langs.local) if langs.local else ""
    notes: list[tuple[PlaceRef, list[tuple[str, str, str]]]] = []
    for place in day_places(rows):
        lines = [
            (label, text, address_lang if text == place.address_zh else "")
            for label, text in place_facts(place, t)
        ]
        if place.opening_hours:
            lines.append((t.gettext("Opening hours"), place.opening_hours, "zxx"))
        if lines:
            notes.append((place, lines))
    return notes


def driver_rows(rows: list[Row], langs: Languages) -> list[dict[str, Any]]:
    """The day as the coach driver reads it: local names and addresses first.

    Per row: label, times, the place's name in the city's language (``local``, or ``None``
    when not known) and the delegation's (``name``), its address, the pick-up/drop-off
    point (the place's entrance, when known; only where a coach leg arrives or leaves) and
    the travel to the next row in the city's language. A row at a place an earlier row gave
    (a meal after a visit there, the way back to the hotel) repeats neither address nor
    point, nor its second name.
    """
    local_t = _local_translator(langs)
    out = []
    shown: set[str] = set()
    for row in rows:
        # the coach comes here only if a coach leg arrives or leaves; a place the sheet has
        # already given (a meal after a visit there, the way back to the hotel) is not
        # described twice
        coach_here = any(t.mode != "walk" for t in (*row.arrived_by, *row.travel))
        coach_here |= row.kind in PASSING_KINDS
        same_place = row.place.id in shown
        shown.add(row.place.id)
        local = langs.local_name(row.place)
        primary = langs.primary(row.place)
        out.append(
            {
                "label": row.label,
                "time": local_t.time_span(row.start, row.end)
                if row.end is not None and row.minutes
                else local_t.time(row.start),
                "local": local,
                "name": primary
                if local is None or (primary.text != local.text and not same_place)
                else None,
                "address": "" if same_place else row.place.address_zh,
                "point": _point_text(row.place, local_t) if coach_here and not same_place else "",
                "next": row.travel_text_in(local_t),
            }
        )
    return out


def _point_text(place: PlaceRef, t: Translator) -> str:
    """The pick-up/drop-off text of a row: the entrance, and for a coach stop taken from
    OpenStreetMap the note that it is not checked."""
    if place.category == "coach_stop" and place.osm_id:
        derived = derived_stop_text(place, t)
        return f"{place.entrance} · {derived}" if place.entrance else derived
    return place.entrance


def _planner_places(itinerary: Itinerary) -> list[PlaceRef]:
    """Every place of the plan with an OSM id, once, in order of first appearance."""
    seen: dict[str, PlaceRef] = {}
    for day in itinerary.days:
        for place in [day.start_place, *(stop.place for stop in day.stops), day.end_place]:
            if place.osm_id:
                seen.setdefault(place.id, place)
    return list(seen.values())


def _local_translator(langs: Languages) -> Translator:
    """The translator of the city's language for drivers; the delegation's without a catalog."""
    if langs.local:
        with contextlib.suppress(InputError):
            return translator(langs.local)
    return langs.t
