"""What the content-addressed caches of rendered outputs hash: the drawing code and the base map.

A cached image or page is reused only when everything it was made from is the same: the
itinerary, the options, the library versions (each cache adds its own) and the code below.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

#: Modules of ``tours`` that renderers read besides ``maps`` (modes, itinerary, clock texts).
_TOURS_MODULES = ("modes.py", "itinerary.py", "timetext.py")


@functools.cache
def code_digest() -> str:
    """A hash of the rendering code and its files (every file of ``maps``: modules, templates,
    translations, inlined scripts) and of the ``tours`` modules the renderers read: an edit
    to any of them is a new key, so nothing drawn by older code is shown."""
    maps_folder = Path(__file__).parent
    tours_folder = maps_folder.parent / "tours"
    files = sorted(
        path
        for path in maps_folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    files += [tours_folder / name for name in _TOURS_MODULES]
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(maps_folder.parent).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def basemap_digest(basemap: dict[str, Any] | None) -> str:
    """A hash of a GeoJSON base map (``None``: no base map)."""
    text = json.dumps(basemap, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def versions(*distributions: str) -> dict[str, str]:
    """The installed version of each distribution (a renderer's libraries)."""
    return {name: version(name) for name in distributions}


__all__ = ["basemap_digest", "code_digest", "versions"]
