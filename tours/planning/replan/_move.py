"""The group's reported position (``at``) and its move there as a real street leg.

A ``lat,lon`` position becomes a :class:`~tours.itinerary.PlaceRef` ("Reported position",
"报告位置") whose id carries its coordinates to 1e-6 degrees as a city-pack slug: hemisphere,
whole degrees, six decimals (``30.66, 104.07`` -> ``position-n30-660000-e104-070000``), so
anyone reading the itinerary (the independent checker, a later re-plan) can place it without
the city pack.

The move (see :mod:`tours.planning.replan.replanner` for the rule) runs from where the old plan
has the group to the reported position along real streets (``routing.route_leg``, the mode the
travel policy chooses, the same numbers as the matrix). ``at`` says where the group is at
``now``, so the move ends at ``now`` (``delay_min`` only shifts what follows) and starts at
``max(left_at, now - travel time)``; when the travel does not fit in between it starts at
``left_at`` and is shorter than its ``duration_s``. A visit in progress at ``now`` is cut short:
the group left it when the move starts (``left_at`` is the visit's start), and the visit,
keeping its uid, ends then. An appointment or a meal in progress is finished as planned
(``left_at`` is its end): the move follows it and ends at ``free_at``."""

from __future__ import annotations

import dataclasses
import datetime as dt

from routing import RoutingError, StreetNetwork, TravelPolicy, route_leg
from tours._errors import ReplanError
from tours.itinerary import Leg, PlaceRef, Visit, stable_uid
from tours.planning._itinerary import street_leg
from tours.planning.replan._state import GroupState, ceil_minute

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


def in_progress_visit(state: GroupState) -> Visit | None:
    """The visit of the old plan still going on at ``now`` (``None``: none)."""
    last = state.done[-1] if state.done else None
    return last if isinstance(last, Visit) and last.end > state.now else None


def reported_move(
    state: GroupState,
    network: StreetNetwork,
    *,
    mode: str,
    policy: TravelPolicy,
    buffer_min: int,
) -> tuple[GroupState, Leg | None]:
    """The group's reported move, and the state after it (a visit in progress cut short).

    Returns *state* and ``None`` when there is no move (the day starts at the position, or
    the group is where the plan has it). Otherwise the move ends at ``now``; a visit in
    progress ends when the move starts, and ``free_at`` counts the buffer after it.

    Raises
    ------
    ReplanError
        No street route joins the two places.
    """
    a, b = state.origin, state.position
    if state.left_at is None or a.id == b.id:
        return state, None
    try:
        leg = route_leg(
            network, (a.lat, a.lon), (b.lat, b.lon), mode=mode, policy=policy, labels=(a.id, b.id)
        )
    except RoutingError as err:
        msg = f"`at`: the group cannot get from {a.name_en} to {where(b)}: {err}"
        raise ReplanError(msg) from None
    travel = dt.timedelta(seconds=leg.duration_s)
    cut = in_progress_visit(state)
    left_at = cut.start if cut is not None else state.left_at
    # a stop the group cannot have left (an appointment or a meal) is finished as planned
    end = state.now if left_at <= state.now else state.free_at
    start = min(max(left_at, end - travel), end)
    if leg.mode == "coach" and policy.coach_profile is not None:
        # a coach in rush hour: the leg's time depends on when it leaves (FIFO, converges)
        for _ in range(4):
            clock = start.hour * 3600.0 + start.minute * 60.0 + start.second
            leg = route_leg(
                network,
                (a.lat, a.lon),
                (b.lat, b.lon),
                mode="coach",
                policy=policy,
                labels=(a.id, b.id),
                depart_s=clock + start.microsecond / 1e6,
            )
            again = min(max(left_at, end - dt.timedelta(seconds=leg.duration_s)), end)
            if again == start:
                break
            start = again
    if cut is not None:
        shortened = cut.model_copy(update={"end": start})
        ready = start + dt.timedelta(minutes=buffer_min)
        state = dataclasses.replace(
            state,
            done=[*state.done[:-1], shortened],
            left_at=start,
            free_at=ceil_minute(max(state.now, ready) + dt.timedelta(minutes=state.delay_min)),
        )
    move = street_leg(
        leg,
        uid=stable_uid(end.date().isoformat(), "reported-move", a.id, b.id),
        start=start,
        end=end,
        from_id=a.id,
        to_id=b.id,
    )
    return state, move
