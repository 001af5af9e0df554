"""Map HTML files: self-contained, escaped, within budget (no browser needed here)."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from _demo_fixtures import ItineraryCase
from _sample import HOSTILE, sample_itinerary
from click.testing import CliRunner

from maps import build_map, write_maps
from maps._map_assets import inline_css, inline_js
from maps._map_legend import legend_html
from maps._map_stops import SlotCounter, stop_specs
from maps._map_style import DAY_PALETTE, NEUTRAL, day_colour, day_label
from tours._errors import InputError
from tours.cli import cli
from tours.itinerary import OSM_ATTRIBUTION

DAY_MAP_BUDGET = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def written(
    itinerary_case: ItineraryCase, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ItineraryCase, list[Path]]:
    """The case's maps with its base map, written once per module."""
    out = tmp_path_factory.mktemp(f"maps-{itinerary_case.name}") / "maps"
    return itinerary_case, write_maps(itinerary_case.itinerary, out, basemap=itinerary_case.basemap)


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_writes_overview_and_one_map_per_day(written: tuple[ItineraryCase, list[Path]]) -> None:
    case, paths = written
    itinerary = case.itinerary
    days = [f"day-{n}.html" for n in range(1, len(itinerary.days) + 1)]
    assert [p.name for p in paths] == ["overview.html", *days]
    assert all(p.is_file() for p in paths)
    # staged writes leave no scratch files behind
    assert sorted(p.name for p in paths[0].parent.iterdir()) == sorted(p.name for p in paths)
    for path in paths:
        assert path.stat().st_size <= DAY_MAP_BUDGET, path.name
        html = _html(path)
        assert OSM_ATTRIBUTION.removeprefix("© ") in html  # "©" arrives JSON-escaped
        assert f"<title>{escape(itinerary.title)} — " in html
        assert "tours-basemap" in html


def test_offline_maps_reference_no_remote_resource(
    written: tuple[ItineraryCase, list[Path]],
) -> None:
    for path in written[1]:
        html = _html(path)
        assert not re.search(r"<script[^>]+src=", html)
        assert not re.search(r"<link[^>]+stylesheet", html)
        for host in ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn"):
            assert host not in html
        assert "tile.openstreetmap.org" not in html
        assert not re.search(r"url\((['\"]?)(?!data:)[^)'\"]+\.(png|svg|gif)", html)
        assert "sourceMappingURL" not in html
        assert "L.Control.FullScreen" in html
        assert "L.control.locate" in html


def test_online_adds_tiles_and_keeps_vector_fallback(
    tmp_path: Path, sample_case: ItineraryCase
) -> None:
    paths = write_maps(sample_case.itinerary, tmp_path, basemap=sample_case.basemap, offline=False)
    html = _html(paths[1])
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "tileerror" in html  # falls back to the vector base map when tiles fail
    assert not re.search(r"<script[^>]+src=", html)


def test_untrusted_text_never_appears_as_markup(tmp_path: Path) -> None:
    for path in write_maps(sample_itinerary(), tmp_path):
        html = _html(path)
        assert HOSTILE not in html
        assert "<script>alert(2)" not in html
        assert "Sample <Delegation>" not in html
        assert "<b>" not in html  # from the Chinese name 人民公园<b>
    day2 = _html(tmp_path / "day-2.html")
    # the hostile name is there as escaped HTML text inside JSON data
    assert r"\u0026lt;img src=x onerror=alert(1)\u0026gt;" in day2


def _marker_ids(html: str) -> set[str]:
    """The ids of the stop markers a map draws (from the JSON its script holds)."""
    return set(re.findall(r'"id": "(d\d+:[^"]+)"', html))


def test_day_map_contains_only_its_day(written: tuple[ItineraryCase, list[Path]]) -> None:
    case, paths = written
    overview, day_maps = _marker_ids(_html(paths[0])), paths[1:]
    wanted_all: set[str] = set()
    for number, (day, path) in enumerate(zip(case.itinerary.days, day_maps, strict=True), 1):
        wanted = {f"d{number}:{stop.uid}" for stop in day.stops}
        wanted |= {f"d{number}:waypoint:{place.id}" for place in day.waypoints}  # coach stops
        ids = _marker_ids(_html(path))
        assert {i for i in ids if not i.endswith(("start", "end"))} == wanted, path.name
        wanted_all |= wanted
    assert {i for i in overview if not i.endswith(("start", "end"))} == wanted_all


def test_sample_day_maps_split_by_day(tmp_path: Path) -> None:
    itinerary = sample_itinerary()
    write_maps(itinerary, tmp_path)
    day1, day2 = _html(tmp_path / "day-1.html"), _html(tmp_path / "day-2.html")
    assert "Opening ceremony" in day1
    assert "Opening ceremony" not in day2
    assert "Wenshu Monastery" in day2
    assert "Wenshu Monastery" not in day1
    overview = _html(tmp_path / "overview.html")
    assert "Opening ceremony" in overview
    assert "Wenshu Monastery" in overview


def test_inlined_assets_need_no_files() -> None:
    css = inline_css()
    assert "url(images/" not in css
    assert "data:image/png;base64," in css
    js = inline_js()
    assert "</script" not in js.lower()
    assert "L.Control.Locate" in js


def test_bad_selection_and_empty_itinerary(tmp_path: Path) -> None:
    itinerary = sample_itinerary()
    with pytest.raises(InputError, match=r"`days` must be between 1 and 2, got 3"):
        build_map(itinerary, days=[3])
    empty = itinerary.model_copy(update={"days": []})
    with pytest.raises(InputError, match="no days"):
        write_maps(empty, tmp_path)
    assert not list(tmp_path.glob("*.html"))


def test_cli_map_writes_offline_maps_with_basemap(tmp_path: Path, chengdu_pbf: Path) -> None:
    source = tmp_path / "itinerary.json"
    source.write_text(sample_itinerary().to_json(), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["map", str(source), "-o", str(out), "--osm", str(chengdu_pbf)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        str(out / n) for n in ("overview.html", "day-1.html", "day-2.html")
    ]
    html = (out / "day-1.html").read_text(encoding="utf-8")
    assert "tours-basemap" in html
    assert "tile.openstreetmap.org" not in html

    online = CliRunner().invoke(
        cli, ["map", str(source), "-o", str(tmp_path / "on"), "--online", "--osm", str(chengdu_pbf)]
    )
    assert online.exit_code == 0, online.output
    assert "tile.openstreetmap.org" in (tmp_path / "on" / "day-1.html").read_text(encoding="utf-8")


def test_cli_map_bad_inputs_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "itinerary.json"
    source.write_text(sample_itinerary().to_json(), encoding="utf-8")
    missing = CliRunner().invoke(cli, ["map", str(source), "--osm", str(tmp_path / "no.osm")])
    assert missing.exit_code == 2
    assert "no.osm` not found" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": 1}', encoding="utf-8")
    bad = CliRunner().invoke(cli, ["map", str(broken), "--no-basemap"])
    assert bad.exit_code == 2
    assert "field `" in bad.output


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_day_colours_are_distinct_and_their_labels_readable() -> None:
    fills = [colour["fill"] for colour in DAY_PALETTE]
    assert len(set(fills)) == len(fills) == 6
    assert NEUTRAL["fill"] not in fills
    for colour in DAY_PALETTE:
        # WCAG 2 minimum for bold text of this size and for graphics
        assert _contrast(colour["fill"], colour["ink"]) >= 3.0, colour
    assert [day_colour(n)["fill"] for n in (1, 2, 7)] == [fills[0], fills[1], fills[0]]


def test_stops_carry_their_day_colour_and_the_day_in_multi_day_labels() -> None:
    itinerary = sample_itinerary()
    slots = SlotCounter()
    for number, day in enumerate(itinerary.days, start=1):
        several = stop_specs(day, number, slots, with_day=True)
        single = stop_specs(day, number, SlotCounter())
        stops = [spec for spec in several if spec["kind"] != "base"]
        assert [spec["label"] for spec in stops] == [
            f"{number}\N{MIDDLE DOT}{k}" for k in range(1, len(day.stops) + 1)
        ]
        assert [spec["label"] for spec in single if spec["kind"] != "base"] == [
            str(k) for k in range(1, len(day.stops) + 1)
        ]
        assert {spec["fill"] for spec in stops} == {day_colour(number)["fill"]}
        # the hotel is every day's: neutral, and its markers on all days stack as one
        bases = [spec for spec in several if spec["kind"] == "base"]
        assert all(spec["fill"] is None and spec["stack"] for spec in bases)


def test_legend_lists_the_days_in_their_colours() -> None:
    days = [(n, day_label(n, day.date)) for n, day in enumerate(sample_itinerary().days, 1)]
    both = legend_html(days=days, modes={"walk", "coach"}, kinds={"base", "visit"}, must=True)
    for number, label in days:
        assert f'data-day="{number}"' in both
        assert f"--day: {day_colour(number)['fill']}" in both
        assert escape(label) in both
    assert f'stroke="{NEUTRAL["fill"]}"' in both  # modes by pattern, grey when days differ
    assert "Must-see" in both
    one = legend_html(days=days[1:], modes={"walk"}, kinds={"visit"})
    assert f'stroke="{day_colour(2)["fill"]}"' in one
    assert 'stroke-dasharray="1 9"' in one
    assert "Must-see" not in one
