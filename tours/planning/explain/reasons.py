"""The reason codes of places left out of a plan: one definition each.

Every :class:`~tours.itinerary.LeftOut` carries one of these codes; renderers and callers may
rely on the definitions below. The codes are tested against their cases in
``tests/test_reasons.py``. They are checked in this order, so each place gets exactly one:

``outside_network``
    The place lies outside the loaded street network, or cannot be reached on it.
``skipped``
    A re-plan dropped it on the guide's word (``--skip``).
``closed``
    It is not open on any day it may be visited, within that day's window.
``too_long``
    The visit is longer than the longest stretch the place is open within a day's window:
    no plan could include it, even on an empty day.
``blocked``
    It is open long enough, but on every day it may be visited the fixed items (appointments,
    meals at a chosen place), the travel to and from it and the day's start and end leave no
    gap for it, whatever else is left out. E.g. an evening-only show on a day whose window
    ends before the group could be back, or whose evening holds a dinner.
``walk_limit``
    It fits into a day's fixed items only without the daily walking limit; or a planned day
    has time for it beside the must-sees and places of at least its priority, but not within
    that day's walking limit (e.g. Daci Temple with 1 km a day: the coach legs it would need
    take the time, the walks it could make exceed the limit).
``last_entry``
    It fits only if the place admitted visitors after its last entry (``last_entry``,
    ``min_inside_minutes``): the group would arrive too late to be let in.
``no_time``
    It fits into a day on its own, but the plan fills the days with must-sees and places of
    higher priority (or, in a re-plan, the days it may be visited on are over).
``capacity``
    Conference mode: it fits, but a shared venue is full at every time it could be visited
    (other delegations hold its places); the reason names the venue, the time and who holds it.
"""

from __future__ import annotations

from typing import Final, Literal

ReasonCode = Literal[
    "outside_network",
    "skipped",
    "closed",
    "too_long",
    "blocked",
    "walk_limit",
    "last_entry",
    "no_time",
    "capacity",
]

OUTSIDE_NETWORK: Final = "outside_network"
SKIPPED: Final = "skipped"
CLOSED: Final = "closed"
TOO_LONG: Final = "too_long"
BLOCKED: Final = "blocked"
WALK_LIMIT: Final = "walk_limit"
LAST_ENTRY: Final = "last_entry"
NO_TIME: Final = "no_time"
CAPACITY: Final = "capacity"

#: One line per code, for documentation and ``tours`` help texts.
REASONS: Final[dict[str, str]] = {
    OUTSIDE_NETWORK: "outside the loaded street network, or not reachable on it",
    SKIPPED: "dropped on the day by the guide (re-plan with --skip)",
    CLOSED: "not open on any allowed day within the day window",
    TOO_LONG: "the visit is longer than any stretch the place is open within a day's window",
    BLOCKED: "open long enough, but the fixed items and travel leave no gap for it on any day",
    WALK_LIMIT: "fits only without the daily walking limit (alone, or beside higher priorities)",
    LAST_ENTRY: "the group would arrive after the place's last entry",
    NO_TIME: "fits on its own, but must-sees and higher priorities fill the days",
    CAPACITY: "a shared venue is full with other delegations whenever it could be visited",
}
