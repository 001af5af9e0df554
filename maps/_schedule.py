"""The printed schedule of a day: rows of stops with times and travel to the next stop.

Shared by the print (PDF/HTML), the static day maps (stop numbers) and the ICS/GPX/CSV
exports, so every output numbers and describes stops the same way. Everything here is
derived from :class:`tours.itinerary.Itinerary`; no facts are added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tours.itinerary import Appointment, Day, Itinerary, Leg, Meal, PlaceRef, Visit
from tours.modes import MODES

MODE_LABELS = {mode.id: mode.label.lower() for mode in MODES.values()}
#: Row kinds that are no stop of the programme (no calendar event, no duration).
PASSING_KINDS = frozenset({"start", "end", "waypoint"})
WAYPOINT_LABEL = "P"


@dataclass(frozen=True)
class Travel:
    """One leg as printed: ``coach 35 min (incl. 10 min boarding), 1.5 km``."""

    mode: str
    minutes: int
    distance_m: float
    overhead_min: int
    to: PlaceRef | None = None
    origin: PlaceRef | None = None

    @property
    def text(self) -> str:
        """Human text for tables and calendar notes."""
        extra = f" (incl. {self.overhead_min} min boarding)" if self.overhead_min else ""
        mode = MODE_LABELS.get(self.mode, self.mode)
        return f"{mode} {self.minutes} min{extra}, {km(self.distance_m)}"


@dataclass
class Row:
    """One line of the day schedule.

    ``label`` is ``"S"`` (day start), ``"E"`` (day end), ``"P"`` (a waypoint the route
    passes, e.g. the position a guide reported to ``tours replan``) or the stop number
    ``"1"``, ``"2"`` …
    ``kind`` : {"start", "end", "waypoint", "visit", "appointment", "meal"}
    """

    label: str
    kind: str
    place: PlaceRef
    start: dt.datetime
    end: dt.datetime | None
    what: str
    note: str = ""
    must_see: bool = False
    uid: str = ""
    travel: list[Travel] = field(default_factory=list)
    arrived_by: list[Travel] = field(default_factory=list)

    @property
    def minutes(self) -> int | None:
        """Length of the stop in whole minutes (``None`` for the day's start, end, waypoints)."""
        if self.end is None or self.kind in PASSING_KINDS:
            return None
        return round((self.end - self.start).total_seconds() / 60)

    @property
    def travel_text(self) -> str:
        """Travel to the next stop, e.g. ``walk 12 min, 850 m``."""
        return " + ".join(t.text for t in self.travel)

    @property
    def arrival_text(self) -> str:
        """How the group got here, e.g. ``walk 12 min, 850 m``."""
        return " + ".join(t.text for t in self.arrived_by)


def km(metres: float) -> str:
    """``850 m`` below one kilometre, else ``1.5 km``."""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    return f"{metres / 1000:.1f} km"


def city_tz(itinerary: Itinerary) -> ZoneInfo:
    """The city's time zone (datetimes read back from JSON carry only a fixed offset)."""
    return ZoneInfo(itinerary.city.timezone)


def in_city_time(itinerary: Itinerary) -> Itinerary:
    """*itinerary* with every time of its days in the city's time zone (same instants).

    The model only asks for aware datetimes: a file written by another tool may store them
    in UTC or another offset. Renderers that print ``HH:MM`` straight from the items (the
    maps) read this copy, so they show the city's clock like the print and the exports.
    """
    tz = city_tz(itinerary)

    def local(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(tz)
        if isinstance(value, dict):
            return {key: local(item) for key, item in value.items()}
        if isinstance(value, list):
            return [local(item) for item in value]
        return value

    days = [Day.model_validate(local(day.model_dump())) for day in itinerary.days]
    return itinerary.model_copy(update={"days": days})


def stop_title(item: Visit | Appointment | Meal) -> str:
    """What happens at a stop: ``Visit``, the appointment's or the meal's title."""
    if isinstance(item, Visit):
        return "Visit"
    return item.title


def day_rows(day: Day, tz: ZoneInfo) -> list[Row]:
    """The rows of *day*: start place, each stop, end place; legs become travel notes.

    A leg that ends at one of ``day.waypoints`` (e.g. the position reported to
    ``tours replan``) gives a ``"waypoint"`` row at its arrival time, so every output names
    the place the route passes; the legs after it are that row's travel.
    """
    first = day.start.astimezone(tz)
    rows = [
        Row(label="S", kind="start", place=day.start_place, start=first, end=None, what="Departure")
    ]
    pending: list[Travel] = []
    number = 0
    places = day.places_by_id
    waypoint_ids = {place.id for place in day.waypoints}
    last_leg_end: dt.datetime | None = None
    for item in day.items:
        if isinstance(item, Leg):
            travel = Travel(
                mode=item.mode,
                minutes=round(item.duration_s / 60),
                distance_m=item.distance_m,
                overhead_min=round(item.overhead_s / 60),
                to=places.get(item.to_id),
                origin=places.get(item.from_id),
            )
            rows[-1].travel.append(travel)
            pending.append(travel)
            last_leg_end = item.end.astimezone(tz)
            target = places.get(item.to_id)
            if item.to_id in waypoint_ids and target is not None and item is not day.items[-1]:
                rows.append(
                    Row(
                        label=WAYPOINT_LABEL,
                        kind="waypoint",
                        place=target,
                        start=last_leg_end,
                        end=None,
                        what="Passing",
                        arrived_by=pending,
                    )
                )
                pending = []
            continue
        number += 1
        rows.append(
            Row(
                label=str(number),
                kind=item.kind,
                place=item.place,
                start=item.start.astimezone(tz),
                end=item.end.astimezone(tz),
                what=stop_title(item),
                note=item.note,
                must_see=isinstance(item, Visit) and item.must_see,
                uid=item.uid,
                arrived_by=pending,
            )
        )
        pending = []
    last = day.items[-1] if day.items else None
    ends_at_place = (
        last is not None and not isinstance(last, Leg) and (last.place.id == day.end_place.id)
    )
    if not ends_at_place:
        arrival = last_leg_end if isinstance(last, Leg) and last_leg_end else day.end
        rows.append(
            Row(
                label="E",
                kind="end",
                place=day.end_place,
                start=arrival.astimezone(tz),
                end=None,
                what="Return",
                arrived_by=pending,
            )
        )
    return rows


def day_places(rows: list[Row]) -> list[PlaceRef]:
    """Distinct places of a day in order of first appearance."""
    seen: dict[str, PlaceRef] = {}
    for row in rows:
        seen.setdefault(row.place.id, row.place)
    return list(seen.values())


def place_facts(place: PlaceRef) -> list[tuple[str, str]]:
    """The practical notes of *place* a delegation needs, labelled; empty ones left out."""
    facts = (
        ("Address", place.address_zh),
        ("Tickets", place.tickets),
        ("Entrance", place.entrance),
        ("Accessibility", place.accessibility),
        ("Note", place.notes),
    )
    return [(label, text) for label, text in facts if text]
