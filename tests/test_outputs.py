"""tours.write_outputs: the format registry, and the print rendered beside the maps."""

from __future__ import annotations

from pathlib import Path

import pytest
from _same_outputs import assert_same_outputs
from conftest import CHENGDU_PBF

import tours
from tours.itinerary import Itinerary
from tours.outputs import OUTPUT_FORMATS, parse_formats


def test_registry_lists_every_format_once() -> None:
    assert list(OUTPUT_FORMATS) == ["maps", "pdf", "html", "ics", "gpx", "csv"]
    assert parse_formats("all") == frozenset(OUTPUT_FORMATS)
    assert parse_formats("none") == frozenset() == parse_formats("json")
    assert parse_formats(["PDF", " ics "]) == {"pdf", "ics"}
    with pytest.raises(tours.InputError, match="`formats`: 'docx' is not an output"):
        parse_formats("pdf,docx")


def test_concurrent_print_writes_the_same_files(demo_itinerary: Itinerary, tmp_path: Path) -> None:
    """The print rendered in a second process gives the very files of a one-process run."""
    together = tours.write_outputs(
        demo_itinerary, tmp_path / "a", formats="all", basemap_osm=CHENGDU_PBF
    )
    alone = tours.write_outputs(
        demo_itinerary, tmp_path / "b", formats="all", basemap_osm=CHENGDU_PBF, concurrent=False
    )
    assert [p.name for p in together][:4] == [
        "itinerary.json",
        "overview.html",
        "day-1.html",
        "day-2.html",
    ]
    assert_same_outputs(together, alone, folder=tmp_path / "a")
