"""A saved itinerary drawn again from Python: ``tours.load_basemap``, ``tours.write_maps`` and
``tours.write_exports`` (what ``tours map`` and ``tours export`` call)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _sample import sample_itinerary

import tours


def test_maps_and_exports_of_a_saved_itinerary_on_its_base_map(
    tmp_path: Path, saved: Path, chengdu_bz2: Path
) -> None:
    itinerary = tours.Itinerary.load(saved)
    base = tours.load_basemap(itinerary, chengdu_bz2)
    layers = {f["properties"]["layer"] for f in base["features"]}
    assert {"street", "water"} <= layers
    out = tmp_path / "de"
    out.mkdir()
    (out / "day-3.html").write_text("an earlier, longer plan", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    maps = tours.write_maps(itinerary, out, basemap=base, language="de")
    assert [p.name for p in maps] == ["overview.html", "day-1.html", "day-2.html"]
    assert not (out / "day-3.html").exists()  # stale day map removed, other files kept
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert '<html lang="de"' in (out / "day-1.html").read_text(encoding="utf-8")
    exports = tours.write_exports(itinerary, out, formats="ics,csv", language="de")
    assert [p.name for p in exports] == ["itinerary.ics", "itinerary.csv"]
    assert "LANGUAGE=de" in (out / "itinerary.ics").read_text(encoding="utf-8")


def test_without_an_extract_load_basemap_names_the_parameter() -> None:
    itinerary = sample_itinerary()
    elsewhere = itinerary.city.model_copy(update={"id": "atlantis", "name_en": "Atlantis"})
    itinerary = itinerary.model_copy(update={"city": elsewhere})
    with pytest.raises(tours.InputError, match=r"no OSM extract of Atlantis .*pass `osm`"):
        tours.load_basemap(itinerary)


def test_write_maps_checks_the_folder_before_drawing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(tours.OutputError, match="output folder"):
        tours.write_maps(sample_itinerary(), blocker / "maps")
    with pytest.raises(tours.OutputError, match="output folder"):
        tours.check_output_folder(str(blocker / "maps"))
