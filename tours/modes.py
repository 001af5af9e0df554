"""Travel modes of a leg: one table that the request, the itinerary and every renderer share.

The mode names come from :mod:`routing.policy` (``LegMode``, ``LEG_MODES``), the one place
that knows how each mode travels. A new leg mode is that routing change plus one row here (how
it is named and drawn): the itinerary accepts it, and the maps, the print and the exports show
it. A leg mode without a row fails at import, naming the mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from routing.policy import LEG_MODES, LegMode
from routing.policy import Mode as TravelMode


@dataclass(frozen=True)
class Mode:
    """How one leg mode is named and drawn.

    Parameters
    ----------
    id
        The mode as ``Leg.mode`` and the request spell it.
    label
        Its name in legends and headings (``"Walk"``); lower-cased in running text.
    map_style
        Leaflet path options of its legs on the interactive maps (the colour is the day's;
        the pattern tells the mode, so it never rests on colour alone).
    print_style
        Matplotlib line options of its legs on the printed day maps.
    """

    id: str
    label: str
    map_style: dict[str, Any] = field(default_factory=dict)
    print_style: dict[str, Any] = field(default_factory=dict)


#: Every leg mode, in the order legends list them.
MODES: dict[str, Mode] = {
    mode.id: mode
    for mode in (
        Mode(
            "walk",
            "Walk",
            map_style={"weight": 5, "opacity": 0.95, "dashArray": "1 9", "lineCap": "round"},
            print_style={"color": "#1b7837", "linestyle": (0, (2.5, 1.5)), "linewidth": 2.4},
        ),
        Mode(
            "coach",
            "Coach",
            map_style={"weight": 5, "opacity": 0.9, "lineCap": "round"},
            print_style={"color": "#c2185b", "linestyle": "solid", "linewidth": 2.6},
        ),
    )
}
if missing := [mode for mode in LEG_MODES if mode not in MODES]:
    msg = f"leg mode(s) {missing!r} have no row in tours.modes.MODES; add how each is drawn"
    raise RuntimeError(msg)

__all__ = ["MODES", "LegMode", "Mode", "TravelMode"]
