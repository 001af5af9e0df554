"""Settings in one place: where shared data and caches live.

Environment variables (all optional):

``TOURS_OSM_DIR``
    A folder holding OSM extracts named by city packs (searched first).
``TOURS_CACHE_DIR``
    Where parsed networks are cached (default: the user cache folder, via platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

from tours._errors import InputError

_REPO_ROOT = Path(__file__).resolve().parents[1]

#: Languages the outputs are written in (one gettext catalog each in ``maps/locale``); the
#: first of ``delegation.languages`` must be one of them.
OUTPUT_LANGUAGES: tuple[str, ...] = ("en", "de", "zh", "fr", "es", "ja", "ar")


def osm_search_dirs() -> list[Path]:
    """Folders searched for a city pack's OSM extract, in order."""
    dirs: list[Path] = []
    if env := os.environ.get("TOURS_OSM_DIR"):
        dirs.append(Path(env))
    dirs += [Path.cwd() / ".." / "shared" / "osm", _REPO_ROOT / ".." / "shared" / "osm"]
    return dirs


def find_osm_extract(file_name: str, *, pack_dir: Path | None = None) -> Path:
    """Locate the OSM extract *file_name* (never committed; usually in ``../shared/osm``).

    A relative name is looked for relative to *pack_dir* (the city pack's folder) first, then
    in :func:`osm_search_dirs` (``TOURS_OSM_DIR`` first).
    """
    candidate = Path(file_name)
    if candidate.is_absolute() and candidate.is_file():
        return candidate
    if pack_dir is not None and (pack_dir / candidate).is_file():
        return (pack_dir / candidate).resolve()
    for folder in osm_search_dirs():
        path = folder / file_name
        if path.is_file():
            return path.resolve()
    dirs = ([pack_dir] if pack_dir is not None else []) + osm_search_dirs()
    searched = ", ".join(str(d) for d in dirs)
    msg = (
        f"OSM extract `{file_name}` not found (searched {searched}); "
        "pass `network` (an OSM file) or set TOURS_OSM_DIR"
    )
    raise InputError(msg)
