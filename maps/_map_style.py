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
from tours.modes import MODES

#: Day colours, in day order (repeating after the last): the Okabe–Ito palette, which stays
#: distinguishable with the common colour-vision deficiencies, without its yellow (unreadable
#: on the light base map) and black (the hotel markers' colour). ``ink`` is the label colour
#: that reads on the fill.
DAY_PALETTE: tuple[dict[str, str], ...] = (
    {"fill": "#0072b2", "ink": "#ffffff", "name": "blue"},
    {"fill": "#d55e00", "ink": "#ffffff", "name": "vermillion"},
    {"fill": "#009e73", "ink": "#ffffff", "name": "bluish green"},
    {"fill": "#cc79a7", "ink": "#1a1a1a", "name": "reddish purple"},
    {"fill": "#e69f00", "ink": "#1a1a1a", "name": "orange"},
    {"fill": "#56b4e9", "ink": "#1a1a1a", "name": "sky blue"},
)
#: Colour of kinds and modes in a legend that covers several days.
NEUTRAL = {"fill": "#5f6b73", "ink": "#ffffff", "name": "grey"}

#: Leg line styles by travel mode (Leaflet path options). The colour is the day's; the mode
#: shows in the line's pattern (dotted walk, solid coach), so it never rests on colour alone.
MODE_STYLES: dict[str, dict[str, Any]] = {mode.id: mode.map_style for mode in MODES.values()}
#: White casing drawn under every leg, so a route reads on any base map colour.
CASING_STYLE: dict[str, Any] = {"color": "#ffffff", "weight": 8, "opacity": 0.75}
MODE_LABELS = {mode.id: mode.label for mode in MODES.values()}

#: Stop kinds as they are named in legends and popups.
KIND_LABELS = {
    "visit": "Visit",
    "appointment": "Appointment",
    "meal": "Meal",
    "base": "Hotel / start",
}

#: Base map styles: by ``class`` first, then by ``layer``. Major roads are pale, so the
#: vermillion and orange day routes stand out from them.
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    "water": {"color": "#9cc4e4", "fillColor": "#b5d6f0", "fillOpacity": 1, "weight": 2},
    "park": {"color": "#c3e2b4", "fillColor": "#d5ecc9", "fillOpacity": 1, "weight": 0.5},
    "street": {"color": "#ffffff", "weight": 1.5},
    "motorway": {"color": "#f0c4a8", "weight": 5},
    "trunk": {"color": "#f6d5b4", "weight": 4.5},
    "primary": {"color": "#f9e3b4", "weight": 4},
    "secondary": {"color": "#f5f1c6", "weight": 3.5},
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


def day_colour(index: int) -> dict[str, str]:
    """``{"fill", "ink", "name"}`` of day *index* (1-based): fill for its lines and markers."""
    return DAY_PALETTE[(index - 1) % len(DAY_PALETTE)]


def stop_label(number: int | str, day_index: int, *, with_day: bool) -> str:
    """A marker's text: ``3``, or ``2·3`` (day 2, stop 3) on a map of several days."""
    return f"{day_index}\N{MIDDLE DOT}{number}" if with_day else str(number)


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
