"""The interactive maps, cached by content: the same itinerary and options give the same HTML.

Folium assembles each map from thousands of elements (legs, stops, labels, the base map);
for the demo's overview and two day maps that takes about half a second, every run. The
files are byte-identical for the same inputs (:func:`maps.folium_map.map_html` numbers
Folium's element ids), so :func:`cached_maps` keys a cache entry on all the inputs: the
itinerary, the base map, the language and ``offline`` options, the versions of Folium, Branca,
Jinja2, Matplotlib and Pillow (the no-script images), Babel and the time-zone data, the
installed fonts and every file of the rendering code (:func:`maps._cache_keys.code_digest`).
A re-run of an unchanged plan reads the files; any change is another key. Entries are
written atomically (one file per map, read back only when all of them are there); the
newest :data:`KEEP_FILES` are kept, and ``tours network clear-cache`` removes them all.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from maps._cache_keys import basemap_digest, cache_folder, content_key, rendering_facts
from routing._cache import keep_newest, mark_used, write_atomic
from tours.itinerary import Itinerary

#: The cache folder's name under the cache root.
CACHE_FOLDER = "map-pages"
#: Bump when the same inputs render different maps (invalidates cached maps).
MAP_CACHE_FORMAT = 1
#: Files kept (the newest written or read): about 1 MB each, three for a two-day plan.
KEEP_FILES = 90
#: The libraries whose output the maps contain.
_LIBRARIES = ("folium", "branca", "jinja2", "matplotlib", "pillow")


class MapCache:
    """The cache entry of one set of maps (overview and days) of one itinerary.

    Parameters
    ----------
    cache_dir
        Cache root; ``None`` uses ``$TOURS_CACHE_DIR`` or the user cache folder; ``False``
        caches nothing (every lookup misses, nothing is stored).
    """

    def __init__(
        self,
        itinerary: Itinerary,
        *,
        basemap: dict[str, Any] | None,
        offline: bool,
        language: str | None,
        cache_dir: Path | bool | None = None,
    ) -> None:
        self._prefix: Path | None = None
        folder = cache_folder(cache_dir, CACHE_FOLDER)
        if folder is None:
            return
        facts = {
            "format": MAP_CACHE_FORMAT,
            **rendering_facts(*_LIBRARIES),
            "basemap": basemap_digest(basemap),
            "offline": offline,
            "language": language,
        }
        self._prefix = folder / content_key(facts, itinerary.to_json())

    def read(self, names: list[str]) -> dict[str, bytes] | None:
        """The cached file of each of *names*, or ``None`` when any is missing."""
        if self._prefix is None:
            return None
        found: dict[str, bytes] = {}
        for name in names:
            try:
                data = self._path(name).read_bytes()
            except OSError:
                return None
            if not data.rstrip().endswith(b"</html>"):  # never a cut-off file
                return None
            found[name] = data
        for name in names:
            mark_used(self._path(name))
        return found

    def store(self, files: dict[str, bytes]) -> None:
        """Keep *files* (name: HTML bytes); a cache that cannot be written is skipped."""
        if self._prefix is None:
            return
        for name, data in files.items():
            with contextlib.suppress(OSError):  # a read-only cache must not stop the maps
                write_atomic(self._path(name), data)
        keep_newest(self._prefix.parent, KEEP_FILES)

    def _path(self, name: str) -> Path:
        assert self._prefix is not None
        return self._prefix.with_name(f"{self._prefix.name}-{name}")


__all__ = ["CACHE_FOLDER", "MapCache"]
