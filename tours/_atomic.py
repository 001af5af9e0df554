"""Atomic file output: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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

    If the body raises, *out_dir* keeps its previous files untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tours-stage-", dir=out_dir) as scratch:
        stage = Path(scratch)
        yield stage
        for staged in sorted(stage.rglob("*")):
            if staged.is_file():
                target = out_dir / staged.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.replace(target)
