"""Shared test fixtures: the real Chengdu extract from ../shared and an isolated cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["_routing_fixtures", "_demo_fixtures"]

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CHENGDU_BZ2 = SHARED / "osm" / "chengdu-central-2018.osm.bz2"
CHENGDU_PBF = SHARED / "osm" / "chengdu-central-2018.osm.pbf"
OPTW_DIR = SHARED / "bench" / "optw"


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
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test session caches networks in its own folder, never the user's."""
    os.environ["TOURS_CACHE_DIR"] = str(tmp_path_factory.mktemp("tours-cache"))
