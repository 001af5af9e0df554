"""Opening hours through the real opening_hours library, in Chengdu's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tours._errors import InputError, OpeningHoursError
from tours.places.hours import OpeningHours, validate_expression

TZ = ZoneInfo("Asia/Shanghai")


def _at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_seasonal_rule_wuhou_shrine() -> None:
    oh = OpeningHours("May-Oct 08:00-20:00; Nov-Apr 08:00-18:30")
    assert oh.intervals_on(dt.date(2026, 7, 1)) == [(_at(2026, 7, 1, 8), _at(2026, 7, 1, 20))]
    assert oh.intervals_on(dt.date(2026, 12, 1)) == [
        (_at(2026, 12, 1, 8), _at(2026, 12, 1, 18, 30))
    ]
    assert oh.is_open(_at(2026, 7, 1, 19, 30))
    assert not oh.is_open(_at(2026, 12, 1, 19, 0))


def test_closed_on_mondays_and_next_change() -> None:
    oh = OpeningHours('Tu-Su 09:00-17:00 "last entry 16:30"; Mo off')
    monday = dt.date(2026, 5, 4)
    assert monday.weekday() == 0
    assert oh.intervals_on(monday) == []
    assert not oh.is_open_on(monday)
    # Monday 10:00 -> opens Tuesday 09:00
    assert oh.next_change(_at(2026, 5, 4, 10)) == _at(2026, 5, 5, 9)
    assert oh.comment(_at(2026, 5, 5, 10)) == "last entry 16:30"


def test_naive_datetimes_are_local_and_aware_ones_are_converted() -> None:
    oh = OpeningHours("Mo-Su 08:00-17:00")
    assert oh.is_open(dt.datetime(2026, 5, 5, 8, 30))  # naive = Chengdu local time
    utc = dt.datetime(2026, 5, 5, 1, 0, tzinfo=dt.UTC)  # 09:00 in Chengdu
    assert oh.is_open(utc)
    change = oh.next_change(utc)
    assert change == _at(2026, 5, 5, 17)
    assert change is not None and change.utcoffset() == dt.timedelta(hours=8)


def test_always_open_has_no_next_change_and_full_day() -> None:
    oh = OpeningHours("24/7")
    assert oh.next_change(_at(2026, 5, 5, 12)) is None
    assert oh.intervals_on(dt.date(2026, 5, 5)) == [(_at(2026, 5, 5), _at(2026, 5, 6))]


def test_public_holidays_use_the_chinese_calendar() -> None:
    # Sichuan Museum: closed Mondays except public holidays (later rules override earlier)
    oh = OpeningHours('Mo off; Tu-Su,PH 09:00-17:00 "last entry 16:00"')
    # 2025-10-06 is a Monday inside the National Day holiday: open
    assert dt.date(2025, 10, 6).weekday() == 0
    assert oh.is_open(_at(2025, 10, 6, 10))
    assert not oh.is_open(_at(2025, 10, 13, 10))  # an ordinary Monday
    assert oh.is_open(_at(2025, 10, 14, 16, 30))


def test_overnight_hours_are_clipped_to_the_day() -> None:
    oh = OpeningHours("Mo-Su 20:00-02:00")
    day = dt.date(2026, 5, 5)
    assert oh.intervals_on(day) == [
        (_at(2026, 5, 5, 0), _at(2026, 5, 5, 2)),
        (_at(2026, 5, 5, 20), _at(2026, 5, 6, 0)),
    ]


@pytest.mark.parametrize("bad", ["8:30——17:30", "Mo-Su 25:00-26:00", "open daily"])
def test_invalid_expressions_raise_opening_hours_error(bad: str) -> None:
    with pytest.raises(OpeningHoursError, match="`opening_hours`") as info:
        OpeningHours(bad)
    assert repr(bad) in str(info.value)
    assert validate_expression(bad) is not None
    assert validate_expression("Mo-Fr 09:00-17:00") is None


def test_unknown_time_zone() -> None:
    with pytest.raises(InputError, match="Mars/Olympus"):
        OpeningHours("24/7", timezone="Mars/Olympus")
