"""Colours, shapes and text formats shared by the map layers, and the escaping HTML templates.

Everything a popup, the legend or the timeline shows is rendered by Jinja templates in
``maps/templates`` with autoescaping on: names and notes from OSM or request files arrive as
text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import jinja2

from tours.itinerary import Appointment, Meal, Stop, Visit

#: Leg line styles by travel mode (Leaflet path options).
MODE_STYLES: dict[str, dict[str, Any]] = {
    "walk": {
        "color": "#2e7d32",
        "weight": 5,
        "opacity": 0.9,
        "dashArray": "1 9",
        "lineCap": "round",
    },
    "coach": {"color": "#1565c0", "weight": 5, "opacity": 0.85, "lineCap": "round"},
}
MODE_LABELS = {"walk": "Walk", "coach": "Coach"}

#: Stop kinds as they are named in legends and popups.
KIND_LABELS = {
    "visit": "Visit",
    "appointment": "Appointment",
    "meal": "Meal",
    "base": "Hotel / start",
}

#: Base map styles: by ``class`` first, then by ``layer``.
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    "water": {"color": "#9cc4e4", "fillColor": "#b5d6f0", "fillOpacity": 1, "weight": 2},
    "park": {"color": "#c3e2b4", "fillColor": "#d5ecc9", "fillOpacity": 1, "weight": 0.5},
    "street": {"color": "#ffffff", "weight": 1.5},
    "motorway": {"color": "#f2a97f", "weight": 5},
    "trunk": {"color": "#f7c28f", "weight": 4.5},
    "primary": {"color": "#fcd68a", "weight": 4},
    "secondary": {"color": "#f6f0a8", "weight": 3.5},
    "tertiary": {"color": "#ffffff", "weight": 3},
    "residential": {"color": "#ffffff", "weight": 2},
    "unclassified": {"color": "#ffffff", "weight": 2},
    "living_street": {"color": "#ffffff", "weight": 2},
    "pedestrian": {"color": "#ece8f2", "weight": 2.5},
    "service": {"color": "#ffffff", "weight": 1},
    "footway": {"color": "#e59a8c", "weight": 1, "dashArray": "2 3"},
    "path": {"color": "#e59a8c", "weight": 1, "dashArray": "2 3"},
    "steps": {"color": "#e59a8c", "weight": 1.5, "dashArray": "1 2"},
    "cycleway": {"color": "#8c9be5", "weight": 1, "dashArray": "2 3"},
    "track": {"color": "#b59a6b", "weight": 1, "dashArray": "3 3"},
    "river": {"color": "#9cc4e4", "weight": 6},
    "canal": {"color": "#9cc4e4", "weight": 4},
    "stream": {"color": "#9cc4e4", "weight": 2},
    "drain": {"color": "#9cc4e4", "weight": 1.5},
    "ditch": {"color": "#9cc4e4", "weight": 1},
}
BASEMAP_BACKGROUND = "#f2efe9"


def stop_kind(stop: Stop) -> str:
    """``visit``, ``appointment`` or ``meal``."""
    return stop.kind


def stop_title(stop: Stop) -> str:
    """What the stop is called: the place for a visit, the event title otherwise."""
    if isinstance(stop, Visit):
        return stop.place.name_en
    if isinstance(stop, Appointment | Meal):
        return stop.title
    return stop.place.name_en  # pragma: no cover - the union is exhaustive


def hhmm(moment: dt.datetime) -> str:
    """``09:05`` (local time of the itinerary)."""
    return moment.strftime("%H:%M")


def span(minutes: float) -> str:
    """``45 min``, ``1 h``, ``1 h 30 min``."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def distance(metres: float) -> str:
    """``850 m`` or ``1.5 km``."""
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"


def day_label(index: int, date: dt.date) -> str:
    """``Day 1 · Fri 21 Mar``."""
    return f"Day {index} · {date.strftime('%a')} {date.day} {date.strftime('%b')}"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("maps", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(hhmm=hhmm, span=span, distance=distance)
    return env


def render_html(template: str, **context: Any) -> str:
    """Render ``maps/templates/<template>`` with autoescaping; returns an HTML fragment."""
    return _environment().get_template(template).render(**context).strip()
