"""The renderers of :data:`tours.outputs.OUTPUT_FORMATS`: each writes one format into a stage.

Each is ``write_x(itinerary, stage, job) -> list[str]`` and calls the renderer of ``maps``
that draws it; the Folium, Matplotlib and WeasyPrint stacks load only when their format is
written.
"""

from __future__ import annotations

from pathlib import Path

from tours.itinerary import Itinerary
from tours.outputs import RenderJob

# ruff: noqa: PLC0415 (renderers import their drawing stack on first use)


def write_maps(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``overview.html`` and ``day-N.html``: interactive maps."""
    from maps.folium_map import write_maps as write

    job.report("maps")
    paths = write(
        itinerary,
        stage,
        basemap=job.basemap,
        offline=job.offline,
        day_images=job.day_images(itinerary),
    )
    return [p.name for p in paths]


def write_pdf(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``itinerary.pdf``: the A4 print."""
    from maps.pdf_cache import pdf_bytes
    from maps.print_pdf import render_print_html

    pngs = job.day_map_pngs(itinerary)
    job.report("PDF layout")
    pdf = pdf_bytes(render_print_html(itinerary, map_pngs=pngs, for_pdf=True))
    (stage / "itinerary.pdf").write_bytes(pdf)
    return ["itinerary.pdf"]


def write_print_html(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``itinerary.html``: the print as a web page."""
    from maps.print_pdf import render_print_html

    pngs = job.day_map_pngs(itinerary)
    job.report("print HTML")
    html = render_print_html(itinerary, map_pngs=pngs, for_pdf=False)
    (stage / "itinerary.html").write_text(html, encoding="utf-8")
    return ["itinerary.html"]


def write_ics(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``itinerary.ics``: the calendar."""
    from maps.calendar_ics import calendar_bytes

    job.report("calendar")
    (stage / "itinerary.ics").write_bytes(calendar_bytes(itinerary))
    return ["itinerary.ics"]


def write_gpx(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``itinerary.gpx``: tracks and waypoints."""
    from maps.gpx_export import gpx_text

    job.report("GPX")
    (stage / "itinerary.gpx").write_text(gpx_text(itinerary), encoding="utf-8")
    return ["itinerary.gpx"]


def write_csv(itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
    """``itinerary.csv``: the schedule as a table."""
    from maps.csv_export import csv_bytes

    job.report("CSV")
    (stage / "itinerary.csv").write_bytes(csv_bytes(itinerary))
    return ["itinerary.csv"]
