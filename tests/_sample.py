"""A small hand-built two-day itinerary for renderer unit tests.

Renderers read only the itinerary model, so their unit tests need no planner. The places are
real central-Chengdu coordinates; leg geometry is a short polyline between the stops. One
place carries a hostile name to prove that renderers escape untrusted text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
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


def place_ref(
    pid: str, name_en: str, name_zh: str, category: str, at: tuple[float, float], **extra: str
) -> PlaceRef:
    """A place of an itinerary at *at* = ``(lat, lon)``."""
    lat, lon = at
    return PlaceRef(
        id=pid, name_en=name_en, name_zh=name_zh, category=category, lat=lat, lon=lon, **extra
    )


HOTEL = place_ref("hotel", "Delegation Hotel", "代表团酒店", "hotel", (30.6573, 104.0814))
SQUARE = place_ref(
    "tianfu_square", "Tianfu Square", "天府广场", "landmark", (30.6574, 104.0659), tickets="Free"
)
MUSEUM = place_ref(
    "chengdu_museum",
    "Chengdu Museum",
    "成都博物馆",
    "museum",
    (30.6580, 104.0625),
    tickets="Free; bring passports",
    entrance="West gate",
)
WENSHU = place_ref("wenshu_monastery", "Wenshu Monastery", "文殊院", "temple", (30.6747, 104.0723))
PARK = place_ref(
    "peoples_park",
    HOSTILE,
    "人民公园<b>",
    "park",
    (30.6570, 104.0560),
    notes='Tea house "Heming" & more',
)
EASTERN = place_ref(
    "eastern_suburb_memory",
    "Eastern Suburb Memory",
    "东郊记忆",
    "creative_park",
    (30.6715, 104.1147),
)
OUTSIDE = place_ref("wuhou_shrine", "Wuhou Shrine", "武侯祠", "temple", (30.6466, 104.0480))


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


def _visit(day: int, place: PlaceRef, start: str, end: str, **extra: Any) -> Visit:
    uid = stable_uid("visit", day, place.id)
    return Visit(uid=uid, start=_t(day, start), end=_t(day, end), place=place, **extra)


def _lunch(day: int, place: PlaceRef, start: str, end: str) -> Meal:
    uid = stable_uid("meal", day, "lunch")
    return Meal(uid=uid, start=_t(day, start), end=_t(day, end), title="Lunch", place=place)


def _day(day: int, start: str, end: str, items: list[Item]) -> Day:
    return Day(
        date=dt.date(2025, 3, 20 + day),
        start=_t(day, start),
        end=_t(day, end),
        start_place=HOTEL,
        end_place=HOTEL,
        items=items,
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
        _lunch(1, EASTERN, "12:00", "13:00"),
        _leg(1, EASTERN, SQUARE, start="13:00", end="13:40", mode="coach"),
        _visit(1, SQUARE, "13:40", "14:10", priority=6),
        _leg(1, SQUARE, HOTEL, start="14:10", end="14:40", mode="walk"),
    ]
    day2: list[Item] = [
        _leg(2, HOTEL, WENSHU, start="08:30", end="09:05", mode="coach"),
        _visit(2, WENSHU, "09:05", "10:35", priority=9, must_see=True),
        _leg(2, WENSHU, MUSEUM, start="10:35", end="11:10", mode="coach"),
        _visit(2, MUSEUM, "11:10", "12:40", priority=8),
        _lunch(2, MUSEUM, "12:40", "13:40"),
        _leg(2, MUSEUM, PARK, start="13:40", end="14:05", mode="walk"),
        _visit(2, PARK, "14:05", "15:05", priority=5, note="Tea & <script>alert(2)</script>"),
        _leg(2, PARK, HOTEL, start="15:05", end="15:50", mode="walk"),
    ]
    return Itinerary(
        title="Sample delegation visit",
        delegation=Delegation(
            name="Sample <Delegation>", size=12, contacts=["Guide: Li Wei +86 138 0000 0000"]
        ),
        city=City(id="chengdu", name_en="Chengdu", name_zh="成都", timezone="Asia/Shanghai"),
        days=[_day(1, "08:20", "14:40", day1), _day(2, "08:30", "15:50", day2)],
        left_out=[
            LeftOut(
                place=OUTSIDE,
                code="outside_network",
                reason="Wuhou Shrine is outside the loaded street network",
            )
        ],
        total_priority=28,
    )
