"""An independent feasibility checker for planned itineraries.

It shares no code with the planner: from the request, the city pack and the street network it
re-derives every travel time with ``routing.travel_matrix`` and re-reads opening hours with
``tours.places.hours``, then checks the itinerary item by item: the days and their windows, items in
order without overlap, the group's position (every stop is where the previous leg ended),
legs equal to the matrix (duration, distance, mode), visits inside opening hours and as long as
requested, the buffer after visits and appointments, appointments kept to the minute, meals in
their windows, the daily walking limit (every walked leg of the day, summed, against the
day's ``days[].max_walk_km``, else ``travel.max_walk_km_per_day``), must-sees present, a
reason for every place left out, no visit starting after its last entry (request or pack
``last_entry``, ``min_inside_minutes`` before closing), walk legs drawn as long as they
walk (streets, and straight segments across pedestrian squares), and coach legs taking the
time of their actual departure under the request's coach speed profile (``travel.
coach_profile``, default the pack's ``traffic.yaml``), arrivals FIFO. Coach stops: a place
with stops of its own (request ``coach_stop``, pack ``coach_stops``) is reached by coach
only via one of them (waypoint ``coach-stop-<place>`` for the first, ``.<n>`` for the n-th);
a place without may use a stop taken from the OSM extract, which the checker verifies by
reading the extract itself (an ``amenity=bus_station`` or bus/coach car park, the waypoint on
it, within 400 m of the place, at most 600 m on foot; given stops at most 1000 m).
``check_itinerary`` returns the problems (empty when feasible); ``assert_feasible`` fails a
test with all of them.

Re-planned itineraries (``revision`` >= 1):

* A position reported to ``tours replan --at lat,lon`` is no city-pack place; its id carries
  its coordinates (``position-n30-660000-e104-070000``: 30.66 N, 104.07 E) and is read from
  there. A leg must start and end
  at the coordinates of the places it joins.
* The group's reported move may be *compressed*: a leg whose ``end - start`` is shorter than
  its (matrix-exact) ``duration_s`` is accepted only when it leaves the moment the previous
  item ends (or the day starts), and the itinerary has at most ``revision`` such legs (each
  re-plan reports at most one move). Every other leg takes exactly its duration.
* A visit may be *shortened* (shorter than requested, down to no time at all) only when the
  group left it early for its reported move: the item right after it is a leg to one of
  the day's ``waypoints`` (where re-plans record reported positions) that leaves the moment
  the visit ends; the itinerary has at most ``revision`` such visits (each re-plan cuts at
  most the one visit in progress). A shortened visit still counts as visited, starts inside
  its opening hours and ends within them. Every other visit lasts at least as requested.
* A place skipped on the day is left out with code ``skipped``; it need no longer be in the
  request (the re-plan removed it), but it must not be visited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
from _checker_coach_osm import MAX_GIVEN_WALK_M, MAX_WALK_M, RADIUS_M, coach_stop_boxes

from routing import (
    GENERIC_PROFILE,
    CoachSpeedProfile,
    StreetNetwork,
    TravelPolicy,
    haversine_m,
    travel_matrix,
)
from tours.itinerary import Appointment, Day, Itinerary, Leg, Meal, PlaceRef, Visit
from tours.places.hours import OpeningHours
from tours.places.pack import CityPack
from tours.planning.request import PlaceSpec, Request

EARTH_RADIUS_M = 6_371_008.8
TOL = dt.timedelta(seconds=1)  # slack allowed when comparing times


def default_walk_km(mobility: str) -> float:
    """The documented default daily walking limit (km) when a request sets none."""
    return {"standard": 15.0, "reduced": 6.0, "wheelchair": 4.0}[mobility]


LEFT_OUT_CODES = {
    "closed",
    "too_long",
    "blocked",
    "outside_network",
    "no_time",
    "walk_limit",
    "last_entry",
    "skipped",
    "capacity",  # conference mode: a shared venue was full (the reason names when and whom)
}
COACH_STOP_PREFIX = "coach-stop-"  # the waypoint id of a place's coach stop, then its id
GEOMETRY_TOL_DEG = 1e-5  # about a metre: leg ends vs the places they join
_POSITION = re.compile(r"^position-([ns])(\d+)-(\d{6})-([ew])(\d+)-(\d{6})$")


def _position(pid: str) -> PlaceRef | None:
    """The place of a reported position id (``None``: not one).

    ``position-n30-660000-e104-070000`` is 30.66 N, 104.07 E: hemisphere, whole degrees and
    six decimals of latitude, then of longitude.
    """
    match = _POSITION.match(pid)
    if match is None:
        return None
    lat = int(match[2]) + int(match[3]) / 1e6
    lon = int(match[5]) + int(match[6]) / 1e6
    return PlaceRef(
        id=pid,
        name_en="Reported position",
        lat=-lat if match[1] == "s" else lat,
        lon=-lon if match[4] == "w" else lon,
    )


def _profile(request: Request, pack: CityPack) -> CoachSpeedProfile | None:
    """The coach speed profile the request asks for (``travel.coach_profile``)."""
    choice = request.travel.coach_profile
    if isinstance(choice, dict):
        return CoachSpeedProfile.from_mapping(choice)
    return {"flat": None, "generic": GENERIC_PROFILE}.get(choice, pack.coach_profile)


def _policy(request: Request, pack: CityPack) -> TravelPolicy:
    return TravelPolicy(
        walk_kmh=request.delegation.pace_kmh,
        coach_overhead_min=request.travel.coach_overhead_min,
        mixed_walk_max_min=request.travel.walk_max_min,
        coach_profile=_profile(request, pack),
    )


class _Matrix:
    """Travel between the itinerary's places, re-derived from the network in one matrix."""

    def __init__(
        self,
        network: StreetNetwork,
        places: Sequence[PlaceRef],
        request: Request,
        pack: CityPack,
    ) -> None:
        self.index = {p.id: i for i, p in enumerate(places)}
        points = [(p.lat, p.lon) for p in places]
        self.m = travel_matrix(
            network, points, mode=request.travel.mode, policy=_policy(request, pack)
        )

    def leg(self, a: str, b: str, start: dt.datetime) -> tuple[float, float, str, float]:
        """``(duration_s, distance_m, mode, walk_distance_m)`` from place *a* to place *b*
        for a leg leaving at *start* (coach legs take the rush-hour profile's time)."""
        i, j = self.index[a], self.index[b]
        clock = start.hour * 3600.0 + start.minute * 60.0 + start.second + start.microsecond / 1e6
        return (
            float(self.m.duration_at(clock)[i, j]),
            float(self.m.distance_m[i, j]),
            str(self.m.mode[i, j]),
            float(self.m.walk_distance_m[i, j]),
        )


class _Checker:
    def __init__(
        self, itinerary: Itinerary, request: Request, pack: CityPack, network: StreetNetwork
    ) -> None:
        self.itinerary = itinerary
        self.request = request
        self.pack = pack
        self.tz = ZoneInfo(pack.timezone)
        places: dict[str, PlaceRef] = {}
        for day in itinerary.days:
            for place in (day.start_place, day.end_place, *(s.place for s in day.stops)):
                places.setdefault(place.id, place)
            for leg in day.legs:  # a leg may name a place no stop is at (a reported position)
                for pid in (leg.from_id, leg.to_id):
                    if pid in places:
                        continue
                    found = pack.places[pid].to_ref() if pid in pack.places else _position(pid)
                    if found is not None:
                        places[pid] = found
        self.places = places
        self.matrix = _Matrix(network, list(places.values()), request, pack)
        self.network = network
        self.specs: dict[str, tuple[PlaceSpec, bool]] = {
            pack.place(spec.place).id: (spec, must) for _p, spec, must in request.place_entries()
        }
        self.stops = self.coach_stops()
        self.waypoints = {w.id: w for day in itinerary.days for w in day.waypoints}
        self.visited: dict[str, dt.date] = {}
        self.compressed: list[str] = []
        self.shortened: list[str] = []
        self.problems: list[str] = []

    def place_id(self, name: str) -> str:
        """The id of a requested place (a city-pack place or a reported position)."""
        if name not in self.pack.places and _position(name) is not None:
            return name
        return self.pack.place(name).id

    def local(self, day: dt.date, minutes: int) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)
        return midnight + dt.timedelta(minutes=minutes)

    def fail(self, text: str) -> None:
        self.problems.append(text)

    # -- the whole itinerary ---------------------------------------------------------------

    def run(self) -> list[str]:
        it, request = self.itinerary, self.request
        if [d.date for d in it.days] != list(request.dates):
            self.fail(f"days {[d.date for d in it.days]} != requested {request.dates}")
        for day in it.days:
            self.day_frame(day)
            self.day_sequence(day)
            self.day_appointments(day)
            self.day_meals(day)
            self.day_meals_where_group_is(day)
        total = sum(v.priority for d in it.days for v in d.items if isinstance(v, Visit))
        if total != it.total_priority:
            self.fail(f"total_priority {it.total_priority} != sum of visits {total}")
        self.left_out()
        self.last_entries()
        self.walk_lines()
        self.coach_stop_pairs()
        if len(self.compressed) > it.revision:
            self.fail(
                f"{len(self.compressed)} legs shorter than their travel time "
                f"({', '.join(self.compressed)}), but only {it.revision} re-plan(s)"
            )
        if len(self.shortened) > it.revision:
            self.fail(
                f"{len(self.shortened)} visits shorter than requested before a reported move "
                f"({', '.join(self.shortened)}), but only {it.revision} re-plan(s)"
            )
        return self.problems

    def left_out(self) -> None:
        """Must-sees visited; every requested place visited or left out with a reason."""
        it = self.itinerary
        left = {lo.place.id: lo for lo in it.left_out}
        for pid, (spec, must) in self.specs.items():
            if must and pid not in self.visited:
                self.fail(f"must-see {spec.place!r} is not visited")
            if pid in self.visited and pid in left:
                self.fail(f"{spec.place!r} is both visited and left out")
            if pid not in self.visited and pid not in left:
                self.fail(f"{spec.place!r} is neither visited nor explained in left_out")
        for lo in it.left_out:
            if lo.code not in LEFT_OUT_CODES or not lo.reason.strip():
                self.fail(f"left-out {lo.place.id!r}: code {lo.code!r}, reason {lo.reason!r}")
            if lo.code == "skipped":
                if lo.place.id in self.visited:
                    self.fail(f"{lo.place.id!r} is skipped but visited")
            elif lo.place.id not in self.specs:
                self.fail(f"left-out {lo.place.id!r} was never requested")

    # -- one day ---------------------------------------------------------------------------

    def day_frame(self, day: Day) -> None:
        label, request, pack = day.date.isoformat(), self.request, self.pack
        window = request.window_on(day.date)
        lo, hi = self.local(day.date, window.start), self.local(day.date, window.end)
        for when in (day.start, day.end):
            if when.utcoffset() != lo.utcoffset():
                self.fail(f"{label}: {when} is not in the city time zone")
        if day.start < lo or day.end > hi:
            self.fail(f"{label}: day {day.start:%H:%M}-{day.end:%H:%M} outside window {window}")
        if day.items and (day.items[0].start < day.start or day.items[-1].end > day.end):
            self.fail(f"{label}: items outside the day's start and end")
        default = pack.default_start
        if day.start_place.id != self.place_id(request.start_place_on(day.date, default)):
            self.fail(f"{label}: starts at {day.start_place.id!r}, not the requested place")
        if day.end_place.id != self.place_id(request.end_place_on(day.date, default)):
            self.fail(f"{label}: ends at {day.end_place.id!r}, not the requested place")

    def day_sequence(self, day: Day) -> None:
        """Order, overlaps, the group's position, legs, buffers and the walking limit."""
        label = day.date.isoformat()
        cursor, here, walked = day.start, day.start_place.id, 0.0
        ready: tuple[dt.datetime, str] | None = None  # end + buffer of the last visit/appt
        buffer = dt.timedelta(minutes=self.request.buffer_min)
        waypoints = {place.id for place in day.waypoints}
        for k, item in enumerate(day.items):
            if item.end < item.start:
                self.fail(f"{label}: {item.uid} ends before it starts")
            if item.start < cursor - TOL:
                self.fail(f"{label}: {item.kind} at {item.start:%H:%M} overlaps the previous item")
            left_at_once = abs(item.start - cursor) <= TOL
            cursor = max(cursor, item.end)
            if isinstance(item, Leg):
                if item.from_id != here:
                    self.fail(f"{label}: leg from {item.from_id!r} but the group is at {here!r}")
                walked += self.leg(label, item, left_at_once=left_at_once)
                here = item.to_id
                continue
            if item.place.id != here:
                self.fail(f"{label}: {item.kind} at {item.place.id!r}, group is at {here!r}")
            if ready is not None and item.start < ready[0] - TOL:
                self.fail(f"{label}: no {self.request.buffer_min}-min buffer after {ready[1]}")
            ready = (item.end + buffer, item.uid) if isinstance(item, Visit | Appointment) else None
            if isinstance(item, Visit):
                after = day.items[k + 1] if k + 1 < len(day.items) else None
                left_early = (
                    self.itinerary.revision > 0
                    and isinstance(after, Leg)
                    and after.to_id in waypoints
                    and abs(after.start - item.end) <= TOL
                )
                self.visit(item, day.date, left_early=left_early)
        if here != day.end_place.id:
            self.fail(f"{label}: the day ends at {here!r}, not at {day.end_place.id!r}")
        if ready is not None and day.end < ready[0] - TOL:
            self.fail(f"{label}: no buffer before the day ends")
        limit = self.walk_limit_km(day.date)
        if limit is not None and walked > limit * 1000 + 1:
            self.fail(f"{label}: walks {walked:.0f} m, limit {limit} km")

    def coach_fifo(self, name: str, leg: Leg) -> None:
        """A coach leg in rush hour: leaving a minute later never arrives earlier (FIFO)."""
        later = leg.start + dt.timedelta(minutes=1)
        dur_later = self.matrix.leg(leg.from_id, leg.to_id, later)[0]
        if later + dt.timedelta(seconds=dur_later) < leg.end - TOL:
            self.fail(f"{name}: leaving a minute later would arrive earlier (not FIFO)")

    def walk_lines(self) -> None:
        """A walk leg's drawn line is as long as the walk: it follows the streets and crosses
        pedestrian squares on straight segments (no detour the map does not show, no
        shortcut the distance does not count)."""
        for day in self.itinerary.days:
            for leg in day.legs:
                if leg.mode != "walk" or len(leg.geometry) < 2:
                    continue
                lat = np.radians([p[0] for p in leg.geometry])
                lon = np.radians([p[1] for p in leg.geometry])
                h = (
                    np.sin(np.diff(lat) / 2) ** 2
                    + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
                )
                drawn = float(np.sum(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))))
                if abs(drawn - leg.distance_m) > max(2.0, 0.005 * leg.distance_m):
                    self.fail(
                        f"{day.date.isoformat()}: walk leg {leg.from_id}->{leg.to_id} is drawn "
                        f"{drawn:.0f} m long but walks {leg.distance_m:.0f} m"
                    )

    def last_entries(self) -> None:
        """No visit starts after its place's last admission: the request's ``last_entry``
        (else the pack's), and no later than ``min_inside_minutes`` before the place closes."""
        for day in self.itinerary.days:
            for visit in (i for i in day.items if isinstance(i, Visit)):
                pid = visit.place.id
                if pid not in self.specs or pid not in self.pack.places:
                    continue
                spec, _must = self.specs[pid]
                place = self.pack.places[pid]
                last = spec.last_entry
                if last is None and place.last_entry is not None:
                    hours, minutes = place.last_entry.split(":")
                    last = int(hours) * 60 + int(minutes)
                label = f"{day.date.isoformat()} visit {pid}"
                if last is not None and visit.start > self.local(day.date, last):
                    self.fail(
                        f"{label}: starts {visit.start:%H:%M}, after last entry "
                        f"{last // 60:02d}:{last % 60:02d}"
                    )
                inside = spec.min_inside_minutes or place.min_inside_minutes
                if inside is None or not visit.place.opening_hours:
                    continue
                hours_ = OpeningHours(visit.place.opening_hours, timezone=self.pack.timezone)
                midnight = self.local(day.date, 0)
                spans = hours_.intervals_between(midnight, midnight + dt.timedelta(days=1))
                close = next((b for a, b in spans if a <= visit.start < b), None)
                if close is not None and visit.start > close - dt.timedelta(minutes=inside):
                    self.fail(
                        f"{label}: starts {visit.start:%H:%M}, less than {inside} min before "
                        f"it closes at {close:%H:%M} (last entry)"
                    )

    def walk_limit_km(self, date: dt.date) -> float | None:
        """The day's walking limit: its own ``max_walk_km``, else the trip's (km)."""
        own = [d.max_walk_km for d in self.request.days if d.date == date]
        if own and own[0] is not None:
            return own[0]
        if self.request.travel.max_walk_km_per_day is not None:
            return self.request.travel.max_walk_km_per_day
        return default_walk_km(self.request.delegation.mobility)

    def leg(self, label: str, leg: Leg, *, left_at_once: bool) -> float:
        """Check *leg* against the matrix; return the metres walked on it.

        *left_at_once*: the leg leaves the moment the previous item ends (or the day starts),
        the one case in which a reported move may be compressed (see the module doc).
        """
        name = f"{label}: leg {leg.from_id}->{leg.to_id}"
        if COACH_STOP_PREFIX in leg.from_id + leg.to_id:
            return self.coach_stop_leg(name, leg)
        if not {leg.from_id, leg.to_id} <= set(self.matrix.index):
            self.fail(f"{name} joins an unknown place")
            return 0.0
        dur, dist, mode, walk = self.matrix.leg(leg.from_id, leg.to_id, leg.start)
        self.door_to_door_coach(name, leg, mode)
        if mode == "coach":
            self.coach_fifo(name, leg)
        if abs(leg.duration_s - dur) > TOL.total_seconds():
            self.fail(f"{name} takes {leg.duration_s:.0f} s, the matrix says {dur:.0f} s")
        took = leg.end - leg.start
        wanted = dt.timedelta(seconds=leg.duration_s)
        if took < wanted - TOL and left_at_once and self.itinerary.revision > 0:
            self.compressed.append(f"{leg.from_id}->{leg.to_id} on {label}")
        elif abs(took - wanted) > TOL:
            self.fail(f"{name}: start and end do not match its duration")
        if leg.mode != mode:
            self.fail(f"{name} by {leg.mode}, the matrix chooses {mode}")
        ends = [
            ((self.places[pid].lat, self.places[pid].lon), repr(pid))
            for pid in (leg.from_id, leg.to_id)
        ]
        self.distance_and_geometry(name, leg, dist, ends)
        return walk

    def distance_and_geometry(
        self, name: str, leg: Leg, dist: float, ends: list[tuple[tuple[float, float], str]]
    ) -> None:
        """*leg* is *dist* metres long (the matrix) and its street geometry joins *ends*:
        ``((lat, lon), what is there)`` of its start and of its end."""
        if abs(leg.distance_m - dist) > max(1.0, 1e-6 * dist):
            self.fail(f"{name} is {leg.distance_m:.0f} m, the matrix says {dist:.0f} m")
        if len(leg.geometry) < 2:
            self.fail(f"{name} has no street geometry")
            return
        for end, ((lat, lon), what) in zip((leg.geometry[0], leg.geometry[-1]), ends, strict=True):
            if max(abs(end[0] - lat), abs(end[1] - lon)) > GEOMETRY_TOL_DEG:
                self.fail(f"{name}: its geometry does not end at {what}")

    # -- coach stops ------------------------------------------------------------------------

    def coach_stops(self) -> dict[str, list[tuple[float, float]]]:
        """Place id -> its coach stops ``(lat, lon)``: the request's ``coach_stop`` on the
        place's entry, else the pack's ``coach_stops`` (a place with neither may use a stop
        from the OSM extract, see :meth:`derived_stop`)."""
        stops: dict[str, list[tuple[float, float]]] = {}
        for pid, place in self.pack.places.items():
            if place.coach_stops:
                stops[pid] = [(s.lat, s.lon) for s in place.coach_stops]
        for pid, (spec, _must) in self.specs.items():
            if spec.coach_stop is not None:
                lat, lon = (float(x) for x in spec.coach_stop.split(","))
                stops[pid] = [(lat, lon)]
        return stops

    def door_to_door_coach(self, name: str, leg: Leg, mode: str) -> None:
        """A coach never drives to the door of a place with a coach stop of its own (unless
        both places share a stop, or the leg is a reported move of a re-plan)."""
        if mode != "coach" or self.request.travel.mode == "walk":
            return
        if _position(leg.from_id) or _position(leg.to_id):
            return  # a reported move is where the group went, not a planned leg
        a, b = set(self.stops.get(leg.from_id, [])), set(self.stops.get(leg.to_id, []))
        if (a or b) and not (a | self.osm_stop_points(leg.from_id)) & (
            b | self.osm_stop_points(leg.to_id)
        ):
            self.fail(f"{name}: the coach drives to the door, not via the coach stop")

    def osm_stop_points(self, pid: str) -> set[tuple[float, float]]:
        """The coach-stop nodes of the OSM extract within ``RADIUS_M`` of place *pid* when it
        has no stop of its own (two places sharing a stop need no coach stop between them)."""
        place = self.places.get(pid)
        path = self.network.source.path
        if pid in self.stops or place is None or path is None:
            return set()
        return {
            (south, west)
            for osm_id, (south, west, north, east) in coach_stop_boxes(path).items()
            if osm_id.startswith("node/")
            and haversine_m(place.lat, place.lon, south, west) <= RADIUS_M
        }

    def derived_stop(self, name: str, pid: str, owner: str) -> tuple[float, float] | None:
        """Where the waypoint *pid* (a coach stop of *owner* taken from OSM) is, after checking
        it: an element of the extract that is a coach stop, the waypoint on it, within
        ``RADIUS_M`` of the place."""
        ref = self.waypoints.get(pid)
        if ref is None or ref.osm_id is None:
            self.fail(
                f"{name}: {owner!r} has no coach stop of its own and {pid!r} names no OSM element"
            )
            return None
        path = self.network.source.path
        boxes = coach_stop_boxes(path) if path is not None else {}
        box = boxes.get(ref.osm_id)
        if box is None:
            self.fail(f"{name}: {ref.osm_id} is no coach stop in the OSM extract")
            return None
        south, west, north, east = box
        eps = 1e-6
        if not (south - eps <= ref.lat <= north + eps and west - eps <= ref.lon <= east + eps):
            self.fail(f"{name}: the coach stop is not on {ref.osm_id}")
        place = self.places.get(owner)
        if place is not None and haversine_m(place.lat, place.lon, ref.lat, ref.lon) > RADIUS_M:
            self.fail(
                f"{name}: the coach stop {ref.osm_id} is over {RADIUS_M:.0f} m from {owner!r}"
            )
        return (ref.lat, ref.lon)

    def coach_stop_ends(
        self, name: str, leg: Leg
    ) -> tuple[list[tuple[float, float]], list[str | None], bool] | None:
        """Where *leg* starts and ends, whose coach stop each end is (``None``: a place), and
        whether a stop is one taken from OSM."""
        ends: list[tuple[float, float]] = []
        owners: list[str | None] = []
        derived = False
        for pid in (leg.from_id, leg.to_id):
            stop = pid.startswith(COACH_STOP_PREFIX)
            owner, _dot, number = pid.removeprefix(COACH_STOP_PREFIX).partition(".")
            owners.append(owner if stop else None)
            if stop and owner in self.stops:
                k = int(number or 1) - 1
                if not 0 <= k < len(self.stops[owner]):
                    self.fail(f"{name}: {owner!r} has no coach stop {pid!r}")
                    return None
                ends.append(self.stops[owner][k])
            elif stop:
                found = self.derived_stop(name, pid, owner)
                if found is None:
                    return None
                ends.append(found)
                derived = True
            elif pid in self.places:
                ends.append((self.places[pid].lat, self.places[pid].lon))
            else:
                self.fail(f"{name} joins an unknown place")
                return None
        return ends, owners, derived

    def coach_stop_leg(self, name: str, leg: Leg) -> float:
        """A leg to or from a coach stop: a walk between the stop and its place, or the coach
        between the stop and the previous/next place (or its stop), each equal to a matrix
        re-derived for it; returns the metres walked."""
        found = self.coach_stop_ends(name, leg)
        if found is None:
            return 0.0
        ends, owners, derived = found
        walk_pair = owners[0] is None and owners[1] == leg.from_id
        walk_pair |= owners[1] is None and owners[0] == leg.to_id
        mode = "walk" if walk_pair else "coach"
        m = travel_matrix(self.network, ends, mode=mode, policy=_policy(self.request, self.pack))
        start = leg.start
        clock = start.hour * 3600.0 + start.minute * 60.0 + start.second + start.microsecond / 1e6
        dur, dist = float(m.duration_at(clock)[0, 1]), float(m.distance_m[0, 1])
        if leg.mode != mode:
            self.fail(f"{name} by {leg.mode}, expected {mode} (coach stop)")
        limit = MAX_WALK_M if derived else MAX_GIVEN_WALK_M
        if mode == "walk" and leg.distance_m > limit + 1.0:
            self.fail(
                f"{name}: {leg.distance_m:.0f} m on foot to the coach stop (at most {limit:.0f} m)"
            )
        if abs(leg.duration_s - dur) > TOL.total_seconds():
            self.fail(f"{name} takes {leg.duration_s:.0f} s, the matrix says {dur:.0f} s")
        if abs((leg.end - leg.start).total_seconds() - leg.duration_s) > TOL.total_seconds():
            self.fail(f"{name}: start and end do not match its duration")
        stop_or_place = [(end, "the coach stop or place") for end in ends]
        self.distance_and_geometry(name, leg, dist, stop_or_place)
        return leg.distance_m if mode == "walk" else 0.0

    def coach_stop_pairs(self) -> None:
        """Every coach stop the group passes joins a coach leg and the walk to (or from) its
        place, back to back: drop-off (coach, then walk at once) or pick-up (walk, then the
        coach at once)."""
        for day in self.itinerary.days:
            items = day.items
            for k, item in enumerate(items):
                if not (isinstance(item, Leg) and item.to_id.startswith(COACH_STOP_PREFIX)):
                    continue
                name = f"{day.date.isoformat()}: leg {item.from_id}->{item.to_id}"
                after = items[k + 1] if k + 1 < len(items) else None
                if not isinstance(after, Leg) or after.from_id != item.to_id:
                    self.fail(f"{name}: no leg leaves the coach stop")
                    continue
                if {item.mode, after.mode} != {"walk", "coach"}:
                    self.fail(f"{name}: a coach stop joins a coach leg and a walk")
                if abs((after.start - item.end).total_seconds()) > TOL.total_seconds():
                    self.fail(f"{name}: the group waits at the coach stop")

    def visit(self, visit: Visit, date: dt.date, *, left_early: bool = False) -> None:
        """Check *visit*; *left_early*: it may be shortened (see the module doc)."""
        pid = visit.place.id
        label = f"{date.isoformat()} visit {pid}"
        if pid not in self.specs:
            self.fail(f"{label}: place was never requested")
            return
        if pid in self.visited:
            self.fail(f"{label}: visited twice ({self.visited[pid]} and {date})")
        self.visited[pid] = date
        spec, must = self.specs[pid]
        if spec.dates and date not in spec.dates:
            self.fail(f"{label}: not on one of its dates {spec.dates}")
        minutes = spec.minutes or self.pack.place(pid).visit_minutes
        if visit.minutes < minutes:
            if left_early:
                self.shortened.append(f"{pid} on {date.isoformat()}")
            else:
                self.fail(f"{label}: {visit.minutes} min, requested {minutes}")
        if visit.must_see != must:
            self.fail(f"{label}: must_see flag {visit.must_see} != {must}")
        if visit.place.opening_hours:
            hours = OpeningHours(visit.place.opening_hours, timezone=self.pack.timezone)
            # a visit cut short to no time at all must still start while the place is open
            end = max(visit.end, visit.start + TOL)
            spans = hours.intervals_between(visit.start, end)
            if spans != [(visit.start, end)]:
                self.fail(
                    f"{label}: {visit.start:%H:%M}-{visit.end:%H:%M} not within opening hours "
                    f"{visit.place.opening_hours!r}"
                )

    def day_appointments(self, day: Day) -> None:
        label = day.date.isoformat()
        appts = [i for i in day.items if isinstance(i, Appointment)]
        wanted = [a for a in self.request.appointments if a.date == day.date]
        for spec in wanted:
            pid = self.place_id(spec.place)
            start, end = self.local(day.date, spec.start), self.local(day.date, spec.end)
            hits = [
                a
                for a in appts
                if (a.title, a.place.id, a.start, a.end) == (spec.title, pid, start, end)
            ]
            if len(hits) != 1:
                self.fail(f"{label}: appointment {spec.title!r} not kept exactly once")
        if len(appts) != len(wanted):
            self.fail(f"{label}: {len(appts)} appointments, requested {len(wanted)}")

    def day_meals(self, day: Day) -> None:
        label = day.date.isoformat()
        meals = [i for i in day.items if isinstance(i, Meal)]
        todays = [m for _i, m in self.request.meals_on(day.date)]
        if len(meals) != len(todays):
            self.fail(f"{label}: {len(meals)} meals, requested {len(todays)}")
        for spec in todays:
            hits = [m for m in meals if m.title == spec.title]
            if len(hits) != 1:
                self.fail(f"{label}: meal {spec.title!r} not planned exactly once")
                continue
            meal = hits[0]
            lo = self.local(day.date, spec.window.start)
            hi = self.local(day.date, spec.window.end)
            if meal.start < lo or meal.end > hi:
                self.fail(
                    f"{label}: {spec.title} {meal.start:%H:%M}-{meal.end:%H:%M} outside "
                    f"{spec.window}"
                )
            if meal.minutes != spec.minutes:
                self.fail(f"{label}: {spec.title} lasts {meal.minutes} min, not {spec.minutes}")
            if spec.place and meal.place.id != self.pack.place(spec.place).id:
                self.fail(f"{label}: {spec.title} at {meal.place.id!r}, not {spec.place!r}")

    def day_meals_where_group_is(self, day: Day) -> None:
        """Meals with no chosen restaurant: in their window, as long as requested, apart from
        every visit, appointment and leg, and at a stop of the day: the place of the visit or
        appointment right before or right after it, or the day's start or end place (or a
        re-plan's reported position)."""
        label = day.date.isoformat()
        specs = {m.title: m for _i, m in self.request.meals_on(day.date) if not m.place}
        items = day.items
        busy = [i for i in items if isinstance(i, Visit | Appointment | Leg)]
        hosts = {day.start_place.id, day.end_place.id} | {p.id for p in day.waypoints}
        for k, meal in enumerate(items):
            if not isinstance(meal, Meal) or meal.title not in specs:
                continue
            spec = specs[meal.title]
            name = f"{label}: {meal.title} (where the group is)"
            lo = self.local(day.date, spec.window.start)
            hi = self.local(day.date, spec.window.end)
            if meal.start < lo - TOL or meal.end > hi + TOL:
                self.fail(f"{name} {meal.start:%H:%M}-{meal.end:%H:%M} outside {spec.window}")
            if abs(meal.end - meal.start - dt.timedelta(minutes=spec.minutes)) > TOL:
                self.fail(f"{name} lasts {meal.minutes} min, not {spec.minutes}")
            for other in busy:
                if other.start < meal.end - TOL and meal.start < other.end - TOL:
                    self.fail(f"{name} overlaps the {other.kind} {other.uid}")
            before = next((i for i in reversed(items[:k]) if not isinstance(i, Meal)), None)
            after = next((i for i in items[k + 1 :] if not isinstance(i, Meal)), None)
            stops = [i for i in (before, after) if isinstance(i, Visit | Appointment)]
            if not any(i.place.id == meal.place.id for i in stops) and meal.place.id not in hosts:
                self.fail(f"{name} at {meal.place.id!r}, not at a stop next to it")


def check_city_clock(itinerary: Itinerary, pack: CityPack) -> list[str]:
    """The itinerary is in the city's time zone: ``city.timezone`` is the pack's, and every
    time it holds has that zone's UTC offset on its date (a request without a city pack
    takes its zone from the coordinates, so a wrong zone would shift every visit)."""
    problems: list[str] = []
    if itinerary.city.timezone != pack.timezone:
        problems.append(f"city time zone {itinerary.city.timezone!r} != pack's {pack.timezone!r}")
    tz = ZoneInfo(pack.timezone)
    for n, day in enumerate(itinerary.days, start=1):
        for item in day.items:
            for when in (item.start, item.end):
                if when.utcoffset() != when.replace(tzinfo=tz).utcoffset():
                    problems.append(f"day {n}: {item.uid} at {when.isoformat()} not in {tz}")
    return problems


def check_itinerary(
    itinerary: Itinerary, *, request: Request, pack: CityPack, network: StreetNetwork
) -> list[str]:
    """Every way *itinerary* breaks the request, the hours or the travel times (empty: none)."""
    problems = _Checker(itinerary, request, pack, network).run()
    return problems + check_city_clock(itinerary, pack) + check_meal_places(itinerary)


#: Categories a suggested restaurant may have (pack category, or OSM ``amenity=*`` kind).
_MEAL_KINDS = frozenset({"restaurant", "amenity=restaurant", "amenity=food_court", "amenity=cafe"})


def check_meal_places(itinerary: Itinerary) -> list[str]:
    """A restaurant suggested for a meal where the group is lies within the radius (as the
    crow flies and on foot), is a restaurant, and is open for the whole meal when the
    itinerary says so (unknown hours only when it has none that parse)."""
    from tours._errors import OpeningHoursError  # noqa: PLC0415

    problems: list[str] = []
    for n, day in enumerate(itinerary.days, start=1):
        for meal in (item for item in day.items if isinstance(item, Meal)):
            found = meal.restaurant
            if found is None or found.place is None:
                continue
            label = f"day {n}: {meal.title} {meal.start:%H:%M}"
            shop, here = found.place, meal.place
            crow = haversine_m(here.lat, here.lon, shop.lat, shop.lon)
            if crow > found.radius_m or (found.walk_m or 0) > found.radius_m:
                problems.append(
                    f"{label}: {shop.id} is {crow:.0f} m away (radius {found.radius_m})"
                )
            if shop.category not in _MEAL_KINDS:
                problems.append(f"{label}: {shop.id} is a {shop.category!r}, no restaurant")
            try:
                hours = (
                    OpeningHours(shop.opening_hours, timezone=itinerary.city.timezone)
                    if shop.opening_hours
                    else None
                )
            except OpeningHoursError:
                hours = None
            if (hours is None) != (found.hours == "unknown"):
                problems.append(f"{label}: {shop.id} hours said {found.hours!r}")
            elif hours is not None:
                spans = hours.intervals_between(meal.start, meal.end)
                if not (len(spans) == 1 and spans[0] == (meal.start, meal.end)):
                    problems.append(f"{label}: {shop.id} is not open for the whole meal")
    return problems


def assert_feasible(
    itinerary: Itinerary, *, request: Request, pack: CityPack, network: StreetNetwork
) -> None:
    """Fail with every problem :func:`check_itinerary` finds."""
    problems = check_itinerary(itinerary, request=request, pack=pack, network=network)
    assert not problems, "infeasible itinerary:\n" + "\n".join(problems)


# -- conference mode: shared capacities, guides and coaches ------------------------------------

_SLOTS = re.compile(r"every\s+(\d+)\s*min\w*\s*,\s*(\d+)\s+(groups?|people)", re.I)


def check_conference_capacity(
    itineraries: dict[str, Itinerary], venues: Sequence[dict[str, object]], pack: CityPack
) -> list[str]:
    """Every minute (or slot) where visits exceed a venue's capacity in the conference file.

    Independent of the planner: *venues* is the raw ``resources.venues`` list of the
    conference YAML; loads are counted minute by minute (at once) or per slot from
    local midnight (entries), in groups or people (the delegation's ``size``).
    """
    problems: list[str] = []
    for venue in venues:
        place_id = pack.place(str(venue["place"])).id
        slots = _SLOTS.search(str(venue.get("slots", "")))
        if slots:
            limit, unit = int(slots.group(2)), slots.group(3).lower()
        elif "people" in venue:
            limit, unit = int(str(venue["people"])), "people"
        else:
            limit = 1 if venue.get("exclusive") else int(str(venue.get("groups", 1)))
            unit = "groups"
        load: dict[object, int] = {}
        for itinerary in itineraries.values():
            weight = itinerary.delegation.size if unit == "people" else 1
            for day in itinerary.days:
                for stop in day.stops:
                    if not isinstance(stop, Visit) or stop.place.id != place_id:
                        continue
                    if slots:
                        local = stop.start
                        minute = local.hour * 60 + local.minute
                        key: object = (local.date(), minute // int(slots.group(1)))
                        load[key] = load.get(key, 0) + weight
                        continue
                    t = stop.start
                    while t < stop.end:
                        load[t] = load.get(t, 0) + weight
                        t += dt.timedelta(minutes=1)
        problems += [
            f"{place_id}: load {value} > {limit} {unit} at {key}"
            for key, value in sorted(load.items(), key=lambda kv: str(kv[0]))
            if value > limit
        ]
    return problems


def check_conference_staff(
    summary: dict[str, object], guides: Sequence[dict[str, object]], coaches: int | None
) -> list[str]:
    """Guides at most one delegation a day and within their count; coaches within the fleet.

    *summary* is ``conference.json``; *guides* the raw ``resources.guides`` list.
    """
    problems: list[str] = []
    counts = {str(g["language"]): int(str(g["count"])) for g in guides}
    seen: dict[tuple[str, str], str] = {}
    for entry in summary.get("guides", []):  # type: ignore[union-attr]
        key = (entry["date"], entry["guide"])
        if key in seen:
            problems.append(f"guide {key[1]} twice on {key[0]}")
        seen[key] = entry["delegation"]
        language, number = entry["guide"].rsplit("-", 1)
        if int(number) > counts.get(language, 0):
            problems.append(f"guide {entry['guide']} beyond the {language} count")
    if coaches is not None:
        used: dict[str, list[int]] = {}
        for entry in summary.get("coaches", []):  # type: ignore[union-attr]
            used.setdefault(entry["date"], []).extend(entry["coaches"])
        for date, numbers in used.items():
            if len(set(numbers)) != len(numbers) or max(numbers) > coaches:
                problems.append(f"coaches on {date}: {numbers} (fleet {coaches})")
    return problems
