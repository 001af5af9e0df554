"""The print wraps long words instead of clipping them."""

from __future__ import annotations

from pathlib import Path

from _pdf import pdf_text
from _sample import sample_itinerary

from maps.print_pdf import html_to_pdf, render_print_html


def test_pdf_wraps_a_very_long_title_instead_of_clipping_it(tmp_path: Path) -> None:
    word = "Delegation" + "X" * 300 + "End"
    itinerary = sample_itinerary().model_copy(update={"title": word})
    html = render_print_html(itinerary, map_pngs=[None] * len(itinerary.days), for_pdf=True)
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(html_to_pdf(html))
    text = pdf_text(pdf, "-f", "1", "-l", "1")
    assert word in text.replace("\n", "")
