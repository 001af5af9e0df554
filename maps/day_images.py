"""The day-map images of one itinerary, drawn once and shared by every output that shows them.

The print (PDF and HTML) shows each day's route at :data:`PRINT_DPI`; the maps' no-script
block shows the same image smaller. :class:`DayMapImages` draws a day once, at the print
resolution, and scales it down for smaller ones (a scaled image looks the same: label sizes
and positions are set in points). Images are cached on disk, content-addressed by the day,
the base map, the language, the size, the library versions and the drawing code itself, so
a run that plans the same day again (or a re-plan that changes another day) does not draw it.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from maps._cache_keys import basemap_digest, cache_folder, content_key, rendering_facts
from maps._names import Languages
from maps._png import palette_png
from routing._cache import keep_newest, mark_used, write_atomic
from tours.itinerary import Itinerary

#: Resolution of the printed day maps.
PRINT_DPI = 200
#: Bump when a day map is drawn differently for the same input (invalidates cached images).
DAY_MAP_FORMAT = 1
#: The cache folder's name under the cache root.
CACHE_FOLDER = "day-maps"
#: Images kept (the newest drawn or read): a few hundred kB each, two per day of a plan.
KEEP_FILES = 400


class DayMapImages:
    """PNG images of the days of *itinerary*, each drawn on first use.

    Parameters
    ----------
    basemap
        GeoJSON base map drawn under the routes (``None``: a plain background).
    cache_dir
        Cache root; ``None`` uses ``$TOURS_CACHE_DIR`` or the user cache folder; ``False``
        keeps images in memory only.
    report
        Called with a short step name before a day is drawn (progress display).
    """

    def __init__(
        self,
        itinerary: Itinerary,
        *,
        basemap: dict[str, Any] | None = None,
        cache_dir: Path | bool | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self._itinerary = itinerary
        self._basemap = basemap
        self._report = report
        self._images: dict[tuple[int, int], bytes] = {}
        self._folder = cache_folder(cache_dir, CACHE_FOLDER)
        self._basemap_digest: str | None = None

    def png(self, day_index: int, *, dpi: int = PRINT_DPI) -> bytes:
        """The image of ``itinerary.days[day_index]`` at *dpi* (at most :data:`PRINT_DPI`)."""
        key = (day_index, dpi)
        if key not in self._images:
            self._images[key] = self._cached(day_index, dpi) or self._draw(day_index, dpi)
        return self._images[key]

    def print_pngs(self) -> list[bytes | None]:
        """One print-resolution image per day, in order."""
        return [self.png(index) for index in range(len(self._itinerary.days))]

    def _draw(self, day_index: int, dpi: int) -> bytes:
        if dpi < PRINT_DPI:
            png = _scaled(self.png(day_index), dpi / PRINT_DPI)
        else:
            if self._report is not None:
                self._report(f"day map {day_index + 1}/{len(self._itinerary.days)}")
            # Matplotlib loads only when a day is drawn, not when every image is cached
            from maps.static_map import render_day_map  # noqa: PLC0415

            png = render_day_map(self._itinerary, day_index, basemap=self._basemap, dpi=dpi)
        path = self._path(day_index, dpi)
        if path is not None:
            with contextlib.suppress(OSError):  # a read-only cache must not stop the print
                write_atomic(path, png)
            keep_newest(path.parent, KEEP_FILES)
        return png

    def _cached(self, day_index: int, dpi: int) -> bytes | None:
        path = self._path(day_index, dpi)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            return None
        mark_used(path)
        return data

    def _path(self, day_index: int, dpi: int) -> Path | None:
        """The cache file of one image: a hash of everything the drawing reads."""
        if self._folder is None:
            return None
        if self._basemap_digest is None:
            self._basemap_digest = basemap_digest(self._basemap)
        it = self._itinerary
        facts = {
            "format": DAY_MAP_FORMAT,
            **rendering_facts("matplotlib", "pillow"),
            "dpi": dpi,
            "day": it.days[day_index].model_dump(mode="json"),
            "timezone": it.city.timezone,
            "attribution": it.city.attribution,
            "language": Languages.of(it).ui,
            "basemap": self._basemap_digest,
        }
        return self._folder / f"{content_key(facts)}.png"


def _scaled(png: bytes, factor: float) -> bytes:
    """*png* scaled by *factor* (Lanczos), with the print images' 128-colour palette."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    size = (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor)))
    return palette_png(rgb.resize(size, Image.Resampling.LANCZOS))
