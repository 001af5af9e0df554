"""The interactive maps of an unchanged plan are read back, byte for byte, not built again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _sample import sample_itinerary

import maps.folium_map
from maps.map_cache import CACHE_FOLDER
from routing._cache import clear, keep_newest, mark_used


def test_the_maps_of_the_same_itinerary_are_built_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOURS_CACHE_DIR", str(tmp_path / "cache"))
    built: list[object] = []
    real = maps.folium_map.build_map

    def counting(*args: object, **kwargs: object) -> object:
        built.append(kwargs.get("days"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(maps.folium_map, "build_map", counting)
    itinerary = sample_itinerary()
    first = maps.folium_map.write_maps(itinerary, tmp_path / "first")
    names = [path.name for path in first]
    assert names == ["overview.html", "day-1.html", "day-2.html"]
    assert built == [None, [1], [2]]

    again = maps.folium_map.write_maps(itinerary, tmp_path / "again")
    assert built == [None, [1], [2]]  # read from the cache
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in first]
    entries = sorted((tmp_path / "cache" / CACHE_FOLDER).iterdir())
    cached = [entry.name.split("-", 1)[1] for entry in entries]
    assert cached == ["day-1.html", "day-2.html", "overview.html"]

    # a damaged entry is built again; so are other options and another itinerary
    entries[0].write_bytes(entries[0].read_bytes()[:1000])
    maps.folium_map.write_maps(itinerary, tmp_path / "repaired")
    assert len(built) == 6
    assert (tmp_path / "repaired" / "day-1.html").read_bytes() == first[1].read_bytes()
    maps.folium_map.write_maps(itinerary, tmp_path / "online", offline=False)
    assert len(built) == 9
    renamed = itinerary.model_copy(update={"title": "Another <b>visit</b>"})
    maps.folium_map.write_maps(renamed, tmp_path / "renamed")
    assert len(built) == 12
    assert (
        b"Another &lt;b&gt;visit&lt;/b&gt;" in (tmp_path / "renamed" / "overview.html").read_bytes()
    )

    # `tours network clear-cache` removes them
    assert clear(tmp_path / "cache") >= 9
    assert not list((tmp_path / "cache" / CACHE_FOLDER).iterdir())


def test_rendered_output_caches_keep_the_newest_entries(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / CACHE_FOLDER
    folder.mkdir(parents=True)
    for n in range(8):
        entry = folder / f"entry-{n}.html"
        entry.write_text("<html></html>", encoding="utf-8")
        os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    (folder / ".entry-9.html.123.tmp").write_text("being written", encoding="utf-8")
    mark_used(folder / "entry-0.html")  # read just now: kept although written first
    assert keep_newest(folder, 3) == 5
    left = sorted(p.name for p in folder.iterdir())
    assert left == [".entry-9.html.123.tmp", "entry-0.html", "entry-6.html", "entry-7.html"]
    assert keep_newest(tmp_path / "missing", 3) == 0
