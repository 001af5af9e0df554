"""Tampered itinerary files: one line naming the file and field, exit code 2, no traceback,
nothing written; a saved hand-built itinerary is re-rendered with ``tours export``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _cli import one_line_exit_2 as _one_line_exit_2
from _sample import sample_itinerary
from click.testing import CliRunner

from tours.cli import cli
from tours.itinerary import Itinerary, PlaceRef


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
