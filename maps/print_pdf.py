"""The printed itinerary: one Jinja2 HTML template, rendered to A4 PDF with WeasyPrint.

The same HTML (with the day maps embedded as data URIs) is also written as a print-friendly
``itinerary.html``. Autoescaping is on: names and notes come from OSM and request files.
"""

from __future__ import annotations

import base64
import contextlib
import unicodedata
from collections.abc import Sequence
from typing import Any

from maps._contacts import contact_lines
from maps._names import Languages
from maps._schedule import (
    MODE_LABELS,
    PASSING_KINDS,
    Row,
    address_in,
    city_tz,
    day_places,
    day_rows,
    derived_stop_text,
    left_out_reason,
    place_facts,
)
from maps.i18n import N_, Translator, environment, html_lang, translator
from tours._errors import InputError
from tours.itinerary import Itinerary, PlaceRef
from tours.modes import MODES

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
        One PNG per day (from :class:`maps.day_images.DayMapImages`), embedded as data
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
        map_height, map_beside = _map_layout(rows, t, langs)
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
                "map_height_mm": map_height,
                "map_beside": map_beside,
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
    from weasyprint import HTML  # noqa: PLC0415 (loaded only to lay out a PDF)
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf: bytes = HTML(string=html, url_fetcher=fetcher, media_type="print").write_pdf()
    return pdf  # write_pdf() without a target returns the document's bytes


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
    for mode, row in MODES.items():
        if mode in modes:
            style = row.print_style
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
        address = address_in(place, t)
        lines = [
            (label, text, address_lang if text == address and place.address_zh == text else "")
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
                "address": "" if same_place else address_in(row.place, local_t),
                "point": _point_text(row.place, local_t) if coach_here and not same_place else "",
                "next": row.travel_text_in(local_t),
                "restaurant": row.restaurant_in(local_t, local_language=langs.local),
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


#: The day page (A4 less margins, mm) and what it holds besides the schedule rows and the map:
#: title, table head, map caption and gaps.
_PAGE_MM = 263.0
_DAY_FIXED_MM = 38.0
#: Map heights (mm): as tall as the page allows between these bounds.
MAP_HEIGHT_MM = (50.0, 85.0)
#: The row estimate is within a few per cent of WeasyPrint's layout (checked on the three
#: demos in English, German and Arabic): this margin keeps the map on the page.
_ESTIMATE_MARGIN = 1.08
#: ``(column width mm, text size pt)`` of the schedule's columns that wrap (print.css).
_PLACE_COL = (43.0, 9.5)
_WHAT_COL = (53.0, 9.5)
_NEXT_COL = (41.0, 8.0)
_NOTE_PT = 8.0


def _text_lines(text: str, width_mm: float, size_pt: float) -> int:
    """Lines *text* takes in a column, wrapped greedily at spaces (CJK characters anywhere);
    CJK characters are a full em wide, others about 0.6 em (Noto Sans)."""
    if not text:
        return 0
    em_mm = size_pt * 0.3528

    def width(word: str) -> float:
        wide = sum(1 for ch in word if unicodedata.east_asian_width(ch) in {"W", "F"})
        return (wide + 0.6 * (len(word) - wide)) * em_mm

    lines, used, space = 1, 0.0, 0.28 * em_mm
    for word in text.split():
        w = width(word)
        if used and used + space + w > width_mm:
            if unicodedata.east_asian_width(word[0]) in {"W", "F"}:
                w -= width_mm - used - space  # CJK text fills the line, then wraps
            lines, used = lines + 1, 0.0
        while w > width_mm:  # a word wider than the column breaks (overflow-wrap)
            lines, w = lines + 1, w - width_mm
        used += (space if used else 0.0) + w
    return lines


def _row_mm(row: Row, t: Translator, langs: Languages) -> float:
    """Estimated height of a schedule row (mm), as print.css lays it out."""
    line = 1.25 * 0.3528  # line height per pt
    place = sum(_text_lines(n.text, *_PLACE_COL) for n in langs.names(row.place)) * 9.5 * line
    notes = [row.note_in(t) if row.note else "", row.restaurant_in(t, local_language=langs.local)]
    what = _text_lines(row.what_in(t) + " must-see" * row.must_see, *_WHAT_COL) * 9.5 * line
    # notes are small spans in the cell: their lines keep the cell's 9.5 pt line height
    what += sum(_text_lines(n, _WHAT_COL[0], _NOTE_PT) for n in notes) * 9.5 * line
    travel = _text_lines(row.travel_text_in(t), *_NEXT_COL) * _NEXT_COL[1] * line
    return max(place, what, travel) + 2.0  # padding and rule


def map_height_mm(rows: list[Row], t: Translator, langs: Languages) -> float:
    """The day map's height (mm) that keeps the schedule and its map on one page.

    The schedule's height is estimated from its text; the map takes the rest of the page,
    within :data:`MAP_HEIGHT_MM`. A day too long for both (:func:`map_fits_beside`) gets the
    largest map, at the top of the next page, after the whole schedule.
    """
    return _map_layout(rows, t, langs)[0]


def map_fits_beside(rows: list[Row], t: Translator, langs: Languages) -> bool:
    """Whether the day's schedule and a map of the smallest height fit on one page."""
    return _map_layout(rows, t, langs)[1]


def _map_layout(rows: list[Row], t: Translator, langs: Languages) -> tuple[float, bool]:
    """``(map height mm, beside the schedule)`` from one estimate of the table's height."""
    low, high = MAP_HEIGHT_MM
    table = sum(_row_mm(row, t, langs) for row in rows) * _ESTIMATE_MARGIN
    room = _PAGE_MM - _DAY_FIXED_MM - table
    return (round(min(high, room), 1), True) if room >= low else (high, False)


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
