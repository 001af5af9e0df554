"""The map without JavaScript: a static route image and the numbered schedule.

Where scripts do not run (an iPhone's Quick Look preview of a mail attachment, a locked-down
mail client), the interactive map is an empty box. :func:`add_static_fallback` puts a
block in the page with each day's route (the printed day map, scaled down, as an
inline PNG) and its stops, numbered as on the map, with times, names and addresses. A line
of script in the page head marks the document (``html.tour-js``) before anything is drawn,
so where scripts run the block is hidden and the interactive map shows; where they do not,
the map's box is hidden and the block shows.
"""

from __future__ import annotations

import base64

import folium
from branca.element import Element

from maps._contacts import contact_lines
from maps._map_style import day_label, render_html
from maps._names import Languages
from maps._schedule import address_in, city_tz, day_rows
from maps.day_images import DayMapImages
from tours.itinerary import Day, Itinerary

#: Resolution of the fallback route images (about 750 px wide: a phone screen, ~60 kB).
NOJS_DPI = 110

_MARK_SCRIPT = "<script>document.documentElement.classList.add('tour-js');</script>"
_STYLE = """<style>
html.tour-js .tour-nojs { display: none; }
html:not(.tour-js) .folium-map { display: none; }
.tour-nojs { max-width: 760px; margin: 0 auto; padding: 12px; font: 15px/1.4 system-ui,
  -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #111; }
.tour-nojs h1 { font-size: 20px; margin: 4px 0 8px; }
.tour-nojs h2 { font-size: 17px; margin: 16px 0 6px; }
.tour-nojs img { display: block; width: 100%; height: auto; border: 1px solid #999; }
.tour-nojs-note { color: #444; font-size: 14px; }
.tour-nojs-rows { list-style: none; padding: 0; margin: 8px 0; }
.tour-nojs-rows li { padding: 6px 0; border-bottom: 1px solid #ddd; }
.tour-nojs-n { display: inline-block; min-width: 24px; text-align: center; color: #fff;
  background: #263238; border-radius: 12px; }
.tour-nojs-name, .tour-nojs-what, .tour-nojs-address { display: block; margin-left: 30px; }
.tour-nojs-name:first-of-type { font-weight: 700; }
.tour-nojs-address { color: #444; }
.tour-nojs-attribution { font-size: 12px; color: #555; }
</style>"""


def add_static_fallback(
    fmap: folium.Map,
    itinerary: Itinerary,
    chosen: list[tuple[int, Day]],
    *,
    langs: Languages,
    images: DayMapImages,
    title: str,
) -> None:
    """Add the no-script block for the days *chosen* (``(number, day)``) to *fmap*'s page."""
    root = fmap.get_root()
    root.header.add_child(Element(_MARK_SCRIPT + _STYLE), name="tour_nojs_head")  # type: ignore[attr-defined]
    html = fallback_html(itinerary, chosen, langs=langs, images=images, title=title)
    root.html.add_child(Element(html), name="tour_nojs_body")  # type: ignore[attr-defined]


def fallback_html(
    itinerary: Itinerary,
    chosen: list[tuple[int, Day]],
    *,
    langs: Languages,
    images: DayMapImages,
    title: str,
) -> str:
    """The block's HTML: per day a heading, the route image and the numbered stops."""
    t = langs.t
    tz = city_tz(itinerary)
    days = []
    for number, day in chosen:
        png = images.png(number - 1, dpi=NOJS_DPI)
        rows = []
        for row in day_rows(day, tz):
            time = t.time(row.start)
            if row.end is not None and row.minutes:
                time = t.time_span(row.start, row.end)
            rows.append(
                {
                    "label": row.label,
                    "time": time,
                    "names": langs.names(row.place),
                    "what": row.what_in(t),
                    "address": address_in(row.place, t),
                }
            )
        days.append(
            {
                "number": number,
                "label": day_label(number, day.date, t),
                "image": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                "rows": rows,
            }
        )
    return render_html(
        "map_nojs.html.j2",
        langs.key,
        title=title,
        days=days,
        contacts=contact_lines(list(itinerary.delegation.contacts)),
        attribution=itinerary.city.attribution,
    )
