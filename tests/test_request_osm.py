"""OSM places in a request (`osm:way/123`): resolved from the extract, planned, re-planned."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from checker import assert_feasible
from click.testing import CliRunner
from conftest import DEMO_REQUEST as DEMO_FILE
from conftest import PLAN_ITERATIONS as ITERATIONS

from routing import StreetNetwork
from tours._errors import InputError, UnknownPlaceError
from tours.cli import cli
from tours.itinerary import Itinerary, Visit
from tours.places.osm_features import feature_by_id, load_features
from tours.places.pack import (
    OSM_MIN_VISIT_MINUTES,
    OSM_VISIT_MINUTES,
    CityPack,
    load_city_pack,
    osm_category,
    parse_osm_ref,
)
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.replan.replanner import replan, request_of
from tours.planning.request import (
    Request,
    RequestError,
    city_pack_for,
    load_request,
    parse_request,
    resolve_request,
)

WENSHUFANG = "osm:way/576653660"  # 文殊坊, the lanes beside Wenshu Monastery: not in the pack
WENSHUFANG_ID = "osm-way-576653660"
BASE = """\
title: OSM places
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-22]
"""

BUDGET = SearchBudget(seed=0, max_iterations=ITERATIONS)


@pytest.fixture(scope="module")
def base_pack() -> CityPack:
    return load_city_pack()


def _request(extra: str) -> Request:
    return parse_request(BASE + textwrap.dedent(extra), source="req.yaml")


def _visits(itinerary: Itinerary) -> dict[str, Visit]:
    return {s.place.id: s for d in itinerary.days for s in d.stops if isinstance(s, Visit)}


def test_osm_place_resolves_with_names_coordinates_and_category(base_pack: CityPack) -> None:
    request = _request(
        """\
        places:
          optional:
            - "osm:way/576653660"
            - {place: "OSM:relation/3228848", minutes: 60}
            - "osm:way/459158604"
        """
    )
    pack = city_pack_for(request)
    features = load_features(base_pack.osm_extract_path())

    fang = pack.place(WENSHUFANG)
    feature = feature_by_id(features, "way/576653660")
    assert fang.id == WENSHUFANG_ID and pack.places[WENSHUFANG_ID] is fang
    assert (fang.names.en, fang.names.zh, fang.names.de) == ("文殊坊", "文殊坊", "")
    assert fang.category == "landmark"  # amenity=marketplace
    assert (fang.lat, fang.lon) == (feature.lat, feature.lon) == (30.6759733, 104.0706373)
    assert fang.osm_id == "way/576653660"
    assert fang.opening_hours is None  # no tag: unknown hours
    assert (fang.visit_minutes, fang.min_visit_minutes) == (OSM_VISIT_MINUTES, 20)
    assert OSM_MIN_VISIT_MINUTES == 20 and OSM_VISIT_MINUTES == 45
    source = fang.sources[0]
    assert source.url == "https://www.openstreetmap.org/way/576653660"
    assert source.title == "OpenStreetMap way/576653660, extract chengdu-central-2018.osm.bz2"
    assert source.checked is None and not source.verified  # deterministic: no "today"
    assert {"names", "coordinates", "osm_id"} <= set(source.facts)

    museum = pack.place("osm:relation/3228848")
    assert museum.id == "osm-relation-3228848"
    assert (museum.names.en, museum.names.zh) == (
        "Sichuan Science and Technology Museum",
        "四川科技馆",
    )
    assert museum.category == "museum"
    park = pack.place("osm-way-459158604")  # the derived id works too
    assert (park.names.en, park.category) == ("Huoshui Park", "park")

    resolved = resolve_request(request, pack)
    minutes = {r.place.id: r.minutes for r in resolved.places}
    assert minutes == {WENSHUFANG_ID: 45, "osm-relation-3228848": 60, "osm-way-459158604": 45}
    assert resolved.pack is pack  # nothing left to add


def test_categories_and_opening_hours_from_tags(base_pack: CityPack) -> None:
    assert osm_category({"tourism": "museum"}) == "museum"
    assert osm_category({"amenity": "place_of_worship", "religion": "buddhist"}) == "temple"
    assert osm_category({"historic": "temple"}) == "temple"
    assert osm_category({"leisure": "park"}) == "park"
    assert osm_category({"amenity": "restaurant"}) == "restaurant"
    assert osm_category({"tourism": "hotel"}) == "hotel"
    assert osm_category({"highway": "pedestrian"}) == "street"
    assert osm_category({"amenity": "marketplace"}) == "landmark"
    assert osm_category({}) == "landmark"
    # node/4620107792 has a valid `opening_hours`; node/4786592337's "8:30——17:30" is not
    request = _request(
        """\
        places:
          optional: ["osm:node/4620107792", "osm:node/4786592337", "osm:node/4786960622"]
        """
    )
    pack = city_pack_for(request)
    assert pack.place("osm:node/4620107792").opening_hours == "Mo-Su 08:30-19:00"
    assert "opening_hours" in pack.place("osm:node/4620107792").sources[0].facts
    assert pack.hours("osm-node-4620107792") is not None
    museum = pack.place("osm:node/4786592337")
    assert (museum.category, museum.opening_hours) == ("museum", None)
    temple = pack.place("osm:node/4786960622")
    assert (temple.category, temple.names.en, temple.names.zh) == (
        "temple",
        "zhaojue temple",
        "昭觉寺",
    )


def test_the_original_pack_is_not_changed(base_pack: CityPack) -> None:
    before = dict(base_pack.places)
    features = load_features(base_pack.osm_extract_path())
    extended = base_pack.with_osm_places([WENSHUFANG, "way/459158604"], features)
    assert extended is not base_pack
    assert base_pack.places == before and len(base_pack.places) == len(before)
    assert WENSHUFANG_ID not in base_pack.places
    assert list(extended.places) == [*before, WENSHUFANG_ID, "osm-way-459158604"]
    assert all(extended.places[k] is v for k, v in before.items())
    with pytest.raises(UnknownPlaceError, match="tours places search"):
        base_pack.place(WENSHUFANG)
    # elements the pack already has are not added again
    assert base_pack.with_osm_places(["osm:way/267220336"], features) is base_pack
    # city_pack_for never hands out a changed embedded pack either
    request = _request(f'places:\n  optional: ["{WENSHUFANG}"]\n')
    assert WENSHUFANG_ID in city_pack_for(request).places
    assert WENSHUFANG_ID not in load_city_pack().places


def test_osm_id_of_a_pack_place_is_that_place(base_pack: CityPack) -> None:
    request = _request('places:\n  must_see: ["osm:way/267220336"]\n')  # Wenshu Monastery
    pack = city_pack_for(request)
    assert pack.places == base_pack.places
    assert resolve_request(request, pack).places[0].place.id == "wenshu-monastery"
    twice = _request('places:\n  must_see: ["osm:way/267220336", wenshu-monastery]\n')
    with pytest.raises(RequestError) as info:
        resolve_request(twice, city_pack_for(twice))
    assert info.value.problems == [
        "req.yaml, line 6, field `places.must_see[1].place`: 'Wenshu Monastery' is already "
        "listed at `places.must_see[0]`; list each place once"
    ]


def test_osm_places_as_appointment_and_meal_places() -> None:
    request = _request(
        """\
        appointments:
          - {title: Visit the theatre, place: "osm:way/565684904", date: 2025-03-22,
             start: "10:00", end: "11:00"}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "13:30"}, minutes: 60,
             place: "osm:node/4807025021"}
        """
    )
    resolved = resolve_request(request, city_pack_for(request))
    assert [p.id for p in resolved.appointments] == ["osm-way-565684904"]
    assert resolved.appointments[0].category == "venue"  # amenity=theatre
    meal_place = resolved.meal_places[0]
    assert meal_place is not None and meal_place.id == "osm-node-4807025021"
    assert (meal_place.names.en, meal_place.category) == ("Din Tai Fung", "restaurant")


def test_osm_place_is_planned_and_passes_the_checker(chengdu_net: StreetNetwork) -> None:
    request = _request(
        """\
        places:
          must_see: [wenshu-monastery]
          optional:
            - {place: "osm:way/576653660", priority: 6}
            - {place: "osm:relation/3228848", priority: 3}
        """
    )
    pack = city_pack_for(request)
    itinerary = plan(request, pack=pack, network=chengdu_net, budget=BUDGET)
    assert_feasible(itinerary, request=request, pack=pack, network=chengdu_net)
    visits = _visits(itinerary)
    fang = visits[WENSHUFANG_ID]
    assert fang.place.name_zh == "文殊坊" and fang.place.osm_id == "way/576653660"
    assert fang.end - fang.start == dt.timedelta(minutes=OSM_VISIT_MINUTES)
    # unknown hours: planned within the request's `unknown_hours` (09:00-17:00), with a note
    assert fang.start.time() >= dt.time(9, 0) and fang.end.time() <= dt.time(17, 0)
    assert "confirm before the visit" in fang.note
    left = {lo.place.id: lo for lo in itinerary.left_out}
    assert ("osm-relation-3228848" in visits) != ("osm-relation-3228848" in left)


def test_demo_plans_its_osm_place(demo_itinerary: Itinerary, chengdu_net: StreetNetwork) -> None:
    request = load_request(DEMO_FILE)
    pack = city_pack_for(request)
    assert_feasible(demo_itinerary, request=request, pack=pack, network=chengdu_net)
    visits = _visits(demo_itinerary)
    left = {lo.place.id: lo for lo in demo_itinerary.left_out}
    assert (WENSHUFANG_ID in visits) != (WENSHUFANG_ID in left)
    if WENSHUFANG_ID in visits:
        visit = visits[WENSHUFANG_ID]
        assert visit.end - visit.start == dt.timedelta(minutes=30)  # the request's `minutes`
        assert visit.priority == 2 and not visit.must_see
    else:
        assert left[WENSHUFANG_ID].reason


def test_replan_keeps_osm_places(demo_itinerary: Itinerary, chengdu_net: StreetNetwork) -> None:
    itinerary = demo_itinerary
    if itinerary.request is None:
        request = load_request(DEMO_FILE)
        itinerary = itinerary.model_copy(update={"request": request.model_dump(mode="json")})
    request = request_of(itinerary)  # the embedded request still names `osm:way/576653660`
    pack = city_pack_for(request)
    now = dt.datetime(2025, 3, 22, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    res = replan(
        itinerary,
        now=now,
        pack=pack,
        network=chengdu_net,
        delay_min=30,
        budget=SearchBudget(max_iterations=200),
    )
    assert_feasible(res.itinerary, request=res.request, pack=res.pack, network=chengdu_net)
    assert WENSHUFANG_ID in res.pack.places
    placed = set(_visits(res.itinerary)) | {lo.place.id for lo in res.itinerary.left_out}
    assert WENSHUFANG_ID in placed
    # skipping it by its place id
    res = replan(
        itinerary,
        now=now,
        pack=pack,
        network=chengdu_net,
        skip=[WENSHUFANG_ID],
        budget=SearchBudget(max_iterations=200),
    )
    assert WENSHUFANG_ID not in _visits(res.itinerary)
    skipped = {lo.place.id: lo.code for lo in res.itinerary.left_out}
    assert skipped[WENSHUFANG_ID] == "skipped"


def _write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "req.yaml"
    path.write_text(BASE + textwrap.dedent(extra), encoding="utf-8")
    return path


def test_unknown_osm_id_is_one_line_exit_2(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        places:
          optional:
            - kuanzhai-alley
            - {place: "osm:way/1", priority: 3}
        """,
    )
    for command in (["check", str(path), "--no-network"], ["plan", str(path), "-o", "out"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert lines == [
            f"Error: {path}, line 8, field `places.optional[1].place`: OSM element "
            "`osm:way/1` is not a named feature of the extract `chengdu-central-2018.osm.bz2`; "
            "find the id with `tours places search NAME`"
        ]
    assert not (tmp_path / "out").exists()


def test_malformed_osm_reference_is_reported_on_load(tmp_path: Path) -> None:
    path = _write(tmp_path, 'places:\n  must_see: ["osm:street/12"]\n')
    result = CliRunner().invoke(cli, ["check", str(path), "--no-network"])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"Error: {path}, line 6, field `places.must_see[0].place`: 'osm:street/12' is not an "
        "OSM reference; write `osm:way/123`, `osm:node/123` or `osm:relation/123` (find ids "
        "with `tours places search TEXT`)"
    ]
    assert parse_osm_ref(" OSM:Node/42 ") == "node/42"
    with pytest.raises(InputError, match="not an OSM reference"):
        parse_osm_ref("osm:way/0")


def test_pack_files_still_need_checked_dates(tmp_path: Path) -> None:
    pack_dir = load_city_pack().path
    (tmp_path / "city.yaml").write_text(
        (pack_dir / "city.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    places = (pack_dir / "places.yaml").read_text(encoding="utf-8")
    first = places.index("checked: ")
    start, end = places.rindex("\n", 0, first), places.index("\n", first)
    (tmp_path / "places.yaml").write_text(places[:start] + places[end:], encoding="utf-8")
    with pytest.raises(InputError, match=r"field `sources\.\d+\.checked` is missing"):
        load_city_pack(tmp_path)


def test_name_en_gives_an_osm_place_an_english_name(base_pack: CityPack) -> None:
    request = _request(
        f"""\
        places:
          optional:
            - {{place: "{WENSHUFANG}", name_en: Wenshufang Lanes, priority: 3}}
        """
    )
    pack = city_pack_for(request, city_pack=base_pack.path)
    entry = resolve_request(request, pack).places[0]
    assert entry.place.id == WENSHUFANG_ID
    assert (entry.place.names.en, entry.place.names.zh) == ("Wenshufang Lanes", "文殊坊")
    assert pack.places[WENSHUFANG_ID].names.en != "Wenshufang Lanes"  # the pack is unchanged
