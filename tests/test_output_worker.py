"""The output worker of ``tours plan``: forked before planning, it draws the interactive maps
beside the print and exports. The files are the same as without it, and it never outlives
the command: not after success, not after bad input, not after an error while planning."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli import one_error
from _same_outputs import assert_same_outputs
from click.testing import CliRunner
from conftest import CHENGDU_PBF, DEMO_REQUEST, FAST_CLI

import tours
import tours.api
from tours.cli import cli
from tours.itinerary import Itinerary
from tours.outputs import OutputWorker

pytestmark = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2 or "fork" not in multiprocessing.get_all_start_methods(),
    reason="no second core or no fork here",
)


@pytest.fixture(autouse=True)
def _no_other_thread() -> None:
    """The worker never forks a process with other threads, and earlier tests of a session
    may leave some (Dask's offload thread, for one): this module then runs in a process of
    its own instead (tests/test_output_worker_alone.py)."""
    if threading.active_count() > 1:
        pytest.skip("other threads in this process: run alone by test_output_worker_alone.py")


def _children() -> set[int]:
    """Process ids of this process's children (zombies included, until reaped)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids |= {int(pid) for pid in (task / "children").read_text().split()}
    return pids


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[OutputWorker, int | None]]]:
    """The workers ``tours plan`` starts (the real ones) with their process ids."""
    workers: list[tuple[OutputWorker, int | None]] = []
    start = OutputWorker.start

    def recording(formats: object = "all") -> OutputWorker:
        worker = start(formats)  # type: ignore[arg-type]
        workers.append((worker, worker.pid))
        return worker

    monkeypatch.setattr(OutputWorker, "start", staticmethod(recording))
    yield workers


def _gone(worker: OutputWorker, pid: int | None) -> None:
    """*worker* stopped and reaped: no process, no zombie, nothing left to stop."""
    assert pid is not None
    assert not worker.active
    assert pid not in _children()
    assert not Path(f"/proc/{pid}").exists()


def test_the_worker_writes_the_same_files(demo_itinerary: Itinerary, tmp_path: Path) -> None:
    with OutputWorker.start("all") as worker:
        assert worker.active
        pid = worker.pid
        beside = tours.write_outputs(
            demo_itinerary, tmp_path / "a", basemap_osm=CHENGDU_PBF, worker=worker
        )
    _gone(worker, pid)
    alone = tours.write_outputs(
        demo_itinerary, tmp_path / "b", basemap_osm=CHENGDU_PBF, concurrent=False
    )
    assert {"overview.html", "day-1.html", "day-2.html", "itinerary.pdf"} <= {
        p.name for p in beside
    }
    assert_same_outputs(beside, alone, folder=tmp_path / "a")


def test_no_worker_without_maps_and_an_inactive_one_changes_nothing(
    demo_itinerary: Itinerary, tmp_path: Path
) -> None:
    for alone in ("ics,gpx", "pdf,html", "none"):  # nothing to render beside: not started
        with OutputWorker.start(alone) as worker:
            assert not worker.active
            assert worker.pid is None
    with OutputWorker.start("ics,gpx") as worker:
        written = tours.write_outputs(demo_itinerary, tmp_path, formats="ics", worker=worker)
    assert [p.name for p in written] == ["itinerary.json", "itinerary.ics"]


def test_the_worker_renders_the_exports_beside_the_print(
    demo_itinerary: Itinerary, tmp_path: Path
) -> None:
    with OutputWorker.start("pdf,ics,csv") as worker:
        assert worker.active
        pid = worker.pid
        written = tours.write_outputs(
            demo_itinerary, tmp_path, formats="pdf,ics,csv", basemap=False, worker=worker
        )
    _gone(worker, pid)
    names = ["itinerary.json", "itinerary.pdf", "itinerary.ics", "itinerary.csv"]
    assert [p.name for p in written] == names
    alone = tours.write_outputs(demo_itinerary, tmp_path / "alone", formats="ics,csv")
    assert [p.read_bytes() for p in written[2:]] == [p.read_bytes() for p in alone[1:]]


def test_a_renderer_error_in_the_worker_reaches_the_caller(
    demo_itinerary: Itinerary, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "itinerary.json").write_text("old plan", encoding="utf-8")
    empty = demo_itinerary.model_copy(update={"days": []})  # the maps refuse it
    with OutputWorker.start("maps") as worker:
        pid = worker.pid
        with pytest.raises(tours.InputError, match="has no days; there is nothing to map"):
            tours.write_outputs(empty, out, formats="maps", basemap=False, worker=worker)
    _gone(worker, pid)
    assert sorted(p.name for p in out.iterdir()) == ["itinerary.json"]
    assert (out / "itinerary.json").read_text(encoding="utf-8") == "old plan"


def test_the_worker_is_gone_after_tours_plan(
    tmp_path: Path, started: list[tuple[OutputWorker, int | None]]
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["plan", str(DEMO_REQUEST), "-o", str(out), "--formats", "maps,ics", *FAST_CLI]
    )
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    assert started[0][1] is not None  # it ran
    _gone(*started[0])
    assert sorted(p.name for p in out.iterdir()) == [
        "day-1.html",
        "day-2.html",
        "itinerary.ics",
        "itinerary.json",
        "overview.html",
    ]


def test_the_worker_is_gone_after_bad_input(
    tmp_path: Path, started: list[tuple[OutputWorker, int | None]]
) -> None:
    """A broken OSM file is found after the worker started: exit 2, one line, no worker."""
    bad = tmp_path / "bad.osm"
    bad.write_text("not OSM", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "itinerary.json").write_text("old plan", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["plan", str(DEMO_REQUEST), "-o", str(out), "--osm", str(bad), *FAST_CLI]
    )
    assert result.exit_code == 2, result.output
    assert f"cannot read OSM file `{bad}`" in one_error(result.output)
    assert len(started) == 1
    _gone(*started[0])
    assert sorted(p.name for p in out.iterdir()) == ["itinerary.json"]
    assert (out / "itinerary.json").read_text(encoding="utf-8") == "old plan"


def test_the_worker_is_gone_after_an_error_while_planning(
    tmp_path: Path, started: list[tuple[OutputWorker, int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        msg = "the solver broke"
        raise RuntimeError(msg)

    monkeypatch.setattr(tours.api, "plan_details", failing)
    monkeypatch.setattr(tours, "plan_details", failing)
    out = tmp_path / "out"
    out.mkdir()
    (out / "itinerary.json").write_text("old plan", encoding="utf-8")
    (out / "itinerary.pdf").write_bytes(b"%PDF old")
    result = CliRunner().invoke(cli, ["plan", str(DEMO_REQUEST), "-o", str(out), *FAST_CLI])
    assert isinstance(result.exception, RuntimeError)
    assert len(started) == 1
    _gone(*started[0])
    assert sorted(p.name for p in out.iterdir()) == ["itinerary.json", "itinerary.pdf"]
    assert (out / "itinerary.json").read_text(encoding="utf-8") == "old plan"
