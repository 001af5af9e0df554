"""Conference mode on the real Chengdu network and a real Dask distributed scheduler.

Four UK delegations want the same two park talks (one group at a time), the museum (one
group per 30 min) and a park in one short afternoon; the joint plan must exceed no capacity
(independent checker), keep every itinerary feasible, and leave the worst-off delegation
better off than first come, first served.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from checker import assert_feasible, check_conference_capacity, check_conference_staff
from click.testing import CliRunner
from distributed import LocalCluster

from routing import StreetNetwork
from tours.cli import cli
from tours.conference.engine import Engine
from tours.conference.joint import (
    Budget,
    ConferencePlan,
    InfeasibleConferenceError,
    plan_conference,
)
from tours.conference.schema import Conference, load_conference
from tours.itinerary import Itinerary
from tours.planning._model import TimeAxis, without_blocked_starts

ITERATIONS = 150
DELEGATIONS = [
    ("South Yorkshire", "crowne-plaza-city-center", "en"),
    ("Greater Manchester", "crowne-plaza-city-center", "en"),
    ("Liverpool", "temple-house", "fr"),
    ("West Midlands", "dorsett-grand-chengdu", "en"),
]
VENUES = [
    {"place": "eastern-suburb-memory", "exclusive": True},
    {"place": "hongxing-road-35", "exclusive": True},
    {"place": "chengdu-museum", "slots": "every 30 min, 1 group"},
]


def _request(name: str, hotel: str, language: str, *, must: str = "") -> str:
    places = textwrap.dedent(
        """\
        places:
          must_see: [{must}]
          optional:
            - {{place: eastern-suburb-memory, priority: 8, minutes: 60, note: Talk}}
            - {{place: hongxing-road-35, priority: 8, minutes: 60, note: Talk}}
            - {{place: chengdu-museum, priority: 5, minutes: 45}}
            - {{place: peoples-park, priority: 2, minutes: 30}}
        """
    ).format(must=must)
    if must:
        places = places.replace(
            f"    - {{place: {must}, priority: 8, minutes: 60, note: Talk}}\n", ""
        )
        places = places.replace(
            f"must_see: [{must}]", f"must_see: [{{place: {must}, minutes: 60}}]"
        )
    else:
        places = places.replace("  must_see: []\n", "")
    return (
        f"title: {name} delegation\n"
        f"delegation: {{name: {name}, size: 10, languages: [{language}, zh]}}\n"
        "dates: [2025-03-22]\n"
        'day_window: {start: "13:30", end: "17:30"}\n'
        f"hotel: {hotel}\n"
        "buffer_min: 5\n" + places
    )


def write_conference(
    folder: Path,
    *,
    must: str = "",
    guides: list[dict[str, object]] | None = None,
    fairness: str = "maxmin",
) -> Path:
    """A conference file with the four delegations (request files beside it)."""
    (folder / "requests").mkdir(parents=True, exist_ok=True)
    entries = []
    for name, hotel, lang in DELEGATIONS:
        path = folder / "requests" / (name.lower().replace(" ", "-") + ".yaml")
        path.write_text(_request(name, hotel, lang, must=must), encoding="utf-8")
        entries.append({"request": f"requests/{path.name}"})
    data = {
        "title": "UK delegations at the World Conference on Cultural Industry",
        "fairness": fairness,
        "delegations": entries,
        "resources": {
            "venues": VENUES,
            "guides": guides
            if guides is not None
            else [{"language": "en", "count": 3}, {"language": "fr", "count": 1}],
            "coaches": {"count": 4, "seats": 45},
        },
    }
    conf = folder / "conference.yaml"
    conf.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return conf


@pytest.fixture(scope="module")
def conference(tmp_path_factory: pytest.TempPathFactory) -> Conference:
    return load_conference(write_conference(tmp_path_factory.mktemp("conf")))


@pytest.fixture(scope="module")
def plans(conference: Conference, chengdu_net: StreetNetwork) -> dict[str, ConferencePlan]:
    with Engine(workers=1, processes=False) as engine:
        return {
            method: plan_conference(
                conference,
                chengdu_net,
                engine,
                budget=Budget(max_iterations=ITERATIONS),
                method=method,  # type: ignore[arg-type]
            )
            for method in ("joint", "first_come")
        }


def _check(plan: ConferencePlan, chengdu_net: StreetNetwork) -> None:
    itineraries = {r.delegation.id: r.itinerary for r in plan.results}
    assert check_conference_capacity(itineraries, VENUES, plan.conference.pack) == []
    for r in plan.results:
        assert_feasible(
            r.itinerary,
            request=r.delegation.request,
            pack=plan.conference.pack,
            network=chengdu_net,
        )


def test_joint_plan_exceeds_no_capacity_and_beats_first_come_on_the_worst_off(
    plans: dict[str, ConferencePlan], chengdu_net: StreetNetwork
) -> None:
    joint, first = plans["joint"], plans["first_come"]
    for plan in (joint, first):
        _check(plan, chengdu_net)
        assert plan.violations() == []
    # first come: the first two take both talks, the last two get neither
    assert [r.itinerary.total_priority for r in first.results] == [16, 16, 7, 7]
    assert joint.worst_share > first.worst_share + 0.1  # 10/23 against 7/23
    assert joint.total_priority >= first.total_priority
    talks = {"eastern-suburb-memory", "hongxing-road-35"}
    for r in joint.results:  # every delegation meets at least one park's managers
        visited = {s.place.id for d in r.itinerary.days for s in d.stops}
        assert visited & talks, r.delegation.name


def test_left_out_places_name_the_shared_resource_that_took_them(
    plans: dict[str, ConferencePlan],
) -> None:
    reasons = [
        (r.delegation.name, lo.place.name_en, lo.reason)
        for r in plans["first_come"].results
        for lo in r.itinerary.left_out
        if lo.code == "capacity"
    ]
    assert reasons
    name, place, reason = reasons[0]
    assert place in {
        "Eastern Suburb Memory",
        "Hongxing Road No. 35 Creative Park",
        "Chengdu Museum",
    }
    assert reason.startswith("full Sat ")
    assert "other delegation(s) (" in reason
    assert name not in reason.split("(")[1]  # the holders are the others


def test_guides_and_coaches_are_assigned_per_day(plans: dict[str, ConferencePlan]) -> None:
    plan = plans["joint"]
    by_delegation = {plan.results[g.delegation].delegation.name: g for g in plan.guides}
    assert by_delegation["Liverpool"].guide == "fr-1"
    assert sorted(g.guide for g in plan.guides) == ["en-1", "en-2", "en-3", "fr-1"]
    assert sorted(n for c in plan.coaches for n in c.coaches) == [1, 2, 3, 4]


def test_a_conference_that_cannot_fit_names_the_binding_resource(
    tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    # every delegation must meet the Eastern Suburb Memory managers: only three talks fit
    conference = load_conference(write_conference(tmp_path, must="eastern-suburb-memory"))
    with (
        Engine(workers=1, processes=False) as engine,
        pytest.raises(InfeasibleConferenceError) as err,
    ):
        plan_conference(conference, chengdu_net, engine, budget=Budget(max_iterations=ITERATIONS))
    assert "Eastern Suburb Memory" in err.value.binding
    assert "1 group at a time" in err.value.binding


def test_too_few_interpreters_is_the_binding_resource(
    tmp_path: Path, chengdu_net: StreetNetwork
) -> None:
    conference = load_conference(
        write_conference(tmp_path, guides=[{"language": "en", "count": 2}])
    )
    with (
        Engine(workers=1, processes=False) as engine,
        pytest.raises(InfeasibleConferenceError) as err,
    ):
        plan_conference(conference, chengdu_net, engine, budget=Budget(max_iterations=50))
    assert err.value.binding.startswith("guides: no ")
    assert "Sat 22 Mar" in err.value.binding


def _itineraries(plan: ConferencePlan) -> list[str]:
    return [r.itinerary.to_json() for r in plan.results]


def test_same_plans_with_one_and_two_worker_processes(
    conference: Conference, chengdu_net: StreetNetwork, plans: dict[str, ConferencePlan]
) -> None:
    results = []
    for workers in (1, 2):
        with Engine(workers=workers, processes=True) as engine:
            assert engine.n_workers == workers
            plan = plan_conference(
                conference, chengdu_net, engine, budget=Budget(max_iterations=ITERATIONS)
            )
            results.append(_itineraries(plan))
    assert results[0] == results[1]
    assert results[0] == _itineraries(plans["joint"])  # threads or processes: same plans


def test_cli_plans_on_a_running_scheduler_and_replans_a_late_delegation(
    tmp_path: Path, conference: Conference
) -> None:
    conf = write_conference(tmp_path / "in")
    out = tmp_path / "out"
    runner = CliRunner()
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        args = ["conference", "plan", str(conf), "-o", str(out), "--formats", "none"]
        result = runner.invoke(
            cli,
            [
                *args,
                "--scheduler",
                cluster.scheduler_address,
                "--iterations",
                str(ITERATIONS),
                "--no-progress",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "capacity exceeded nowhere" in result.output
        assert "on 1 Dask worker(s)" in result.output
        assert cluster.scheduler.transition_counter > 20  # the plans ran on its worker
    summary = json.loads((out / "conference.json").read_text(encoding="utf-8"))
    assert summary["violations"] == []
    assert (
        check_conference_staff(
            summary, [{"language": "en", "count": 3}, {"language": "fr", "count": 1}], 4
        )
        == []
    )
    for name in ("master-schedule.html", "guides.csv", "coaches.csv", "conflicts.txt"):
        assert (out / name).is_file(), name
    assert not (out / "master-schedule.pdf").exists()  # --formats none: no PDF
    assert (out / "liverpool" / "itinerary.json").is_file()
    before = {
        d["id"]: (out / d["id"] / "itinerary.json").read_text() for d in summary["delegations"]
    }

    late = tmp_path / "late"
    result = runner.invoke(
        cli,
        [
            "conference",
            "replan",
            str(conf),
            "--from",
            str(out),
            "-o",
            str(late),
            "--late",
            "Liverpool",
            "--minutes",
            "45",
            "--threads",
            "--workers",
            "1",
            "--formats",
            "none",
            "--iterations",
            str(ITERATIONS),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    after = {k: (late / k / "itinerary.json").read_text() for k in before}
    assert {k for k in before if before[k] != after[k]} == {"liverpool"}
    moved = Itinerary.from_json(after["liverpool"])
    assert moved.revision == 1
    assert min(s.start for d in moved.days for s in d.stops).strftime("%H:%M") >= "14:15"
    itineraries = {k: Itinerary.from_json(v) for k, v in after.items()}
    assert check_conference_capacity(itineraries, VENUES, conference.pack) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\ndelegations: []\n", "field `delegations`"),
        ("title: x\ndelegations:\n  - request: nowhere.yaml\n", "nowhere.yaml` not found"),
        ("title: x\ncolour: red\ndelegations:\n  - request: a.yaml\n", "field `colour`: unknown"),
        (
            "title: x\ndelegations:\n  - request: a.yaml\nresources:\n  venues:\n"
            "    - {place: nowhere-museum, groups: 2}\n",
            "resources.venues[0].place",
        ),
        (
            "title: x\ndelegations:\n  - request: a.yaml\nresources:\n  venues:\n"
            "    - {place: chengdu-museum, slots: 'twice an hour'}\n",
            "every 30 min, 2 groups",
        ),
        (
            "title: x\ndelegations:\n  - request: a.yaml\nresources:\n  venues:\n"
            "    - {place: chengdu-museum, groups: 2, exclusive: true}\n",
            "exactly one of",
        ),
        ("title: [x\n", "YAML syntax error"),
    ],
)
def test_bad_conference_files_give_one_line_and_exit_2(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "a.yaml").write_text(_request("A", "crowne-plaza-city-center", "en"), "utf-8")
    conf = tmp_path / "conf.yaml"
    conf.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["conference", "plan", str(conf), "-o", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert expected in lines[0]
    assert str(conf) in lines[0]
    assert not out.exists()


def test_a_bad_scheduler_address_is_a_usage_error(tmp_path: Path) -> None:
    conf = write_conference(tmp_path)
    result = CliRunner().invoke(
        cli, ["conference", "plan", str(conf), "-o", str(tmp_path / "o"), "--scheduler", "here"]
    )
    assert result.exit_code == 2
    assert "tcp://HOST:8786" in result.output


def _replan(conf: Path, old: Path, new: Path) -> list[str]:
    return ["conference", "replan", str(conf), "--from", str(old), "-o", str(new)]


def test_cli_replan_drop_keeps_every_other_plan(tmp_path: Path) -> None:
    conf = write_conference(tmp_path / "in")
    out, dropped = tmp_path / "out", tmp_path / "dropped"
    common = ["--threads", "--workers", "1", "--formats", "none", "--no-progress"]
    common += ["--iterations", str(ITERATIONS)]
    runner = CliRunner()
    result = runner.invoke(cli, ["conference", "plan", str(conf), "-o", str(out), *common])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        [*_replan(conf, out, dropped), "--drop", "West Midlands", *common],
    )
    assert result.exit_code == 0, result.output
    assert not (dropped / "west-midlands").exists()
    for ident in ("south-yorkshire", "greater-manchester", "liverpool"):
        before = (out / ident / "itinerary.json").read_bytes()
        assert (dropped / ident / "itinerary.json").read_bytes() == before
    summary = json.loads((dropped / "conference.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in summary["delegations"]] == [
        "south-yorkshire",
        "greater-manchester",
        "liverpool",
    ]
    bad = runner.invoke(
        cli,
        [*_replan(conf, out, tmp_path / "x"), "--drop", "Nobody", *common],
    )
    assert bad.exit_code == 2
    assert "no delegation 'Nobody'" in bad.output


def test_blocked_starts_cut_whole_minutes_out_of_start_windows() -> None:
    axis = TimeAxis(dt.date(2025, 3, 22), "Asia/Shanghai")
    at = axis.origin.replace
    windows = [[(axis.at(dt.date(2025, 3, 22), 9 * 60), axis.at(dt.date(2025, 3, 22), 16 * 60))]]
    blocked = [(at(hour=10), at(hour=11, minute=30)), (at(hour=15), at(hour=17))]
    cut = without_blocked_starts(windows, blocked, axis)
    minutes = [[(int(a // 60), int(b // 60)) for a, b in day] for day in cut]
    # a start at 09:59 or 11:30 is fine; nothing from 10:00 to 11:29 or from 15:00 on
    assert minutes == [[(9 * 60, 9 * 60 + 59), (11 * 60 + 30, 14 * 60 + 59)]]
