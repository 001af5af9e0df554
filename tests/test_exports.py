"""The printable and portable exports, read back with independent tools.

PDF through poppler (``pdftotext``, ``pdfinfo``, ``pdffonts``, ``pdfimages``), HTML through
the standard library's parser, ICS through icalendar, GPX through gpxpy, CSV through ``csv``.

Every test is parameterised on an itinerary: the hand-built sample and the planned demo
(``_demo_fixtures``) always; a saved ``itinerary.json`` too when ``TOURS_EXPORT_ITINERARY``
names one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import os
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import gpxpy
import pytest
from _sample import HOSTILE, sample_itinerary
from icalendar import Calendar

from maps._schedule import day_rows
from maps.csv_export import COLUMNS, csv_bytes
from maps.print_pdf import DASH
from tours.itinerary import Day, Itinerary, Leg
from tours.outputs import EXPORT_FORMATS as FORMATS
from tours.outputs import write_exports
from tours.timetext import ceil_minute

_CASES = ["sample", "demo"] + (["file"] if os.environ.get("TOURS_EXPORT_ITINERARY") else [])


@dataclass(frozen=True)
class Rendered:
    itinerary: Itinerary
    out: Path
    seconds: float

    def path(self, fmt: str) -> Path:
        return self.out / f"itinerary.{fmt}"


def _load(request: pytest.FixtureRequest) -> tuple[Itinerary, dict[str, Any] | None]:
    """The case's itinerary and base map (the sample is drawn without one)."""
    if request.param == "sample":
        return sample_itinerary(), None
    if request.param == "demo":
        demo = request.getfixturevalue("demo_plan")
        return demo.itinerary, demo.basemap
    return Itinerary.load(Path(os.environ["TOURS_EXPORT_ITINERARY"])), None


@pytest.fixture(scope="module", params=_CASES)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Every format of the itinerary rendered once per module (timed)."""
    itinerary, basemap = _load(request)
    out = tmp_path_factory.mktemp(f"exports-{request.param}")
    t0 = time.perf_counter()
    paths = write_exports(itinerary, out, formats=set(FORMATS), basemap=basemap)
    seconds = time.perf_counter() - t0
    assert [p.name for p in paths] == [f"itinerary.{fmt}" for fmt in FORMATS]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    return Rendered(itinerary, out, seconds)


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def _squash(text: str) -> str:
    """Text without any whitespace (table cells may wrap anywhere)."""
    return "".join(text.split())


def _local_hhmm(moment: dt.datetime, itinerary: Itinerary) -> str:
    """The time as every output shows it: city-local, rounded up to the minute."""
    return ceil_minute(moment.astimezone(ZoneInfo(itinerary.city.timezone))).strftime("%H:%M")


# --- PDF -------------------------------------------------------------------------------


def test_pdf_lists_every_stop_with_both_names_and_time(rendered: Rendered) -> None:
    text = _run("pdftotext", "-enc", "UTF-8", rendered.path("pdf"), "-")
    it = rendered.itinerary
    starts = [text.index(f"Day {n} {DASH}") for n in range(1, len(it.days) + 1)]
    assert starts == sorted(starts)
    tz = ZoneInfo(it.city.timezone)
    for n, day in enumerate(it.days):
        section = _squash(text[starts[n] : starts[n + 1] if n + 1 < len(starts) else None])
        for row in day_rows(day, tz):
            assert _squash(row.place.name_en) in section, row.place.name_en
            if row.place.name_zh:
                assert _squash(row.place.name_zh) in section, row.place.name_zh
            assert _local_hhmm(row.start, it) in section, (row.place.name_en, row.start)
        for stop in day.stops:
            assert f"{_local_hhmm(stop.start, it)}{DASH}{_local_hhmm(stop.end, it)}" in section


def test_pdf_shows_hostile_names_as_literal_text(rendered: Rendered) -> None:
    text = _squash(_run("pdftotext", "-enc", "UTF-8", rendered.path("pdf"), "-"))
    names = {stop.place.name_en for day in rendered.itinerary.days for stop in day.stops}
    if rendered.itinerary == sample_itinerary():
        assert HOSTILE in names
        assert _squash("Tea & <script>alert(2)</script>") in text
        assert _squash("Sample <Delegation>") in text
    for name in names:
        assert _squash(name) in text


def test_pdf_is_a4_with_attribution_on_every_page(rendered: Rendered) -> None:
    info = _run("pdfinfo", rendered.path("pdf"))
    assert "pts (A4)" in info
    pages = _run("pdftotext", "-enc", "UTF-8", rendered.path("pdf"), "-").split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) == int(
        next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    )
    assert len(pages) >= 1 + len(rendered.itinerary.days)
    for page in pages:
        assert "© OpenStreetMap contributors" in page


def test_pdf_embeds_a_cjk_font_and_one_map_per_day(rendered: Rendered) -> None:
    fonts = _run("pdffonts", rendered.path("pdf"))
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line.replace("-", "")]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded
    images = _run("pdfimages", "-list", rendered.path("pdf")).splitlines()[2:]
    assert [line.split()[2] for line in images].count("image") == len(rendered.itinerary.days)


# --- HTML ------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_untrusted_text_and_embeds_maps(rendered: Rendered) -> None:
    html = rendered.path("html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags
    assert all(not name.startswith("on") for _, attrs in parser.tags for name in attrs)
    images = [attrs["src"] or "" for tag, attrs in parser.tags if tag == "img"]
    assert len(images) == len(rendered.itinerary.days)
    assert all(src.startswith("data:image/png;base64,") for src in images)
    text = _squash("".join(parser.text))
    for day in rendered.itinerary.days:
        for stop in day.stops:
            assert _squash(stop.place.name_en) in text
            assert _squash(stop.place.name_zh) in text
    if rendered.itinerary == sample_itinerary():
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<img src=x" not in html
        assert "人民公园&lt;b&gt;" in html


# --- ICS -------------------------------------------------------------------------------


def _events(path: Path) -> list[Calendar]:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_ics_has_one_event_per_stop_at_planned_local_times(rendered: Rendered) -> None:
    it = rendered.itinerary
    cal = Calendar.from_ical(rendered.path("ics").read_bytes())
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [it.city.timezone]
    # travel blocks (departures, transfers) are checked in test_exports_day.py
    stop_events = [ev for ev in cal.walk("VEVENT") if "travel" not in ev.get("CATEGORIES").cats]
    events = {str(ev["UID"]): ev for ev in stop_events}
    stops = [stop for day in it.days for stop in day.stops]
    assert len(events) == len(stops) == len(stop_events)
    zone = ZoneInfo(it.city.timezone)
    for stop in stops:
        ev = events[stop.uid]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert str(start.tzinfo) == it.city.timezone
        assert start.replace(tzinfo=None) == stop.start.astimezone(zone).replace(tzinfo=None)
        assert end.replace(tzinfo=None) == stop.end.astimezone(zone).replace(tzinfo=None)
        assert start == stop.start
        assert stop.place.name_en in str(ev["SUMMARY"]) + str(ev["LOCATION"])
        assert stop.place.name_zh in str(ev["LOCATION"])
        geo = ev.decoded("GEO")
        assert tuple(geo) == pytest.approx((stop.place.lat, stop.place.lon))
    travelled = [ev for ev in events.values() if "Getting there:" in str(ev["DESCRIPTION"])]
    assert travelled


def test_ics_is_identical_across_runs(rendered: Rendered, tmp_path: Path) -> None:
    write_exports(rendered.itinerary, tmp_path, formats={"ics"})
    again = tmp_path / "itinerary.ics"
    assert again.read_bytes() == rendered.path("ics").read_bytes()
    uids = [str(ev["UID"]) for ev in _events(again)]
    assert uids == [str(ev["UID"]) for ev in _events(rendered.path("ics"))]
    assert len(set(uids)) == len(uids)


# --- GPX -------------------------------------------------------------------------------


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _expected_points(day: Day) -> int:
    legs = [leg for leg in day.items if isinstance(leg, Leg)]
    joins = sum(
        1
        for a, b in itertools.pairwise(legs)
        if a.geometry and b.geometry and a.geometry[-1] == b.geometry[0]
    )
    inner = sum(sum(1 for p, q in itertools.pairwise(leg.geometry) if p == q) for leg in legs)
    return sum(len(leg.geometry) for leg in legs) - joins - inner


def test_gpx_track_follows_the_legs_from_and_to_the_hotel(rendered: Rendered) -> None:
    text = rendered.path("gpx").read_text(encoding="utf-8")
    assert 'xmlns="http://www.topografix.com/GPX/1/1"' in text
    gpx = gpxpy.parse(text)
    it = rendered.itinerary
    assert gpx.version == "1.1"
    # a track per walking or coach stretch (test_exports_day.py), named "Day N · ..."
    assert {int((t.name or "").split()[1]) for t in gpx.tracks} == set(range(1, len(it.days) + 1))
    for number, day in enumerate(it.days, start=1):
        tracks = [t for t in gpx.tracks if (t.name or "").startswith(f"Day {number} ")]
        points = [
            (p.latitude, p.longitude) for t in tracks for seg in t.segments for p in seg.points
        ]
        points = [pt for i, pt in enumerate(points) if i == 0 or points[i - 1] != pt]
        assert len(points) == _expected_points(day)
        start = (day.start_place.lat, day.start_place.lon)
        end = (day.end_place.lat, day.end_place.lon)
        assert _metres(points[0], start) < 150
        assert _metres(points[-1], end) < 150
        # every leg's geometry is on the track, in order
        legs = day.legs
        position = 0
        for leg in legs:
            first = tuple(leg.geometry[0])
            position = points.index(first, max(position - 1, 0))
        assert position < len(points)


def test_gpx_waypoints_name_stops_in_both_languages(rendered: Rendered) -> None:
    gpx = gpxpy.parse(rendered.path("gpx").read_text(encoding="utf-8"))
    names = [wpt.name or "" for wpt in gpx.waypoints]
    for number, day in enumerate(rendered.itinerary.days, start=1):
        for stop in day.stops:
            wanted = [
                n
                for n in names
                if n.startswith(f"D{number}-")
                and stop.place.name_en in n
                and stop.place.name_zh in n
            ]
            assert wanted, stop.place.name_en
    assert all(wpt.time is not None for wpt in gpx.waypoints)


# --- CSV -------------------------------------------------------------------------------


def test_csv_has_one_row_per_item_with_bom(rendered: Rendered) -> None:
    data = rendered.path("csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    items = [(n, item) for n, day in enumerate(rendered.itinerary.days, 1) for item in day.items]
    assert len(rows) == len(items)
    assert tuple(rows[0]) == COLUMNS
    for row, (number, item) in zip(rows, items, strict=True):
        assert row["day"] == str(number)
        assert row["kind"] == item.kind
        assert row["uid"] == item.uid
        assert row["start"] == _local_hhmm(item.start, rendered.itinerary)
        if isinstance(item, Leg):
            assert (row["from_id"], row["to_id"], row["mode"]) == (
                item.from_id,
                item.to_id,
                item.mode,
            )
            assert float(row["distance_m"]) == pytest.approx(item.distance_m, abs=0.5)
        else:
            assert row["place_id"] == item.place.id
            assert row["name_zh"].lstrip("'") == item.place.name_zh


def test_csv_neutralises_spreadsheet_formulas() -> None:
    text = sample_itinerary().to_json().replace("Tianfu Square", "=HYPERLINK(1)")
    rows = list(
        csv.DictReader(io.StringIO(csv_bytes(Itinerary.from_json(text)).decode("utf-8-sig")))
    )
    names = {row["name_en"] for row in rows if row["place_id"] == "tianfu_square"}
    assert names == {"'=HYPERLINK(1)"}


def test_render_time_is_reasonable(rendered: Rendered) -> None:
    assert rendered.seconds < 60
