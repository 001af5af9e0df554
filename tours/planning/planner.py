"""The planner: from a request, a city pack and a street network to a timed itinerary.

:func:`plan` resolves the request in the pack, builds the orienteering problem (one tour per
day; see :mod:`tours.planning._model`), checks that every fixed appointment and must-see can be
kept (else a :class:`~tours._errors.PlanningError` that names the conflict), solves it, and
turns the routes into an :class:`~tours.itinerary.Itinerary` with street legs and a reason for
every place left out.

Deterministic: the same request, pack, network and seed give the same itinerary, as long as
the iteration cap (``max_iterations``) and not the time limit ends the search.
"""

from __future__ import annotations

from dataclasses import dataclass

from routing import StreetNetwork
from tours.itinerary import Itinerary
from tours.places.pack import CityPack
from tours.planning._itinerary import build_itinerary
from tours.planning._model import BlockedStarts, Model, build_model
from tours.planning.budget import PLAN_BUDGET, SearchBudget
from tours.planning.explain.explainer import Explainer
from tours.planning.request import Request, resolve_request
from tours.planning.request.schema import DEFAULT_WALK_KM_PER_DAY
from tours.planning.solver.optw import Solution, solve

#: Default search budget (see :data:`~tours.planning.budget.PLAN_BUDGET`).
DEFAULT_TIME_LIMIT_S = PLAN_BUDGET.time_limit
DEFAULT_MAX_ITERATIONS = PLAN_BUDGET.max_iterations


@dataclass(frozen=True)
class PlanResult:
    """An itinerary plus how the search went (for summaries and benchmarks)."""

    itinerary: Itinerary
    model: Model
    solution: Solution


def plan_detailed(
    request: Request,
    *,
    pack: CityPack,
    network: StreetNetwork,
    budget: SearchBudget | None = None,
    blocked_starts: BlockedStarts | None = None,
) -> PlanResult:
    """Like :func:`plan`, also returning the solver model and solution.

    *blocked_starts*: per place id, local spans ``[a, b)`` in which no visit to that place may
    start (shared venues full; used by conference planning).
    """
    budget = PLAN_BUDGET if budget is None else budget
    resolved = resolve_request(request, pack)
    model = build_model(resolved, network, blocked_starts=blocked_starts)
    solution, explainer = solve_model(model, budget)
    left_out = explainer.left_out(solution)
    itinerary = build_itinerary(
        model, network, solution.schedule(model.problem), left_out, notes=_notes(model)
    )
    return PlanResult(itinerary=itinerary, model=model, solution=solution)


def solve_model(model: Model, budget: SearchBudget) -> tuple[Solution, Explainer]:
    """Check that the fixed items and must-sees can be kept, then solve *model*.

    Fixed items and must-sees are inserted first, most constrained first; one the search
    still could not place raises the explainer's :class:`~tours._errors.PlanningError`.
    """
    explainer = Explainer(model)
    explainer.check_fixed()
    explainer.check_must_sees()
    solution = solve(
        model.problem,
        time_limit=budget.time_limit,
        seed=budget.seed,
        max_iterations=budget.max_iterations,
    )
    if solution.missing_mandatory:
        raise explainer.missing_error(solution)
    return solution, explainer


def plan(
    request: Request,
    *,
    pack: CityPack,
    network: StreetNetwork,
    budget: SearchBudget | None = None,
) -> Itinerary:
    """Plan *request* on *network* with the places of *pack*.

    Parameters
    ----------
    budget
        When the search stops, and its seed (default :data:`PLAN_BUDGET`); while the
        iteration cap ends it, the result does not depend on the machine's speed.

    Raises
    ------
    RequestError
        Unknown places, a must-see closed on every requested day (see ``resolve_request``).
    PlanningError
        A fixed appointment, meal or must-see cannot be kept; the message names the conflict.
    """
    return plan_detailed(request, pack=pack, network=network, budget=budget).itinerary


def _notes(model: Model) -> list[str]:
    request = model.resolved.request
    travel = request.travel
    pace = request.delegation.pace_kmh
    if travel.mode == "walk":
        how = f"on foot at {pace:g} km/h"
    elif travel.mode == "coach":
        how = f"by coach (+{travel.coach_overhead_min:g} min boarding and parking per leg)"
    else:
        how = (
            f"on foot at {pace:g} km/h when the walk takes at most {travel.walk_max_min:g} min, "
            f"else by coach (+{travel.coach_overhead_min:g} min boarding and parking)"
        )
    notes = [f"Travel {how}; times follow real streets (OpenStreetMap)."]
    if request.buffer_min:
        notes.append(f"A {request.buffer_min}-min buffer follows every visit and appointment.")
    if travel.max_walk_km_per_day is not None:
        notes.append(f"At most {travel.max_walk_km_per_day:g} km of walking per day.")
    elif travel.mode != "coach":
        mobility = request.delegation.mobility
        notes.append(
            f"At most {DEFAULT_WALK_KM_PER_DAY[mobility]:g} km of walking per day (the default "
            f"for {mobility} mobility)."
        )
    if request.delegation.mobility != "standard":
        notes.append(f"Mobility needs: {request.delegation.mobility}; check step-free access.")
    return notes
