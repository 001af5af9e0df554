"""The coach speed profile from the city pack, the generic default and the request."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from routing import GENERIC_PROFILE
from tours._errors import InputError
from tours.places.pack import load_city_pack
from tours.planning._model import travel_policy
from tours.planning.request import Request, parse_request

HEAD = """\
title: Profile test
delegation: {name: Test delegation, size: 6}
hotel: crowne-plaza-city-center
dates: [2025-03-21]
"""


def _request(travel: str) -> Request:
    return parse_request(HEAD + textwrap.dedent(travel), source="test.yaml")


def test_chengdu_pack_has_its_own_profile() -> None:
    profile = load_city_pack().coach_profile
    assert profile.name == "chengdu-weekday"
    assert profile.factors[8] == 0.65 and profile.factors[17] == 0.65
    assert any("AMAP" in s for s in profile.sources)


def test_a_pack_without_traffic_file_uses_the_generic_profile(tmp_path: Path) -> None:
    src = load_city_pack().path
    for name in ("city.yaml", "places.yaml"):
        shutil.copy(src / name, tmp_path / name)
    assert load_city_pack(tmp_path).coach_profile is GENERIC_PROFILE


def test_a_bad_traffic_file_names_file_and_field(tmp_path: Path) -> None:
    src = load_city_pack().path
    for name in ("city.yaml", "places.yaml"):
        shutil.copy(src / name, tmp_path / name)
    (tmp_path / "traffic.yaml").write_text(
        "name: x\nfactors: {'07': 0}\n"
        "sources: [{facts: [traffic], title: t, checked: 2026-11-30}]\n",
        "utf-8",
    )
    with pytest.raises(InputError, match=r"traffic\.yaml: field `factors`: .*hour 07"):
        load_city_pack(tmp_path)


def test_request_chooses_or_overrides_the_profile() -> None:
    pack = load_city_pack()
    city = travel_policy(_request(""), pack)
    assert city.coach_profile is pack.coach_profile
    generic = travel_policy(_request("travel: {coach_profile: generic}\n"), pack)
    assert generic.coach_profile is GENERIC_PROFILE
    assert travel_policy(_request("travel: {coach_profile: flat}\n"), pack).coach_profile is None
    own = travel_policy(
        _request("travel:\n  coach_profile: {factors: {'17-19': 0.5}}\n"), pack
    ).coach_profile
    assert own is not None
    assert own.factors[17] == own.factors[18] == 0.5 and own.factors[19] == 1.0
    with pytest.raises(InputError, match=r"test\.yaml: field `travel\.coach_profile`"):
        travel_policy(_request("travel:\n  coach_profile: {factors: {'7-30': 1}}\n"), pack)
