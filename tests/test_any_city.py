"""Planning from an OSM extract alone: a request without `city`, places named three ways."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from _cli import plan_with_cli
from _cli import write_request as _write
from _osm_files import KREMS_BZ2, MONACO_CLIP, MONACO_PBF, clip
from checker import assert_feasible
from click.testing import CliRunner

from routing import NetworkSource, StreetNetwork, load_network
from tours._errors import RequestError
from tours.cli import cli
from tours.itinerary import Itinerary, Visit
from tours.planning.request import city_pack_for, load_request, resolve_request

DEMO = Path(__file__).resolve().parents[1] / "data/requests/monaco-grimaldi-forum.yaml"
FAST = ["--iterations", "300", "--no-progress"]
TZ_MONACO = "Europe/Monaco"
CHENGDU = Path(__file__).resolve().parents[1] / "../shared/osm/chengdu-central-2018.osm.bz2"


@pytest.fixture(scope="module")
def monaco_net() -> StreetNetwork:
    return load_network(NetworkSource.from_file(MONACO_PBF))


def _request(places: str, *, hotel: str = "Hôtel de Paris", extra: str = "") -> str:
    return (
        "version: 1\ntitle: Test visit\ndelegation: {name: Test delegation}\n"
        f"dates: [2025-06-10]\nhotel: {hotel}\n{extra}places:\n{places}"
    )


def test_monaco_demo_plans_from_the_extract_alone(
    tmp_path: Path, monaco_net: StreetNetwork
) -> None:
    out = tmp_path / "out"
    result, itinerary = plan_with_cli(DEMO, out, "--osm", str(MONACO_PBF), *FAST)
    names = {p.name for p in out.iterdir()}
    assert {"itinerary.json", "itinerary.pdf", "itinerary.ics", "itinerary.gpx"} <= names
    assert {"itinerary.csv", "overview.html", "day-1.html", "day-2.html"} <= names
    assert itinerary.city.timezone == TZ_MONACO and itinerary.city.name_en == "Monaco"
    first = itinerary.days[0].items[0].start
    assert first.utcoffset() == dt.timedelta(hours=2)  # CEST in June
    request = load_request(DEMO)
    pack = city_pack_for(request, osm=MONACO_PBF)
    assert pack.timezone == TZ_MONACO
    assert_feasible(itinerary, request=request, pack=pack, network=monaco_net)
    visited = {s.place.id for d in itinerary.days for s in d.stops if isinstance(s, Visit)}
    # the three ways of naming a place: an OSM id, a name, a named point
    assert {"osm-way-38545604", "osm-way-23715051", "place-du-casino"} <= visited
    text = result.stdout
    assert "in Monaco (Europe/Monaco)" in text
    assert "09:30–12:30  Opening session of the cultural industries forum @ Grimaldi Forum" in text
    # no opening_hours in the 2012 data: the unknown-hours rule (09:00-17:00) holds visits
    for day in itinerary.days:
        for stop in day.stops:
            if isinstance(stop, Visit) and stop.place.opening_hours is None:
                assert dt.time(9) <= stop.start.time() and stop.end.time() <= dt.time(17)
    ics = (out / "itinerary.ics").read_text(encoding="utf-8")
    assert "Europe/Monaco" in ics or "+0200" in ics or "T073000Z" in ics
    assert "warning: extract `monaco-2012.osm.pbf` is clipped" in result.stderr


def test_names_resolve_in_the_extract() -> None:
    request = load_request(DEMO)
    pack = city_pack_for(request, osm=MONACO_PBF)
    forum = pack.place("Grimaldi Forum")  # a node and its building: the tourism node
    assert forum.osm_id == "node/1699777422" and forum.category == "landmark"
    museum = pack.place("Musée Océanographique")
    assert (museum.visit_minutes, museum.min_visit_minutes) == (90, 45)  # museum default
    resolved = resolve_request(request, pack)
    minutes = {e.place.id: e.minutes for e in resolved.places}
    assert minutes["osm-way-23715051"] == 100  # the request overrides the default
    point = pack.place("43.73086,7.42079")
    assert point.names.en == "Fort Antoine theatre" and point.sources[0].title.startswith("request")
    assert pack.country is None or pack.country == "MC"
    assert pack.default_start == pack.place("Hôtel de Paris").id


def test_opening_hours_come_from_osm(tmp_path: Path) -> None:
    net = load_network(NetworkSource.from_file(KREMS_BZ2))
    text = (
        "version: 1\ntitle: Krems\ndelegation: {name: Wine delegation}\n"
        "dates: [2025-06-14]\nhotel: Stadtgasthaus zum Goldenen Hirschen\n"
        "places:\n  must_see:\n    - place: Café Fünf Sinne\n      minutes: 45\n"
        "meals:\n  - {title: Dinner, window: {start: '18:00', end: '20:00'}, minutes: 60,"
        " place: Stadtgasthaus zum Goldenen Hirschen}\n"
    )
    path = _write(tmp_path, text)
    request = load_request(path)
    pack = city_pack_for(request, osm=KREMS_BZ2)
    cafe = pack.place("Café Fünf Sinne")
    assert cafe.opening_hours == "Mo-Fr 09:30-22:00; Sa 09:30-13:30; Su 17:00-21:00; SH off"
    assert pack.timezone == "Europe/Vienna" and pack.name_en == "Krems an der Donau"
    out = tmp_path / "out"
    _, itinerary = plan_with_cli(path, out, "--osm", str(KREMS_BZ2), "--formats", "csv", *FAST)
    assert_feasible(itinerary, request=request, pack=pack, network=net)
    visit = next(s for s in itinerary.days[0].stops if isinstance(s, Visit))
    assert dt.time(9, 30) <= visit.start.time() and visit.end.time() <= dt.time(13, 30)


def test_ambiguous_name_lists_candidates_from_that_extract(tmp_path: Path) -> None:
    path = _write(tmp_path, _request("  optional: [Rue Grimaldi]\n"))
    result = CliRunner().invoke(cli, ["check", str(path), "--osm", str(MONACO_PBF)])
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line
    assert "'Rue Grimaldi' is ambiguous in the extract `monaco-2012.osm.pbf`" in line
    assert "`osm:way/8352246`" in line and "`osm:way/166149558`" in line
    assert " m)" in line and "from the hotel" in line
    assert "chengdu" not in line.casefold()


def test_unknown_name_suggests_close_names_of_that_extract(tmp_path: Path) -> None:
    path = _write(tmp_path, _request("  optional: [Musee Oceanografique]\n"))
    result = CliRunner().invoke(cli, ["check", str(path), "--osm", str(MONACO_PBF)])
    assert result.exit_code == 2
    assert "unknown place 'Musee Oceanografique' in the extract `monaco-2012.osm.pbf`" in (
        result.output
    )
    assert "`osm:way/23715051` 'Musée Océanographique'" in result.output
    path = _write(tmp_path, _request("  optional: [Wenshu Monastery]\n"), "b.yaml")
    result = CliRunner().invoke(cli, ["check", str(path), "--osm", str(MONACO_PBF)])
    assert result.exit_code == 2
    assert "no feature of the extract `monaco-2012.osm.pbf` has a name like it" in result.output
    assert "文殊" not in result.output and "wenshu-monastery" not in result.output


@pytest.mark.parametrize(
    ("places", "hotel", "expected"),
    [
        ("  optional: ['43.7300,7.4200']\n", "Hôtel de Paris", "has coordinates but no name"),
        ("  optional: [osm:node/1]\n", "Hôtel de Paris", "`osm:node/1` is not a named feature"),
        ("  optional: ['Chengdu @ 30.66,104.06']\n", "Hôtel de Paris", "lies outside the extract"),
        ("  optional: [Jardin Exotique]\n", "Nowhere Hotel Xyz", "field `hotel`"),
    ],
)
def test_bad_places_are_one_line_and_exit_2(
    tmp_path: Path, places: str, hotel: str, expected: str
) -> None:
    path = _write(tmp_path, _request(places, hotel=hotel))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["plan", str(path), "--osm", str(MONACO_PBF), "-o", str(out), *FAST]
    )
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    assert not out.exists()


def test_online_source_without_city_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _request("  optional: [Jardin Exotique]\n"))
    result = CliRunner().invoke(cli, ["check", str(path), "--bbox", "7.40,43.72,7.44,43.75"])
    assert result.exit_code == 2
    assert "a request without `city` reads its places from a local extract" in result.output


def test_offline_bbox_fails_fast() -> None:
    began = time.perf_counter()
    result = CliRunner().invoke(cli, ["network", "info", "--bbox", "7.41,43.72,7.43,43.74"])
    elapsed = time.perf_counter() - began
    assert result.exit_code == 2
    assert "no network access for the online bbox query" in result.output
    assert elapsed < 5.0


def test_a_clipped_monaco_extract_plans_and_searches(tmp_path: Path) -> None:
    cut = clip(MONACO_PBF, tmp_path / "monaco-clipped.osm.pbf", MONACO_CLIP)
    text = _request(
        "  must_see: [osm:way/38545604]\n  optional: [Musée Océanographique, Jardin Japonais]\n"
    )
    path = _write(tmp_path, text)
    out = tmp_path / "out"
    result, itinerary = plan_with_cli(path, out, "--osm", str(cut), "--formats", "csv", *FAST)
    assert "warning: extract `monaco-clipped.osm.pbf` is clipped:" in result.stderr
    request = load_request(path)
    net = load_network(NetworkSource.from_file(cut))
    assert_feasible(itinerary, request=request, pack=city_pack_for(request, osm=cut), network=net)
    assert itinerary.city.timezone == TZ_MONACO
    found = CliRunner().invoke(
        cli, ["places", "search", "Oceanographique", "--osm", str(cut), "--json"]
    )
    assert found.exit_code == 0, found.output
    rows = json.loads(found.stdout)
    assert rows[0]["osm_id"] == "way/23715051"


def test_a_request_error_names_every_bad_place() -> None:
    request = load_request(DEMO)
    assert request.city is None
    with pytest.raises(RequestError):
        city_pack_for(request.model_copy(update={"hotel": "Nowhere Hotel Xyz"}), osm=MONACO_PBF)


def test_map_export_and_replan_find_the_extract_the_plan_was_made_on(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _, itinerary = plan_with_cli(DEMO, out, "--osm", str(MONACO_PBF), "--formats", "ics", *FAST)
    assert itinerary.city.osm_extract == str(MONACO_PBF)
    maps = CliRunner().invoke(cli, ["map", str(out / "itinerary.json"), "-o", str(tmp_path / "m")])
    assert maps.exit_code == 0, maps.output
    assert "without a base map" not in maps.output
    overview = (tmp_path / "m" / "overview.html").read_text(encoding="utf-8")
    assert '"layer": "street"' in overview or '"layer":"street"' in overview
    wrong = CliRunner().invoke(
        cli,
        ["export", str(out / "itinerary.json"), "--formats", "pdf", "-o", str(tmp_path / "e"),
         "--osm", str(CHENGDU)],
    )  # fmt: skip
    assert wrong.exit_code == 2
    assert "has no streets around the itinerary" in wrong.output
    assert not (tmp_path / "e" / "itinerary.pdf").exists()
    replanned = CliRunner().invoke(
        cli,
        ["replan", str(out / "itinerary.json"), "--now", "2025-06-11 12:00", "--delay", "30",
         "-o", str(tmp_path / "r"), "--formats", "csv", *FAST],
    )  # fmt: skip
    assert replanned.exit_code == 0, replanned.output
    again = Itinerary.load(tmp_path / "r" / "itinerary.json")
    assert again.revision == 1 and again.city.timezone == TZ_MONACO


def test_route_takes_osm_ids_and_names_of_the_extract() -> None:
    result = CliRunner().invoke(
        cli, ["route", "Hôtel de Paris", "osm:way/23715051", "--osm", str(MONACO_PBF)]
    )
    assert result.exit_code == 0, result.output
    by_coords = CliRunner().invoke(
        cli, ["route", "43.7387,7.4271", "43.7307,7.4255", "--osm", str(MONACO_PBF)]
    )  # near the hotel and the museum: about as long
    km = float(result.stdout.split("Distance: ")[1].split(" km")[0])
    km_coords = float(by_coords.stdout.split("Distance: ")[1].split(" km")[0])
    assert 1.0 < km < 3.0 and abs(km - km_coords) < 0.5
    ambiguous = CliRunner().invoke(
        cli, ["route", "Rue Grimaldi", "Jardin Exotique", "--osm", str(MONACO_PBF)]
    )
    assert ambiguous.exit_code == 2
    assert "`FROM`: place 'Rue Grimaldi' is ambiguous" in ambiguous.output
    assert "from Monaco" in ambiguous.output


def test_places_list_show_and_search_a_bare_extract() -> None:
    osm = ["--osm", str(MONACO_PBF)]
    listed = CliRunner().invoke(cli, ["places", "--json", "--no-network", *osm])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert data["city"] == "monaco-2012"
    ids = {row["id"] for row in data["places"]}
    assert {"musee-oceanographique", "palais-princier-de-monaco", "hotel-de-paris"} <= ids
    shown = CliRunner().invoke(cli, ["places", "show", "Jardin Exotique", "--no-network", *osm])
    assert shown.exit_code == 0, shown.output
    assert "OSM id        way/157455610" in shown.stdout
    assert "OpenStreetMap way/" in shown.stdout
    found = CliRunner().invoke(cli, ["places", "search", "Grimaldi Forum", "--json", *osm])
    assert found.exit_code == 0, found.output
    rows = json.loads(found.stdout)
    assert {r["osm_id"] for r in rows[:2]} == {"node/1699777422", "way/94452775"}
    assert all(r["in_network"] and r["in_pack_bounds"] for r in rows[:2])
    none = CliRunner().invoke(cli, ["places", "search", "Wenshu Monastery", "--no-network", *osm])
    assert none.exit_code == 0
    assert "no match: no OSM feature of `monaco-2012.osm.pbf`" in none.stdout
