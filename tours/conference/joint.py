"""Joint planning of a conference: rounds of parallel plans, reservations, a final repair.

The scheme (deterministic for a seed; the worker count only changes the speed):

1. **Round 1.** Every delegation is planned alone, in parallel on the Dask workers.
2. **Award.** The visits to capacity-limited venues are collected. A visit that no overload
   touches is kept. The contested visits are awarded one at a time by the fairness rule:
   ``maxmin`` gives the next contested visit to the delegation whose secured share (priority
   of what it already holds / priority it asked for) is lowest, must-sees first; ``total``
   gives it to the highest priority visit. A visit that no longer fits loses.
3. **Next rounds.** Delegations that lost a visit drop their plan and are planned again, in
   parallel, with the venue times that the kept plans fill blocked
   (:func:`~tours.planning.planner.plan_detailed` ``blocked_starts``): the kept plans hold
   their reservations. Their new plans are awarded the same way; repeat up to ``rounds``.
4. **Final repair.** Delegations still without a kept plan are planned one after another
   (worst-off first under ``maxmin``), each around everything kept so far. This guarantees
   that no capacity is exceeded.

Guides and coaches are then assigned per day (fairness order); a shortage, or a must-see that
no longer fits anywhere, is a :class:`InfeasibleConferenceError` naming the binding resource.
``first_come`` plans the delegations one by one in file order instead (the baseline).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from routing import StreetNetwork
from tours._errors import PlanningError
from tours.conference.engine import Engine, PlanJob, PlanOutcome
from tours.conference.resources import (
    Clock,
    CoachDispatch,
    GuideAssignment,
    ResourceShortage,
    Use,
    assign_guides,
    days_out,
    dispatch_coaches,
    fits,
    full_spans,
    uses_of,
    violations,
)
from tours.conference.schema import Conference, DelegationInput
from tours.itinerary import Itinerary, LeftOut
from tours.planning.budget import SearchBudget
from tours.planning.explain.reasons import CAPACITY, OUTSIDE_NETWORK
from tours.planning.request import ResolvedPlace, resolve_request, with_osm_places

Method = Literal["joint", "first_come"]


class InfeasibleConferenceError(PlanningError):
    """The conference cannot fit; ``binding`` names the shared resource that binds."""

    def __init__(self, message: str, binding: str) -> None:
        super().__init__(message)
        self.binding = binding


@dataclass(frozen=True)
class Budget:
    """How hard to search: per-delegation iterations and seed, coordination rounds."""

    seed: int = 0
    max_iterations: int | None = 300
    time_limit: float | None = None
    rounds: int = 4


@dataclass(frozen=True)
class Block:
    """Venue time a delegation could not have: ``[start, end)`` minutes, who held it."""

    place_id: str
    start: int
    end: int
    holders: tuple[int, ...]


@dataclass
class DelegationResult:
    """One delegation's final plan and its standing.

    Attributes
    ----------
    delegation
        The delegation (``id``, ``name``, ``request``, ``language``, ``size``).
    itinerary
        Its plan; places it lost to another delegation are left out with the code
        ``capacity``, naming who held them.
    requested_priority
        The summed priority of everything it asked for.
    """

    delegation: DelegationInput
    itinerary: Itinerary
    requested_priority: int

    @property
    def share(self) -> float:
        """Priority planned / priority asked for (1.0 when it asked for nothing)."""
        if self.requested_priority <= 0:
            return 1.0
        return self.itinerary.total_priority / self.requested_priority

    @property
    def must_sees(self) -> int:
        """Must-see visits planned."""
        return sum(1 for d in self.itinerary.days for s in d.stops if getattr(s, "must_see", 0))


@dataclass
class ConferencePlan:
    """Every delegation's plan plus the host's view: guides, coaches, what was contested.

    What :func:`tours.plan_conference` and :func:`tours.replan_conference` return; no
    capacity is exceeded anywhere (:meth:`violations` is empty).

    Attributes
    ----------
    conference
        The conference planned.
    method : {"joint", "first_come"}
        Joint rounds under the conference's fairness rule, or one by one in file order.
    clock
        Minutes from midnight of the conference's first day, in the city's time zone.
    results
        One :class:`DelegationResult` per delegation, in file order: its ``itinerary``,
        ``share`` (priority planned / asked for) and ``must_sees``.
    guides, coaches
        The guide assigned to each delegation and day; the coaches dispatched per day.
    rounds
        Coordination rounds run.
    repaired
        Delegations (indexes into ``results``) planned one by one in the final repair.
    contested
        The capacity-limited venue times that more delegations wanted than fit.
    seconds
        Wall time of planning, from starting the engine to the last plan.
    workers
        Dask workers that planned.
    """

    conference: Conference
    method: Method
    clock: Clock
    results: list[DelegationResult]
    guides: list[GuideAssignment]
    coaches: list[CoachDispatch]
    rounds: int
    repaired: list[int]
    contested: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0

    def uses(self) -> list[Use]:
        """Every visit to a capacity-limited venue."""
        caps = self.conference.capacities
        return [
            use
            for i, r in enumerate(self.results)
            for use in uses_of(i, r.itinerary, caps, self.clock, r.delegation.size)
        ]

    def violations(self) -> list[str]:
        """Capacity exceeded anywhere (always empty for a finished plan)."""
        return violations(self.conference.capacities, self.uses(), self.clock)

    @property
    def total_priority(self) -> int:
        """Summed priority of all delegations' plans."""
        return sum(r.itinerary.total_priority for r in self.results)

    @property
    def worst_share(self) -> float:
        """The lowest share of any delegation."""
        return min((r.share for r in self.results), default=1.0)


# -- the planner ------------------------------------------------------------------------------


class _Planner:
    def __init__(
        self, conference: Conference, network: StreetNetwork, engine: Engine, budget: Budget
    ) -> None:
        self.conf = conference
        self.network = network
        self.engine = engine
        self.budget = budget
        self.n = len(conference.delegations)
        first = min(d for x in conference.delegations for d in x.request.dates)
        self.clock = Clock.for_dates(first, conference.pack.timezone)
        self.wanted: list[dict[str, ResolvedPlace]] = []
        self.requested: list[int] = []
        for d in conference.delegations:
            pack = conference.pack
            if d.request.osm_refs():
                pack = with_osm_places(d.request, pack)
            places = resolve_request(d.request, pack).places
            self.wanted.append({p.place.id: p for p in places})
            self.requested.append(sum(p.priority for p in places))
        self.plans: dict[int, Itinerary] = {}
        self.reserved: dict[int, list[Use]] = {}  # won venue times of delegations re-planning
        self.frozen: set[int] = set()  # plans kept unchanged (``keep_and_replan``)
        self.rounds = 0
        self.contested: list[str] = []

    # -- reservations -----------------------------------------------------------------------

    def weight(self, i: int, place_id: str) -> int:
        cap = self.conf.capacities[place_id]
        return self.conf.delegations[i].size if cap.unit == "people" else 1

    def kept_uses(self, exclude: int | None = None) -> dict[str, list[Use]]:
        """Venue uses of the kept plans and the reservations of delegations being re-planned."""
        by_place: dict[str, list[Use]] = defaultdict(list)
        for i, it in sorted(self.plans.items()):
            if i == exclude:
                continue
            for use in uses_of(i, it, self.conf.capacities, self.clock, self.size(i)):
                by_place[use.place_id].append(use)
        for i, uses in sorted(self.reserved.items()):
            if i != exclude:
                for use in uses:
                    by_place[use.place_id].append(use)
        return by_place

    def size(self, i: int) -> int:
        return self.conf.delegations[i].size

    def blocks(self, i: int) -> list[Block]:
        """Venue times delegation *i* cannot have, given the kept plans of the others."""
        others = self.kept_uses(exclude=i)
        out: list[Block] = []
        for place_id in self.wanted[i]:
            cap = self.conf.capacities.get(place_id)
            if cap is None:
                continue
            held = others.get(place_id, [])
            for a, b in full_spans(cap, held, self.weight(i, place_id)):
                holders = tuple(sorted({u.delegation for u in held if u.start < b and a < u.end}))
                if cap.per == "slot":
                    holders = tuple(sorted({u.delegation for u in held if a <= u.start < b}))
                out.append(Block(place_id, a, b, holders))
        return out

    def job(self, i: int, *, keep_reservations: bool = True) -> PlanJob:
        """The planning task of delegation *i*: the venue times others hold are blocked;
        with *keep_reservations*, a venue time it won may be used only as won."""
        blocked: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for block in self.blocks(i):
            cap = self.conf.capacities[block.place_id]
            length = self.wanted[i][block.place_id].minutes
            # at once: a visit may not overlap the full span; per slot: may not start in it
            lead = length - 1 if cap.per == "at_once" else 0
            blocked[block.place_id].append(
                (self.clock.at(block.start - lead), self.clock.at(block.end))
            )
        for use in self.reserved.get(i, []) if keep_reservations else []:
            # a venue time it won stays its own: that visit may start then, or not at all
            midnight = use.start // 1440 * 1440
            blocked[use.place_id] += [
                (self.clock.at(midnight), self.clock.at(use.start)),
                (self.clock.at(use.start + 1), self.clock.at(midnight + 1440)),
            ]
        return PlanJob(
            index=i,
            request=self.conf.delegations[i].request,
            budget=SearchBudget(
                time_limit=self.budget.time_limit,
                max_iterations=self.budget.max_iterations,
                seed=self.budget.seed + i,
            ),
            blocked_starts=dict(blocked),
        )

    # -- rounds -----------------------------------------------------------------------------

    def award(self, fresh: Sequence[int]) -> list[int]:
        """Keep or drop the *fresh* plans' contested visits; the delegations that lost one."""
        caps = self.conf.capacities
        all_uses = [
            use
            for i, it in sorted(self.plans.items())
            for use in uses_of(i, it, caps, self.clock, self.size(i))
        ]
        by_place: dict[str, list[Use]] = defaultdict(list)
        for use in all_uses:
            by_place[use.place_id].append(use)
        contested: list[Use] = []
        admitted: dict[str, list[Use]] = defaultdict(list)
        for place_id, uses in sorted(by_place.items()):
            cap = caps[place_id]
            spans = full_spans(cap, uses, 0)  # where the load already exceeds the limit
            for use in uses:
                if cap.per == "slot":
                    hit = any(a <= use.start < b for a, b in spans)
                else:
                    hit = any(a < use.end and use.start < b for a, b in spans)
                (contested if hit else admitted[place_id]).append(use)
        secured = {
            i: it.total_priority - sum(u.priority for u in contested if u.delegation == i)
            for i, it in self.plans.items()
        }
        losers: set[int] = set()
        remaining = list(contested)
        fresh_set = set(fresh)
        held = {i: list(uses) for i, uses in self.reserved.items()}
        self.reserved.clear()

        def tier(use: Use) -> int:
            """Kept plans first, then venue times a re-planned delegation had reserved."""
            if use.delegation not in fresh_set:
                return 0
            own = held.get(use.delegation, [])
            mine = any(
                r.place_id == use.place_id and r.start < use.end and use.start < r.end for r in own
            )
            return 1 if mine else 2

        while remaining:
            best = min(remaining, key=lambda u: (tier(u), *self.award_key(u, secured)))
            remaining.remove(best)
            cap = caps[best.place_id]
            if fits(cap, admitted[best.place_id], best):
                admitted[best.place_id].append(best)
                secured[best.delegation] += best.priority
            else:
                self.contested.append(
                    f"round {self.rounds}: {self.conf.delegations[best.delegation].name} "
                    f"gives up {cap.name} {self.clock.at(best.start):%a %H:%M} "
                    f"({cap.describe()})"
                )
                losers.add(best.delegation)
        for i in sorted(losers):  # a loser keeps the venue times it won, as reservations
            self.reserved[i] = [
                use for uses in admitted.values() for use in uses if use.delegation == i
            ]
        return sorted(losers)

    def award_key(self, use: Use, secured: dict[int, int]) -> tuple[object, ...]:
        if self.conf.fairness == "maxmin":
            requested = max(self.requested[use.delegation], 1)
            return (
                not use.must_see,
                secured[use.delegation] / requested,
                -use.priority,
                use.delegation,
                use.start,
            )
        return (not use.must_see, -use.priority, use.delegation, use.start)

    def run_jobs(
        self, indices: Sequence[int], label: str, *, keep_reservations: bool = True
    ) -> list[PlanOutcome]:
        jobs = [self.job(i, keep_reservations=keep_reservations) for i in indices]
        return self.engine.plan_all(jobs, label=label)

    def joint(self) -> list[int]:
        todo = list(range(self.n))
        failed: list[int] = []
        for r in range(1, self.budget.rounds + 1):
            self.rounds = r
            outcomes = self.run_jobs(todo, f"Round {r}/{self.budget.rounds}: {len(todo)} plans")
            for out in outcomes:
                if out.itinerary is None:
                    if r == 1:  # planned alone and still impossible: the request itself
                        self.fail_alone(out)
                    failed.append(out.index)
                else:
                    self.plans[out.index] = out.itinerary
            losers = self.award(todo)
            for i in losers:
                del self.plans[i]
            todo = sorted(set(losers) | set(failed))
            failed = []
            if not todo:
                break
        return self.repair(todo)

    def first_come(self) -> list[int]:
        self.rounds = 0
        return self.repair(list(range(self.n)), in_file_order=True)

    def repair_order(self, todo: Sequence[int]) -> list[int]:
        if self.conf.fairness == "maxmin":
            # the worst-off by what the kept plans leave them pick first
            return sorted(todo, key=lambda i: (self.secured_share(i), i))
        return sorted(todo)

    def secured_share(self, i: int) -> float:
        """Share of its asked-for priority that *i* holds as reservations (repair order)."""
        held = sum(u.priority for u in self.reserved.get(i, []))
        return held / max(self.requested[i], 1)

    def repair(self, todo: list[int], *, in_file_order: bool = False) -> list[int]:
        order = sorted(todo) if in_file_order else self.repair_order(todo)
        for k, i in enumerate(order, start=1):
            label = (
                f"First come: {k}/{len(order)}" if in_file_order else f"Repair: {k}/{len(order)}"
            )
            # last resort: free to use any venue time nobody else holds, its own too
            (out,) = self.run_jobs([i], label, keep_reservations=False)
            self.reserved.pop(i, None)
            if out.itinerary is None and self.reserved:
                # what others merely reserved yields before a delegation is left unplanned
                held, self.reserved = self.reserved, {}
                (out,) = self.run_jobs([i], f"{label} (ignoring reservations)")
                self.reserved = held
            if out.itinerary is None:
                self.fail_blocked(i, out)
            self.plans[i] = out.itinerary  # type: ignore[assignment]
        return order

    # -- failures ---------------------------------------------------------------------------

    def fail_alone(self, out: PlanOutcome) -> None:
        d = self.conf.delegations[out.index]
        msg = f"delegation {d.name!r} cannot be planned even alone: {out.error}"
        raise InfeasibleConferenceError(msg, binding="its own request")

    def fail_blocked(self, i: int, out: PlanOutcome) -> None:
        d = self.conf.delegations[i]
        musts = {pid for pid, p in self.wanted[i].items() if p.must_see}
        blocks = self.blocks(i)
        binding = [b for b in blocks if b.place_id in musts] or blocks
        self.reserved.clear()
        alone = replace(self.job(i), blocked_starts={})
        (again,) = self.engine.plan_all([alone], label=f"Checking {d.name} alone")
        if again.itinerary is None:
            self.fail_alone(again)
        if not binding:
            msg = f"delegation {d.name!r} cannot be planned: {out.error}"
            raise InfeasibleConferenceError(msg, binding="its own request")
        what = self.describe_blocks(binding)
        msg = (
            f"the conference does not fit: {d.name!r} cannot keep its plan ({out.error}); "
            f"binding resource: {what}; raise the capacity, move a must-see or drop a delegation"
        )
        raise InfeasibleConferenceError(msg, binding=what)

    def describe_blocks(
        self, blocks: Sequence[Block], *, limit: int = 3, named: bool = True
    ) -> str:
        """``Chengdu Museum full Sat 09:00–12:00 with 3 other delegations (A, B, C);
        1 group per 30 min`` (without the venue's name when not *named*)."""
        by_place: dict[str, list[Block]] = defaultdict(list)
        for block in blocks:
            by_place[block.place_id].append(block)
        parts: list[str] = []
        for place_id, place_blocks in by_place.items():
            cap = self.conf.capacities[place_id]
            spans = [
                f"{self.clock.at(b.start):%a %H:%M}–{self.clock.at(b.end):%H:%M}"
                for b in place_blocks[:limit]
            ]
            more = f" and {len(place_blocks) - limit} more" if len(place_blocks) > limit else ""
            holders = sorted({h for b in place_blocks for h in b.holders})
            names = ", ".join(self.conf.delegations[h].name for h in holders)
            name = f"{cap.name} " if named else ""
            parts.append(
                f"{name}full {', '.join(spans)}{more} with {len(holders)} other "
                f"delegation(s) ({names}); {cap.describe()}"
            )
        return "; ".join(parts)

    # -- the result -------------------------------------------------------------------------

    def explain_left_out(self, i: int) -> Itinerary:
        """Left-out places that a shared venue took: say which and when."""
        it = self.plans[i]
        if i in self.frozen:  # a kept plan stays exactly as handed out
            return it
        blocks = self.blocks(i)
        if not blocks:
            return it
        days = set(self.conf.delegations[i].request.dates)
        left: list[LeftOut] = []
        for entry in it.left_out:
            mine = [
                b
                for b in blocks
                if b.place_id == entry.place.id and self.clock.at(b.start).date() in days
            ]
            if mine and entry.code != OUTSIDE_NETWORK:
                reason = self.describe_blocks(mine, named=False)
                entry = entry.model_copy(update={"code": CAPACITY, "reason": reason})  # noqa: PLW2901
            left.append(entry)
        return it.model_copy(update={"left_out": left})

    def finish(self, method: Method, repaired: list[int]) -> ConferencePlan:
        results = [
            DelegationResult(d, self.explain_left_out(i), self.requested[i])
            for i, d in enumerate(self.conf.delegations)
        ]
        if self.conf.fairness == "maxmin":
            order = sorted(range(self.n), key=lambda i: (results[i].share, i))
        else:
            order = list(range(self.n))
        outs = [
            day_out
            for i, r in enumerate(results)
            for day_out in days_out(i, r.itinerary, r.delegation.language, r.delegation.size)
        ]
        try:
            guides = assign_guides(outs, self.conf.guides, order)
            coaches = dispatch_coaches(outs, self.conf.coaches, order)
        except ResourceShortage as err:
            msg = f"the conference does not fit: binding resource: {err.binding}"
            raise InfeasibleConferenceError(msg, binding=err.binding) from None
        plan = ConferencePlan(
            self.conf,
            method,
            self.clock,
            results,
            guides,
            coaches,
            self.rounds,
            repaired,
            self.contested,
        )
        broken = plan.violations()
        if broken:  # the repair guarantees this never happens; never hand out a broken plan
            msg = f"internal error: capacity exceeded after repair: {broken[0]}"
            raise PlanningError(msg)
        return plan


def plan_conference(
    conference: Conference,
    network: StreetNetwork,
    engine: Engine,
    *,
    budget: Budget | None = None,
    method: Method = "joint",
) -> ConferencePlan:
    """Plan every delegation of *conference* without exceeding any shared capacity.

    Parameters
    ----------
    engine
        A started :class:`~tours.conference.engine.Engine` (the network is shared to it here).
    method : {"joint", "first_come"}
        Joint rounds with the conference's fairness rule, or one by one in file order.

    Raises
    ------
    InfeasibleConferenceError
        A must-see, guide or coach cannot be had; ``binding`` names the resource.
    """
    budget = budget or Budget()
    engine.share(network, conference.pack)
    planner = _Planner(conference, network, engine, budget)
    repaired = planner.joint() if method == "joint" else planner.first_come()
    return planner.finish(method, repaired)


def keep_and_replan(
    conference: Conference,
    network: StreetNetwork,
    engine: Engine,
    kept: dict[str, Itinerary],
    replan: Sequence[str],
    *,
    budget: Budget | None = None,
) -> ConferencePlan:
    """Keep the plans in *kept* (by delegation id) and their reservations; plan the
    delegations in *replan* around them, one by one (``tours conference replan``)."""
    budget = budget or Budget()
    engine.share(network, conference.pack)
    planner = _Planner(conference, network, engine, budget)
    ids = [d.id for d in conference.delegations]
    for ident, itinerary in kept.items():
        planner.plans[ids.index(ident)] = itinerary
        planner.frozen.add(ids.index(ident))
    todo = [ids.index(ident) for ident in replan]
    repaired = planner.repair(todo, in_file_order=True)
    return planner.finish("joint", repaired)
