"""The group's reported position (``--at``) and its move there as a real street leg.

A ``lat,lon`` position becomes a :class:`~tours.itinerary.PlaceRef` ("Reported position",
"报告位置") whose id carries its coordinates to 1e-6 degrees as a city-pack slug: hemisphere,
whole degrees, six decimals (``30.66, 104.07`` -> ``position-n30-660000-e104-070000``), so
anyone reading the itinerary (the independent checker, a later re-plan) can place it without
the city pack.

The move (see :mod:`tours.planning.replan` for the rule) runs from where the old plan has the
group to the reported position along real streets (``routing.route_leg``, the mode the travel
policy chooses, the same numbers as the matrix). It ends when the re-plan starts
(``free_at``) and starts at ``max(left_at, free_at - travel time)``; when the travel does not
fit in between it starts at ``left_at`` and is shorter than its ``duration_s``.
"""

from __future__ import annotations

import datetime as dt

from routing import RoutingError, StreetNetwork, TravelPolicy, route_leg
from tours.itinerary import Leg, PlaceRef, stable_uid
from tours.planning._replan_state import GroupState, ReplanError

POSITION_PREFIX = "position-"


def _part(value: float, hemispheres: str) -> str:
    micro = round(abs(value) * 1_000_000)
    return f"{hemispheres[value < 0]}{micro // 1_000_000}-{micro % 1_000_000:06d}"


def reported_position(lat: float, lon: float) -> PlaceRef:
    """The place of ``--at lat,lon`` (coordinates rounded to 1e-6 degrees, about 0.1 m)."""
    lat, lon = round(float(lat), 6), round(float(lon), 6)
    return PlaceRef(
        id=f"{POSITION_PREFIX}{_part(lat, 'ns')}-{_part(lon, 'ew')}",
        name_en="Reported position",
        name_zh="报告位置",
        category="street",
        lat=lat,
        lon=lon,
        notes=f"Where the guide reported the group ({lat:.5f}, {lon:.5f}) to `tours replan --at`.",
    )


def is_reported(place: PlaceRef) -> bool:
    """Whether *place* is a reported ``lat,lon`` position, not a city-pack place."""
    return place.id.startswith(POSITION_PREFIX)


def where(place: PlaceRef) -> str:
    """A place as a guide reads it out; a reported position with its coordinates."""
    if is_reported(place):
        return f"the reported position ({place.lat:.5f}, {place.lon:.5f})"
    return place.name_en


def move_leg(
    state: GroupState, network: StreetNetwork, *, mode: str, policy: TravelPolicy
) -> Leg | None:
    """The leg of the group's reported move, or ``None`` (no move, or the day starts there).

    Raises
    ------
    ReplanError
        No street route joins the two places.
    """
    a, b = state.origin, state.position
    if state.left_at is None or a.id == b.id:
        return None
    try:
        leg = route_leg(
            network, (a.lat, a.lon), (b.lat, b.lon), mode=mode, policy=policy, labels=(a.id, b.id)
        )
    except RoutingError as err:
        msg = f"`--at`: the group cannot get from {a.name_en} to {where(b)}: {err}"
        raise ReplanError(msg) from None
    end = state.free_at
    start = max(state.left_at, end - dt.timedelta(seconds=leg.duration_s))
    start = min(start, end)
    return Leg(
        uid=stable_uid(end.date().isoformat(), "reported-move", a.id, b.id),
        start=start,
        end=end,
        mode=leg.mode,  # type: ignore[arg-type]
        from_id=a.id,
        to_id=b.id,
        distance_m=leg.distance_m,
        duration_s=leg.duration_s,
        overhead_s=leg.overhead_s,
        geometry=[(float(lat), float(lon)) for lat, lon in leg.geometry],
    )
