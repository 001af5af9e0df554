"""Dates and times as text in messages and summaries: the one helper every layer uses."""

from __future__ import annotations

import datetime as dt


def format_clock(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (``"24:00"`` for 1440)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_day(day: dt.date) -> str:
    """A date as short text for messages, e.g. ``Fri 21 Mar``."""
    return f"{day:%a} {day.day} {day:%b}"


def ceil_minute(when: dt.datetime) -> dt.datetime:
    """*when* rounded up to the minute (a leg ending 13:14:54 arrives "13:15")."""
    floor = when.replace(second=0, microsecond=0)
    return floor if floor == when else floor + dt.timedelta(minutes=1)


def shown_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from the shown *start* to the shown *end* (both :func:`ceil_minute`).

    Every output shows times through :func:`ceil_minute`, so a shown end minus a shown start
    is always the shown duration.
    """
    return round((ceil_minute(end) - ceil_minute(start)).total_seconds() / 60)


__all__ = ["ceil_minute", "format_clock", "format_day", "shown_minutes"]
