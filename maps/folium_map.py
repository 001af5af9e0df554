"""Interactive tour maps: an overview and one map per day, each one self-contained HTML.

Layers (each built by a small module): the vector base map (``_map_basemap``), one toggleable
feature group per day holding its legs (``_map_legs``) and numbered stops (``_map_stops``),
all in the day's colour (the same on the overview and on the day's own map), the legend
(``_map_legend``), the day timeline (``_map_timeline``) and the controls (``_map_controls``).
Leaflet and its plugins are inlined (``_map_assets``), so an offline map opens with no network
at all; ``offline=False`` adds OpenStreetMap tiles as an extra layer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure

from maps._map_assets import OfflineMap
from maps._map_basemap import BaseMapLayer, clip_basemap
from maps._map_controls import Attribution, FitControl, PhoneControls, TileFallback
from maps._map_labels import LabelLayer, label_specs
from maps._map_legend import Legend, legend_html, passing_kinds
from maps._map_legs import LegLayer, leg_specs
from maps._map_nojs import add_static_fallback
from maps._map_popups import PopupFit
from maps._map_stops import Declutter, SlotCounter, StopLayer, stop_specs
from maps._map_style import day_colour, day_label
from maps._map_timeline import Timeline, timeline_html
from maps._names import Languages
from maps._schedule import in_city_time
from maps.day_images import DayMapImages
from maps.i18n import Translator
from maps.map_cache import MapCache
from tours._atomic import staged_outputs
from tours._errors import InputError
from tours.itinerary import OSM_LICENSE_URL, Day, Itinerary, Visit

#: Margin around a map's stops and legs for the base map, in degrees (about 2 km).
BASEMAP_MARGIN_DEG = 0.02
#: Height / width a fitted phone screen shows (390x844 less the buttons), and width / height
#: of a desktop one: the base map is clipped to cover both.
PORTRAIT_RATIO = 3.0
LANDSCAPE_RATIO = 1.6
OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def map_file_names(itinerary: Itinerary) -> list[str]:
    """``overview.html`` then ``day-1.html``, ``day-2.html`` ... in the itinerary's order."""
    return ["overview.html"] + [f"day-{n}.html" for n in range(1, len(itinerary.days) + 1)]


def write_maps(
    itinerary: Itinerary,
    out_dir: Path,
    *,
    basemap: dict[str, Any] | None = None,
    offline: bool = True,
    language: str | None = None,
    day_images: DayMapImages | None = None,
) -> list[Path]:
    """Write the overview map and one map per day into *out_dir*.

    Parameters
    ----------
    itinerary
        The planned visit.
    out_dir
        Output folder (created if needed); files appear only when all are rendered.
    basemap
        GeoJSON from :func:`routing.basemap.load_basemap`, drawn under the route.
    offline
        ``True``: no tile layer, nothing is requested. ``False``: OpenStreetMap tiles are
        added as a layer (the vector base map takes over if they cannot be loaded).
    language
        Language of the map's text; ``None`` takes the delegation's first language.
    day_images
        The day-map images of *itinerary* (shown where scripts do not run); ``None`` draws
        them here. Each day is drawn once for all the maps.

    Returns
    -------
    list of Path
        ``overview.html``, ``day-1.html``, ``day-2.html`` ... inside *out_dir*.
    """
    if not itinerary.days:
        msg = f"itinerary `{itinerary.title}` has no days; there is nothing to map"
        raise InputError(msg)
    names = map_file_names(itinerary)
    cache = MapCache(itinerary, basemap=basemap, offline=offline, language=language)
    pages = cache.read(names)
    if pages is None:
        pages = _render_maps(
            itinerary,
            names,
            basemap=basemap,
            offline=offline,
            language=language,
            day_images=day_images,
        )
        cache.store(pages)
    with staged_outputs(out_dir) as stage:
        for name in names:
            (stage / name).write_bytes(pages[name])
    return [out_dir / name for name in names]


def _render_maps(
    itinerary: Itinerary,
    names: list[str],
    *,
    basemap: dict[str, Any] | None,
    offline: bool,
    language: str | None,
    day_images: DayMapImages | None,
) -> dict[str, bytes]:
    """The HTML of each map of *names* (:func:`map_file_names`), built with Folium."""
    selections: list[Sequence[int] | None] = [None, *([n] for n in range(1, len(names)))]
    images = day_images if day_images is not None else DayMapImages(itinerary, basemap=basemap)
    pages: dict[str, bytes] = {}
    for name, days in zip(names, selections, strict=True):
        fmap = build_map(
            itinerary,
            days=days,
            basemap=basemap,
            offline=offline,
            language=language,
            day_images=images,
        )
        pages[name] = map_html(fmap).encode("utf-8")
    return pages


def map_html(fmap: folium.Map) -> str:
    """The HTML of *fmap*, the same for the same map on every run.

    Folium names its elements (``map_<id>``) with random ids; they are replaced by ids
    numbered in order of appearance, so re-rendering an itinerary gives identical files.
    """
    root = fmap.get_root()
    html = root.render()
    ids: set[str] = set()
    pending: list[Element] = [root]
    while pending:
        element = pending.pop()
        ids.add(element._id)
        pending.extend(element._children.values())
    if not ids:
        return html
    found = re.compile("|".join(sorted(map(re.escape, ids))))
    stable: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        return stable.setdefault(match.group(0), f"{len(stable):032x}")

    return _html_language(found.sub(renumber, html), fmap)


def _html_language(html: str, fmap: folium.Map) -> str:
    """The page's ``<html>`` tag with the map's ``lang`` (Folium writes a bare ``<html>``).

    The page stays left to right (Leaflet lays out its map and controls so); the panels
    and popups carry ``dir="rtl"`` themselves in a right-to-left language.
    """
    lang = getattr(fmap, "tours_lang", "")
    if not lang:
        return html
    return html.replace("<html>", f'<html lang="{escape(lang)}">', 1)


def build_map(
    itinerary: Itinerary,
    *,
    days: Sequence[int] | None = None,
    basemap: dict[str, Any] | None = None,
    offline: bool = True,
    language: str | None = None,
    day_images: DayMapImages | None = None,
) -> folium.Map:
    """One map of the itinerary.

    Parameters
    ----------
    days
        Day numbers (1-based) to show; ``None`` shows all days (the overview).
    basemap, offline, language, day_images
        As for :func:`write_maps`.
    """
    images = day_images if day_images is not None else DayMapImages(itinerary, basemap=basemap)
    langs = Languages.of(itinerary, language=language)
    t = langs.t
    _ = t.gettext
    itinerary = in_city_time(itinerary)
    chosen = _choose_days(itinerary, days)
    overview = days is None
    label = _("Overview") if overview else day_label(chosen[0][0], chosen[0][1].date, t)
    heading = f"{itinerary.title} — {label}"

    fmap = OfflineMap(
        location=_centre(chosen),
        zoom_start=14,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
    )
    fmap.options["max_zoom"] = 19  # folium only passes max_zoom on to its own tile layer
    fmap.tours_lang = t.lang  # type: ignore[attr-defined]  # read by map_html
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.title = escape(heading)

    bounds = _bounds(chosen)
    vector = _add_basemap(fmap, basemap, bounds, langs=langs, offline=offline)
    if not offline:
        tiles = folium.TileLayer(
            tiles=OSM_TILES_URL,
            attr=_attribution_html(itinerary),
            name=escape(_("OpenStreetMap tiles (online)")),
            overlay=True,
            max_zoom=19,
        )
        tiles.add_to(fmap)
        if vector is not None:
            TileFallback(tiles_name=tiles.get_name(), vector_name=vector.get_name()).add_to(fmap)

    slots = SlotCounter()
    with_day = len(chosen) > 1
    for index, day in chosen:
        group = folium.FeatureGroup(name=_layer_name(index, day, t), overlay=True)
        LegLayer(leg_specs(day, langs=langs), day_index=index).add_to(group)
        specs = stop_specs(day, index, slots, with_day=with_day, langs=langs)
        StopLayer(specs, map_name=fmap.get_name()).add_to(group)
        group.add_to(fmap)
    Declutter().add_to(fmap)
    PopupFit().add_to(fmap)

    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    contacts = itinerary.delegation.contacts
    Timeline(timeline_html(label, itinerary.title, chosen, langs=langs, contacts=contacts)).add_to(
        fmap
    )
    modes: set[str] = {leg.mode for _, day in chosen for leg in day.legs}
    kinds = {"base"} | {stop.kind for _, day in chosen for stop in day.stops}
    must = any(isinstance(s, Visit) and s.must_see for _, day in chosen for s in day.stops)
    days_shown = [(index, day_label(index, day.date, t)) for index, day in chosen]
    passing = passing_kinds([day for _, day in chosen])
    legend = legend_html(
        days=days_shown, modes=modes, kinds=kinds, must=must, passing=passing, langs=langs
    )
    Legend(legend).add_to(fmap)
    PhoneControls(t).add_to(fmap)
    Attribution(_attribution_html(itinerary)).add_to(fmap)
    FitControl(
        [[bounds[1], bounds[0]], [bounds[3], bounds[2]]], title=_("Show the whole tour")
    ).add_to(fmap)
    add_static_fallback(fmap, itinerary, chosen, langs=langs, images=images, title=heading)
    return fmap


def _add_basemap(
    fmap: folium.Map,
    basemap: dict[str, Any] | None,
    bounds: tuple[float, float, float, float],
    *,
    langs: Languages,
    offline: bool,
) -> BaseMapLayer | None:
    """The vector base map around *bounds* and, offline, its street and landmark names."""
    if basemap is None:
        return None
    box = _expand(_screen_box(bounds), BASEMAP_MARGIN_DEG)
    clipped = clip_basemap(basemap, box)
    name = escape(langs.t.gettext("Street map (OSM data)"))
    vector = BaseMapLayer(clipped, name=name, show=offline)
    vector.add_to(fmap)
    if offline:
        LabelLayer(label_specs(clipped, langs)).add_to(fmap)
    return vector


def _layer_name(index: int, day: Day, t: Translator) -> str:
    """The day's entry in the layer control: a swatch of its colour, then its label.

    Leaflet shows layer names as HTML, so the label is escaped here.
    """
    fill = day_colour(index)["fill"]
    swatch = f'<span class="tour-swatch" style="--day: {fill}"></span>'
    return f"{swatch}{escape(day_label(index, day.date, t))}"


def _choose_days(itinerary: Itinerary, days: Sequence[int] | None) -> list[tuple[int, Day]]:
    numbered = list(enumerate(itinerary.days, start=1))
    if days is None:
        return numbered
    chosen = []
    for number in days:
        if not 1 <= number <= len(numbered):
            msg = f"`days` must be between 1 and {len(numbered)}, got {number!r}"
            raise InputError(msg)
        chosen.append(numbered[number - 1])
    return chosen


def _points(chosen: Iterable[tuple[int, Day]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for _, day in chosen:
        points += [(p.lat, p.lon) for p in (day.start_place, day.end_place)]
        points += [(stop.place.lat, stop.place.lon) for stop in day.stops]
        for leg in day.legs:
            points += leg.geometry
    return points


def _bounds(chosen: Iterable[tuple[int, Day]]) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of everything the map shows."""
    points = _points(chosen)
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return min(lons), min(lats), max(lons), max(lats)


def _expand(
    bounds: tuple[float, float, float, float], margin: float
) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    return west - margin, south - margin, east + margin, north + margin


def _screen_box(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """*bounds* grown to what a phone (portrait) and a desktop (landscape) show around it.

    The map is fitted to the tour, so a wide tour on an upright phone shows about three times
    its width in height, and a tall one on a desktop about 1.6 times its height in width;
    the base map covers that, so no screen shows the tour floating in an empty box.
    """
    west, south, east, north = bounds
    scale = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * scale, north - south  # in degrees of latitude
    grow_h = max(0.0, PORTRAIT_RATIO * width - height) / 2
    grow_w = max(0.0, LANDSCAPE_RATIO * height - width) / 2 / scale
    return west - grow_w, south - grow_h, east + grow_w, north + grow_h


def _centre(chosen: Iterable[tuple[int, Day]]) -> tuple[float, float]:
    west, south, east, north = _bounds(chosen)
    return (south + north) / 2, (west + east) / 2


def _attribution_html(itinerary: Itinerary) -> str:
    text = escape(itinerary.city.attribution)
    return f'<a href="{OSM_LICENSE_URL}" target="_blank" rel="noopener">{text}</a>'
