"""`tours pack init`: an editable, valid city pack generated from an OSM extract."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from _cli import plan_with_cli
from _osm_files import KREMS_BZ2, MONACO_PBF
from checker import assert_feasible
from click.testing import CliRunner

from routing import NetworkSource, load_network
from tours.cli import cli
from tours.itinerary import Visit
from tours.places.generate import init_pack
from tours.places.osm_features import load_feature_set
from tours.places.pack import load_city_pack, place_from_osm
from tours.planning.request import city_pack_for, load_request

FAST = ["--iterations", "300", "--no-progress"]


@pytest.fixture(scope="module")
def krems_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("packs") / "krems"
    result = CliRunner().invoke(cli, ["pack", "init", "--osm", str(KREMS_BZ2), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote city pack `krems-2013` (Krems an der Donau, Europe/Vienna)" in result.stdout
    return out


def test_the_generated_pack_validates_with_sources(krems_pack: Path) -> None:
    pack = load_city_pack(krems_pack)
    assert (pack.id, pack.timezone, pack.country) == ("krems-2013", "Europe/Vienna", "AT")
    assert len(pack.places) == 42
    categories = {p.category for p in pack.places.values()}
    assert {"hotel", "restaurant", "park", "temple"} <= categories
    cafe = pack.place("Café Fünf Sinne")
    assert cafe.opening_hours == "Mo-Fr 09:30-22:00; Sa 09:30-13:30; Su 17:00-21:00; SH off"
    assert cafe.address == {"local": "Untere Landstraße 71, 3500 Krems"}  # street, then number
    assert (cafe.visit_minutes, cafe.min_visit_minutes) == (30, 20)  # café default
    osm_source = cafe.sources[0]
    assert osm_source.title.startswith(f"OpenStreetMap {cafe.osm_id} v")
    assert {"names", "coordinates", "osm_id", "opening_hours", "address"} <= set(osm_source.facts)
    assert (
        osm_source.checked is not None
        and osm_source.url == f"https://www.openstreetmap.org/{cafe.osm_id}"
    )
    assert cafe.id == "cafe-funf-sinne"
    # the extract is found relative to the pack folder
    assert pack.osm_extract_path() == KREMS_BZ2
    text = (krems_pack / "places.yaml").read_text(encoding="utf-8")
    assert "opening_hours: null" in text  # unknown hours are written out, with no source


def test_a_request_plans_on_the_generated_pack(krems_pack: Path, tmp_path: Path) -> None:
    request_file = tmp_path / "req.yaml"
    request_file.write_text(
        "version: 1\ntitle: Krems wine and old town\n"
        "delegation: {name: Wine delegation, size: 8}\n"
        f"city: {krems_pack}\ndates: [2025-06-13]\n"
        "places:\n  must_see: [pfarrkirche-st-veit]\n"
        "  optional: [Wachauer Park, Bürgerspitalskirche, Café Fünf Sinne]\n"
        "meals:\n  - {title: Lunch, window: {start: '12:00', end: '14:00'}, minutes: 60,"
        " place: Schwarze Kuchl}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    # no --osm: the pack's own extract
    result, itinerary = plan_with_cli(request_file, out, "--formats", "csv", *FAST)
    assert "in Krems an der Donau (Europe/Vienna)" in result.stdout
    request = load_request(request_file)
    pack = city_pack_for(request)
    net = load_network(NetworkSource.from_file(KREMS_BZ2))
    assert_feasible(itinerary, request=request, pack=pack, network=net)
    visited = {s.place.id for d in itinerary.days for s in d.stops if isinstance(s, Visit)}
    assert "pfarrkirche-st-veit" in visited


def test_names_by_language_and_a_chosen_city_name(tmp_path: Path) -> None:
    pack = init_pack(MONACO_PBF, tmp_path / "mc", name="Monaco", today=dt.date(2025, 6, 1))
    assert pack.id == "monaco" and pack.name_en == "Monaco"
    assert pack.timezone == "Europe/Monaco"
    palace = next(p for p in pack.places.values() if p.osm_id == "way/38545604")
    assert palace.names.en == "Palais Princier de Monaco"
    museum = next(p for p in pack.places.values() if p.osm_id == "way/23715051")
    assert museum.category == "museum" and museum.visit_minutes == 90
    data = yaml.safe_load((tmp_path / "mc" / "places.yaml").read_text(encoding="utf-8"))
    # the sights are named in French only: one name is enough, no Chinese required
    assert all(p["names"].get("zh", "x") for p in data["places"])
    town = next(f for f in load_feature_set(MONACO_PBF).features if f.tags.get("place") == "town")
    names = place_from_osm(town, extract="monaco").names.by_language()
    tagged = {k.removeprefix("name:") for k in town.names if k.startswith("name:")}
    assert len(tagged) > 5 and tagged <= set(names)  # every name:xx under its language
    assert data["places"][0]["sources"][0]["checked"] == dt.date(2025, 6, 1)


def test_an_edited_pack_still_validates_after_deleting_and_adding(tmp_path: Path) -> None:
    init_pack(MONACO_PBF, tmp_path / "mc", name="Monaco")
    path = tmp_path / "mc" / "places.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    city = yaml.safe_load((tmp_path / "mc" / "city.yaml").read_text(encoding="utf-8"))
    kept = [
        p
        for p in data["places"]
        if p["category"] != "restaurant" or p["id"] == city["default_start"]
    ]
    kept.append(
        {
            "id": "stade-tour",
            "names": {"en": "Stadium tour", "fr": "Visite du stade"},
            "category": "venue",
            "lat": 43.7277,
            "lon": 7.4156,
            "visit_minutes": 60,
            "min_visit_minutes": 45,
            "tickets": "12 EUR",
            "sources": [
                {
                    "facts": ["names", "coordinates", "visit", "tickets"],
                    "title": "Stade Louis II visitor page",
                    "checked": "2025-05-01",
                }
            ],
        }
    )
    path.write_text(yaml.safe_dump({"places": kept}, allow_unicode=True), encoding="utf-8")
    pack = load_city_pack(tmp_path / "mc")
    assert pack.place("Visite du stade").id == "stade-tour"


def test_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pack", "init", "--osm", str(MONACO_PBF), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "exists and is not empty" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_missing_extract_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["pack", "init", "--osm", str(tmp_path / "none.osm.pbf"), "-o", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert "not found" in result.output and result.output.strip().count("\n") == 0
    assert not (tmp_path / "p").exists()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_bad_language_key_is_one_line(tmp_path: Path) -> None:
    init_pack(MONACO_PBF, tmp_path / "mc", name="Monaco")
    path = tmp_path / "mc" / "places.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["places"][0]["names"]["French name"] = "Nom"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["places", "--city-pack", str(tmp_path / "mc"), "--no-network"]
    )
    assert result.exit_code == 2
    assert "`French name` is not a language code" in result.output
    assert result.output.strip().count("\n") == 0
