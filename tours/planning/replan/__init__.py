"""Re-planning on the day: the group's state at ``now`` (:mod:`._state`), what is kept
(:mod:`._keep`), the rest re-optimised, merged back (:mod:`._merge`); :mod:`.replanner` ties
them together."""

from __future__ import annotations

from tours._errors import ReplanError as ReplanError
from tours.planning.replan.replanner import Replan as Replan
from tours.planning.replan.replanner import replan as replan
from tours.planning.replan.replanner import request_of as request_of
