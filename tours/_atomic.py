"""Atomic file output: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tours._errors import InputError


def _unusable_folder(folder: Path, err: OSError | None = None) -> InputError:
    """The one-line error for an output folder that cannot be created or written."""
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        why = f"`{blocker}` is a file, not a folder"
    elif err is not None and err.strerror:
        why = err.strerror.lower()
    else:
        why = "it is not writable"
    msg = f"output folder `{folder}`: cannot write there ({why}); choose a writable folder"
    return InputError(msg)


def _name_problem(folder: Path) -> str | None:
    """Why *folder* cannot name a folder on this system (empty, a name too long), or ``None``."""
    if not str(folder).strip():
        return "the name is empty; give a folder name"
    probe = next((p for p in (folder, *folder.parents) if p.exists()), Path())
    try:
        name_max = os.pathconf(probe, "PC_NAME_MAX")
        path_max = os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    for part in folder.parts:
        if len(os.fsencode(part)) > name_max:
            return (
                f"the name `{part[:40]}...` is longer than the {name_max} bytes a file name "
                "may have; choose a shorter name"
            )
    if len(os.fsencode(str(folder.absolute()))) >= path_max:
        return f"the path is longer than the {path_max} bytes a path may have; shorten it"
    return None


def check_output_folder(folder: Path) -> None:
    """Raise :class:`InputError` now if *folder* cannot be created or written (no side effects).

    Lets a command fail before a long computation instead of after it.
    """
    if (problem := _name_problem(folder)) is not None:
        msg = f"output folder `{str(folder)[:80]}`: {problem}"
        raise InputError(msg)
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
    """Write *data* to *path* through a temporary file in the same folder, then rename."""
    _make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _unusable_folder(path.parent, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 *text* to *path* atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def staged_outputs(out_dir: Path) -> Iterator[Path]:
    """Stage several output files in a scratch folder; move them into *out_dir* only on success.

    If the body raises, *out_dir* keeps its previous files untouched. A folder that cannot
    be created or written raises :class:`InputError` naming it.
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
                raise InputError(msg)
        for staged, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.replace(target)
