"""What makes the output stage fast stays correct: day maps drawn once and cached by content,
the PDF of an unchanged print read back, label boxes measured without Matplotlib texts, and
one registry of formats for plan and export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from _sample import sample_itinerary
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import maps.print_pdf
import maps.static_map
from maps._map_nojs import NOJS_DPI
from maps.day_images import CACHE_FOLDER, PRINT_DPI, DayMapImages
from maps.pdf_cache import CACHE_FOLDER as PDF_CACHE
from maps.pdf_cache import pdf_bytes
from maps.print_pdf import render_print_html
from maps.static_map import LABEL_FONTS, _LabelMeasure, _rotated_box
from routing._cache import clear
from tours._errors import InputError
from tours.itinerary import Leg
from tours.outputs import EXPORT_FORMATS, OUTPUT_FORMATS, parse_formats


def test_export_formats_come_from_the_one_registry() -> None:
    assert EXPORT_FORMATS == ("pdf", "html", "ics", "gpx", "csv")
    assert all(OUTPUT_FORMATS[name].file == f"itinerary.{name}" for name in EXPORT_FORMATS)
    assert OUTPUT_FORMATS["maps"].file is None
    assert parse_formats("all", among=EXPORT_FORMATS) == frozenset(EXPORT_FORMATS)
    with pytest.raises(InputError, match="'maps' is not an output; choose from all, none or pdf"):
        parse_formats("maps,pdf", among=EXPORT_FORMATS)


def test_a_day_map_is_drawn_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    itinerary = sample_itinerary()
    drawn: list[tuple[int, int]] = []
    real = maps.static_map.render_day_map

    def counting(it: object, index: int, **kwargs: object) -> bytes:
        drawn.append((index, int(kwargs["dpi"])))  # type: ignore[call-overload]
        return real(it, index, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(maps.static_map, "render_day_map", counting)
    first = DayMapImages(itinerary, cache_dir=tmp_path)
    print_png = first.png(0)
    small = first.png(0, dpi=NOJS_DPI)
    assert first.png(0) is print_png  # held in memory
    assert drawn == [(0, PRINT_DPI)]  # the small one is scaled, not drawn again
    with Image.open(io.BytesIO(print_png)) as big, Image.open(io.BytesIO(small)) as little:
        assert little.width == round(big.width * NOJS_DPI / PRINT_DPI)
        assert little.height == round(big.height * NOJS_DPI / PRINT_DPI)
        assert little.mode == big.mode == "P"

    again = DayMapImages(itinerary, cache_dir=tmp_path)  # another run: read from disk
    assert again.png(0) == print_png
    assert again.png(0, dpi=NOJS_DPI) == small
    assert drawn == [(0, PRINT_DPI)]
    assert len(list((tmp_path / CACHE_FOLDER).iterdir())) == 2

    # another day content is another image; `tours network clear-cache` removes them
    day = itinerary.days[0]
    stops_only = day.model_copy(update={"items": [i for i in day.items if not isinstance(i, Leg)]})
    moved = itinerary.model_copy(update={"days": [stops_only]})
    DayMapImages(moved, cache_dir=tmp_path).png(0)
    assert drawn == [(0, PRINT_DPI), (0, PRINT_DPI)]
    assert clear(tmp_path) == 3
    assert not list((tmp_path / CACHE_FOLDER).iterdir())


def test_no_cache_keeps_images_in_memory_only(tmp_path: Path) -> None:
    images = DayMapImages(sample_itinerary(), cache_dir=False)
    assert images.png(0).startswith(b"\x89PNG")
    assert not (tmp_path / CACHE_FOLDER).exists()


@pytest.mark.parametrize(
    ("text", "angle", "street"),
    [
        ("Tianfu Square", 0.0, False),
        ("天府广场", 30.0, True),
        ("Chunxi Road 春熙路", -75.0, True),
        ("Renmin South Road", 90.0, True),
        ("Wenshu Monastery 文殊院", 0.0, False),
    ],
)
def test_label_boxes_match_matplotlibs_own_extent(text: str, angle: float, street: bool) -> None:
    """The FreeType measure places labels as Matplotlib would: boxes within 3 px."""
    fig = Figure(figsize=(6.7, 4.3), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    size, weight = (6.5, "normal") if street else (7.0, "bold")
    artist = ax.text(
        0.5,
        0.5,
        text,
        rotation=angle,
        rotation_mode="anchor",
        ha="center",
        va="center",
        fontsize=size,
        fontweight=weight,
        family=LABEL_FONTS,
    )
    expected = artist.get_window_extent(fig.canvas.get_renderer()).extents
    x, y = ax.transData.transform((0.5, 0.5))
    width, height = _LabelMeasure(fig.dpi).size(text, size, weight)
    measured = _rotated_box(float(x), float(y), width, height, angle)
    assert max(abs(a - b) for a, b in zip(expected, measured, strict=True)) < 3.0


def test_the_pdf_of_the_same_print_is_laid_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = render_print_html(sample_itinerary(), for_pdf=True)
    laid_out: list[str] = []
    real = maps.print_pdf.html_to_pdf

    def counting(text: str) -> bytes:
        laid_out.append(text)
        return real(text)

    monkeypatch.setattr(maps.print_pdf, "html_to_pdf", counting)
    first = pdf_bytes(html, cache_dir=tmp_path)
    assert first.startswith(b"%PDF-")
    assert pdf_bytes(html, cache_dir=tmp_path) == first  # read back, not laid out
    assert len(laid_out) == 1
    # a damaged entry is laid out again, and so is any other print
    (entry,) = (tmp_path / PDF_CACHE).iterdir()
    entry.write_bytes(first[: len(first) // 2])
    assert pdf_bytes(html, cache_dir=tmp_path) == first
    pdf_bytes(html.replace("</body>", "<p>changed</p></body>"), cache_dir=tmp_path)
    assert len(laid_out) == 3
    pdf_bytes(html, cache_dir=False)
    assert len(laid_out) == 4
