"""Times of day in requests: ``"HH:MM"`` <-> minutes after local midnight (``"24:00"`` = 1440)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from tours.timetext import format_clock, format_day

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def _parse_clock(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, str):
        msg = f"{value!r} is not a time of day; write it as 'HH:MM' (e.g. '09:30')"
        raise ValueError(msg)  # pydantic turns a ValueError into a field error
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        msg = f"{value!r} is not a time of day; write it as 'HH:MM' (e.g. '09:30')"
        raise ValueError(msg)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes > 0):
        msg = f"{value!r} is not a time of day; use 00:00 to 24:00"
        raise ValueError(msg)
    return hours * 60 + minutes


Clock = Annotated[
    int,
    BeforeValidator(_parse_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"}),
]


__all__ = ["Clock", "format_clock", "format_day"]
