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

from maps.i18n import language_code
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
    from tours.outputs import render_into  # noqa: PLC0415 (tours.outputs imports maps lazily)

    wanted = parse_formats(formats)
    if language is not None:
        itinerary = in_language(itinerary, language)
    with staged_outputs(Path(out_dir)) as stage:
        render_into(stage, itinerary, wanted, basemap=basemap, progress=progress)
    return [Path(out_dir) / FILE_NAMES[fmt] for fmt in FORMATS if fmt in wanted]


def in_language(itinerary: Itinerary, language: str) -> Itinerary:
    """*itinerary* with *language* first among the delegation's languages (others kept)."""
    code = language_code(language)
    others = [tag for tag in itinerary.delegation.languages if _code_or_tag(tag) != code]
    delegation = itinerary.delegation.model_copy(update={"languages": [code, *others]})
    return itinerary.model_copy(update={"delegation": delegation})


def _code_or_tag(tag: str) -> str:
    """The catalog code of *tag*, or the tag itself for a language without a catalog."""
    try:
        return language_code(tag)
    except InputError:
        return tag
