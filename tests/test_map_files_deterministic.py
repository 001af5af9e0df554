"""Map files are byte-identical across runs (element ids renumbered, not random)."""

from __future__ import annotations

import re
from pathlib import Path

from _sample import sample_itinerary

from maps.folium_map import write_maps


def test_map_files_are_identical_across_runs(tmp_path: Path) -> None:
    it = sample_itinerary()
    first = write_maps(it, tmp_path / "a")
    second = write_maps(it, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    html = first[0].read_text(encoding="utf-8")
    assert re.search(r"map_0{32}\b", html)  # renumbered, not random
