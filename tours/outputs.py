"""Writing an itinerary's outputs: one registry of formats, one staged write of them all.

Every output is a :class:`OutputFormat` in :data:`OUTPUT_FORMATS`: a name, the renderer
(``"module:function"``, imported only when that format is written), whether it draws the
base map and the file it writes. A new format is one renderer module plus one line in
:data:`OUTPUT_FORMATS`: ``tours plan --formats``, ``tours export --formats``, the Python API
and the clean-up of outdated files all read this list.

The registry lives here, above ``maps``, not in it: ``maps`` draws an itinerary and imports
nothing that plans or orchestrates, while writing outputs also loads the base map from the
OSM extract (``routing``), stages files atomically and splits the work over processes. So
``tours.outputs`` imports the renderers of ``maps`` (lazily), never the other way round.

A renderer is ``write(itinerary, stage, job) -> list[str]``: it writes its files into the
staging folder *stage* and returns their names. :func:`write_outputs` moves the staged files
into the output folder only when every renderer succeeded, then removes outputs of an earlier
plan that this run did not write again, so a folder always holds one plan.
"""

from __future__ import annotations

import concurrent.futures as concurrent_futures
import contextlib
import importlib
import multiprocessing
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tours._atomic import check_output_folder, staged_outputs
from tours._errors import InputError
from tours._output_worker import (
    OutputWorker,
    WorkerLostError,
    can_fork_worker,
    frozen_garbage,
    worker_formats,
)
from tours.itinerary import Itinerary

if TYPE_CHECKING:
    from maps.day_images import DayMapImages

#: Margin around the itinerary's places: each map clips its own, smaller box out of this one.
BASEMAP_MARGIN_M = 6000.0


@dataclass
class RenderJob:
    """What the renderers of one :func:`write_outputs` call share.

    Day-map images are drawn once (and cached on disk) and shared by the print formats (PDF
    and HTML) and the interactive maps' no-script block.
    """

    basemap: dict[str, Any] | None = None
    report: Callable[[str], None] = lambda _step: None
    offline: bool = True
    _images: DayMapImages | None = field(default=None, repr=False)

    def day_images(self, itinerary: Itinerary) -> DayMapImages:
        """The day-map images of *itinerary*, each drawn on first use."""
        if self._images is None:
            from maps.day_images import DayMapImages  # noqa: PLC0415

            # the report of the moment: render_into replaces it between steps
            self._images = DayMapImages(
                itinerary,
                basemap=self.basemap,
                report=lambda step: self.report(step),  # noqa: PLW0108
            )
        return self._images

    def day_map_pngs(self, itinerary: Itinerary) -> list[bytes | None]:
        """The printed day maps (PNG), drawn on first use."""
        return self.day_images(itinerary).print_pngs()


Renderer = Callable[[Itinerary, Path, RenderJob], list[str]]


@dataclass(frozen=True)
class OutputFormat:
    """One output of ``tours plan`` besides ``itinerary.json``.

    Parameters
    ----------
    name
        What ``formats`` calls it.
    renderer
        ``"module:function"`` of its :data:`Renderer`, imported on first use.
    uses_basemap
        Whether it draws streets, water and parks from the OSM extract.
    description
        One line for help texts.
    file
        The one file it writes into the output folder; ``None``: several files, named by
        the renderer (the maps). Formats with one file are the exports (``tours export``).
    """

    name: str
    renderer: str
    uses_basemap: bool
    description: str
    file: str | None = None

    def write(self, itinerary: Itinerary, stage: Path, job: RenderJob) -> list[str]:
        """Render into *stage*; the names of the files written."""
        module, _, function = self.renderer.partition(":")
        render: Renderer = getattr(importlib.import_module(module), function)
        return render(itinerary, stage, job)


#: Every output format, in the order they are written and listed.
OUTPUT_FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("maps", "tours._renderers:write_maps", True, "interactive HTML maps"),
        OutputFormat("pdf", "tours._renderers:write_pdf", True, "A4 print (PDF)", "itinerary.pdf"),
        OutputFormat(
            "html", "tours._renderers:write_print_html", True, "print as HTML", "itinerary.html"
        ),
        OutputFormat(
            "ics", "tours._renderers:write_ics", False, "calendar (iCalendar)", "itinerary.ics"
        ),
        OutputFormat(
            "gpx", "tours._renderers:write_gpx", False, "tracks and waypoints", "itinerary.gpx"
        ),
        OutputFormat("csv", "tours._renderers:write_csv", False, "schedule table", "itinerary.csv"),
    )
}

#: The formats that write one file each (what ``tours export`` re-renders), in order.
EXPORT_FORMATS: tuple[str, ...] = tuple(
    name for name, fmt in OUTPUT_FORMATS.items() if fmt.file is not None
)


def parse_formats(
    formats: str | Collection[str], *, among: Collection[str] | None = None
) -> frozenset[str]:
    """``"all"``, ``"none"``, ``"pdf,ics"`` or a collection of names, as a checked set.

    ``"json"`` is accepted and ignored: ``itinerary.json`` is always written.

    Parameters
    ----------
    among
        The names allowed (and meant by ``"all"``); default every :data:`OUTPUT_FORMATS`.

    Raises
    ------
    InputError
        An unknown format; the message lists the known ones.
    """
    known = list(OUTPUT_FORMATS) if among is None else [n for n in OUTPUT_FORMATS if n in among]
    parts = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {str(part).strip().lower() for part in parts if str(part).strip()}
    if "all" in wanted and wanted <= {"all", "json"}:
        return frozenset(known)
    if wanted in (set(), {"none"}, {"json"}):
        return frozenset()
    unknown = sorted(wanted - set(known) - {"json"})
    if unknown:
        msg = (
            f"`formats`: {unknown[0]!r} is not an output; choose from all, none or "
            f"{', '.join(known)}"
        )
        raise InputError(msg)
    return frozenset(wanted - {"json"})


def default_basemap_extract(itinerary: Itinerary) -> Path | None:
    """The extract the itinerary was planned on (``city.osm_extract``), else the OSM extract
    of its city pack, when this machine has it; else ``None``."""
    from tours.places.pack import load_city_pack  # noqa: PLC0415
    from tours.settings import find_osm_extract  # noqa: PLC0415

    if itinerary.city.osm_extract:
        try:
            return find_osm_extract(itinerary.city.osm_extract)
        except InputError:
            return None

    try:
        pack = load_city_pack()
    except InputError:
        return None
    if pack.id != itinerary.city.id:
        return None
    path = pack.osm_extract_path()
    return path if path.is_file() else None


def load_basemap_around(itinerary: Itinerary, osm_file: Path) -> dict[str, Any]:
    """Streets, water and parks of *osm_file* around *itinerary* (cached by the routing layer).

    Raises
    ------
    InputError
        *osm_file* has no streets around the itinerary (the maps would be blank).
    """
    from routing.basemap import load_basemap  # noqa: PLC0415

    base = load_basemap(osm_file, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    if _street_bounds(base) is None:
        west, south, east, north = itinerary.bounds()
        msg = (
            f"the base map from `{osm_file}` has no streets around the itinerary "
            f"(W {west:.4f}, S {south:.4f}, E {east:.4f}, N {north:.4f}); pass `basemap_osm` "
            "(the extract it was planned on), or no base map"
        )
        raise InputError(msg)
    return base


def places_off_basemap(itinerary: Itinerary, base: dict[str, Any]) -> list[str]:
    """Names of the itinerary's places outside the streets of *base* (drawn without streets)."""
    box = _street_bounds(base)
    places = {
        p.id: p
        for day in itinerary.days
        for p in (day.start_place, day.end_place, *(s.place for s in day.stops))
    }
    if box is None:
        return [p.name_en for p in places.values()]
    west, south, east, north = box
    return [
        p.name_en
        for p in places.values()
        if not (west <= p.lon <= east and south <= p.lat <= north)
    ]


def _street_bounds(base: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of the street features of a base map (``None``: none)."""
    pairs: list[tuple[float, float]] = []
    for feature in base.get("features", []):
        if feature.get("properties", {}).get("layer") == "street":
            pairs += _coords(feature.get("geometry", {}).get("coordinates", []))
    if not pairs:
        return None
    lons = [lon for lon, _lat in pairs]
    lats = [lat for _lon, lat in pairs]
    return min(lons), min(lats), max(lons), max(lats)


def _coords(value: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) pair of a GeoJSON coordinates array, at any nesting depth."""
    if isinstance(value, list | tuple) and len(value) >= 2 and isinstance(value[0], int | float):
        return [(float(value[0]), float(value[1]))]
    out: list[tuple[float, float]] = []
    for item in value if isinstance(value, list | tuple) else []:
        out += _coords(item)
    return out


def write_outputs(
    itinerary: Itinerary,
    out_dir: Path | str,
    *,
    formats: str | Collection[str] = "all",
    basemap_osm: Path | str | None = None,
    basemap: bool = True,
    progress: bool = False,
    concurrent: bool = True,
    worker: OutputWorker | None = None,
) -> list[Path]:
    """Write ``itinerary.json`` and *formats* into *out_dir*, all or nothing.

    Parameters
    ----------
    formats
        ``"all"``, ``"none"``, a comma list or a collection of :data:`OUTPUT_FORMATS` names
        {"maps", "pdf", "html", "ics", "gpx", "csv"}.
    basemap_osm
        OSM extract whose streets, water and parks are drawn under the maps (default: the
        city pack's extract, if this machine has it).
    basemap
        ``False`` draws the routes on a plain background.
    progress
        Show progress on stderr while the print renders.
    concurrent
        Render the print (day-map images, PDF, HTML) in a second process while this one
        draws the interactive maps and exports (when both are wanted and the machine has
        more than one core). The files are the same either way.
    worker
        An :class:`OutputWorker` started before planning (its imports are done by now): it
        draws the interactive maps and renders the exports while this process renders the
        print. An inactive worker, or ``None``, renders as without one (see *concurrent*).

    Returns
    -------
    list of Path
        The files written, ``itinerary.json`` first.

    Raises
    ------
    OutputError
        *out_dir* cannot be created or written (nothing is written then).
    InputError
        An unknown format.
    """
    out_dir = Path(out_dir)
    wanted = parse_formats(formats)
    check_output_folder(out_dir)
    chosen = [fmt for name, fmt in OUTPUT_FORMATS.items() if name in wanted]
    names = ["itinerary.json"]
    with staged_outputs(out_dir) as stage:
        (stage / "itinerary.json").write_text(itinerary.to_json() + "\n", encoding="utf-8")
        background = None
        if basemap and any(fmt.uses_basemap for fmt in chosen):
            osm = Path(basemap_osm) if basemap_osm is not None else None
            osm = osm if osm is not None else default_basemap_extract(itinerary)
            if osm is not None:
                background = load_basemap_around(itinerary, osm)
        names += render_into(
            stage,
            itinerary,
            [fmt.name for fmt in chosen],
            basemap=background,
            progress=progress,
            concurrent=concurrent,
            worker=worker,
        )
    remove_outdated_outputs(out_dir, keep=set(names))
    return [out_dir / name for name in names]


def write_exports(
    itinerary: Itinerary,
    out_dir: Path | str,
    *,
    formats: str | Collection[str] = "all",
    basemap: dict[str, Any] | None = None,
    progress: bool = False,
    language: str | None = None,
) -> list[Path]:
    """Re-render the one-file outputs *formats* of *itinerary* into *out_dir*, all or nothing.

    Unlike :func:`write_outputs` it writes no ``itinerary.json`` and leaves other files of
    the folder alone (``tours export``).

    Parameters
    ----------
    formats
        ``"all"``, a comma list or a collection of :data:`EXPORT_FORMATS` names
        {"pdf", "html", "ics", "gpx", "csv"}.
    basemap
        GeoJSON base map (:func:`load_basemap_around`) drawn under the print's day maps;
        ``None`` draws the routes on a plain background.
    progress
        Show progress on stderr while the print renders.
    language
        Language of every output; ``None`` takes the delegation's first language.

    Returns
    -------
    list of Path
        The files written, in registry order.

    Raises
    ------
    InputError
        An unknown format, or none.
    OutputError
        *out_dir* cannot be created or written (nothing is written then).
    """
    wanted = parse_formats(formats, among=EXPORT_FORMATS)
    if not wanted:
        msg = f"`formats`: no format given; choose from all or {', '.join(EXPORT_FORMATS)}"
        raise InputError(msg)
    if language is not None:
        from maps.exports import in_language  # noqa: PLC0415 (Babel catalogs load late)

        itinerary = in_language(itinerary, language)
    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    with staged_outputs(out_dir) as stage:
        names = render_into(stage, itinerary, wanted, basemap=basemap, progress=progress)
    return [out_dir / name for name in names]


def render_into(
    stage: Path,
    itinerary: Itinerary,
    formats: Collection[str],
    *,
    basemap: dict[str, Any] | None = None,
    progress: bool = False,
    concurrent: bool = True,
    worker: OutputWorker | None = None,
) -> list[str]:
    """Render *formats* (names in :data:`OUTPUT_FORMATS`) into the folder *stage*.

    Returns the names of the files written, in registry order. See :func:`write_outputs`
    for *concurrent* and *worker*; *basemap* is GeoJSON from :func:`load_basemap_around`.
    """
    chosen = [fmt for name, fmt in OUTPUT_FORMATS.items() if name in formats]
    job = RenderJob(basemap=basemap)
    tasks = worker_formats(set(formats))
    if worker is not None and worker.active and tasks:
        return _render_beside(worker, stage, itinerary, chosen, job, tasks=tasks, progress=progress)
    if concurrent and "maps" in formats and _PRINT_FORMATS & set(formats):
        # the maps and the print both show the day maps: each is drawn once, here, and the
        # print worker reads it from the cache, instead of both processes drawing it
        with _progress(enabled=progress) as report:
            job.report = report
            job.day_map_pngs(itinerary)
    # the worker forks first, before the progress display starts its thread
    with (
        _print_worker(itinerary, stage, job, chosen, concurrent=concurrent) as pending,
        _progress(enabled=progress) as report,
    ):
        job.report = report
        written = {
            fmt.name: fmt.write(itinerary, stage, job)
            for fmt in chosen
            if pending is None or fmt.name not in _PRINT_FORMATS
        }
        if pending is not None:
            report("print (PDF, HTML)")
            written |= pending.result()
        report("done")
    return [name for fmt in chosen for name in written[fmt.name]]


#: Formats drawn from the printed day-map images: rendered together, in a second process.
_PRINT_FORMATS = frozenset({"pdf", "html"})


def _render_beside(
    worker: OutputWorker,
    stage: Path,
    itinerary: Itinerary,
    chosen: list[OutputFormat],
    job: RenderJob,
    *,
    tasks: list[str],
    progress: bool,
) -> list[str]:
    """:func:`render_into` with the formats *tasks* rendered by *worker*, the rest here.

    The worker renders the interactive maps, and the exports (calendar, GPX, CSV) when this
    process lays out the print. The day-map images are read (or drawn) here first, so the
    worker finds them in the cache instead of drawing them again; then WeasyPrint lays out
    the print here while the worker renders. The worker is stopped before an error leaves,
    so it never writes into a staging folder that is being removed.
    """
    with _progress(enabled=progress) as report:
        job.report = report
        if _PRINT_FORMATS & {fmt.name for fmt in chosen}:
            job.day_map_pngs(itinerary)
        try:
            pending = worker.submit(
                _write_in_worker, tasks, itinerary, stage, job.basemap, job.offline
            )
        except WorkerLostError:
            pending = None
        try:
            written = {
                fmt.name: fmt.write(itinerary, stage, job)
                for fmt in chosen
                if pending is None or fmt.name not in tasks
            }
            if pending is not None:
                report(", ".join(tasks))
                try:
                    written |= pending.result()
                except WorkerLostError:  # killed from outside: render them here
                    written |= {
                        name: OUTPUT_FORMATS[name].write(itinerary, stage, job) for name in tasks
                    }
        except BaseException:
            worker.terminate()
            raise
        report("done")
    return [name for fmt in chosen for name in written[fmt.name]]


def _write_in_worker(
    names: list[str],
    itinerary: Itinerary,
    stage: Path,
    basemap: dict[str, Any] | None,
    offline: bool,
) -> dict[str, list[str]]:
    """The formats *names*, rendered in an :class:`OutputWorker`."""
    job = RenderJob(basemap=basemap, offline=offline)
    return {name: OUTPUT_FORMATS[name].write(itinerary, stage, job) for name in names}


@contextlib.contextmanager
def _print_worker(
    itinerary: Itinerary,
    stage: Path,
    job: RenderJob,
    chosen: list[OutputFormat],
    *,
    concurrent: bool,
) -> Iterator[concurrent_futures.Future[dict[str, list[str]]] | None]:
    """Render the print formats of *chosen* in a forked process, or ``None``: not worth it.

    The print (Matplotlib day maps, then the WeasyPrint layout) is the slowest output; it
    runs beside the interactive maps and exports when both are wanted, the machine has a
    second core, and this process has no other thread (forking one is unsafe).
    """
    printed = [fmt.name for fmt in chosen if fmt.name in _PRINT_FORMATS]
    others = [fmt for fmt in chosen if fmt.name not in _PRINT_FORMATS]
    if not (concurrent and printed and others and can_fork_worker()):
        yield None
        return
    context = multiprocessing.get_context("fork")
    with concurrent_futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        with frozen_garbage():  # the first task forks the worker
            pending = pool.submit(_write_print, itinerary, stage, job.basemap, printed)
        yield pending


def _write_print(
    itinerary: Itinerary, stage: Path, basemap: dict[str, Any] | None, names: list[str]
) -> dict[str, list[str]]:
    """The print formats *names*, rendered in the worker process (day maps drawn once)."""
    job = RenderJob(basemap=basemap)
    return {name: OUTPUT_FORMATS[name].write(itinerary, stage, job) for name in names}


#: Every file name ``write_outputs`` may write, besides ``day-N.html``.
_OUTPUT_NAMES = (
    "overview.html",
    *(fmt.file for fmt in OUTPUT_FORMATS.values() if fmt.file is not None),
)
_DAY_MAP = re.compile(r"day-([1-9][0-9]*)\.html")


def remove_outdated_outputs(out_dir: Path, *, keep: set[str]) -> list[Path]:
    """Delete outputs of an earlier plan in *out_dir* that this run did not write again.

    A folder then holds one plan only: no PDF or map of the old programme beside the new
    ``itinerary.json`` (e.g. after ``formats="none"`` or a plan with fewer days).
    """
    stale = [out_dir / name for name in _OUTPUT_NAMES if name not in keep]
    stale += [
        path
        for path in sorted(out_dir.glob("day-*.html"))
        if _DAY_MAP.fullmatch(path.name) and path.name not in keep
    ]
    removed = [path for path in stale if path.is_file()]
    for path in removed:
        path.unlink()
    return removed


def remove_stale_day_maps(out_dir: Path, *, days: int) -> list[Path]:
    """Delete ``day-N.html`` maps with N > *days* left in *out_dir* by an earlier, longer plan."""
    removed: list[Path] = []
    for path in sorted(out_dir.glob("day-*.html")):
        match = _DAY_MAP.fullmatch(path.name)
        if match is not None and int(match.group(1)) > days and path.is_file():
            path.unlink()
            removed.append(path)
    return removed


@contextlib.contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A ``report(step)`` callback; with *enabled*, a transient rich progress on stderr."""
    if not enabled:
        yield lambda _step: None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("outputs: {task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("start", total=None)

        def report(step: str) -> None:
            bar.update(task, description=step, advance=1)

        yield report


__all__ = [
    "EXPORT_FORMATS",
    "OUTPUT_FORMATS",
    "OutputFormat",
    "OutputWorker",
    "RenderJob",
    "parse_formats",
    "remove_outdated_outputs",
    "remove_stale_day_maps",
    "render_into",
    "write_exports",
    "write_outputs",
]
