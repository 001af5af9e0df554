"""Conference mode from Python, as in a notebook: ``tours.*`` alone, on real Chengdu streets.

The four UK delegations of ``test_conference.py`` (two exclusive park talks, the museum one
group per 30 min, one short afternoon), given as a dict with inline requests; planned on a
real Dask engine, written, re-planned for a late delegation, every itinerary re-checked by
the independent checker. Also: the CLI reaches conference mode and the maps only through
``tours.*`` (nothing in ``tours/cli`` imports ``tours.conference`` or ``maps``), and
``import tours`` stays light.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from _imports import fresh_import
from checker import assert_feasible, check_conference_capacity, check_conference_staff
from conftest import ROOT
from test_conference import DELEGATIONS, VENUES, _request

import tours
from routing import StreetNetwork

ITERATIONS = 150
GUIDES = [{"language": "en", "count": 3}, {"language": "fr", "count": 1}]
TALKS = {"eastern-suburb-memory", "hongxing-road-35"}


def _conference_dict() -> dict[str, Any]:
    """The conference as a notebook would write it: a dict, the requests inline."""
    return {
        "title": "UK delegations at the World Conference on Cultural Industry",
        "fairness": "maxmin",
        "delegations": [
            {"request": yaml.safe_load(_request(name, hotel, language))}
            for name, hotel, language in DELEGATIONS
        ],
        "resources": {
            "venues": VENUES,
            "guides": GUIDES,
            "coaches": {"count": 4, "seats": 45},
        },
    }


def _check(plan: tours.ConferencePlan, network: StreetNetwork) -> None:
    """No capacity exceeded, and every itinerary feasible, by the independent checker."""
    itineraries = {r.delegation.id: r.itinerary for r in plan.results}
    assert check_conference_capacity(itineraries, VENUES, plan.conference.pack) == []
    for r in plan.results:
        assert_feasible(
            r.itinerary, request=r.delegation.request, pack=plan.conference.pack, network=network
        )


@pytest.fixture(scope="module")
def notebook(
    tmp_path_factory: pytest.TempPathFactory, chengdu_net: StreetNetwork, routing_cache: Path
) -> dict[str, Any]:
    """Load, plan (network from the city pack, as by default), write: ``tours.*`` only."""
    out = tmp_path_factory.mktemp("notebook") / "conference"
    with pytest.MonkeyPatch.context() as patch:
        # the session's network cache: the extract is parsed once per session, not again here
        patch.setenv("TOURS_CACHE_DIR", str(routing_cache))
        conference = tours.load_conference(_conference_dict())
        budget = tours.SearchBudget(max_iterations=ITERATIONS, time_limit=None)
        with tours.Engine(workers=1, processes=False) as engine:
            plan = tours.plan_conference(conference, budget=budget, engine=engine)
            files = tours.write_conference_outputs(plan, out, formats="ics,csv")
            late = tours.replan_conference(
                conference, out, late="Liverpool", late_min=45, budget=budget, engine=engine
            )
    return {"conference": conference, "plan": plan, "files": files, "out": out, "late": late}


def test_a_conference_dict_plans_jointly_within_every_capacity(
    notebook: dict[str, Any], chengdu_net: StreetNetwork
) -> None:
    conference: tours.Conference = notebook["conference"]
    plan: tours.ConferencePlan = notebook["plan"]
    assert [d.id for d in conference.delegations] == [
        "south-yorkshire",
        "greater-manchester",
        "liverpool",
        "west-midlands",
    ]
    assert len(plan.results) == 4
    assert plan.method == "joint"
    assert plan.violations() == []
    _check(plan, chengdu_net)
    assert [r.requested_priority for r in plan.results] == [23, 23, 23, 23]
    # first come, first served gives [16, 16, 7, 7] (46, worst 7/23): the joint plan shares
    assert [r.itinerary.total_priority for r in plan.results] == [13, 15, 15, 10]
    assert plan.total_priority == 53
    assert plan.worst_share == pytest.approx(10 / 23)
    assert plan.rounds == 4
    capacity = [sum(lo.code == "capacity" for lo in r.itinerary.left_out) for r in plan.results]
    assert capacity == [1, 1, 1, 2]  # each lost visit names the shared venue that took it
    for r in plan.results:  # every delegation meets at least one park's managers
        assert {s.place.id for d in r.itinerary.days for s in d.stops} & TALKS
    assert sorted(g.guide for g in plan.guides) == ["en-1", "en-2", "en-3", "fr-1"]
    assert next(g.guide for g in plan.guides if g.delegation == 2) == "fr-1"  # Liverpool
    assert sorted(n for c in plan.coaches for n in c.coaches) == [1, 2, 3, 4]
    assert plan.workers == 1
    assert plan.seconds > 0


def test_the_same_plans_as_the_conference_file_gives(
    notebook: dict[str, Any], tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    from test_conference import write_conference  # noqa: PLC0415

    from_file = tours.load_conference(write_conference(tmp_path))
    budget = tours.SearchBudget(max_iterations=ITERATIONS, time_limit=None)
    with tours.Engine(workers=1, processes=False) as engine:
        plan = tours.plan_conference(from_file, network=chengdu_net, budget=budget, engine=engine)
    same = [r.itinerary.to_json() for r in notebook["plan"].results]
    assert [r.itinerary.to_json() for r in plan.results] == same


def test_outputs_are_written_for_every_delegation_and_the_host(notebook: dict[str, Any]) -> None:
    out: Path = notebook["out"]
    files: list[Path] = notebook["files"]
    host = ["conference.json", "master-schedule.html", "guides.csv", "coaches.csv"]
    assert [f.name for f in files[:5]] == [*host, "conflicts.txt"]
    for ident in ("south-yorkshire", "greater-manchester", "liverpool", "west-midlands"):
        names = sorted(f.name for f in files if f.parent == out / ident)
        assert names == ["itinerary.csv", "itinerary.ics", "itinerary.json"], ident
    assert all(f.is_file() for f in files)
    assert len(files) == 5 + 4 * 3
    assert not (out / "master-schedule.pdf").exists()  # no `pdf` in formats
    summary = json.loads((out / "conference.json").read_text(encoding="utf-8"))
    assert summary["violations"] == []
    assert check_conference_staff(summary, GUIDES, 4) == []


def test_replanning_a_late_delegation_moves_only_it(
    notebook: dict[str, Any], chengdu_net: StreetNetwork
) -> None:
    plan: tours.ConferencePlan = notebook["plan"]
    late: tours.ConferencePlan = notebook["late"]
    before = {r.delegation.id: r.itinerary for r in plan.results}
    after = {r.delegation.id: r.itinerary for r in late.results}
    changed = {k for k in before if before[k].to_json() != after[k].to_json()}
    assert changed == {"liverpool"}
    assert after["liverpool"].revision == 1
    first = min(s.start for d in after["liverpool"].days for s in d.stops)
    assert first.strftime("%H:%M") >= "14:15"  # 13:30 + 45 min
    assert late.violations() == []
    _check(late, chengdu_net)


def test_bad_input_names_the_parameter(notebook: dict[str, Any], tmp_path: Path) -> None:
    conference = notebook["conference"]
    with pytest.raises(tours.InputError, match="exactly one of `late`"):
        tours.replan_conference(conference, notebook["out"])
    with pytest.raises(tours.InputError, match=r"`previous=.*`: no conference.json"):
        tours.replan_conference(conference, tmp_path, drop="Liverpool")
    for damaged in ("{not json", '{"delegations": [{"name": "no id"}]}', "[1, 2]"):
        (tmp_path / "conference.json").write_text(damaged, encoding="utf-8")
        with pytest.raises(tours.InputError, match=r"conference.json is damaged or not a"):
            tours.replan_conference(conference, tmp_path, drop="Liverpool")
    with pytest.raises(tours.InputError, match=r"`late_day=2025-03-23`: 'Liverpool' is out"):
        tours.replan_conference(
            conference, notebook["out"], late="Liverpool", late_day="2025-03-23"
        )
    with pytest.raises(tours.InputError, match="`late_min` is 0; give whole minutes"):
        tours.replan_conference(conference, notebook["out"], late="Liverpool", late_min=0)
    with pytest.raises(tours.InputError, match="no delegation 'Nobody'; choose one of"):
        tours.replan_conference(conference, notebook["out"], drop="Nobody")
    with pytest.raises(tours.InputError, match="`fairness` is 'fair'"):
        tours.plan_conference(conference, fairness="fair")  # type: ignore[arg-type]
    with pytest.raises(tours.InputError, match="field `delegations`"):
        tours.load_conference({"title": "x", "delegations": []})


def _imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` or ``from ... import`` of *path* names (also lazy ones)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_cli_reaches_conference_mode_and_maps_only_through_tours() -> None:
    files = sorted((ROOT / "tours" / "cli").glob("*.py"))
    assert len(files) > 10
    offending = {
        f"{path.name}: {name}"
        for path in files
        for name in _imported_modules(path)
        if name.split(".")[0] == "maps" or name.startswith(("tours.conference", "tours.maps"))
    }
    assert offending == set()


def test_import_tours_loads_no_conference_mode_or_renderer() -> None:
    loaded, names = fresh_import(
        "import tours",
        ("tours.conference", "maps", "distributed", "folium"),
        "tours.plan_conference.__module__, tours.write_maps.__module__",
    )
    assert loaded == []
    assert names == "tours.conference.api tours.rendering"
