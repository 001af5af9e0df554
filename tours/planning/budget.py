"""How long the search may run: one frozen value instead of three keywords in every layer."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tours._errors import InputError


@dataclass(frozen=True)
class SearchBudget:
    """Stopping rule and seed of the planner's search.

    The search stops at whichever limit comes first. While ``max_iterations`` (not the clock)
    ends it, the same input and seed give the same plan on any machine.

    Parameters
    ----------
    time_limit
        Seconds of search at most; ``None``: only ``max_iterations``. Loading the compiled
        solver on first use is not counted.
    max_iterations
        Ruin-and-recreate iterations at most; ``None``: only ``time_limit``.
    seed
        Seed of the search's random generator (same seed, same plan).

    Examples
    --------
    >>> SearchBudget(max_iterations=300, time_limit=None)
    SearchBudget(time_limit=None, max_iterations=300, seed=0)
    """

    time_limit: float | None = 10.0
    max_iterations: int | None = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        if self.time_limit is None and self.max_iterations is None:
            msg = "SearchBudget: give `time_limit` or `max_iterations` (both are None)"
            raise InputError(msg)
        if self.time_limit is not None and not (
            math.isfinite(self.time_limit) and self.time_limit > 0
        ):
            msg = f"SearchBudget: `time_limit` is {self.time_limit!r}; give seconds > 0 or None"
            raise InputError(msg)
        if self.max_iterations is not None and (
            isinstance(self.max_iterations, bool)
            or not isinstance(self.max_iterations, int)
            or self.max_iterations < 1
        ):
            msg = (
                f"SearchBudget: `max_iterations` is {self.max_iterations!r}; "
                "give a whole number >= 1 or None"
            )
            raise InputError(msg)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            msg = f"SearchBudget: `seed` is {self.seed!r}; give a whole number"
            raise InputError(msg)


#: Budget of a plan: enough for demo-size requests; the time limit is a safety net.
PLAN_BUDGET = SearchBudget(time_limit=10.0, max_iterations=1000)
#: Budget of a re-plan on the day: the guide waits for it, and the rest of a trip is small.
REPLAN_BUDGET = SearchBudget(time_limit=1.0, max_iterations=500)

__all__ = ["PLAN_BUDGET", "REPLAN_BUDGET", "SearchBudget"]
