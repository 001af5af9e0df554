"""A small hand-built two-day itinerary for renderer unit tests.

Renderers read only the itinerary model, so their unit tests need no planner. The places are
real central-Chengdu coordinates; leg geometry is a short polyline between the stops. One
place carries a hostile name to prove that renderers escape untrusted text.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tours.itinerary import (
    Appointment,
    City,
    Day,
    Delegation,
    Item,
    Itinerary,
    LeftOut,
    Leg,
    Meal,
    PlaceRef,
    Visit,
    stable_uid,
)

TZ = ZoneInfo("Asia/Shanghai")
HOSTILE = "<img src=x onerror=alert(1)>"

HOTEL = PlaceRef(
    id="hotel",
    name_en="Delegation Hotel",
    name_zh="代表团酒店",
    category="hotel",
    lat=30.6573,
    lon=104.0814,
)
SQUARE = PlaceRef(
    id="tianfu_square",
    name_en="Tianfu Square",
    name_zh="天府广场",
    category="landmark",
    lat=30.6574,
    lon=104.0659,
    tickets="Free",
)
MUSEUM = PlaceRef(
    id="chengdu_museum",
    name_en="Chengdu Museum",
    name_zh="成都博物馆",
    category="museum",
    lat=30.6580,
    lon=104.0625,
    tickets="Free; bring passports",
    entrance="West gate",
)
WENSHU = PlaceRef(
    id="wenshu_monastery",
    name_en="Wenshu Monastery",
    name_zh="文殊院",
    category="temple",
    lat=30.6747,
    lon=104.0723,
)
PARK = PlaceRef(
    id="peoples_park",
    name_en=HOSTILE,
    name_zh="人民公园<b>",
    category="park",
    lat=30.6570,
    lon=104.0560,
    notes='Tea house "Heming" & more',
)
EASTERN = PlaceRef(
    id="eastern_suburb_memory",
    name_en="Eastern Suburb Memory",
    name_zh="东郊记忆",
    category="creative_park",
    lat=30.6715,
    lon=104.1147,
)
OUTSIDE = PlaceRef(
    id="wuhou_shrine",
    name_en="Wuhou Shrine",
    name_zh="武侯祠",
    category="temple",
    lat=30.6466,
    lon=104.0480,
)


def _t(day: int, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(2025, 3, 20 + day, hour, minute, tzinfo=TZ)


def _leg(day: int, a: PlaceRef, b: PlaceRef, *, start: str, end: str, mode: str) -> Leg:
    t0, t1 = _t(day, start), _t(day, end)
    mid = ((a.lat + b.lat) / 2 + 0.001, (a.lon + b.lon) / 2)
    overhead = 600.0 if mode == "coach" else 0.0
    return Leg(
        uid=stable_uid("leg", day, a.id, b.id),
        start=t0,
        end=t1,
        mode=mode,  # type: ignore[arg-type]
        from_id=a.id,
        to_id=b.id,
        distance_m=1500.0,
        duration_s=(t1 - t0).total_seconds(),
        overhead_s=overhead,
        geometry=[(a.lat, a.lon), mid, (b.lat, b.lon)],
    )


def sample_itinerary() -> Itinerary:
    """Two days: appointments, visits, meals and walk/coach legs, plus a left-out place."""
    day1: list[Item] = [
        _leg(1, HOTEL, EASTERN, start="08:20", end="08:55", mode="coach"),
        Appointment(
            uid=stable_uid("appt", 1, "opening"),
            start=_t(1, "09:00"),
            end=_t(1, "12:00"),
            title="Opening ceremony",
            place=EASTERN,
        ),
        Meal(
            uid=stable_uid("meal", 1, "lunch"),
            start=_t(1, "12:00"),
            end=_t(1, "13:00"),
            title="Lunch",
            place=EASTERN,
        ),
        _leg(1, EASTERN, SQUARE, start="13:00", end="13:40", mode="coach"),
        Visit(
            uid=stable_uid("visit", 1, SQUARE.id),
            start=_t(1, "13:40"),
            end=_t(1, "14:10"),
            place=SQUARE,
            priority=6,
        ),
        _leg(1, SQUARE, HOTEL, start="14:10", end="14:40", mode="walk"),
    ]
    day2: list[Item] = [
        _leg(2, HOTEL, WENSHU, start="08:30", end="09:05", mode="coach"),
        Visit(
            uid=stable_uid("visit", 2, WENSHU.id),
            start=_t(2, "09:05"),
            end=_t(2, "10:35"),
            place=WENSHU,
            priority=9,
            must_see=True,
        ),
        _leg(2, WENSHU, MUSEUM, start="10:35", end="11:10", mode="coach"),
        Visit(
            uid=stable_uid("visit", 2, MUSEUM.id),
            start=_t(2, "11:10"),
            end=_t(2, "12:40"),
            place=MUSEUM,
            priority=8,
        ),
        Meal(
            uid=stable_uid("meal", 2, "lunch"),
            start=_t(2, "12:40"),
            end=_t(2, "13:40"),
            title="Lunch",
            place=MUSEUM,
        ),
        _leg(2, MUSEUM, PARK, start="13:40", end="14:05", mode="walk"),
        Visit(
            uid=stable_uid("visit", 2, PARK.id),
            start=_t(2, "14:05"),
            end=_t(2, "15:05"),
            place=PARK,
            priority=5,
            note="Tea & <script>alert(2)</script>",
        ),
        _leg(2, PARK, HOTEL, start="15:05", end="15:50", mode="walk"),
    ]
    return Itinerary(
        title="Sample delegation visit",
        delegation=Delegation(
            name="Sample <Delegation>", size=12, contacts=["Guide: Li Wei +86 138 0000 0000"]
        ),
        city=City(id="chengdu", name_en="Chengdu", name_zh="成都", timezone="Asia/Shanghai"),
        days=[
            Day(
                date=dt.date(2025, 3, 21),
                start=_t(1, "08:20"),
                end=_t(1, "14:40"),
                start_place=HOTEL,
                end_place=HOTEL,
                items=day1,
            ),
            Day(
                date=dt.date(2025, 3, 22),
                start=_t(2, "08:30"),
                end=_t(2, "15:50"),
                start_place=HOTEL,
                end_place=HOTEL,
                items=day2,
            ),
        ],
        left_out=[
            LeftOut(
                place=OUTSIDE,
                code="outside_network",
                reason="Wuhou Shrine is outside the loaded street network",
            )
        ],
        total_priority=28,
    )
