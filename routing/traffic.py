"""Coach travel that depends on the hour: a speed profile and FIFO travel times.

A :class:`CoachSpeedProfile` gives, for each hour of the day, a factor on the coach's usual
city speed (``TravelPolicy.coach_urban_factor`` x the road-class speeds): below 1 in the
morning and evening rush, above 1 at night. Between the middles of two hours the factor
changes linearly, so speed is a continuous function of time.

Travel time follows the speed model of Ichoua, Gendreau and Potvin (2003, "Vehicle
dispatching with time-dependent travel times", EJOR 144): a coach covers the leg's
distance at whatever speed the clock allows while it drives, so a leg that starts just before
the rush slows down part way. With ``F(t)`` the integral of the speed factor,
a drive that needs ``W`` seconds at factor 1 and starts at ``t`` arrives at
``F^-1(F(t) + W)``. ``F`` is strictly increasing, so arrival times are FIFO by construction:
leaving later never arrives earlier. (A per-slot travel time with linear interpolation can
break FIFO and then needs a repair; the speed model does not.)

The factor applies to every road alike, so the fastest path is the same at every hour and a
matrix with a departure-time axis costs one shortest-path search, not one per time slot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

DAY_S = 86_400.0
#: Resolution of the tabulated integral of the speed factor (exact at the hour middles).
_STEP_S = 60.0
#: The table covers departures on any day offset plus drives of up to this many days.
_TABLE_DAYS = 3


@dataclass(frozen=True)
class CoachSpeedProfile:
    """Coach speed factor for each hour of the day (index 0 is 00:00-01:00, local time).

    Parameters
    ----------
    factors
        24 positive factors on the usual city coach speed (1 = no change).
    name
        Short name shown with plans ("chengdu-2024", "generic").
    sources
        Where the numbers come from (free text or URLs), for the printed programme.
    """

    factors: tuple[float, ...]
    name: str = "custom"
    sources: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        values = tuple(float(v) for v in self.factors)
        if len(values) != 24:
            msg = f"a coach speed profile needs 24 hourly factors, got {len(values)}"
            raise ValueError(msg)
        bad = [(h, v) for h, v in enumerate(values) if not (math.isfinite(v) and 0.05 <= v <= 3)]
        if bad:
            hour, value = bad[0]
            msg = (
                f"coach speed factor for hour {hour:02d} is {value!r}; "
                "use a number between 0.05 and 3 (1 = the usual city speed)"
            )
            raise ValueError(msg)
        object.__setattr__(self, "factors", values)
        object.__setattr__(self, "sources", tuple(self.sources))

    @classmethod
    def flat(cls) -> CoachSpeedProfile:
        """The same speed at every hour (travel times as without a profile)."""
        return cls(factors=(1.0,) * 24, name="flat")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, name: str = "custom") -> CoachSpeedProfile:
        """Build a profile from ``{"factors": {"07": 0.8, ...} | [24 numbers], "sources": [...]}``.

        Hours missing from a mapping keep factor 1. Keys are hours ``0``-``23`` (``"07"`` or
        ``7``) or ranges ``"07-09"`` (07:00 up to 09:00, i.e. hours 7 and 8).
        """
        raw = data.get("factors")
        factors = [1.0] * 24
        if isinstance(raw, Sequence) and not isinstance(raw, str):
            factors = [float(v) for v in raw]
        elif isinstance(raw, Mapping):
            for key, value in raw.items():
                for hour in _hours(str(key)):
                    factors[hour] = float(value)
        else:
            msg = "`factors` must be a list of 24 numbers or a mapping of hours to numbers"
            raise ValueError(msg)
        sources = data.get("sources") or ()
        texts = tuple(str(s.get("title", s)) if isinstance(s, Mapping) else str(s) for s in sources)
        return cls(factors=tuple(factors), name=str(data.get("name", name)), sources=texts)

    # -- the speed model ---------------------------------------------------------------
    def factor_at(self, t_s: np.ndarray | float) -> np.ndarray:
        """The speed factor at clock time *t_s* (seconds since midnight; any day)."""
        knots_t, knots_f = self._knots
        return np.asarray(np.interp(np.mod(t_s, DAY_S), knots_t, knots_f), dtype=np.float64)

    @cached_property
    def _knots(self) -> tuple[np.ndarray, np.ndarray]:
        # factor values at the middle of each hour, wrapped so 23:30 -> 00:30 is continuous
        mids = (np.arange(24) + 0.5) * 3600.0
        f = np.asarray(self.factors)
        return (
            np.concatenate([[mids[-1] - DAY_S], mids, [mids[0] + DAY_S]]),
            np.concatenate([[f[-1]], f, [f[0]]]),
        )

    @cached_property
    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """``(t, F)``: clock seconds and the integral of the factor from 00:00 (day 0).

        Exact at every minute (the factor is linear between them); linear interpolation in
        it, in either direction, keeps it strictly increasing — the FIFO guarantee.
        """
        t = np.arange(0.0, _TABLE_DAYS * DAY_S + _STEP_S, _STEP_S)
        f = self.factor_at(t)
        integral = np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) * 0.5 * _STEP_S)])
        return t, integral

    def drive_end(self, start_s: np.ndarray | float, drive_s: np.ndarray | float) -> np.ndarray:
        """When a drive of *drive_s* seconds (at factor 1) that starts at *start_s* ends.

        Both broadcast; infinite drives stay infinite. Start times on any day are allowed.
        """
        start = np.asarray(start_s, dtype=np.float64)
        work = np.asarray(drive_s, dtype=np.float64)
        day = np.floor(start / DAY_S) * DAY_S
        local = start - day
        t, integral = self.table
        finite = np.isfinite(work)
        target = np.interp(local, t, integral) + np.where(finite, work, 0.0)
        if np.any(target > integral[-1]):
            msg = "a coach drive longer than two days is outside the speed profile's table"
            raise ValueError(msg)
        end = day + np.interp(target, integral, t)
        return np.where(finite, np.maximum(end, start), np.inf)

    def drive_time(self, start_s: np.ndarray | float, drive_s: np.ndarray | float) -> np.ndarray:
        """Seconds a drive of *drive_s* (at factor 1) takes when it starts at *start_s*."""
        return self.drive_end(start_s, drive_s) - np.asarray(start_s, dtype=np.float64)


def _hours(key: str) -> range:
    text = key.strip()
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            hours = range(first, last)
        else:
            hours = range(int(text), int(text) + 1)
    except ValueError:
        msg = f"hour key {key!r} is not an hour (0-23) or a range like '07-09'"
        raise ValueError(msg) from None
    if not hours or hours.start < 0 or hours.stop > 24:
        msg = f"hour key {key!r} must lie within 0-24 (e.g. '07-09' for 07:00-09:00)"
        raise ValueError(msg)
    return hours


#: The generic default for a city without its own profile: a mid-size city centre on a
#: working day. Morning rush 07:00-09:00 and evening rush 17:00-19:00 at 0.7-0.75 of the
#: usual speed, the usual speed through the day, free-flowing traffic at night (1.3-1.4).
#: Shaped after the hourly congestion curves that traffic indexes publish for large cities
#: (TomTom Traffic Index, INRIX Global Traffic Scorecard): two weekday peaks with travel
#: times some 30-45 % above free flow, the evening peak the longer one. The numbers are a
#: rounded planning default, not a measurement of any one city: give a city pack its own.
GENERIC_PROFILE = CoachSpeedProfile(
    factors=(
        1.4, 1.4, 1.4, 1.4, 1.4, 1.35,  # 00-06
        1.2, 0.8, 0.75, 0.9, 1.0, 1.0,  # 06-12
        0.95, 1.0, 1.0, 0.95, 0.85, 0.7,  # 12-18
        0.75, 0.9, 1.05, 1.15, 1.25, 1.35,  # 18-24
    ),
    name="generic",
    sources=(
        "tours generic default: two weekday rush hours (07-09, 17-19), free flow at night; "
        "shaped after TomTom Traffic Index / INRIX hourly congestion curves (rounded)",
    ),
)  # fmt: skip
