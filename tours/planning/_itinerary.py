"""Turn the solver's timed routes into a :class:`tours.itinerary.Itinerary` with real legs.

Per route position: the meals taken there on arrival (before the visit or appointment), the
stop's own item (a visit ends after the visit, the buffer is slack before the next item), the
meals taken there after it, then the leg to the next stop along real streets
(``routing.route_leg``, the same numbers as the matrix). Legs leave as soon as the stop ends;
the first leg of a day leaves the hotel just in time for the first item. Consecutive stops at
the same place need no leg.
"""

from __future__ import annotations

import datetime as dt
import math

from routing import RouteLeg, StreetNetwork, route_leg
from tours._errors import InputError
from tours.itinerary import (
    MEAL_WHERE_THE_GROUP_IS,
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
from tours.places.pack import CityPack, Place
from tours.planning._meal_places import add_stop_details
from tours.planning._model import MINUTE, Model, leg_seconds
from tours.planning.solver.optw import RouteEvaluation

_LEG_TOLERANCE_S = 1.0


def street_leg(
    route: RouteLeg, *, uid: str, start: dt.datetime, end: dt.datetime, from_id: str, to_id: str
) -> Leg:
    """The itinerary's :class:`~tours.itinerary.Leg` for *route*, a leg along the streets."""
    return Leg(
        uid=uid,
        start=start,
        end=end,
        mode=route.mode,  # type: ignore[arg-type]
        from_id=from_id,
        to_id=to_id,
        distance_m=route.distance_m,
        duration_s=route.duration_s,
        overhead_s=route.overhead_s,
        geometry=[(float(lat), float(lon)) for lat, lon in route.geometry],
    )


class _Legs:
    """Street legs between places, computed once per ordered pair."""

    def __init__(self, model: Model, network: StreetNetwork) -> None:
        self.model = model
        self.network = network
        self.cache: dict[tuple[int, int], tuple[str, float, float, float, list]] = {}

    def _route(self, a: int, b: int, mode: str, depart: float | None = None) -> RouteLeg:
        """The street leg from location *a* to *b* by *mode* (leaving at *depart*, if given)."""
        pa, pb = self.model.locations[a], self.model.locations[b]
        return route_leg(
            self.network,
            (float(pa.lat), float(pa.lon)),
            (float(pb.lat), float(pb.lon)),
            mode=mode,
            policy=self.model.policy,
            labels=(pa.names.en, pb.names.en),
            depart_s=depart,
        )

    def at(self, a: int, b: int, depart: float) -> tuple[str, float, float, float, list]:
        """Like :meth:`get`, with the duration of a leg leaving at *depart* (rush hours).

        The coach speed profile's clock is the local time of day (``depart`` counts from
        local midnight of the first day).
        """
        mode, distance, duration, overhead, geometry = self.get(a, b)
        timed = leg_seconds(self.model.matrix, a, b, depart)
        if timed != duration:
            pa, pb = self.model.locations[a], self.model.locations[b]
            leg = self._route(a, b, mode, depart)
            if abs(leg.duration_s - timed) > _LEG_TOLERANCE_S:
                msg = (
                    f"internal error: route_leg {pa.id}->{pb.id} at {depart:.0f} s gives "
                    f"{leg.duration_s:.1f} s, the matrix {timed:.1f} s"
                )
                raise RuntimeError(msg)
        return mode, distance, timed, overhead, geometry

    def get(self, a: int, b: int) -> tuple[str, float, float, float, list]:
        """``(mode, distance_m, duration_s, overhead_s, geometry)`` from location a to b."""
        if (a, b) not in self.cache:
            m = self.model.matrix
            pa, pb = self.model.locations[a], self.model.locations[b]
            mode = str(m.mode[a, b])
            leg = self._route(a, b, mode)
            expected = float(m.duration_s[a, b])
            if leg.mode != mode or abs(leg.duration_s - expected) > _LEG_TOLERANCE_S:
                msg = (
                    f"internal error: route_leg {pa.id}->{pb.id} gives {leg.mode} "
                    f"{leg.duration_s:.1f} s, the matrix {mode} {expected:.1f} s"
                )
                raise RuntimeError(msg)
            self.cache[(a, b)] = (
                mode,
                float(m.distance_m[a, b]),
                expected,
                float(leg.overhead_s),
                [(float(lat), float(lon)) for lat, lon in leg.geometry],
            )
        return self.cache[(a, b)]


def _floor_minute(t: float) -> float:
    return math.floor(t / MINUTE + 1e-9) * MINUTE


class _DayBuilder:
    def __init__(self, model: Model, legs: _Legs, k: int, ev: RouteEvaluation) -> None:
        self.model = model
        self.legs = legs
        self.k = k
        self.day = model.days[k]
        self.ev = ev
        self.items: list[Item] = []
        self.uids: dict[str, int] = {}
        self.waypoints: dict[str, PlaceRef] = {}  # coach stops the legs pass

    def uid(self, *parts: object) -> str:
        base = stable_uid(self.day.isoformat(), *parts)
        seen = self.uids.get(base, 0)
        self.uids[base] = seen + 1
        return base if seen == 0 else stable_uid(self.day.isoformat(), *parts, seen)

    def at(self, t: float) -> dt.datetime:
        return self.model.axis.local(t)

    def stop_item(self, node: int, start: float) -> tuple[Item, float]:
        info = self.model.nodes[node]
        request = self.model.resolved.request
        ref = info.place.to_ref()
        end = start + info.minutes * MINUTE
        if info.kind == "visit" and info.entry is not None:
            note = info.entry.note
            if info.place.opening_hours is None:
                extra = (
                    f"Opening hours unknown (planned within {request.unknown_hours}): "
                    "confirm before the visit."
                )
                note = f"{note} {extra}".strip()
            item: Item = Visit(
                uid=self.uid("visit", info.place.id),
                start=self.at(start),
                end=self.at(end),
                place=ref,
                priority=info.entry.priority,
                must_see=info.entry.must_see,
                note=note,
            )
        elif info.kind == "appointment":
            appt = request.appointments[info.index]
            item = Appointment(
                uid=self.uid("appointment", appt.title, info.place.id),
                start=self.at(start),
                end=self.at(end),
                title=appt.title,
                place=ref,
                note=appt.note,
            )
        else:
            meal = request.meals[info.index]
            item = Meal(
                uid=self.uid("meal", meal.title),
                start=self.at(start),
                end=self.at(end),
                title=meal.title,
                place=ref,
                note=meal.note,
            )
        return item, end

    def break_items(self, position: int, place: Place, *, before: bool = False) -> float | None:
        """Append the meals taken at route *position* (at *place*) after its service, or on
        arrival before it when *before*; return the end of the last one (None: none)."""
        end: float | None = None
        request = self.model.resolved.request
        for taken in self.ev.breaks:
            if taken.position != position or taken.before_service != before:
                continue
            meal = request.meals[self.model.breaks[self.k][taken.index]]
            self.items.append(
                Meal(
                    uid=self.uid("meal", meal.title),
                    start=self.at(taken.start),
                    end=self.at(taken.end),
                    title=meal.title,
                    place=place.to_ref(),
                    note=meal.note or MEAL_WHERE_THE_GROUP_IS,
                )
            )
            end = taken.end
        return end

    def leg(self, a_node: int, b_node: int, depart: float, *, arrive_by: float | None) -> float:
        """Append the leg between two nodes; return the arrival time."""
        a, b = self.model.loc_of(a_node), self.model.loc_of(b_node)
        pa, pb = self.model.nodes[a_node].place, self.model.nodes[b_node].place
        if pa.id == pb.id:
            return depart
        via = self.model.via_stops
        if via is not None and bool(via[a, b]):
            return self.stop_legs(a, b, depart, arrive_by=arrive_by)
        mode, distance, duration, overhead, geometry = self.legs.at(a, b, depart)
        if arrive_by is not None:  # leave the hotel just in time (FIFO: later never earlier)
            latest = max(depart, _floor_minute(arrive_by - duration))
            while latest > depart:
                timed = self.legs.at(a, b, latest)
                if latest + timed[2] <= arrive_by + 1e-6:
                    mode, distance, duration, overhead, geometry = timed
                    break
                latest -= MINUTE
            depart = max(depart, latest)
        self.items.append(
            Leg(
                uid=self.uid("leg", pa.id, pb.id),
                start=self.at(depart),
                end=self.at(depart + duration),
                mode=mode,  # type: ignore[arg-type]
                from_id=pa.id,
                to_id=pb.id,
                distance_m=distance,
                duration_s=duration,
                overhead_s=overhead,
                geometry=geometry,
            )
        )
        return depart + duration

    def stop_legs(self, a: int, b: int, depart: float, *, arrive_by: float | None) -> float:
        """The legs of a coach leg via coach stops: walk to the stop, coach, walk to the
        entrance (see :mod:`tours.planning._coach_stops`); return the arrival time."""
        model = self.model
        if arrive_by is not None:  # leave the hotel just in time (FIFO: later never earlier)
            latest = max(depart, _floor_minute(arrive_by - leg_seconds(model.matrix, a, b, depart)))
            while latest > depart:
                if latest + leg_seconds(model.matrix, a, b, latest) <= arrive_by + 1e-6:
                    break
                latest -= MINUTE
            depart = max(depart, latest)
        planned = leg_seconds(model.matrix, a, b, depart)
        pa, pb = model.locations[a], model.locations[b]
        wa, wb = model.stop_walks.pair(a, b)
        here = pa.to_ref()
        parts: list[tuple[PlaceRef, str]] = []
        if wa is not None:
            parts += [(wa.ref, "walk")]
        parts += [(wb.ref if wb is not None else pb.to_ref(), "coach")]
        if wb is not None:
            parts += [(pb.to_ref(), "walk")]
        t = depart
        for there, mode in parts:
            leg = route_leg(
                self.legs.network,
                (here.lat, here.lon),
                (there.lat, there.lon),
                mode=mode,
                policy=model.policy,
                labels=(here.name_en, there.name_en),
                depart_s=t,
            )
            self.items.append(
                street_leg(
                    leg,
                    uid=self.uid("leg", here.id, there.id),
                    start=self.at(t),
                    end=self.at(t + leg.duration_s),
                    from_id=here.id,
                    to_id=there.id,
                )
            )
            if there.category == "coach_stop":
                self.waypoints.setdefault(there.id, there)
            t += leg.duration_s
            here = there
        if abs(t - depart - planned) > _LEG_TOLERANCE_S:
            msg = (
                f"internal error: the legs {pa.id}->{pb.id} via coach stops take "
                f"{t - depart:.1f} s, the matrix {planned:.1f} s"
            )
            raise RuntimeError(msg)
        return t

    def build(self) -> Day:
        stops = self.ev.stops
        route = [s.node for s in stops]
        first_start = stops[0].start
        t = first_start
        last = len(stops) - 1
        for pos, stop in enumerate(stops):
            node = self.model.nodes[stop.node]
            if 0 < pos < last:
                self.break_items(pos, node.place, before=True)
                item, t = self.stop_item(stop.node, stop.start)
                self.items.append(item)
            meal_end = self.break_items(pos, node.place)
            if meal_end is not None:
                t = meal_end
            if pos == last:
                break
            jit = not self.items
            nxt = stops[pos + 1]
            arrive_by = nxt.start if pos + 1 < last else nxt.arrival
            for taken in self.ev.breaks:  # a meal there on arrival comes first
                if taken.position == pos + 1 and taken.before_service:
                    arrive_by = min(arrive_by, taken.start)
            self.leg(route[pos], route[pos + 1], t, arrive_by=arrive_by if jit else None)
        start_dt = self.items[0].start if self.items else self.at(first_start)
        end_dt = self.items[-1].end if self.items else self.at(first_start)
        # the buffer after the last visit or appointment is spent where the day ends when the
        # way back is shorter than the buffer (as the solver counts it)
        buffer = dt.timedelta(minutes=self.model.resolved.request.buffer_min)
        for item in reversed(self.items):
            if isinstance(item, Visit | Appointment):
                end_dt = max(end_dt, item.end + buffer)
                break
        start_place = self.model.nodes[route[0]].place.to_ref()
        end_place = self.model.nodes[route[-1]].place.to_ref()
        return Day(
            date=self.day,
            start=start_dt,
            end=end_dt,
            start_place=start_place,
            end_place=end_place,
            items=self.items,
            waypoints=list(self.waypoints.values()),
        )


def build_itinerary(
    model: Model,
    network: StreetNetwork,
    schedule: list[RouteEvaluation],
    left_out: list[LeftOut],
    *,
    notes: list[str],
) -> Itinerary:
    """The itinerary of a solved model (times in the city's time zone)."""
    request = model.resolved.request
    pack = model.resolved.pack
    legs = _Legs(model, network)
    days = [_DayBuilder(model, legs, k, ev).build() for k, ev in enumerate(schedule)]
    total = sum(item.priority for day in days for item in day.items if isinstance(item, Visit))
    delegation = request.delegation
    itinerary = Itinerary(
        title=request.title,
        delegation=Delegation(
            name=delegation.name,
            size=delegation.size,
            languages=list(delegation.languages),
            contacts=list(delegation.contacts),
        ),
        city=City(
            id=pack.id,
            name_en=pack.name_en,
            name_zh=pack.name_zh,
            timezone=pack.timezone,
            osm_extract=_extract_name(pack, network),
            language=pack.language,
        ),
        days=days,
        left_out=left_out,
        total_priority=total,
        notes=notes,
        request=request.model_dump(mode="json"),
    )
    return add_stop_details(  # addresses and restaurants for meals where the group is
        itinerary, pack=pack, network=network, policy=model.policy, request=request
    )


def _extract_name(pack: CityPack, network: StreetNetwork) -> str:
    """The extract the streets came from (else the pack's, as found on this machine, else
    its configured name); ``""`` for the embedded pack, whose extract needs no naming."""
    from tours.places.pack import default_city_pack_dir  # noqa: PLC0415

    if pack.path == default_city_pack_dir():
        return ""  # the embedded pack's extract: found without being named
    if network.source.path is not None:
        return str(network.source.path.resolve())
    try:
        return str(pack.osm_extract_path())
    except InputError:
        return str(pack.osm_extract)
