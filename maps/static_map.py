"""A static image of one day's route for the printed itinerary (matplotlib, Agg).

Draws the legs along their street geometry, numbered stops (the numbers of the printed
schedule), optionally a vector base map (GeoJSON from :func:`routing.basemap.load_basemap`),
a scale bar and the OpenStreetMap attribution on the image itself.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageFont

from maps._names import Languages
from maps._png import palette_png
from maps._schedule import WAYPOINT_LABEL, city_tz, day_rows
from tours.itinerary import Itinerary
from tours.modes import MODES

#: Line style of each leg mode (the print's key shows the same).
MODE_STYLE: dict[str, dict[str, Any]] = {mode.id: mode.print_style for mode in MODES.values()}
STREET_COLOUR = "#8a8a8a"
#: Label fonts: Noto Sans CJK covers Latin, Chinese and Japanese names.
LABEL_FONTS = ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]
#: Labels tried per map (the best ranked first); the rest would not fit anyway.
LABEL_TRIES = 400
_STREET_WIDTH = {"motorway": 1.6, "trunk": 1.5, "primary": 1.3, "secondary": 1.1, "tertiary": 0.9}
_M_PER_DEG = 111_320.0


def render_day_map(
    itinerary: Itinerary,
    day_index: int,
    *,
    basemap: dict[str, Any] | None = None,
    width_cm: float = 17.0,
    height_cm: float = 11.0,
    dpi: int = 200,
) -> bytes:
    """PNG bytes of the route of ``itinerary.days[day_index]``.

    Parameters
    ----------
    basemap
        GeoJSON FeatureCollection (lon/lat) with ``layer`` in {"street", "water", "park"};
        ``None`` draws the route on a plain background.
    """
    day = itinerary.days[day_index]
    rows = day_rows(day, city_tz(itinerary))
    route_pts = [pt for leg in day.legs for pt in leg.geometry]
    stop_pts = [(row.place.lat, row.place.lon) for row in rows]
    lats = [p[0] for p in route_pts + stop_pts]
    lons = [p[1] for p in route_pts + stop_pts]

    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_facecolor("#f7f5f0")
    fig.patch.set_facecolor("#f7f5f0")

    west, south, east, north = _extent(lats, lons, width_cm / height_cm)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    if basemap:
        _draw_basemap(ax, basemap, (west, south, east, north))
        language = Languages.of(itinerary).ui
        _draw_labels(ax, fig, basemap, (west, south, east, north), language, avoid=stop_pts)

    for leg in day.legs:
        if len(leg.geometry) < 2:
            continue
        style = MODE_STYLE.get(leg.mode, MODE_STYLE["coach"])
        xs, ys = [p[1] for p in leg.geometry], [p[0] for p in leg.geometry]
        ax.plot(
            xs,
            ys,
            color="white",
            linewidth=float(style["linewidth"]) + 2.2,
            zorder=4,
            solid_capstyle="round",
            solid_joinstyle="round",
        )
        ax.plot(xs, ys, zorder=5, solid_capstyle="round", solid_joinstyle="round", **style)

    _draw_stops(ax, rows)
    _draw_scale_bar(ax, (west, south, east, north))
    ax.text(
        0.995,
        0.008,
        itinerary.city.attribution,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6.5,
        color="#333333",
        zorder=20,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
    )
    # raw pixels, not a PNG to decode again: the palette PNG below is the only encoding
    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=dpi)
    width, height = fig.canvas.get_width_height(physical=True)
    return palette_png(Image.frombuffer("RGBA", (width, height), buffer.getvalue()))


def _extent(
    lats: Sequence[float], lons: Sequence[float], aspect: float
) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the points, padded and stretched to *aspect*."""
    south, north = min(lats), max(lats)
    west, east = min(lons), max(lons)
    mid_lat = (south + north) / 2
    kx = math.cos(math.radians(mid_lat))
    width_m = max((east - west) * kx * _M_PER_DEG, 300.0) * 1.18
    height_m = max((north - south) * _M_PER_DEG, 300.0) * 1.18
    if width_m / height_m < aspect:
        width_m = height_m * aspect
    else:
        height_m = width_m / aspect
    cx, cy = (west + east) / 2, mid_lat
    half_w = width_m / 2 / (kx * _M_PER_DEG)
    half_h = height_m / 2 / _M_PER_DEG
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _rings(geometry: dict[str, Any]) -> Iterable[tuple[str, list[list[float]]]]:
    """(``"line"`` | ``"polygon"``, coordinates) for each part of a GeoJSON geometry."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "LineString":
        yield "line", coords
    elif kind == "MultiLineString":
        for part in coords:
            yield "line", part
    elif kind == "Polygon" and coords:
        yield "polygon", coords[0]
    elif kind == "MultiPolygon":
        for poly in coords:
            if poly:
                yield "polygon", poly[0]


def _touches(coords: list[list[float]], bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return (
        bool(xs) and min(xs) <= east and max(xs) >= west and min(ys) <= north and (max(ys) >= south)
    )


def _draw_basemap(
    ax: Any, basemap: dict[str, Any], bbox: tuple[float, float, float, float]
) -> None:
    """Parks and water as fills, streets as grey lines (only what touches *bbox*)."""
    polys: dict[str, list[list[list[float]]]] = {"park": [], "water": []}
    streets: list[list[list[float]]] = []
    waters: list[list[list[float]]] = []
    widths: list[float] = []
    for feature in basemap.get("features", []):
        props = feature.get("properties") or {}
        layer = props.get("layer")
        for kind, coords in _rings(feature.get("geometry") or {}):
            if len(coords) < 2 or not _touches(coords, bbox):
                continue
            if kind == "polygon" and layer in polys:
                polys[layer].append(coords)
            elif kind == "line" and layer == "street":
                streets.append(coords)
                widths.append(_STREET_WIDTH.get(str(props.get("class", "")), 0.6))
            elif kind == "line" and layer == "water":
                waters.append(coords)
    ax.add_collection(
        PolyCollection(polys["park"], facecolors="#d4ebc7", edgecolors="none", zorder=1)
    )
    ax.add_collection(
        PolyCollection(polys["water"], facecolors="#b5d3ea", edgecolors="none", zorder=2)
    )
    ax.add_collection(LineCollection(waters, colors="#9cc4e4", linewidths=1.2, zorder=2))
    # a mid grey: at least 3:1 against the background, like the interactive map's streets
    ax.add_collection(
        LineCollection(streets, colors=STREET_COLOUR, linewidths=widths, zorder=3, capstyle="round")
    )


def _draw_labels(
    ax: Any,
    fig: Any,
    basemap: dict[str, Any],
    bbox: tuple[float, float, float, float],
    language: str,
    *,
    avoid: Sequence[tuple[float, float]] = (),
) -> int:
    """Street and landmark names, the same as the interactive map's, without overlaps.

    Labels are tried landmarks first, then streets from the major classes down; one whose
    box would overlap a label already placed, or leave the map, is dropped. Returns how
    many were placed.
    """
    west, south, east, north = bbox
    labels = []
    for feature in basemap.get("features", []):
        props = feature.get("properties") or {}
        if props.get("layer") != "label":
            continue
        lon, lat = feature["geometry"]["coordinates"]
        if not (west <= lon <= east and south <= lat <= north):
            continue
        names = props.get("names") or {}
        text = names.get(language) or names.get("", "")
        if text:
            landmark = props.get("kind") == "landmark"
            labels.append((not landmark, props.get("rank", 99), lon, lat, text, props))
    labels.sort(key=lambda item: (item[0], item[1]))
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    # stop markers (*avoid*, lat/lon), the scale bar and the attribution keep clear
    pad = 14 * fig.dpi / 72
    placed: list[tuple[float, float, float, float]] = [
        (x - pad, y - pad, x + pad, y + pad)
        for x, y in (ax.transData.transform((lon, lat)) for lat, lon in avoid)
    ]
    strip = frame.y0 + frame.height * 0.07
    placed.append((frame.x0, frame.y0, frame.x0 + frame.width * 0.22, strip))
    placed.append((frame.x1 - frame.width * 0.32, frame.y0, frame.x1, strip))
    left, bottom, right, top = frame.extents
    measure = _LabelMeasure(fig.dpi)
    for street, _rank, lon, lat, text, props in labels[:LABEL_TRIES]:
        angle = float(props.get("angle", 0)) if street else 0.0
        size, weight = (6.5, "normal") if street else (7.0, "bold")
        # the box is measured before an artist exists: most tries do not fit, and a
        # Matplotlib text costs a layout on creation and another on measuring
        x, y = (float(v) for v in ax.transData.transform((lon, lat)))
        width, height = measure.size(text, size, weight)
        x0, y0, x1, y1 = _rotated_box(x, y, width, height, angle, grow=(1.08, 1.15))
        inside = left <= x0 and x1 <= right and bottom <= y0 and y1 <= top
        if not inside or any(
            x0 < ox1 and ox0 < x1 and y0 < oy1 and oy0 < y1 for ox0, oy0, ox1, oy1 in placed
        ):
            continue
        ax.text(
            lon,
            lat,
            text,
            rotation=angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            fontsize=size,
            fontweight=weight,
            color="#2b2b2b" if street else "#5b3a1a",
            family=LABEL_FONTS,
            zorder=3.5,
            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")],
        )
        placed.append((x0, y0, x1, y1))
    return len(placed)


class _LabelMeasure:
    """Pixel sizes of label texts in the font Matplotlib draws them with (FreeType via Pillow).

    About ten times faster than a Matplotlib text's own extent, and within a pixel of it.
    """

    def __init__(self, dpi: float) -> None:
        self._dpi = dpi
        self._fonts: dict[tuple[float, str], tuple[ImageFont.FreeTypeFont, float]] = {}

    def size(self, text: str, points: float, weight: str) -> tuple[float, float]:
        """``(width, height)`` in pixels of one line of *text*, as Matplotlib lays it out."""
        font, line_height = self._font(points, weight)
        return font.getlength(text), line_height

    def _font(self, points: float, weight: str) -> tuple[ImageFont.FreeTypeFont, float]:
        key = (points, weight)
        if key not in self._fonts:
            path = findfont(FontProperties(family=LABEL_FONTS, weight=weight, size=points))
            pixels = points * self._dpi / 72
            font = ImageFont.truetype(str(path), pixels, index=getattr(path, "face_index", 0))
            # Matplotlib's line box: the font's em (typographic ascent + descent), a little
            # more where accents or descenders reach beyond it
            self._fonts[key] = (font, pixels * 1.05)
        return self._fonts[key]


def _rotated_box(
    x: float,
    y: float,
    width: float,
    height: float,
    angle: float,
    *,
    grow: tuple[float, float] = (1.0, 1.0),
) -> tuple[float, float, float, float]:
    """``(x0, y0, x1, y1)``: the axis-aligned box of a *width* x *height* rectangle centred
    on (x, y), turned by *angle* degrees about its centre (a centred, anchor-rotated text),
    then grown by the factors *grow* about its centre."""
    turn = math.radians(angle)
    cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
    half_w = (width * cos + height * sin) / 2 * grow[0]
    half_h = (width * sin + height * cos) / 2 * grow[1]
    return x - half_w, y - half_h, x + half_w, y + half_h


def _draw_stops(ax: Any, rows: list[Any]) -> None:
    """Numbered circles; stops at the same place share one marker (``2,3``)."""
    labels: dict[str, list[str]] = {}
    where: dict[str, tuple[float, float]] = {}
    for row in rows:
        labels.setdefault(row.place.id, [])
        if row.label not in labels[row.place.id]:
            labels[row.place.id].append(row.label)
        where[row.place.id] = (row.place.lat, row.place.lon)
    for place_id, marks in labels.items():
        lat, lon = where[place_id]
        ends = all(mark in {"S", "E", WAYPOINT_LABEL} for mark in marks)
        text = "S/E" if sorted(marks) == ["E", "S"] else ",".join(marks)
        ax.annotate(
            text,
            (lon, lat),
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold",
            color="white",
            zorder=10,
            bbox={
                "boxstyle": "square,pad=0.3" if ends else "circle,pad=0.3",
                "facecolor": "#263238" if ends else "#0d47a1",
                "edgecolor": "white",
                "linewidth": 1.0,
            },
        )


def _draw_scale_bar(ax: Any, bbox: tuple[float, float, float, float]) -> None:
    """A round-number scale bar in the lower left corner."""
    west, south, east, north = bbox
    kx = math.cos(math.radians((south + north) / 2)) * _M_PER_DEG
    target = (east - west) * kx / 5
    length = max(
        s for s in (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000) if s <= max(target, 50)
    )
    x0 = west + (east - west) * 0.02
    y0 = south + (north - south) * 0.04
    ax.plot(
        [x0, x0 + length / kx],
        [y0, y0],
        color="#222222",
        linewidth=2.5,
        zorder=15,
        solid_capstyle="butt",
    )
    label = f"{length // 1000} km" if length >= 1000 and length % 1000 == 0 else f"{length} m"
    ax.text(
        x0 + length / kx / 2,
        y0 + (north - south) * 0.015,
        label,
        ha="center",
        va="bottom",
        fontsize=6.5,
        color="#222222",
        zorder=15,
    )
