"""Re-drawing a saved itinerary: its base map and its interactive maps.

:func:`tours.write_outputs` writes every output of a fresh plan; these draw the maps of an
itinerary again (another language, online tiles, another folder), as ``tours map`` does, and
load the base map once for them and :func:`tours.write_exports`:

>>> import tours
>>> itinerary = tours.Itinerary.load("out/demo/itinerary.json")        # doctest: +SKIP
>>> base = tours.load_basemap(itinerary)                               # doctest: +SKIP
>>> tours.write_maps(itinerary, "out/de", basemap=base, language="de")  # doctest: +SKIP
>>> tours.write_exports(itinerary, "out/de", formats="pdf", basemap=base)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tours._atomic import check_output_folder
from tours._errors import InputError
from tours.itinerary import Itinerary

Basemap = dict[str, Any]
"""Streets, water and parks around an itinerary, as GeoJSON (:func:`load_basemap`)."""


def load_basemap(itinerary: Itinerary, osm: Path | str | None = None) -> Basemap:
    """Streets, water and parks around *itinerary*, to draw under its maps and print.

    Parameters
    ----------
    osm
        The OSM extract to read (``.osm``, ``.osm.bz2``, ``.osm.pbf``); default: the
        extract the itinerary was planned on, else its city pack's, when on this machine.

    Raises
    ------
    InputError
        No extract given or found, or none with streets around the itinerary.
    """
    from tours.outputs import default_basemap_extract, load_basemap_around  # noqa: PLC0415

    path = Path(osm) if osm is not None else default_basemap_extract(itinerary)
    if path is None:
        msg = (
            f"no OSM extract of {itinerary.city.name_en} was found on this machine; "
            "pass `osm` (the extract the itinerary was planned on)"
        )
        raise InputError(msg)
    return load_basemap_around(itinerary, path)


def write_maps(
    itinerary: Itinerary,
    out_dir: Path | str,
    *,
    basemap: Basemap | None = None,
    offline: bool = True,
    language: str | None = None,
) -> list[Path]:
    """Write the overview map and one map per day of *itinerary* into *out_dir*.

    Day maps of an earlier, longer plan left in *out_dir* are removed; other files stay.

    Parameters
    ----------
    basemap
        From :func:`load_basemap`, drawn under the routes; ``None``: a plain background.
    offline
        ``True``: self-contained maps that request nothing. ``False``: OpenStreetMap tiles
        are added as a layer (the vector base map takes over if they cannot be loaded).
    language
        Language of the maps' text; ``None`` takes the delegation's first language.

    Returns
    -------
    list of Path
        ``overview.html``, ``day-1.html``, ``day-2.html`` ... inside *out_dir*.

    Raises
    ------
    OutputError
        *out_dir* cannot be created or written (nothing is written then).
    InputError
        The itinerary has no days.
    """
    from maps import write_maps as draw_maps  # noqa: PLC0415 (Folium loads on first use)
    from tours.outputs import remove_stale_day_maps  # noqa: PLC0415

    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    written = draw_maps(itinerary, out_dir, basemap=basemap, offline=offline, language=language)
    remove_stale_day_maps(out_dir, days=len(itinerary.days))
    return written


__all__ = ["Basemap", "load_basemap", "write_maps"]
