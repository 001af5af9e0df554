"""What the content-addressed caches of rendered outputs hash: the drawing code and the base map.

A cached image or page is reused only when everything it was made from is the same: the
itinerary, the options, the library versions (each cache adds its own) and the code below.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from routing._cache import default_cache_dir

#: Modules outside ``maps`` that renderers read (modes and their order, itinerary, clock
#: texts, settings), relative to the project root.
_OTHER_MODULES = (
    "tours/modes.py",
    "tours/itinerary.py",
    "tours/timetext.py",
    "tours/settings.py",
    "routing/policy.py",
)
#: Libraries whose output every rendered page and image holds: dates, numbers and lists in
#: the delegation's language (Babel's CLDR data) and local times (time-zone data).
_TEXT_LIBRARIES = ("babel", "tzdata")
#: Where fontconfig keeps its caches: rebuilt whenever fonts are installed or removed.
_FONTCONFIG_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig")


@functools.cache
def code_digest() -> str:
    """A hash of the rendering code and its files (every file of ``maps``: modules, templates,
    translations, inlined scripts) and of the ``tours`` modules the renderers read: an edit
    to any of them is a new key, so nothing drawn by older code is shown."""
    maps_folder = Path(__file__).parent
    root = maps_folder.parent
    files = sorted(
        path
        for path in maps_folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    files += [root / name for name in _OTHER_MODULES]
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(root).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def rendering_facts(*libraries: str) -> dict[str, Any]:
    """What every cached rendering depends on besides its input: the code, the versions of
    *libraries*, Babel and the time-zone data, and the installed fonts."""
    return {
        "code": code_digest(),
        "libraries": versions(*libraries, *_TEXT_LIBRARIES),
        "fonts": fonts_fingerprint(),
    }


@functools.cache
def fonts_fingerprint() -> list[tuple[str, int, int]]:
    """Name, size and modification time of fontconfig's cache files (they change with fonts)."""
    entries = []
    for folder in _FONTCONFIG_CACHES:
        with contextlib.suppress(OSError):
            for entry in sorted(folder.iterdir()):
                stat = entry.stat()
                entries.append((str(entry), stat.st_size, stat.st_mtime_ns))
    return entries


def content_key(facts: dict[str, Any], *texts: str) -> str:
    """The name of a cache entry: a hash of *facts* (JSON-able) and of the *texts* rendered."""
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode())
    for text in texts:
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:32]


def cache_folder(cache_dir: Path | bool | None, name: str) -> Path | None:
    """The folder *name* under the cache root *cache_dir* (``None``: ``$TOURS_CACHE_DIR`` or
    the user cache folder); ``None`` when *cache_dir* is ``False`` (nothing is cached)."""
    if cache_dir is False:
        return None
    return (cache_dir if isinstance(cache_dir, Path) else default_cache_dir()) / name


def basemap_digest(basemap: dict[str, Any] | None) -> str:
    """A hash of a GeoJSON base map (``None``: no base map)."""
    text = json.dumps(basemap, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def versions(*distributions: str) -> dict[str, str]:
    """The installed version of each distribution (a renderer's libraries); ``""`` for one
    that is not installed (``tzdata``: the system's time-zone data are used then)."""
    found: dict[str, str] = {}
    for name in distributions:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


__all__ = [
    "basemap_digest",
    "cache_folder",
    "code_digest",
    "content_key",
    "fonts_fingerprint",
    "rendering_facts",
    "versions",
]
