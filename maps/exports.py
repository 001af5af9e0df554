"""Write the printable and portable outputs of an itinerary into one folder.

``itinerary.pdf`` (A4 print), ``itinerary.html`` (the same, print-friendly HTML),
``itinerary.ics`` (calendar), ``itinerary.gpx`` (tracks and waypoints) and
``itinerary.csv`` (schedule). All files are staged and moved into place only when every
requested format rendered, so an interrupted run leaves the previous files intact. The
renderers run through :func:`tours.outputs.render_into` (the registry of every output).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

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
    """
    from tours.outputs import render_into  # noqa: PLC0415 (tours.outputs imports maps lazily)

    wanted = parse_formats(formats)
    with staged_outputs(Path(out_dir)) as stage:
        render_into(stage, itinerary, wanted, basemap=basemap, progress=progress)
    return [Path(out_dir) / FILE_NAMES[fmt] for fmt in FORMATS if fmt in wanted]
