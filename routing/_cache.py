"""A content-addressed, checksummed on-disk cache of parsed networks (plain numpy arrays).

File layout: ``MAGIC``, the SHA-256 of the body (32 bytes), then the body: an 8-byte header
length, a JSON header (metadata plus name, dtype, shape and offset of every array) and the raw
array bytes. Reading verifies the magic and the checksum before trusting anything, so a
truncated or corrupt entry is detected and rebuilt. Writes go through a temporary file and a
rename, so readers never see half an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from routing._errors import CacheError

MAGIC = b"TOURSNET\x01\n"
_SUFFIX = ".net"
_ALIGN = 16


#: Sub-folders of the cache root, one per kind of cached data (``day-maps`` and ``print``:
#: the day-map images and printed PDFs of ``maps.day_images`` and ``maps.pdf_cache``;
#: ``map-pages``: the interactive maps of ``maps.map_cache``;
#: ``templates``: the compiled Jinja templates of ``maps.i18n``).
CACHE_FOLDERS = (
    "networks",
    "basemap",
    "osm-features",
    "osm-coach-stops",
    "day-maps",
    "print",
    "map-pages",
    "templates",
)


def default_cache_dir() -> Path:
    """``$TOURS_CACHE_DIR`` if set, else the user cache folder (platformdirs)."""
    if env := os.environ.get("TOURS_CACHE_DIR"):
        return Path(env).expanduser()
    import platformdirs  # noqa: PLC0415 - only needed without TOURS_CACHE_DIR

    return Path(platformdirs.user_cache_dir("tours", appauthor=False))


def networks_dir(cache_dir: Path | None) -> Path:
    """The folder holding cached networks."""
    return (cache_dir if cache_dir is not None else default_cache_dir()) / "networks"


def entry_path(cache_dir: Path | None, key: str) -> Path:
    """The cache file for content address *key*."""
    return networks_dir(cache_dir) / f"{key}{_SUFFIX}"


class CorruptEntryError(Exception):
    """A cache entry that fails its checks (never trusted)."""


def encode(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """Serialise *meta* (JSON-able) and *arrays* into one checksummed blob."""
    specs = []
    offset = 0
    chunks = []
    for name, arr in arrays.items():
        data = np.ascontiguousarray(arr)
        raw = data.tobytes()
        specs.append({"name": name, "dtype": data.dtype.str, "shape": data.shape, "offset": offset})
        pad = (-len(raw)) % _ALIGN
        chunks.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    header = json.dumps({"meta": meta, "arrays": specs}).encode()
    header += b" " * ((-len(header) - 8) % _ALIGN)
    body = len(header).to_bytes(8, "little") + header + b"".join(chunks)
    return MAGIC + hashlib.sha256(body).digest() + body


def decode(blob: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Inverse of :func:`encode`; raises :class:`CorruptEntryError` on any mismatch."""
    head = len(MAGIC) + 32
    if len(blob) < head + 8 or not blob.startswith(MAGIC):
        msg = "bad magic or too short"
        raise CorruptEntryError(msg)
    body = memoryview(blob)[head:]
    if hashlib.sha256(body).digest() != blob[len(MAGIC) : head]:
        msg = "checksum mismatch"
        raise CorruptEntryError(msg)
    size = int.from_bytes(body[:8], "little")
    try:
        header = json.loads(bytes(body[8 : 8 + size]))
        data = body[8 + size :]
        arrays = {}
        for spec in header["arrays"]:
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            arr = np.frombuffer(data, dtype=dtype, count=count, offset=spec["offset"])
            arrays[spec["name"]] = arr.reshape(spec["shape"])
    except (ValueError, KeyError, TypeError) as err:
        msg = f"unreadable header: {err}"
        raise CorruptEntryError(msg) from None
    return header["meta"], arrays


def unusable_cache(path: Path, err: OSError) -> CacheError:
    """The one-line error for a cache file or folder that cannot be read or written."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    why = f"`{blocker}` is a file, not a folder" if blocker else (err.strerror or str(err))
    msg = (
        f"cache folder `{default_cache_dir()}`: cannot use `{path}` ({why}); set "
        "TOURS_CACHE_DIR to a writable folder"
    )
    return CacheError(msg)


def read_entry(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """The entry at *path*, ``None`` when absent; :class:`CorruptEntryError` when damaged.

    Raises :class:`~routing._errors.CacheError` when the cache folder cannot be read.
    """
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise unusable_cache(path, err) from None
    return decode(blob)


def write_entry(path: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write an entry atomically."""
    write_atomic(path, encode(meta, arrays))


def write_atomic(path: Path, blob: bytes) -> None:
    """Write *blob* to *path* through a temporary file in the same folder, then rename.

    Raises :class:`~routing._errors.CacheError` when the folder cannot be created or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise unusable_cache(path, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def keep_newest(folder: Path, count: int) -> int:
    """Delete all but the *count* most recently written or used files of *folder*.

    For caches of rendered outputs, which grow with every new plan; a reader marks an entry
    it uses with :func:`mark_used`. Returns how many files were removed.
    """
    entries: list[tuple[float, Path]] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            with contextlib.suppress(OSError):
                if entry.is_file() and not entry.name.endswith(".tmp"):
                    entries.append((entry.stat().st_mtime, entry))
    entries.sort(reverse=True)
    removed = 0
    for _mtime, entry in entries[count:]:
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    return removed


def mark_used(path: Path) -> None:
    """Note that the cache entry *path* was just used (:func:`keep_newest` keeps it longer)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def clear(cache_dir: Path | None = None) -> int:
    """Delete everything ``tours`` cached (networks, base maps, OSM features, prints).

    Returns how many cache entries were removed (scratch ``.tmp`` files are removed too).
    """
    root = cache_dir if cache_dir is not None else default_cache_dir()
    removed = 0
    for folder in (root / name for name in CACHE_FOLDERS):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.is_file():
                entry.unlink()
                removed += not entry.name.endswith(".tmp")
    return removed
