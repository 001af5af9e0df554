"""A restaurant for every meal taken "where the group is", and an address for every stop.

Runs after the itinerary is built (:func:`add_stop_details`) and reads only the finished
itinerary, the city pack and the OSM extract, so it does not depend on how the solver chose
where a meal is taken.

A meal with no ``place`` in the request is taken where the group is at that time: the
meal item's place. :func:`suggest_restaurant` names the nearest suitable restaurant:

- candidates are the city pack's places of category ``restaurant`` and the extract's named
  OSM features tagged ``amenity=restaurant`` or ``amenity=food_court`` (plus ``amenity=cafe``
  for a breakfast-ish meal: one that starts before :data:`BREAKFAST_BEFORE` or whose title
  says breakfast, brunch or coffee);
- within :data:`MEAL_WALK_M` metres **on foot along the streets** (the walk network, the
  group's pace for the minutes) of the meal's place;
- open for the whole meal by their ``opening_hours``; a restaurant whose hours are unknown
  is kept and marked so (``hours="unknown"``), one known to be closed at any time of the
  meal is not;
- best first: known open before unknown hours, then the shorter walk, then the pack's
  places before OSM's, then the id.

When none qualifies, the meal says plainly that no restaurant is known within the radius.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from routing import NoRouteError, SnapError, StreetNetwork, haversine_m, route_leg
from tours._errors import InputError, OpeningHoursError
from tours.itinerary import Day, Item, Itinerary, Leg, Meal, MealPlace, PlaceRef
from tours.places.addresses import AddressBook
from tours.places.hours import OpeningHours

if TYPE_CHECKING:
    from routing import TravelPolicy
    from tours.places.osm_features import OsmFeature
    from tours.places.pack import CityPack
    from tours.planning.request.schema import Request

#: How far (metres, walked along streets) a suggested restaurant may be from where the
#: group is: about 7 minutes at a group's 4 km/h, a short walk before a meal.
MEAL_WALK_M = 500
#: A meal that starts before this local time is breakfast-ish: cafés qualify too.
BREAKFAST_BEFORE = dt.time(10, 30)
_BREAKFAST_WORDS = ("breakfast", "brunch", "coffee", "frühstück", "早餐", "早饭", "petit")
_MEAL_AMENITIES = frozenset({"restaurant", "food_court"})
#: Candidates (nearest by straight line) whose walk along the streets is measured.
_MEASURED = 12


@dataclass(frozen=True)
class _Candidate:
    ref: PlaceRef
    hours: str | None
    from_pack: bool


def _breakfastish(meal: Meal) -> bool:
    title = meal.title.casefold()
    return meal.start.time() < BREAKFAST_BEFORE or any(w in title for w in _BREAKFAST_WORDS)


def _hours_state(
    expression: str | None, meal: Meal, *, timezone: str, country: str | None
) -> Literal["open", "unknown", "closed"]:
    """Whether *expression* keeps the restaurant open for the whole meal."""
    if not expression:
        return "unknown"
    try:
        hours = OpeningHours(expression, timezone=timezone, country=country)
    except OpeningHoursError:
        return "unknown"
    spans = hours.intervals_between(meal.start, meal.end)
    covered = len(spans) == 1 and spans[0][0] <= meal.start and spans[0][1] >= meal.end
    return "open" if covered else "closed"


def _candidates(
    pack: CityPack | None, features: list[OsmFeature], *, cafes: bool
) -> list[_Candidate]:
    out: list[_Candidate] = []
    known: set[str] = set()
    if pack is not None:
        for place in pack.places.values():
            if place.category == "restaurant":
                out.append(_Candidate(place.to_ref(), place.opening_hours, from_pack=True))
                if place.osm_id:
                    known.add(place.osm_id)
    kinds = _MEAL_AMENITIES | ({"cafe"} if cafes else set())
    for feature in features:
        if feature.tags.get("amenity") in kinds and feature.osm_id not in known:
            out.append(_Candidate(feature.to_ref(), feature.tags.get("opening_hours"), False))
    return out


def suggest_restaurant(
    meal: Meal,
    *,
    pack: CityPack | None,
    features: list[OsmFeature],
    network: StreetNetwork,
    policy: TravelPolicy | None,
    timezone: str,
) -> MealPlace:
    """The restaurant for *meal* (taken at its place) as the module docstring describes."""
    here = meal.place
    country = pack.country if pack is not None else None
    near: list[tuple[float, _Candidate]] = []
    for cand in _candidates(pack, features, cafes=_breakfastish(meal)):
        if cand.ref.id == here.id:
            continue
        straight = float(haversine_m(here.lat, here.lon, cand.ref.lat, cand.ref.lon))
        if straight <= MEAL_WALK_M:
            near.append((straight, cand))
    near.sort(key=lambda pair: (pair[0], pair[1].ref.id))
    ranked: list[tuple[tuple[bool, float, bool, str], _Candidate, float, float]] = []
    for _straight, cand in near[:_MEASURED]:
        state = _hours_state(cand.hours, meal, timezone=timezone, country=country)
        if state == "closed":
            continue
        try:
            leg = route_leg(
                network,
                (here.lat, here.lon),
                (cand.ref.lat, cand.ref.lon),
                mode="walk",
                policy=policy,
                labels=(here.name_en, cand.ref.name_en),
            )
        except (SnapError, NoRouteError):
            continue
        if leg.distance_m > MEAL_WALK_M:
            continue
        key = (state != "open", round(leg.distance_m, 1), not cand.from_pack, cand.ref.id)
        ranked.append((key, cand, leg.distance_m, leg.duration_s))
    if not ranked:
        return MealPlace(radius_m=MEAL_WALK_M)
    ranked.sort(key=lambda row: row[0])
    key, best, walk_m, walk_s = ranked[0]
    return MealPlace(
        radius_m=MEAL_WALK_M,
        place=best.ref,
        walk_m=round(walk_m, 1),
        walk_min=max(1, math.ceil(walk_s / 60)) if walk_m > 0 else 0,
        hours="unknown" if key[0] else "open",
    )


def is_where_the_group_is(meal: Meal, date: dt.date, request: Request | None) -> bool:
    """Whether *meal* was requested with no ``place`` (taken where the group is)."""
    if request is None:
        return meal.place.category != "restaurant"
    specs = [
        spec
        for spec in request.meals
        if spec.title == meal.title and (spec.dates is None or date in spec.dates)
    ]
    return bool(specs) and all(spec.place is None for spec in specs)


def _extract(pack: CityPack | None, network: StreetNetwork) -> Path | None:
    """The OSM extract the plan's streets came from, else the pack's (``None``: none here)."""
    path = network.source.path
    if network.source.kind == "file" and path is not None and path.is_file():
        return path
    if pack is None:
        return None
    try:
        return pack.osm_extract_path()
    except InputError:
        return None


@dataclass(frozen=True)
class _Context:
    """What the details of a day need: addresses, candidates, streets to walk."""

    book: AddressBook
    pack: CityPack | None
    features: list[OsmFeature]
    network: StreetNetwork
    policy: TravelPolicy | None
    request: Request | None
    timezone: str


def add_stop_details(
    itinerary: Itinerary,
    *,
    pack: CityPack | None,
    network: StreetNetwork,
    policy: TravelPolicy | None,
    request: Request | None,
) -> Itinerary:
    """*itinerary* with an address on every stop, start and end place, and a restaurant
    suggested for every meal taken where the group is."""
    from tours.places.osm_features import load_address_data, load_features  # noqa: PLC0415

    extract = _extract(pack, network)
    context = _Context(
        book=AddressBook(pack=pack, data=load_address_data(extract) if extract else None),
        pack=pack,
        features=load_features(extract) if extract is not None else [],
        network=network,
        policy=policy,
        request=request,
        timezone=itinerary.city.timezone,
    )
    days = [_day_details(day, context) for day in itinerary.days]
    return itinerary.model_copy(update={"days": days})


def _day_details(day: Day, context: _Context) -> Day:
    book = context.book
    items: list[Item] = []
    for item in day.items:
        if isinstance(item, Leg):
            items.append(item)
            continue
        update: dict[str, object] = {"place": book.with_address(item.place)}
        if isinstance(item, Meal) and is_where_the_group_is(item, day.date, context.request):
            found = suggest_restaurant(
                item,
                pack=context.pack,
                features=context.features,
                network=context.network,
                policy=context.policy,
                timezone=context.timezone,
            )
            if found.place is not None:
                found = found.model_copy(update={"place": book.with_address(found.place)})
            update["restaurant"] = found
        items.append(item.model_copy(update=update))
    return day.model_copy(
        update={
            "items": items,
            "start_place": book.with_address(day.start_place),
            "end_place": book.with_address(day.end_place),
        }
    )
