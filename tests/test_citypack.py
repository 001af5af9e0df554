"""The Chengdu pack validates, and bad packs fail with messages naming file, place and field."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from _chengdu_sights import CENTRAL_SIGHTS

from tours._errors import InputError, UnknownPlaceError
from tours.itinerary import PlaceRef
from tours.places.hours import OpeningHours
from tours.places.pack import CATEGORIES, default_city_pack_dir, load_city_pack

REQUIRED_CENTRAL = list(CENTRAL_SIGHTS)
REQUIRED_OUTSIDE = [
    "wuhou-shrine",
    "jinli",
    "du-fu-thatched-cottage",
    "sichuan-museum",
    "panda-base",
]
REQUIRED_CREATIVE = [
    "eastern-suburb-memory",
    "hongxing-road-35",
    "shaocheng-shijing",
    "tianfu-software-park",
]


def test_chengdu_pack_loads_with_every_required_place() -> None:
    pack = load_city_pack()
    assert pack.id == "chengdu"
    assert (pack.name_en, pack.name_zh, pack.timezone) == ("Chengdu", "成都", "Asia/Shanghai")
    assert pack.osm_extract == "chengdu-central-2018.osm.bz2"
    assert len(pack.places) >= 25
    for pid in REQUIRED_CENTRAL + REQUIRED_OUTSIDE + REQUIRED_CREATIVE:
        assert pid in pack.places, pid
    cats = {p.category for p in pack.places.values()}
    assert {"restaurant", "hotel", "venue", "creative_park"} <= cats
    assert pack.places[pack.default_start].category == "hotel"
    assert pack.default_venue is not None
    assert pack.places[pack.default_venue].category == "venue"


@pytest.mark.parametrize("pid", list(load_city_pack().places))
def test_every_place_validates(pid: str) -> None:
    pack = load_city_pack()
    p = pack.places[pid]
    west, south, east, north = pack.bounds
    assert south <= p.lat <= north and west <= p.lon <= east
    assert p.names.en and p.names.zh
    assert p.category in CATEGORIES
    assert 0 < p.min_visit_minutes <= p.visit_minutes
    assert p.sources
    assert all(s.checked is not None and s.checked <= dt.date.today() for s in p.sources)
    covered = {f for s in p.sources for f in s.facts}
    assert {"names", "coordinates", "visit"} <= covered
    if p.opening_hours is not None:
        assert "opening_hours" in covered
        hours = pack.hours(p)
        assert isinstance(hours, OpeningHours)
        hours.intervals_on(dt.date(2026, 5, 5))  # evaluates without error
    ref = p.to_ref()
    assert isinstance(ref, PlaceRef)
    assert (ref.id, ref.name_en, ref.name_zh, ref.lat) == (p.id, p.names.en, p.names.zh, p.lat)


def test_known_hours_from_the_brief() -> None:
    pack = load_city_pack()
    monday, tuesday = dt.date(2026, 5, 4), dt.date(2026, 5, 5)
    assert pack.hours("chengdu-museum").intervals_on(monday) == []  # type: ignore[union-attr]
    wenshu = pack.hours("wenshu-monastery")
    assert wenshu is not None
    assert [(a.hour, b.hour) for a, b in wenshu.intervals_on(monday)] == [(8, 17)]
    museum = pack.hours("sichuan-museum")
    assert museum is not None and museum.intervals_on(monday) == []
    assert [(a.hour, b.hour) for a, b in museum.intervals_on(tuesday)] == [(9, 17)]
    assert museum.comment(dt.datetime(2026, 5, 5, 10)) == "last entry 16:00"
    wuhou = pack.hours("wuhou-shrine")
    assert wuhou is not None
    summer = wuhou.intervals_on(dt.date(2026, 7, 1))[0][1]
    winter = wuhou.intervals_on(dt.date(2026, 1, 6))[0][1]
    assert (summer.hour, summer.minute, winter.hour, winter.minute) == (20, 0, 18, 30)
    for pid in ("kuanzhai-alley", "jinli"):
        h = pack.hours(pid)
        assert h is not None and h.next_change(dt.datetime(2026, 5, 5, 3)) is None


def test_lookup_by_name_in_any_script() -> None:
    pack = load_city_pack()
    assert pack.place("文殊院").id == "wenshu-monastery"
    assert pack.place("tianfu square").id == "tianfu-square"
    assert pack.place("Wuhou-Schrein").id == "wuhou-shrine"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("wenshu", "wenshu-monastery"),
        ("chengdu musem", "chengdu-museum"),
        ("宽窄", "kuanzhai-alley"),
    ],
)
def test_unknown_id_suggests_close_matches(typed: str, expected: str) -> None:
    pack = load_city_pack()
    with pytest.raises(UnknownPlaceError, match="did you mean") as info:
        pack.place(typed)
    assert f"`{expected}`" in str(info.value)
    assert pack.suggest(typed)[0].id == expected


# --- bad packs -------------------------------------------------------------------------------


def _copy_pack(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    dest.mkdir()
    for name in ("city.yaml", "places.yaml"):
        shutil.copy(default_city_pack_dir() / name, dest / name)
    return dest


def _edit(pack_dir: Path, pid: str, **changes: object) -> None:
    path = pack_dir / "places.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["places"]:
        if entry["id"] == pid:
            for key, value in changes.items():
                if value is _DELETE:
                    del entry[key]
                else:
                    entry[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


_DELETE = object()


def _error(pack_dir: Path) -> str:
    with pytest.raises(InputError) as info:
        load_city_pack(pack_dir)
    return str(info.value)


def test_invalid_opening_hours_names_file_place_and_field(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    _edit(pack_dir, "daci-temple", opening_hours="8:30——17:30")
    msg = _error(pack_dir)
    assert "places.yaml" in msg and "place `daci-temple`" in msg
    assert "field `opening_hours`" in msg and "'8:30——17:30'" in msg


def test_duplicate_id(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    path = pack_dir / "places.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["places"].append(dict(data["places"][0]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    msg = _error(pack_dir)
    assert "places.yaml" in msg and "place `tianfu-square`" in msg
    assert "field `id`" in msg and "duplicate" in msg


def test_coordinates_outside_city_bounds(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    _edit(pack_dir, "jinli", lat=29.5630, lon=106.5516)  # Chongqing, not Chengdu
    msg = _error(pack_dir)
    assert "place `jinli`" in msg and "field `lat`" in msg and "outside the city bounds" in msg
    assert "(29.563, 106.5516)" in msg


def test_swapped_coordinates_are_rejected(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    _edit(pack_dir, "jinli", lat=104.0497, lon=30.6452)
    msg = _error(pack_dir)
    assert "place `jinli`" in msg and "field `lat`" in msg and "104.0497" in msg


def test_missing_required_field(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    _edit(pack_dir, "peoples-park", visit_minutes=_DELETE)
    msg = _error(pack_dir)
    assert "places.yaml" in msg and "place `peoples-park`" in msg
    assert "field `visit_minutes` is missing" in msg


def test_missing_source_for_a_fact(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    _edit(
        pack_dir,
        "chunxi-road",
        sources=[
            {"facts": ["names", "coordinates", "visit"], "title": "x", "checked": "2026-11-26"}
        ],
    )
    msg = _error(pack_dir)
    assert "place `chunxi-road`" in msg and "field `sources`" in msg and "opening_hours" in msg


def test_duplicate_yaml_key_inside_a_place(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    path = pack_dir / "places.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    lat: 30.659794\n", "    lat: 30.659794\n    lat: 30.7\n", 1)
    path.write_text(text, encoding="utf-8")
    msg = _error(pack_dir)
    assert "places.yaml" in msg and "duplicate key `lat`" in msg


def test_unknown_default_start(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    city = pack_dir / "city.yaml"
    city.write_text(
        city.read_text(encoding="utf-8").replace(
            "default_start: crowne-plaza-city-center", "default_start: no-such-hotel"
        ),
        encoding="utf-8",
    )
    msg = _error(pack_dir)
    assert "city.yaml" in msg and "field `default_start`" in msg and "'no-such-hotel'" in msg


def test_missing_pack_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        load_city_pack(tmp_path / "nowhere")
