"""Shared test setup: data paths, iteration caps, the CLI runner, an isolated cache and the
solver kernels compiled (or loaded) once, up front.

Defined once here and imported by the test modules (``from conftest import DEMO_REQUEST``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _browser import CHROMIUM, CHROMIUM_ARGS
from click.testing import CliRunner

if TYPE_CHECKING:
    from tours.places.pack import CityPack

pytest_plugins = ["_routing_fixtures", "_demo_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REQUESTS = DATA / "chengdu" / "requests"
#: The demo request (the British delegation in Chengdu, two days).
DEMO_REQUEST = REQUESTS / "british-culture-2025.yaml"
SHARED = ROOT / ".." / "shared"
CHENGDU_BZ2 = SHARED / "osm" / "chengdu-central-2018.osm.bz2"
CHENGDU_PBF = SHARED / "osm" / "chengdu-central-2018.osm.pbf"
OPTW_DIR = SHARED / "bench" / "optw"
GOLDEN = Path(__file__).resolve().parent / "golden"

#: Search iterations of a demo-size plan in tests: it converges in under 200; with no time
#: limit, the plan is the same on any machine.
PLAN_ITERATIONS = 300
#: Search iterations of a re-plan in tests.
REPLAN_ITERATIONS = 200
#: ``tours plan``/``tours replan`` options of a fast, repeatable test run.
FAST_CLI = ["--iterations", str(PLAN_ITERATIONS), "--no-progress"]


@pytest.fixture
def runner() -> CliRunner:
    """A Click runner for ``tours`` commands (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """The sample itinerary (tests/_sample.py) saved as ``plan/itinerary.json``."""
    from _sample import sample_itinerary  # noqa: PLC0415

    path = tmp_path / "plan" / "itinerary.json"
    path.parent.mkdir()
    path.write_text(sample_itinerary().to_json(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack() -> CityPack:
    """The embedded Chengdu city pack (one per test module)."""
    from tours.places.pack import load_city_pack  # noqa: PLC0415

    return load_city_pack()


@pytest.fixture(scope="session")
def chengdu_bz2() -> Path:
    """The shared Chengdu extract (OSM XML, bzip2)."""
    if not CHENGDU_BZ2.is_file():
        pytest.fail(f"shared extract missing: {CHENGDU_BZ2}")
    return CHENGDU_BZ2.resolve()


@pytest.fixture(scope="session")
def chengdu_pbf() -> Path:
    """The same extract as PBF."""
    return CHENGDU_PBF.resolve()


@pytest.fixture(scope="session")
def optw_dir() -> Path:
    """The public OPTW benchmark instances."""
    return OPTW_DIR.resolve()


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test session caches networks in its own folder, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOURS_CACHE_DIR", str(tmp_path_factory.mktemp("tours-cache")))
        yield


@pytest.fixture(autouse=True, scope="session")
def _solver_kernels(request: pytest.FixtureRequest) -> None:
    """Compile (or load from numba's cache) the solver kernels once, before any test.

    ``scripts/setup.sh`` compiles them already; a checkout without that pays the compile
    here, said out loud, instead of inside whichever test plans first.
    """
    from tours.planning.solver.warmup import warm_up  # noqa: PLC0415

    began = time.perf_counter()
    seconds = warm_up()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if seconds > 5.0 and reporter is not None:
        reporter.write_line(
            f"compiled the solver kernels in {time.perf_counter() - began:.0f} s "
            "(once per checkout; scripts/setup.sh does it ahead)",
            yellow=True,
        )
    elif seconds > 5.0:
        print(f"compiled the solver kernels in {seconds:.0f} s", file=sys.stderr)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium through Playwright (one per test module)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
