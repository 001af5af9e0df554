"""The orienteering solver core: optimality on tiny problems (brute force), rules, determinism.

Optimal means lexicographic: the most score, then the earliest return (least total tour
duration), then the least travel time.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from tours._errors import InputError, PlanningError
from tours.planning.solver.optw import (
    Break,
    Node,
    Problem,
    Tour,
    check_solution,
    evaluate_route,
    solve,
)

ITER = 400  # iteration cap: machine-independent results


def _solve(problem: Problem, seed: int = 0) -> object:
    return solve(problem, time_limit=None, max_iterations=ITER, seed=seed)


def _euclid(xy: np.ndarray) -> np.ndarray:
    return np.round(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), 1)


def _brute_force(problem: Problem) -> float:
    """Best total score by enumerating every ordered subset on every tour (tiny problems)."""
    depots = problem.depots
    places = [i for i in range(len(problem.nodes)) if i not in depots]
    best_by_tour: list[dict[frozenset[int], float]] = []
    for k, tour in enumerate(problem.tours):
        best: dict[frozenset[int], float] = {frozenset(): 0.0}
        for r in range(1, len(places) + 1):
            for perm in itertools.permutations(places, r):
                key = frozenset(perm)
                if key in best:
                    continue
                ev = evaluate_route(problem, k, [tour.start, *perm, tour.end])
                if ev.feasible:
                    best[key] = ev.score
        best_by_tour.append(best)
    mandatory = {i for i in places if problem.nodes[i].mandatory}
    top = -1.0
    # combine disjoint subsets over the tours
    for combo in itertools.product(*(list(b.items()) for b in best_by_tour)):
        sets = [s for s, _ in combo]
        union = frozenset().union(*sets)
        if sum(len(s) for s in sets) != len(union) or not mandatory <= union:
            continue
        top = max(top, sum(v for _, v in combo))
    return top


def _random_problem(rng: np.random.Generator, n: int, tours: int = 1) -> Problem:
    xy = rng.uniform(0, 50, size=(n + 1, 2))
    travel = _euclid(xy)
    nodes = [Node(0.0, 0.0, [[(0.0, 200.0)]])]
    for _ in range(n):
        per_tour = []
        for _k in range(tours):
            a = float(rng.uniform(0, 120))
            wins = [(a, a + float(rng.uniform(5, 40)))]
            if rng.random() < 0.4:  # a second, later window
                b = wins[0][1] + float(rng.uniform(10, 40))
                wins.append((b, b + 20.0))
            per_tour.append(wins if rng.random() > 0.1 else [])
        nodes.append(Node(float(rng.integers(1, 10)), float(rng.uniform(2, 15)), per_tour))
    return Problem(nodes, travel, [Tour(0, 0, 0.0, 150.0) for _ in range(tours)])


@pytest.mark.parametrize("seed", range(4))
def test_one_tour_matches_brute_force(seed: int) -> None:
    problem = _random_problem(np.random.default_rng(seed), 7)
    sol = _solve(problem)
    assert check_solution(problem, sol.routes) == []
    assert sol.score == pytest.approx(_brute_force(problem))


@pytest.mark.parametrize("seed", range(2))
def test_two_tours_with_multiple_windows_match_brute_force(seed: int) -> None:
    problem = _random_problem(np.random.default_rng(100 + seed), 6, tours=2)
    sol = _solve(problem)
    assert check_solution(problem, sol.routes) == []
    assert sol.score == pytest.approx(_brute_force(problem))


def _line(n: int, *, spacing: float = 10.0) -> np.ndarray:
    """Nodes on a line at 0, spacing, 2*spacing ... (travel = distance)."""
    pos = np.arange(n) * spacing
    return np.abs(pos[:, None] - pos[None, :])


def test_waiting_and_second_window() -> None:
    travel = _line(3)
    nodes = [
        Node(0, 0, [[(0, 100)]]),
        Node(5, 10, [[(50, 60)]]),  # arrive at 10, wait until 50
        Node(5, 10, [[(0, 5), (70, 80)]]),  # first window missed, second one used
    ]
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 110.0)])
    ev = evaluate_route(problem, 0, [0, 1, 2, 0])
    assert ev.feasible
    assert [(s.arrival, s.start, s.end) for s in ev.stops[1:3]] == [
        (10, 50, 60),
        (70, 70, 80),
    ]
    assert ev.stops[-1].arrival == 100
    assert _solve(problem).score == 10


def test_infeasible_orders_are_reported() -> None:
    travel = _line(3)
    nodes = [Node(0, 0, [[(0, 100)]]), Node(5, 10, [[(50, 60)]]), Node(5, 10, [[(70, 80)]])]
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 110.0)])
    ev = evaluate_route(problem, 0, [0, 2, 1, 0])
    assert not ev.feasible
    assert "node 1" in (ev.reason or "")
    assert not evaluate_route(problem, 0, [0, 1, 1, 0]).feasible
    assert not evaluate_route(problem, 0, [1, 0]).feasible


def test_mandatory_node_displaces_better_ones() -> None:
    # a star: the hub 0, node 1 far west (mandatory, score 1), nodes 2, 3 east (score 10 each)
    travel = np.array(
        [[0, 40, 20, 20], [40, 0, 60, 60], [20, 60, 0, 1], [20, 60, 1, 0]], dtype=float
    )
    nodes = [Node(0, 0, [[(0, 1000)]]), Node(1, 0, [[(0, 1000)]], mandatory=True)]
    nodes += [Node(10, 0, [[(0, 1000)]]) for _ in range(2)]
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 80.0)])
    sol = _solve(problem)
    assert sol.routes == [[0, 1, 0]]
    assert sol.score == 1
    assert sol.missing_mandatory == []


def test_impossible_mandatory_is_reported_or_raised() -> None:
    travel = _line(3)
    nodes = [Node(0, 0, [[(0, 100)]]), Node(3, 5, [[(0, 100)]])]
    nodes.append(Node(1, 5, [[(200, 300)]], mandatory=True))  # opens after the tour ends
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 100.0)])
    sol = _solve(problem)
    assert sol.missing_mandatory == [2]
    assert sol.routes == [[0, 1, 0]]
    assert check_solution(problem, sol.routes) == ["mandatory node 2 is not visited"]
    with pytest.raises(PlanningError, match=r"\[2\]"):
        solve(problem, time_limit=None, max_iterations=10, require_mandatory=True)


def test_fixed_appointment_and_tour_restrictions() -> None:
    # appointment (node 3) on tour 1 only, at exactly 50; node 1 only on tour 0
    travel = _line(4)
    nodes = [
        Node(0, 0, [[(0, 100)]]),
        Node(4, 10, [[(0, 100)]], tours=frozenset({0})),
        Node(4, 10, [[(0, 100)]]),
        Node(1, 30, [[(50, 50)]], mandatory=True, tours=frozenset({1})),
    ]
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 120.0), Tour(0, 0, 0.0, 120.0)])
    sol = _solve(problem)
    assert 1 in sol.routes[0]
    assert 3 in sol.routes[1]
    assert sol.score == 9
    start3 = next(s.start for s in sol.schedule(problem)[1].stops if s.node == 3)
    assert start3 == 50
    assert not evaluate_route(problem, 1, [0, 1, 0]).feasible  # node 1 not allowed on tour 1


def _appointment_and_must_sees() -> Problem:
    """Two days; an appointment at exactly 10 on day 0 and two all-day must-sees.

    The must-sees fit only both on day 1: placed first (they delay a route no more than the
    appointment does), one of them would take the appointment's slot on day 0.
    """
    all_day = [[(0.0, 50.0)]]
    nodes = [
        Node(0, 0, [[(0.0, 200.0)]]),
        Node(1, 40, all_day, mandatory=True),
        Node(1, 40, all_day, mandatory=True),
        Node(1, 50, [[(10.0, 10.0)]], mandatory=True, tours=frozenset({0})),
        Node(9, 10, [[(0.0, 200.0)]]),  # optional, worth more than all the others
    ]
    return Problem(nodes, _line(5, spacing=2.0), [Tour(0, 0, 0.0, 100.0) for _ in range(2)])


@pytest.mark.parametrize("iterations", [0, 1, 5])
def test_pinned_mandatory_is_placed_before_free_ones(iterations: int) -> None:
    problem = _appointment_and_must_sees()
    sol = solve(problem, time_limit=None, max_iterations=iterations)
    assert sol.missing_mandatory == []
    assert check_solution(problem, sol.routes) == []
    assert sorted(sol.routes[1][1:-1]) == [1, 2]
    start3 = next(s.start for s in sol.schedule(problem)[0].stops if s.node == 3)
    assert start3 == 10
    assert sol.score == 12  # the optional node fits after the appointment


@pytest.mark.parametrize("iterations", [0, 3])
def test_repair_moves_a_mandatory_node_to_another_tour(iterations: int) -> None:
    # node 2 (ranked first: less window slack) goes on tour 0 first, where node 1 has its
    # only usable window (its tour-1 window opens after the tour ends); the repair puts
    # node 1 there and moves node 2 to tour 1
    nodes = [
        Node(0, 0, [[(0.0, 200.0)]]),
        Node(1, 40, [[(0.0, 10.0)], [(200.0, 300.0)]], mandatory=True),
        Node(1, 40, [[(0.0, 10.0)]], mandatory=True),
        Node(5, 5, [[(0.0, 200.0)]]),
    ]
    problem = Problem(nodes, _line(4, spacing=1.0), [Tour(0, 0, 0.0, 100.0) for _ in range(2)])
    sol = solve(problem, time_limit=None, max_iterations=iterations)
    assert sol.missing_mandatory == []
    assert check_solution(problem, sol.routes) == []
    assert 1 in sol.routes[0]
    assert 2 in sol.routes[1]


@pytest.mark.parametrize("seed", range(40))
def test_fixed_and_free_mandatory_nodes_fit_in_few_iterations(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = _random_problem(rng, 6, tours=2)
    nodes = list(base.nodes)
    fixed, *free = (int(i) for i in rng.choice(np.arange(1, 7), size=3, replace=False))
    day = int(rng.integers(2))
    at = float(rng.uniform(10, 100))
    nodes[fixed] = replace(
        nodes[fixed],
        windows=[[(at, at)] if k == day else [] for k in range(2)],
        service=float(rng.uniform(20, 40)),
        mandatory=True,
        tours=frozenset({day}),
    )
    for i in free:
        nodes[i] = replace(
            nodes[i], windows=[[(0.0, 120.0)]], service=float(rng.uniform(20, 40)), mandatory=True
        )
    problem = Problem(nodes, base.travel, base.tours)
    best = _brute_force(problem)
    sol = solve(problem, time_limit=None, max_iterations=1)
    if best < 0:  # the mandatory nodes cannot all be kept
        assert sol.missing_mandatory
    else:
        assert sol.missing_mandatory == []
        assert check_solution(problem, sol.routes) == []
        assert _solve(problem).score == pytest.approx(best)


def test_depots_differ_per_tour() -> None:
    travel = _line(4)
    nodes = [Node(0, 0, [[(0, 100)]]) for _ in range(2)] + [
        Node(5, 5, [[(0, 100)]]) for _ in range(2)
    ]
    problem = Problem(nodes, travel, [Tour(0, 1, 0.0, 40.0)])
    sol = _solve(problem)
    # 0 -> 2 -> 3 -> 1 takes 20 + 5 + 10 + 5 + 20 = 60 > 40: only one fits
    assert sol.score == 5
    assert sol.routes[0][0] == 0
    assert sol.routes[0][-1] == 1


def test_break_rules() -> None:
    travel = _line(3)
    nodes = [Node(0, 0, [[(0, 200)]]), Node(5, 30, [[(0, 200)]]), Node(5, 30, [[(0, 200)]])]
    lunch = Break(earliest=30.0, latest=50.0, duration=20.0)
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 200.0, breaks=[lunch])])
    ev = evaluate_route(problem, 0, [0, 1, 2, 0])
    # node 1 ends at 40 >= 30: lunch 40-60 there; then node 2 at 70-100, home at 120
    assert ev.feasible
    assert [(b.position, b.start, b.end) for b in ev.breaks] == [(1, 40.0, 60.0)]
    assert ev.stops[2].start == 70
    assert ev.stops[-1].end == 120
    # leaving at 20, node 1 would end at 60 > 50: lunch is taken on arrival at node 1 (30-50,
    # before its service), which starts node 1 at 50 instead of 60 after lunch at the hotel
    late = Problem(nodes, travel, [Tour(0, 0, 20.0, 200.0, breaks=[lunch])])
    ev = evaluate_route(late, 0, [0, 1, 2, 0])
    assert [(b.position, b.start, b.end, b.before_service) for b in ev.breaks] == [
        (1, 30.0, 50.0, True)
    ]
    assert ev.stops[1].start == 50
    sol = _solve(late)
    assert check_solution(late, sol.routes) == []
    assert sol.score == 10
    assert sol.schedule(late)[0].breaks[0].start == 30
    # a tour that starts after the latest lunch start cannot keep the break
    missed = Problem(nodes, travel, [Tour(0, 0, 60.0, 200.0, breaks=[lunch])])
    assert "break 0 missed" in (evaluate_route(missed, 0, [0, 1, 0]).reason or "")
    with pytest.raises(PlanningError, match="infeasible even without stops"):
        solve(missed, time_limit=1)


def test_break_taken_in_waiting_time() -> None:
    travel = _line(2)
    nodes = [Node(0, 0, [[(0, 300)]]), Node(5, 10, [[(100, 120)]])]
    lunch = Break(earliest=40.0, latest=90.0, duration=30.0)
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 300.0, breaks=[lunch])])
    ev = evaluate_route(problem, 0, [0, 1, 0])
    # leaving at 0 would wait 90 at node 1 anyway: lunch 40-70 at the start, no delay
    assert [(b.position, b.start) for b in ev.breaks] == [(0, 40.0)]
    assert ev.stops[1].start == 100
    # a tour with no stops takes its break at the end depot
    only = evaluate_route(problem, 0, [0, 0])
    assert only.feasible
    assert only.breaks[0].start == 40


def test_breaks_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    base = _random_problem(rng, 6)
    tour = Tour(0, 0, 0.0, 170.0, breaks=[Break(40.0, 70.0, 15.0), Break(100.0, 130.0, 10.0)])
    problem = Problem(base.nodes, base.travel, [tour])
    sol = _solve(problem)
    assert check_solution(problem, sol.routes) == []
    assert sol.score == pytest.approx(_brute_force(problem))


def test_walk_limit() -> None:
    travel = _line(3)
    walk = travel * 100.0  # metres
    nodes = [Node(0, 0, [[(0, 500)]]), Node(3, 0, [[(0, 500)]]), Node(5, 0, [[(0, 500)]])]
    free = Problem(nodes, travel, [Tour(0, 0, 0.0, 500.0)], walk=walk)
    assert _solve(free).score == 8
    limited = Problem(nodes, travel, [Tour(0, 0, 0.0, 500.0, walk_limit=2500.0)], walk=walk)
    sol = _solve(limited)
    assert sol.routes == [[0, 1, 0]]  # node 2 needs 4000 m there and back
    assert sol.schedule(limited)[0].walk == 2000.0
    assert not evaluate_route(limited, 0, [0, 2, 0]).feasible


def test_invalid_problems() -> None:
    nodes = [Node(0, 0, [[(0, 10)]])]
    with pytest.raises(InputError, match="travel"):
        Problem(nodes, np.zeros((2, 2)), [Tour(0, 0, 0, 10)])
    with pytest.raises(InputError, match="t_end"):
        Problem(nodes, np.zeros((1, 1)), [Tour(0, 0, 10, 0)])
    with pytest.raises(InputError, match="walk"):
        Problem(nodes, np.zeros((1, 1)), [Tour(0, 0, 0, 10, walk_limit=5)])
    far = Problem(
        [Node(0, 0, [[(0, 10)]]), Node(0, 0, [[(0, 10)]])],
        np.array([[0, 50.0], [50, 0]]),
        [Tour(0, 1, 0, 10)],
    )
    with pytest.raises(PlanningError, match="infeasible even without stops"):
        solve(far, time_limit=1)


def test_same_seed_same_routes() -> None:
    problem = _random_problem(np.random.default_rng(3), 30, tours=2)
    a = solve(problem, time_limit=None, max_iterations=300, seed=5)
    b = solve(problem, time_limit=None, max_iterations=300, seed=5)
    assert a.routes == b.routes
    assert a.iterations == 300
    assert check_solution(problem, a.routes) == []


def _lexicographic_best(problem: Problem) -> tuple[float, float, float]:
    """(score, return time, travel) of the lexicographically best route of a one-tour problem:
    the highest score, then the earliest return, then the least travel (brute force)."""
    tour = problem.tours[0]
    places = [i for i in range(len(problem.nodes)) if i not in problem.depots]
    best = (-1.0, 0.0, 0.0)
    for r in range(len(places) + 1):
        for perm in itertools.permutations(places, r):
            ev = evaluate_route(problem, 0, [tour.start, *perm, tour.end])
            if not ev.feasible:
                continue
            key = (ev.score, ev.stops[-1].end, ev.travel)
            if (key[0], -key[1], -key[2]) > (best[0], -best[1], -best[2]):
                best = key
    return best


def _travel(problem: Problem, routes: list[list[int]]) -> float:
    return sum(evaluate_route(problem, k, r).travel for k, r in enumerate(routes))


@pytest.mark.parametrize("seed", range(6))
def test_earliest_return_then_least_travel_among_the_best_scores(seed: int) -> None:
    problem = _random_problem(np.random.default_rng(200 + seed), 6)
    score, back, travel = _lexicographic_best(problem)
    sol = _solve(problem)
    assert sol.score == pytest.approx(score)
    assert sol.schedule(problem)[0].stops[-1].end == pytest.approx(back)
    assert _travel(problem, sol.routes) == pytest.approx(travel)


def test_earlier_return_wins_over_less_travel() -> None:
    # node 3 is an appointment at exactly 70; both orders visit all three places (same
    # score): [1, 3, 2] travels 111 and is back at 167, [3, 1, 2] travels 102 but waits for
    # the appointment and is back at 188: the tie-break is the earlier return
    travel = np.array(
        [[0, 20, 32, 14], [20, 0, 42, 14], [32, 42, 0, 45], [14, 14, 45, 0]], dtype=float
    )
    nodes = [Node(0, 0, [[(0, 300)]]), Node(1, 10, [[(0, 200)]]), Node(1, 10, [[(0, 200)]])]
    nodes.append(Node(1, 10, [[(70, 70)]]))
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 200.0)])
    waiting = evaluate_route(problem, 0, [0, 3, 1, 2, 0])
    assert waiting.feasible
    assert (waiting.travel, waiting.stops[-1].end) == (102, 188)
    for iterations in (0, ITER):
        sol = solve(problem, time_limit=None, max_iterations=iterations)
        assert sol.routes == [[0, 1, 3, 2, 0]]
        ev = sol.schedule(problem)[0]
        assert (ev.score, ev.travel, ev.stops[-1].end) == (3, 111, 167)


def _neighbours(route: list[int]) -> list[list[int]]:
    """Every 2-opt (reverse a run of stops) and or-opt (move 1-3 stops) variant of *route*."""
    inner = route[1:-1]
    n = len(inner)
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            out.append(inner[:i] + inner[i : j + 1][::-1] + inner[j + 1 :])
    for size in (1, 2, 3):
        for i in range(n - size + 1):
            block, rest = inner[i : i + size], inner[:i] + inner[i + size :]
            for p in range(len(rest) + 1):
                out += [rest[:p] + block + rest[p:], rest[:p] + block[::-1] + rest[p:]]
    return [[route[0], *x, route[-1]] for x in out]


@pytest.mark.parametrize("seed", [2, 4, 6])
def test_polish_leaves_no_shorter_2opt_or_oropt_order(seed: int) -> None:
    # twelve places that all fit: with zero search iterations, the greedy route is polished
    # until no 2-opt or or-opt move cuts its travel (the greedy order alone crosses itself)
    xy = np.random.default_rng(seed).uniform(0, 100, size=(13, 2))
    travel = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    nodes = [Node(0, 0, [[(0, 10000)]])] + [Node(1, 5, [[(0, 10000)]]) for _ in range(12)]
    problem = Problem(nodes, travel, [Tour(0, 0, 0.0, 10000.0)])
    sol = solve(problem, time_limit=None, max_iterations=0)
    assert sol.score == 12
    length = _travel(problem, sol.routes)
    for other in _neighbours(sol.routes[0]):
        assert evaluate_route(problem, 0, other).travel >= length - 1e-9


def test_same_seed_same_routes_with_breaks_and_windows() -> None:
    rng = np.random.default_rng(11)
    base = _random_problem(rng, 25, tours=2)
    lunch = Break(earliest=50.0, latest=80.0, duration=15.0)
    tours = [replace(t, breaks=[lunch]) for t in base.tours]
    problem = Problem(base.nodes, base.travel, tours)
    runs = [solve(problem, time_limit=limit, max_iterations=250, seed=3) for limit in (None, 60.0)]
    assert runs[0].routes == runs[1].routes
    assert _travel(problem, runs[0].routes) == _travel(problem, runs[1].routes)
    assert check_solution(problem, runs[0].routes) == []
