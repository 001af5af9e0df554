"""Colours, shapes and text formats shared by the map layers, and the escaping HTML templates.

Everything a popup, the legend or the timeline shows is rendered by Jinja templates in
``maps/templates`` with autoescaping on: names and notes from OSM or request files arrive as
text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from maps._clock import clock
from maps.i18n import N_, Translator, environment, translator
from tours.itinerary import Appointment, Meal, Stop, Visit
from tours.modes import MODES

if TYPE_CHECKING:
    from maps._names import Languages

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
#: Travel modes as legends and tooltips name them: the labels of ``tours.modes`` are English
#: message ids, translated when shown (listed for extraction in :data:`MODE_MESSAGES`).
MODE_LABELS = {mode.id: mode.label for mode in MODES.values()}
MODE_MESSAGES = (N_("Walk"), N_("Coach"))

#: Stop kinds as they are named in legends and popups (message ids: translate when shown).
KIND_LABELS = {
    "visit": N_("Visit"),
    "appointment": N_("Appointment"),
    "meal": N_("Meal"),
    "base": N_("Hotel / start"),
}

#: Base map styles: by ``class`` first, then by ``layer``. Major roads are pale, so the
#: vermillion and orange day routes stand out from them.
#: Base map styles by layer and class. Every street class contrasts at least 3:1 with the
#: background (WCAG non-text contrast; tests/test_basemap_labels.py checks it).
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    "water": {"color": "#9cc4e4", "fillColor": "#b5d6f0", "fillOpacity": 1, "weight": 2},
    "park": {"color": "#c3e2b4", "fillColor": "#d5ecc9", "fillOpacity": 1, "weight": 0.5},
    "street": {"color": "#888888", "weight": 1.5},
    "motorway": {"color": "#b8572a", "weight": 5},
    "trunk": {"color": "#b5652a", "weight": 4.5},
    "primary": {"color": "#a16a16", "weight": 4},
    "secondary": {"color": "#817a2a", "weight": 3.5},
    "tertiary": {"color": "#7d7d7d", "weight": 3},
    "residential": {"color": "#888888", "weight": 2},
    "unclassified": {"color": "#888888", "weight": 2},
    "living_street": {"color": "#888888", "weight": 2},
    "pedestrian": {"color": "#7e6f99", "weight": 2.5},
    "service": {"color": "#888888", "weight": 1},
    "footway": {"color": "#b04a3a", "weight": 1, "dashArray": "2 3"},
    "path": {"color": "#b04a3a", "weight": 1, "dashArray": "2 3"},
    "steps": {"color": "#b04a3a", "weight": 1.5, "dashArray": "1 2"},
    "cycleway": {"color": "#4a5cb8", "weight": 1, "dashArray": "2 3"},
    "track": {"color": "#83683a", "weight": 1, "dashArray": "3 3"},
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


def stop_title(stop: Stop, langs: Languages | None = None) -> str:
    """What the stop is called: the place for a visit, the event title otherwise.

    A visit is named in the delegation's language of *langs* (English without it).
    """
    if isinstance(stop, Visit):
        return langs.primary(stop.place).text if langs else stop.place.name_en
    if isinstance(stop, Appointment | Meal):
        return stop.title
    return stop.place.name_en  # pragma: no cover - the union is exhaustive


def hhmm(moment: dt.datetime) -> str:
    """``09:05`` (local time of the itinerary), rounded as every output shows it."""
    return clock(moment).strftime("%H:%M")


def span(minutes: float, t: Translator | None = None) -> str:
    """``45 min``, ``1 h``, ``1 h 30 min`` (in the language of *t*, English without it)."""
    return (t or translator("en")).duration(minutes)


def distance(metres: float, t: Translator | None = None) -> str:
    """``850 m`` or ``1.5 km`` (in the language of *t*, English without it)."""
    return (t or translator("en")).distance(metres)


def day_label(index: int, date: dt.date, t: Translator | None = None) -> str:
    """``Day 1 · Fri, Mar 21``; ``Tag 1 · Fr., 21. März`` in German."""
    t = t or translator("en")
    return t.gettext("Day %(num)s · %(date)s") % {"num": index, "date": t.date_short(date)}


def day_colour(index: int) -> dict[str, str]:
    """``{"fill", "ink", "name"}`` of day *index* (1-based): fill for its lines and markers."""
    return DAY_PALETTE[(index - 1) % len(DAY_PALETTE)]


def stop_label(number: int | str, day_index: int, *, with_day: bool) -> str:
    """A marker's text: ``3``, or ``2·3`` (day 2, stop 3) on a map of several days."""
    return f"{day_index}\N{MIDDLE DOT}{number}" if with_day else str(number)


def render_html(template: str, lang: str = "en", **context: Any) -> str:
    """Render ``maps/templates/<template>`` in *lang* with autoescaping; an HTML fragment."""
    return environment(lang).get_template(template).render(**context).strip()
