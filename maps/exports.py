"""Write the printable and portable outputs of an itinerary into one folder.

``itinerary.pdf`` (A4 print), ``itinerary.html`` (the same, print-friendly HTML),
``itinerary.ics`` (calendar), ``itinerary.gpx`` (tracks and waypoints) and
``itinerary.csv`` (schedule). All files are staged and moved into place only when every
requested format rendered, so an interrupted run leaves the previous files intact.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from maps.calendar_ics import calendar_bytes
from maps.csv_export import csv_bytes
from maps.gpx_export import gpx_text
from maps.i18n import language_code
from maps.print_pdf import html_to_pdf, render_print_html
from maps.static_map import render_day_map
from tours._atomic import staged_outputs
from tours._errors import InputError
from tours.itinerary import Itinerary

FORMATS = ("pdf", "html", "ics", "gpx", "csv")
FILE_NAMES = {fmt: f"itinerary.{fmt}" for fmt in FORMATS}


def parse_formats(text: str | Collection[str]) -> set[str]:
    """``"pdf,ics"`` (or a collection) as a checked set; ``"all"`` means every format."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    wanted = {part.strip().lower() for part in parts if part.strip()}
    if "all" in wanted:
        return set(FORMATS)
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        msg = (
            f"`formats`: unknown format {unknown[0]!r}" if unknown else "`formats`: no format given"
        ) + f"; choose from {', '.join(FORMATS)}"
        raise InputError(msg)
    return wanted


def write_exports(
    itinerary: Itinerary,
    out_dir: Path,
    *,
    formats: Collection[str],
    basemap: dict[str, Any] | None = None,
    progress: bool = False,
    language: str | None = None,
) -> list[Path]:
    """Render *formats* of *itinerary* into *out_dir*; return the written paths.

    Parameters
    ----------
    formats : subset of {"pdf", "html", "ics", "gpx", "csv"}
    basemap
        GeoJSON base map (``routing.basemap.load_basemap``) drawn under the day maps of the
        print; ``None`` draws routes on a plain background.
    progress
        Show rich progress on stderr while the print renders.
    language
        Language of every output; ``None`` takes the delegation's first language.
    """
    wanted = parse_formats(formats)
    if language is not None:
        itinerary = in_language(itinerary, language)
    with staged_outputs(Path(out_dir)) as stage, _progress(enabled=progress) as report:
        if wanted & {"pdf", "html"}:
            pngs: list[bytes | None] = []
            for index in range(len(itinerary.days)):
                report(f"day map {index + 1}/{len(itinerary.days)}")
                pngs.append(render_day_map(itinerary, index, basemap=basemap))
            if "html" in wanted:
                report("print HTML")
                html = render_print_html(itinerary, map_pngs=pngs, for_pdf=False, language=language)
                (stage / FILE_NAMES["html"]).write_text(html, encoding="utf-8")
            if "pdf" in wanted:
                report("PDF layout")
                pdf = html_to_pdf(render_print_html(itinerary, map_pngs=pngs, for_pdf=True))
                (stage / FILE_NAMES["pdf"]).write_bytes(pdf)
        if "ics" in wanted:
            report("calendar")
            (stage / FILE_NAMES["ics"]).write_bytes(calendar_bytes(itinerary))
        if "gpx" in wanted:
            report("GPX")
            (stage / FILE_NAMES["gpx"]).write_text(gpx_text(itinerary), encoding="utf-8")
        if "csv" in wanted:
            report("CSV")
            (stage / FILE_NAMES["csv"]).write_bytes(csv_bytes(itinerary))
        report("done")
    return [Path(out_dir) / FILE_NAMES[fmt] for fmt in FORMATS if fmt in wanted]


def in_language(itinerary: Itinerary, language: str) -> Itinerary:
    """*itinerary* with *language* first among the delegation's languages (others kept)."""
    code = language_code(language)
    others = [tag for tag in itinerary.delegation.languages if language_code_or(tag) != code]
    delegation = itinerary.delegation.model_copy(update={"languages": [code, *others]})
    return itinerary.model_copy(update={"delegation": delegation})


def language_code_or(tag: str) -> str:
    """The catalog code of *tag*, or the tag itself for a language without a catalog."""
    try:
        return language_code(tag)
    except InputError:
        return tag


@contextlib.contextmanager
def _progress(*, enabled: bool) -> Iterator[Any]:
    """A ``report(step)`` callback; with *enabled*, a transient rich progress on stderr."""
    if not enabled:
        yield lambda _step: None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("exports: {task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("start", total=None)

        def report(step: str) -> None:
            bar.update(task, description=step, advance=1)

        yield report
