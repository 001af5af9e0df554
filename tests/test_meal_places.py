"""Meals taken where the group is name the nearest suitable restaurant that is open for the
whole meal (or say its hours are unknown), within a short walk, or say plainly that none is
known; shown in print, driver sheet, map popup, calendar and CSV in the delegation's
language. Real restaurants of the Chengdu and Krems extracts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from _demo_fixtures import ItineraryCase
from checker import assert_feasible, check_meal_places
from conftest import DEMO_REQUEST
from icalendar import Calendar

from maps.calendar_ics import calendar_bytes
from maps.csv_export import csv_bytes
from maps.folium_map import build_map
from maps.print_pdf import render_print_html
from routing import StreetNetwork, TravelPolicy
from tours.api import load_network
from tours.itinerary import Meal, MealPlace, PlaceRef
from tours.places.osm_features import load_features
from tours.places.pack import load_city_pack
from tours.planning._meal_places import MEAL_WALK_M, is_where_the_group_is, suggest_restaurant
from tours.planning.request import city_pack_for, load_request

KREMS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "osm" / "other").resolve() / (
    "krems-2013.osm.bz2"
)
VIENNA = ZoneInfo("Europe/Vienna")


def _meals(case: ItineraryCase) -> list[Meal]:
    return [s for d in case.itinerary.days for s in d.stops if isinstance(s, Meal)]


def test_demo_meals_where_the_group_is(
    demo_plan: ItineraryCase, chengdu_net: StreetNetwork
) -> None:
    lunch, chosen, dinner = _meals(demo_plan)
    # day 1 lunch at the conference venue: no restaurant within a 500 m walk (the nearest,
    # 鱼吃羊红枫岭店, is 333 m away as the crow flies but 866 m on foot)
    assert lunch.place.id == "chengdu-stage"
    assert lunch.restaurant == MealPlace(radius_m=MEAL_WALK_M)
    # day 2 lunch has its place in the request: nothing to suggest
    assert chosen.place.id == "chen-mapo-tofu" and chosen.restaurant is None
    # day 2 dinner at Kuanzhai Alley, where the day ends: 三只耳火锅 (OSM node 3579524742),
    # hours not tagged, no addr:* tags: the nearest street 宽巷子
    assert dinner.place.id == "kuanzhai-alley"
    found = dinner.restaurant
    assert found is not None and found.place is not None
    assert (found.place.id, found.place.name_local, found.hours) == (
        "osm-node-3579524742",
        "三只耳火锅",
        "unknown",
    )
    assert found.walk_m == pytest.approx(180.6, abs=1.0)
    assert found.walk_min == 4
    address = found.place.address
    assert address is not None and (address.text, address.source) == ("宽巷子", "street")
    request = load_request(DEMO_REQUEST)
    assert_feasible(
        demo_plan.itinerary, request=request, pack=city_pack_for(request), network=chengdu_net
    )
    assert check_meal_places(demo_plan.itinerary) == []


def test_suggestions_in_every_output(demo_plan: ItineraryCase) -> None:
    it = demo_plan.itinerary
    english = (
        "Restaurant nearby: 三只耳火锅, 4 mins on foot (180 m); opening hours unknown: call "
        "ahead; near 宽巷子 / Kuan Xiang Zi (nearest street, no postal address)"
    )
    none_known = "No restaurant known within 500 m on foot: arrange the meal on site."
    html = render_print_html(it, for_pdf=True).replace("\xa0", " ")
    assert english in html and none_known in html
    driver = html[html.index('class="driver"') :]
    assert "附近餐厅：三只耳火锅，步行4分钟（180米）; 营业时间未知：请提前致电" in driver
    german = render_print_html(it, for_pdf=True, language="de").replace("\xa0", " ")
    assert "Restaurant in der Nähe: 三只耳火锅, 4 Min. zu Fuß (180 m)" in german
    text = csv_bytes(it).decode("utf-8-sig").replace("\xa0", " ")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["restaurant"] for r in rows if r["kind"] == "meal"] == [none_known, "", english]
    calendar = Calendar.from_ical(calendar_bytes(it))
    descriptions = [str(e.get("description")).replace("\xa0", " ") for e in calendar.walk("VEVENT")]
    assert sum(english in d for d in descriptions) == 1
    assert sum(none_known in d for d in descriptions) == 1
    page = build_map(it, offline=True).get_root().render()
    # popups are JSON strings in the page (non-ASCII escaped)
    assert "Restaurant nearby: " in page and "4\\u00a0mins on foot (180\\u00a0m)" in page
    assert "\\u4e09\\u53ea\\u8033" in page  # 三只耳, JSON-escaped
    assert "No restaurant known within 500\\u00a0m on foot" in page


def test_a_meal_with_a_place_is_not_where_the_group_is() -> None:
    request = load_request(DEMO_REQUEST)
    pack = load_city_pack()
    when = dt.datetime(2025, 3, 22, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    meal = Meal(
        uid="m",
        start=when,
        end=when + dt.timedelta(hours=1),
        title="Lunch",
        place=pack.places["chen-mapo-tofu"].to_ref(),
    )
    assert not is_where_the_group_is(meal, dt.date(2025, 3, 22), request)
    assert is_where_the_group_is(meal, dt.date(2025, 3, 21), request)


# -- opening hours decide (Krems restaurants with tagged hours) -----------------------------


@pytest.fixture(scope="module")
def krems_net(routing_cache: Path) -> StreetNetwork:
    return load_network(KREMS, cache_dir=routing_cache)


def _krems_meal(start: dt.datetime, minutes: int = 60, title: str = "Lunch") -> Meal:
    # Obere Landstraße in the old town, beside Crembs, Schwarze Kuchl and the Goldener Hirsch
    here = PlaceRef(id="old-town", name_en="Old town", lat=48.4110, lon=15.6012)
    return Meal(uid="m", start=start, end=start + dt.timedelta(minutes=minutes), title=title,
                place=here)  # fmt: skip


def _suggest(meal: Meal, net: StreetNetwork) -> MealPlace:
    return suggest_restaurant(
        meal,
        pack=None,
        features=load_features(KREMS),
        network=net,
        policy=TravelPolicy(),
        timezone="Europe/Vienna",
    )


def test_known_open_restaurant_first(krems_net: StreetNetwork) -> None:
    # Tuesday noon: Schwarze Kuchl (Mo-Fr 08:30-19:30) is the nearest whose hours cover it
    found = _suggest(_krems_meal(dt.datetime(2013, 11, 19, 12, 0, tzinfo=VIENNA)), krems_net)
    assert found.place is not None
    assert (found.place.name_en, found.hours) == ("Schwarze Kuchl", "open")
    assert found.walk_m is not None and found.walk_m <= MEAL_WALK_M


def test_closed_restaurants_are_skipped(krems_net: StreetNetwork) -> None:
    # Sunday noon: Crembs and Schwarze Kuchl are closed; the Goldener Hirsch (Su 11-15) is open
    sunday = _suggest(_krems_meal(dt.datetime(2013, 11, 17, 12, 0, tzinfo=VIENNA)), krems_net)
    assert sunday.place is not None
    assert (sunday.place.name_en, sunday.hours) == ("Stadtgasthaus zum Goldenen Hirschen", "open")
    # Sunday 14:30-15:30 runs past the Hirsch's closing: no restaurant with known hours is
    # open for all of it, so the nearest one with unknown hours is named, marked so
    late = _suggest(_krems_meal(dt.datetime(2013, 11, 17, 14, 30, tzinfo=VIENNA)), krems_net)
    assert late.place is not None and late.hours == "unknown"
    assert late.place.opening_hours is None


def test_breakfast_takes_cafes(krems_net: StreetNetwork) -> None:
    # Monday 08:00: only the café Schmankerl (Mo-Fr 07:30-20:00) is open that early
    found = _suggest(
        _krems_meal(dt.datetime(2013, 11, 18, 8, 0, tzinfo=VIENNA), 45, "Breakfast"), krems_net
    )
    assert found.place is not None
    assert (found.place.name_en, found.hours) == ("Schmankerl", "open")
