"""Hostile input: malformed and malicious requests, tampered itineraries, bad options.

Every case must fail with one line naming the file and field, exit code 2, no traceback and
nothing written (issue 16, findings 5-7 and 9). Request cases run ``tours check
--no-network``; itinerary cases re-render a saved hand-built itinerary with ``tours export``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _sample import sample_itinerary
from click.testing import CliRunner, Result

from tours._errors import InputError
from tours.cli import cli
from tours.itinerary import Itinerary, PlaceRef
from tours.planning.request import parse_request

BASE = """\
version: 1
title: Test visit
delegation: {name: Test group, size: 4}
dates: [2025-03-21]
places:
  must_see: [wenshu-monastery]
"""


def _one_line_exit_2(result: Result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = result.output.strip()
    assert "Traceback" not in text
    assert len(text.splitlines()) == 1, text
    for needle in needles:
        assert needle in text, text
    return text


def _check(tmp_path: Path, text: str | bytes) -> Result:
    path = tmp_path / "request.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["check", "--no-network", str(path)])


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for k in range(1, levels + 1):
        refs = ", ".join([f"*a{k - 1}"] * 9)
        lines.append(f"a{k}: &a{k} [{refs}]")
    return "\n".join(lines) + "\n"


REQUEST_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "alias bomb": (_bomb(), ("alias",)),
    "recursive alias": ("a: &a [*a]\n", ("recursive alias", "line 1")),
    "recursive mapping alias": ("&a {x: *a}\n", ("recursive alias",)),
    "deep lists": ("[" * 5000 + "]" * 5000 + "\n", ("nested more than",)),
    "deep mappings": (
        "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n",
        ("nested more than",),
    ),
    "boolean size": (
        BASE.replace("size: 4", "size: true"),
        ("field `delegation.size`", "valid integer", "True"),
    ),
    "float size": (BASE.replace("size: 4", "size: 4.5"), ("field `delegation.size`",)),
    "timestamp date": (
        BASE.replace("[2025-03-21]", "[1742515200]"),
        ("field `dates[0]`", "YYYY-MM-DD"),
    ),
    "impossible date": (BASE.replace("2025-03-21", "2025-02-30"), ("field `dates[0]`",)),
    "far future date": (BASE.replace("2025-03-21", "9999-12-31"), ("field `dates[0]`",)),
    "NUL in title": (
        BASE.replace("title: Test visit", 'title: "Te\\0st"'),
        ("field `title`", "U+0000"),
    ),
    "escape in a name": (
        BASE.replace("name: Test group", 'name: "A\\x1b[31m"'),
        ("field `delegation.name`", "U+001B"),
    ),
    "long title": (
        BASE.replace("title: Test visit", "title: " + "x" * 100_000),
        ("field `title`", "at most 200"),
    ),
    "infinite number": (
        BASE + "travel: {walk_max_min: 1e999}\n",
        ("field `travel.walk_max_min`", "finite"),
    ),
    "nan as text": (BASE + "buffer_min: .nan\n", ("field `buffer_min`",)),
    "negative size": (BASE.replace("size: 4", "size: -3"), ("field `delegation.size`",)),
    "huge list": (
        BASE.replace(
            "must_see: [wenshu-monastery]",
            "optional: [" + ",".join(f"p{i}" for i in range(5000)) + "]",
        ),
        ("field `places.optional`", "at most 200"),
    ),
    "not a mapping": ("- just\n- a list\n", ("YAML mapping",)),
}


@pytest.mark.parametrize("case", sorted(REQUEST_CASES))
def test_hostile_request_is_one_line_exit_2(tmp_path: Path, case: str) -> None:
    text, needles = REQUEST_CASES[case]
    started = time.perf_counter()
    result = _check(tmp_path, text)
    assert time.perf_counter() - started < 10
    _one_line_exit_2(result, "request.yaml", *needles)


def test_alias_bomb_stops_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match="alias"):
        parse_request(_bomb(12), source="bomb.yaml")
    assert time.perf_counter() - started < 5


def test_plain_aliases_still_work() -> None:
    text = BASE.replace("dates: [2025-03-21]", "dates: [&d 2025-03-21]\nappointments: []").replace(
        "must_see: [wenshu-monastery]", "must_see: [wenshu-monastery]\n  optional: []"
    )
    request = parse_request(
        text + "meals: [{window: &w {start: '12:00', end: '14:00'}, minutes: 60, dates: [*d]}]\n",
        source="r.yaml",
    )
    assert request.meals[0].window.start == 12 * 60


def test_dev_zero_is_refused_by_size(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--no-network", "/dev/zero"])
    _one_line_exit_2(result, "/dev/zero", "larger than")


def test_binary_and_folder_requests(tmp_path: Path) -> None:
    _one_line_exit_2(_check(tmp_path, b"\xff\xfe\x00bad"), "not UTF-8")
    result = CliRunner().invoke(cli, ["check", "--no-network", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# -- tampered itineraries ------------------------------------------------------------------


def _tamper(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads(sample_itinerary().to_json())
    change(data)
    path = tmp_path / "itinerary.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _first_stop(data: dict[str, Any]) -> dict[str, Any]:
    return next(item for item in data["days"][0]["items"] if item["kind"] != "leg")


def _stop_index(data: dict[str, Any]) -> int:
    return next(k for k, item in enumerate(data["days"][0]["items"]) if item["kind"] != "leg")


def _first_leg(data: dict[str, Any]) -> dict[str, Any]:
    return next(item for item in data["days"][0]["items"] if item["kind"] == "leg")


ITINERARY_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], tuple[str, ...]]] = {
    "latitude 1000": (
        lambda d: _first_stop(d)["place"].__setitem__("lat", 1000),
        (".place.lat`", "less than or equal to 90"),
    ),
    "unknown time zone": (
        lambda d: d["city"].__setitem__("timezone", "Mars/Olympus"),
        ("field `city.timezone`", "Mars/Olympus"),
    ),
    "no days": (lambda d: d.__setitem__("days", []), ("field `days`",)),
    "items out of order": (
        lambda d: d["days"][0]["items"].reverse(),
        ("field `days[0]`", "before the item before it"),
    ),
    "leg to an unknown place": (
        lambda d: _first_leg(d).__setitem__("to_id", "nowhere"),
        ("`days[0].items[0]` is a leg", "`nowhere`"),
    ),
    "NUL in a name": (
        lambda d: _first_stop(d)["place"].__setitem__("name_en", "Bad\u0000name"),
        (".place.name_en`", "U+0000"),
    ),
    "NaN distance": (
        lambda d: _first_leg(d).__setitem__("distance_m", float("nan")),
        (".distance_m`", "finite"),
    ),
    "geometry off the earth": (
        lambda d: _first_leg(d)["geometry"].__setitem__(0, [500, 10]),
        (".geometry`", "latitude"),
    ),
    "huge title": (lambda d: d.__setitem__("title", "x" * 100_000), ("field `title`",)),
}


@pytest.mark.parametrize("case", sorted(ITINERARY_CASES))
def test_tampered_itinerary_names_file_and_field(tmp_path: Path, case: str) -> None:
    change, needles = ITINERARY_CASES[case]
    path = _tamper(tmp_path, change)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(path), "--formats", "gpx,csv", "-o", str(out)])
    _one_line_exit_2(result, str(path), *needles)
    assert not out.exists()


def test_field_path_names_the_item(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        _first_stop(data)["place"]["lat"] = 1000

    path = _tamper(tmp_path, change)
    k = _stop_index(json.loads(path.read_text()))
    result = CliRunner().invoke(
        cli, ["export", str(path), "--formats", "csv", "-o", str(tmp_path / "o")]
    )
    _one_line_exit_2(result, f"field `days[0].items[{k}].place.lat`")


def test_not_json_and_wrong_shape(tmp_path: Path) -> None:
    for text in ('{"title": ', "[]", "[" * 100_000 + "]" * 100_000):
        path = tmp_path / "itinerary.json"
        path.write_text(text)
        result = CliRunner().invoke(
            cli, ["map", str(path), "--no-basemap", "-o", str(tmp_path / "o")]
        )
        _one_line_exit_2(result, str(path))


def test_osm_text_with_control_characters_is_stripped() -> None:
    from tours.places.pack import load_city_pack  # noqa: PLC0415

    pack = load_city_pack()
    place = next(iter(pack.places.values()))
    dirty = place.model_copy(update={"notes": "open\u0000 daily\u0007"})
    assert dirty.to_ref().notes == "open daily"
    with pytest.raises(ValueError, match="U\\+0000"):
        PlaceRef(id="x", name_en="a\u0000b", lat=0, lon=0)


def test_itinerary_round_trip_is_unchanged() -> None:
    itinerary = sample_itinerary()
    assert Itinerary.from_json(itinerary.to_json()) == itinerary


# -- bad options ---------------------------------------------------------------------------


def test_empty_output_folder(saved: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(saved), "--formats", "csv", "-o", ""])
    assert result.exit_code == 2  # a usage error: click adds its usage line
    assert "Invalid value for '-o' / '--out': the folder name is empty" in result.output


def test_output_name_too_long(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / ("n" * 300)
    result = CliRunner().invoke(cli, ["export", str(saved), "--formats", "csv", "-o", str(out)])
    _one_line_exit_2(result, "longer than")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e400"])
def test_time_limit_must_be_finite(tmp_path: Path, value: str) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(BASE)
    result = CliRunner().invoke(
        cli, ["plan", str(request), "-o", str(tmp_path / "o"), "--time-limit", value]
    )
    assert result.exit_code == 2
    assert "--time-limit" in result.output
    assert not (tmp_path / "o").exists()


def test_huge_delay_is_refused(saved: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "replan",
            str(saved),
            "--now",
            "2025-03-21 12:00",
            "--delay",
            "99999999999",
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "--delay" in result.output


def test_cache_folder_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from routing import CacheError  # noqa: PLC0415
    from routing._cache import read_entry, write_atomic  # noqa: PLC0415

    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOURS_CACHE_DIR", str(blocker))
    with pytest.raises(CacheError, match="is a file, not a folder"):
        write_atomic(blocker / "networks" / "x.net", b"data")
    with pytest.raises(CacheError, match="TOURS_CACHE_DIR"):
        read_entry(blocker / "networks" / "x.net")
