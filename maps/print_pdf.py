"""The printed itinerary: one Jinja2 HTML template, rendered to A4 PDF with WeasyPrint.

The same HTML (with the day maps embedded as data URIs) is also written as a print-friendly
``itinerary.html``. Autoescaping is on: names and notes come from OSM and request files.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from maps._contacts import contact_lines
from maps._schedule import (
    PASSING_KINDS,
    Row,
    city_tz,
    clock,
    day_places,
    day_rows,
    km,
    place_facts,
)
from tours.itinerary import Itinerary, PlaceRef

DASH = "\u2013"  # en dash between times and dates

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("maps", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_print_html(
    itinerary: Itinerary, *, map_pngs: Sequence[bytes | None] = (), for_pdf: bool = False
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
    """
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
                "date": day.date.strftime("%a %d %b %Y"),
                "span": f"{clock(day.start.astimezone(tz)):%H:%M}{DASH}"
                f"{clock(day.end.astimezone(tz)):%H:%M}",
                "stop_count": sum(1 for row in rows if row.kind not in PASSING_KINDS),
                "passes": any(row.kind == "waypoint" for row in rows),
                "walk": km(walk) if walk else DASH,
                "coach": km(coach) if coach else DASH,
                "rows": rows,
                "map_uri": _data_uri(png) if png else "",
                "notes": _day_notes(rows),
            }
        )
    template = _ENV.get_template("print.html.j2")
    return template.render(
        it=itinerary,
        days=days,
        dates=_dates(itinerary),
        contacts=contact_lines(itinerary.delegation.contacts),
        for_pdf=for_pdf,
    )


def html_to_pdf(html: str) -> bytes:
    """A4 PDF bytes of *html*; only ``data:`` URLs are fetched (offline, no file access)."""
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher, media_type="print").write_pdf()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _dates(itinerary: Itinerary) -> str:
    if not itinerary.days:
        return ""
    first, last = itinerary.days[0].date, itinerary.days[-1].date
    if first == last:
        return first.strftime("%a %d %b %Y")
    return f"{first:%a %d %b %Y} {DASH} {last:%a %d %b %Y}"


def _day_notes(rows: list[Row]) -> list[tuple[PlaceRef, list[tuple[str, str]]]]:
    """Per place of the day: address, tickets, entrance, accessibility, notes, hours."""
    notes: list[tuple[PlaceRef, list[tuple[str, str]]]] = []
    for place in day_places(rows):
        lines = place_facts(place)
        if place.opening_hours:
            lines.append(("Opening hours", place.opening_hours))
        if lines:
            notes.append((place, lines))
    return notes
