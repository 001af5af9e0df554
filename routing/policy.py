"""Travel modes of a delegation and the policy that prices them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from routing._errors import UnknownModeError
from routing.traffic import CoachSpeedProfile

#: How one leg travels: each has its own street network and edge weights.
LegMode = Literal["walk", "coach"]
#: How a delegation travels: a leg mode, or ``mixed`` (a short leg walked, else the coach).
Mode = Literal[LegMode, "mixed"]
#: The leg modes, in the order legends list them (the single source of their names).
LEG_MODES: tuple[LegMode, ...] = get_args(LegMode)
#: Every travel mode a request or a matrix may name.
MODES: tuple[Mode, ...] = get_args(Mode)

#: Free-flow coach speed by OSM road class (km/h) where a way has no numeric ``maxspeed``.
DEFAULT_COACH_SPEEDS_KMH: Mapping[str, float] = MappingProxyType(
    {
        "motorway": 90.0,
        "motorway_link": 50.0,
        "trunk": 60.0,
        "trunk_link": 40.0,
        "primary": 50.0,
        "primary_link": 35.0,
        "secondary": 40.0,
        "secondary_link": 30.0,
        "tertiary": 30.0,
        "tertiary_link": 25.0,
        "unclassified": 25.0,
        "residential": 20.0,
        "living_street": 10.0,
        "road": 20.0,
        "other": 20.0,
    }
)


@dataclass(frozen=True)
class TravelPolicy:
    """How a delegation moves between places.

    Parameters
    ----------
    walk_kmh
        Group walking pace (a delegation walks slower than one person).
    coach_overhead_min
        Boarding and parking time added to every coach leg.
    mixed_walk_max_min
        In ``mixed`` mode a leg is walked when the walk takes at most this long, else the
        coach is taken (the walk is kept when no coach route exists).
    coach_urban_factor
        Share of the free-flow speed a coach reaches in city traffic (0 < f <= 1).
    coach_speeds_kmh
        Free-flow speed by road class where a way has no numeric ``maxspeed``.
    max_snap_m
        A place farther than this from the street network is an error.
    coach_profile
        Coach speed by hour of day (rush hours, night), a factor on the city speed above;
        ``None`` is the same speed at every hour. Legs then take the time of their actual
        departure (see :mod:`routing.traffic`).

    Notes
    -----
    Snapping: a place joins the network at its nearest node; the snap distance is walked at
    group pace at both ends of every leg (in coach legs it is the walk to and from the coach),
    so ``travel_matrix`` and ``route_leg`` give the same numbers.
    """

    walk_kmh: float = 4.0
    coach_overhead_min: float = 10.0
    mixed_walk_max_min: float = 15.0
    coach_urban_factor: float = 0.6
    coach_speeds_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_COACH_SPEEDS_KMH)
    max_snap_m: float = 500.0
    coach_profile: CoachSpeedProfile | None = None

    def __post_init__(self) -> None:
        positive = {
            "walk_kmh": self.walk_kmh,
            "coach_urban_factor": self.coach_urban_factor,
            "max_snap_m": self.max_snap_m,
        }
        for name, value in positive.items():
            if not (math.isfinite(value) and value > 0):
                msg = f"`{name}` must be a positive number, got {value!r}"
                raise ValueError(msg)
        for name, value in {
            "coach_overhead_min": self.coach_overhead_min,
            "mixed_walk_max_min": self.mixed_walk_max_min,
        }.items():
            if not (math.isfinite(value) and value >= 0):
                msg = f"`{name}` must be zero or more minutes, got {value!r}"
                raise ValueError(msg)
        if self.coach_urban_factor > 1:
            msg = f"`coach_urban_factor` must be at most 1, got {self.coach_urban_factor!r}"
            raise ValueError(msg)
        if self.coach_profile is not None:
            top = max(self.coach_profile.factors) * self.coach_urban_factor
            if top > 1:
                msg = (
                    f"`coach_profile` {self.coach_profile.name!r} makes coaches faster than "
                    f"free flow ({max(self.coach_profile.factors):g} x urban factor "
                    f"{self.coach_urban_factor:g} > 1); lower its night factors"
                )
                raise ValueError(msg)
        bad = {k: v for k, v in self.coach_speeds_kmh.items() if not (v > 0)}
        if bad:
            msg = f"`coach_speeds_kmh` must be positive, got {bad!r}"
            raise ValueError(msg)

    @property
    def walk_mps(self) -> float:
        """Walking pace in metres per second."""
        return self.walk_kmh / 3.6

    @property
    def coach_overhead_s(self) -> float:
        """Per-leg coach overhead in seconds."""
        return self.coach_overhead_min * 60.0

    def coach_key(self) -> tuple[float, tuple[tuple[str, float], ...]]:
        """What coach edge weights depend on (for caching them per policy)."""
        return self.coach_urban_factor, tuple(sorted(self.coach_speeds_kmh.items()))


def check_mode(mode: str) -> str:
    """Return *mode* if it is a travel mode, else raise :class:`UnknownModeError`."""
    if mode not in MODES:
        msg = f"unknown travel mode `{mode}` ({mode!r}); use one of {', '.join(MODES)}"
        raise UnknownModeError(msg)
    return mode
