"""A copy of an extract shares the parsed content but keeps its own name in every message."""

from __future__ import annotations

import shutil
from pathlib import Path

from _osm_files import MONACO_PBF

from tours.places.osm_features import load_address_data, load_feature_set


def test_a_copy_and_the_original_each_name_themselves(tmp_path: Path) -> None:
    copy = tmp_path / "copy.osm.pbf"
    shutil.copyfile(MONACO_PBF, copy)
    first = load_feature_set(copy)
    original = load_feature_set(MONACO_PBF)
    assert (first.path, original.path) == (copy, MONACO_PBF)
    assert first.features == original.features  # the same content, parsed once
    warning = original.warning()
    assert warning is not None
    assert warning.startswith("extract `monaco-2012.osm.pbf` is clipped: ")
    assert first.warning() == warning.replace("monaco-2012.osm.pbf", "copy.osm.pbf")
    assert load_address_data(copy).path == copy
    assert load_address_data(MONACO_PBF).path == MONACO_PBF
    assert load_feature_set(MONACO_PBF) is original  # held in memory per file
