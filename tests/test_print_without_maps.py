"""The print without day maps has no empty or broken image."""

from __future__ import annotations

from _sample import sample_itinerary

from maps.print_pdf import render_print_html


def test_print_without_map_has_no_empty_image() -> None:
    html = render_print_html(sample_itinerary(), map_pngs=())
    assert 'src=""' not in html
    assert "<figure" not in html
