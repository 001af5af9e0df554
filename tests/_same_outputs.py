"""Two runs of ``tours.write_outputs`` that must give the very same files."""

from __future__ import annotations

from pathlib import Path

import pytest


def assert_same_outputs(written: list[Path], expected: list[Path], *, folder: Path) -> None:
    """*written* (in *folder*) are the files *expected* lists, in its order and with its bytes.

    WeasyPrint stamps a PDF's creation time, so a PDF need only have the same size (within
    1 %); and no staging folder (``.tours-stage-*``) is left in *folder*.
    """
    assert [p.name for p in written] == [p.name for p in expected]
    for a, b in zip(written, expected, strict=True):
        if a.suffix == ".pdf":
            assert a.stat().st_size == pytest.approx(b.stat().st_size, rel=0.01)
        else:
            assert a.read_bytes() == b.read_bytes(), a.name
    assert not list(folder.glob(".tours-stage-*"))
