"""Atomic file output: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from routing._cache import write_atomic
from tours._errors import OutputError


def _unusable_folder(folder: Path, err: OSError | None = None) -> OutputError:
    """The one-line error for an output folder that cannot be created or written."""
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        why = f"`{blocker}` is a file, not a folder"
    elif err is not None and err.strerror:
        why = err.strerror.lower()
    else:
        why = "it is not writable"
    msg = f"output folder `{folder}`: cannot write there ({why}); choose a writable folder"
    return OutputError(msg)


def check_output_folder(folder: Path) -> None:
    """Raise :class:`OutputError` now if *folder* cannot be created or written (no side effects).

    Lets a command fail before a long computation instead of after it.
    """
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise _unusable_folder(folder)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unusable_folder(folder, err) from None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename.

    The one atomic writer (``routing._cache.write_atomic``); a folder that cannot be written
    raises :class:`OutputError` naming it.
    """
    _make_folder(path.parent)
    try:
        write_atomic(path, data)
    except OSError as err:
        raise _unusable_folder(path.parent, err) from None


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 *text* to *path* atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def staged_outputs(out_dir: Path) -> Iterator[Path]:
    """Stage several output files in a scratch folder; move them into *out_dir* only on success.

    If the body raises, *out_dir* keeps its previous files untouched. A folder that cannot
    be created or written raises :class:`OutputError` naming it.
    """
    _make_folder(out_dir)
    try:
        scratch_dir = tempfile.TemporaryDirectory(prefix=".tours-stage-", dir=out_dir)
    except OSError as err:
        raise _unusable_folder(out_dir, err) from None
    with scratch_dir as scratch:
        stage = Path(scratch)
        yield stage
        moves = [
            (staged, out_dir / staged.relative_to(stage))
            for staged in sorted(stage.rglob("*"))
            if staged.is_file()
        ]
        for _staged, target in moves:  # check all before moving any: no half-written set
            if target.is_dir():
                msg = f"cannot write `{target}`: a folder has that name; move it away"
                raise OutputError(msg)
        for staged, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.replace(target)
