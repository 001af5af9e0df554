"""Opening hours in OSM ``opening_hours`` syntax, evaluated in the city's time zone.

A thin wrapper over the ``opening_hours`` library (PyPI ``opening-hours-py``): the library
parses and evaluates the expression (seasons, weekdays, public holidays, comments); this
module only fixes the time zone, turns parse failures into :class:`OpeningHoursError` and
answers the three questions a planner asks: is it open at a time, when does that change, and
which intervals are open on a date.

Naive datetimes are read as local time in the place's time zone; every datetime returned is
aware and local.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import opening_hours as _oh

from tours._errors import InputError, OpeningHoursError

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_COUNTRY = "CN"
# the parser's exception class is missing from the library's type stubs
_ParserError: type[Exception] = getattr(_oh, "ParserError", SyntaxError)


@lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone `timezone` {name!r}; use an IANA name such as 'Asia/Shanghai'"
        raise InputError(msg) from None


def validate_expression(expression: str) -> str | None:
    """Return ``None`` when *expression* parses, else the parser's message (first line)."""
    try:
        _oh.OpeningHours(expression, auto_country=False, auto_timezone=False)
    except _ParserError as err:
        return _first_line(str(err))
    return None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    hint = next((line.lstrip("= ") for line in lines if line.startswith("=")), "")
    return hint or (lines[0] if lines else "does not parse")


class OpeningHours:
    """An ``opening_hours`` expression evaluated in one time zone.

    Parameters
    ----------
    expression
        OSM opening hours, e.g. ``"May-Oct 08:00-20:00; Nov-Apr 08:00-18:30"``.
    timezone
        IANA time zone of the place.
    country
        ISO country code whose public holidays ``PH`` refers to.

    Raises
    ------
    OpeningHoursError
        The expression does not parse.
    """

    def __init__(
        self,
        expression: str,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        country: str | None = DEFAULT_COUNTRY,
    ) -> None:
        self.expression = expression
        self.timezone = timezone
        self._tz = _zone(timezone)
        try:
            self._oh = _oh.OpeningHours(
                expression,
                timezone=self._tz,
                country=country,
                auto_country=False,
                auto_timezone=False,
            )
        except _ParserError as err:
            msg = (
                f"`opening_hours` {expression!r} does not parse ({_first_line(str(err))}); "
                "see https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification"
            )
            raise OpeningHoursError(msg) from None

    def __repr__(self) -> str:
        return f"OpeningHours({self.expression!r}, timezone={self.timezone!r})"

    def __str__(self) -> str:
        return self.expression

    def _local(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is None:
            return when.replace(tzinfo=self._tz)
        return when.astimezone(self._tz)

    def is_open(self, when: dt.datetime) -> bool:
        """Whether the place is open at *when* (``unknown`` counts as not open)."""
        return bool(self._oh.is_open(self._local(when)))

    def comment(self, when: dt.datetime) -> str:
        """The expression's comment in force at *when* (e.g. ``"last entry 16:00"``), or ``""``."""
        return str(self._oh.state(self._local(when))[1])

    def next_change(self, when: dt.datetime) -> dt.datetime | None:
        """The next time the state changes after *when*, or ``None`` if it never does."""
        change = self._oh.next_change(self._local(when))
        return None if change is None else self._local(change)

    def intervals_between(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Open intervals within ``[start, end)``, merged where they touch."""
        lo, hi = self._local(start), self._local(end)
        if hi <= lo:
            return []
        out: list[tuple[dt.datetime, dt.datetime]] = []
        for a, b, state, _comment in self._oh.intervals(lo, hi):
            if state != _oh.State.OPEN:
                continue
            a_local, b_local = max(self._local(a), lo), min(self._local(b), hi)
            if b_local <= a_local:
                continue
            if out and out[-1][1] >= a_local:
                out[-1] = (out[-1][0], max(out[-1][1], b_local))
            else:
                out.append((a_local, b_local))
        return out

    def intervals_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """Open intervals on *day* (local midnight to midnight), clipped to that day."""
        start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self._tz)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=self._tz)
        return self.intervals_between(start, end)

    def is_open_on(self, day: dt.date) -> bool:
        """Whether the place is open at any time on *day*."""
        return bool(self.intervals_on(day))
