"""Time-dependent coach travel: hour-of-day speed profiles, FIFO arrival times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from routing import StreetNetwork, TravelPolicy, route_leg, travel_matrix
from routing.traffic import GENERIC_PROFILE, CoachSpeedProfile

CHENGDU_TRAFFIC = Path(__file__).resolve().parents[1] / "data" / "chengdu" / "traffic.yaml"
H = 3600.0


@pytest.fixture(scope="module")
def chengdu_profile() -> CoachSpeedProfile:
    return CoachSpeedProfile.from_mapping(yaml.safe_load(CHENGDU_TRAFFIC.read_text("utf-8")))


def test_chengdu_profile_has_rush_hours_and_night(chengdu_profile: CoachSpeedProfile) -> None:
    f = chengdu_profile.factors
    assert chengdu_profile.name == "chengdu-weekday"
    assert f[8] == 0.65 and f[17] == 0.65 and f[18] == 0.65  # morning and evening peaks
    assert f[2] == 1.4  # night
    assert min(f[10:16]) >= 0.85  # the working day in between


def test_profile_factor_is_linear_between_hour_middles() -> None:
    assert float(GENERIC_PROFILE.factor_at(7.5 * H)) == pytest.approx(0.8)
    assert float(GENERIC_PROFILE.factor_at(8.0 * H)) == pytest.approx((0.8 + 0.75) / 2)
    # wraps around midnight, and any day maps onto the same clock
    assert float(GENERIC_PROFILE.factor_at(0.0)) == pytest.approx((1.35 + 1.4) / 2)
    assert float(GENERIC_PROFILE.factor_at(24 * H + 7.5 * H)) == pytest.approx(0.8)


def test_constant_factor_scales_the_drive() -> None:
    slow = CoachSpeedProfile(factors=(0.5,) * 24)
    assert float(slow.drive_time(12 * H, 600.0)) == pytest.approx(1200.0, abs=1e-6)
    assert float(CoachSpeedProfile.flat().drive_time(3 * H, 900.0)) == pytest.approx(900.0)


def test_arrivals_are_fifo_every_minute_of_the_day(chengdu_profile: CoachSpeedProfile) -> None:
    departures = np.arange(0, 2 * 86_400, 60.0)
    for drive in (60.0, 900.0, 3600.0, 3 * H):
        arrive = chengdu_profile.drive_end(departures, drive)
        assert np.all(np.diff(arrive) >= 0), drive
        # the rush slows a drive down: slowest around the peaks, fastest at night
        took = arrive - departures
        assert took.max() <= drive / 0.65 + 1e-6
        assert took.min() >= drive / 1.4 - 1e-6
        if drive <= 900:
            assert took.max() == pytest.approx(drive / 0.65, rel=0.05)
            assert took.min() == pytest.approx(drive / 1.4, rel=0.01)


def test_drive_into_the_rush_slows_down_part_way(chengdu_profile: CoachSpeedProfile) -> None:
    before = float(chengdu_profile.drive_time(14.5 * H, 1800.0))
    into = float(chengdu_profile.drive_time(16.5 * H, 1800.0))
    peak = float(chengdu_profile.drive_time(17.5 * H, 1800.0))
    assert before < into < peak


def test_bad_profiles_are_refused() -> None:
    with pytest.raises(ValueError, match="24 hourly factors"):
        CoachSpeedProfile(factors=(1.0,) * 23)
    with pytest.raises(ValueError, match="hour 05"):
        CoachSpeedProfile(factors=(1.0,) * 5 + (0.0,) + (1.0,) * 18)
    with pytest.raises(ValueError, match="'25'"):
        CoachSpeedProfile.from_mapping({"factors": {"25": 1.0}})
    with pytest.raises(ValueError, match="faster than free flow"):
        TravelPolicy(coach_profile=CoachSpeedProfile(factors=(2.0,) * 24))


def test_coach_leg_at_1730_takes_longer_than_at_1030(
    chengdu_net: StreetNetwork,
    chengdu_points: list[tuple[float, float]],
    chengdu_profile: CoachSpeedProfile,
) -> None:
    policy = TravelPolicy(coach_profile=chengdu_profile)
    a, b = chengdu_points[0], chengdu_points[5]
    morning = route_leg(chengdu_net, a, b, mode="coach", policy=policy, depart_s=10.5 * H)
    evening = route_leg(chengdu_net, a, b, mode="coach", policy=policy, depart_s=17.5 * H)
    flat = route_leg(chengdu_net, a, b, mode="coach", policy=TravelPolicy())
    assert morning.geometry == evening.geometry == flat.geometry  # same fastest path
    assert evening.duration_s > morning.duration_s > 0
    assert morning.drive_s == evening.drive_s == flat.drive_s > 60
    # only the driving part changes: walk to the coach, boarding and the walk after stay
    fixed = flat.duration_s - flat.drive_s
    assert evening.duration_s - fixed == pytest.approx(
        float(chengdu_profile.drive_time(17.5 * H + (morning.snaps[0].distance_m / policy.walk_mps)
                                         + policy.coach_overhead_s, flat.drive_s)),
        rel=1e-9,
    )  # fmt: skip
    assert evening.depart_s == 17.5 * H
    assert evening.to_geojson()["properties"]["depart_s"] == 17.5 * H  # type: ignore[index]


def test_matrix_with_departure_axis(
    chengdu_net: StreetNetwork,
    chengdu_points: list[tuple[float, float]],
    chengdu_profile: CoachSpeedProfile,
) -> None:
    policy = TravelPolicy(coach_profile=chengdu_profile)
    departures = np.arange(0, 86_400, 900.0)
    m = travel_matrix(chengdu_net, chengdu_points, mode="mixed", policy=policy,
                      departures=departures)  # fmt: skip
    assert m.duration_by_departure is not None
    assert m.duration_by_departure.shape == (len(departures), 16, 16)
    walk = m.mode == "walk"
    coach = ~walk & np.isfinite(m.duration_s)
    assert coach.any() and walk.any()
    # walk legs do not depend on the hour; coach legs do, FIFO for every pair
    assert np.all(m.duration_by_departure[:, walk] == m.duration_s[walk])
    arrive = departures[:, None] + m.duration_by_departure[:, coach]
    assert np.all(np.diff(arrive, axis=0) >= 0)
    at_1730 = m.duration_by_departure[70][coach]
    at_1030 = m.duration_by_departure[42][coach]
    assert np.all(at_1730 > at_1030)
    # the axis agrees with single legs and with duration_at
    i, j = np.argwhere(coach)[0]
    leg = route_leg(chengdu_net, chengdu_points[i], chengdu_points[j], mode="coach",
                    policy=policy, depart_s=float(departures[70]))  # fmt: skip
    assert leg.duration_s == pytest.approx(m.duration_by_departure[70, i, j], rel=1e-9)
    assert np.array_equal(m.duration_at(departures[70]), m.duration_by_departure[70])


def test_without_profile_the_hour_changes_nothing(
    chengdu_net: StreetNetwork, chengdu_points: list[tuple[float, float]]
) -> None:
    m = travel_matrix(chengdu_net, chengdu_points, mode="coach", departures=[8 * H, 17.5 * H])
    assert m.duration_by_departure is not None
    assert np.array_equal(m.duration_by_departure[0], m.duration_s)
    assert np.array_equal(m.duration_by_departure[1], m.duration_s)
    flat = travel_matrix(chengdu_net, chengdu_points, mode="coach",
                         policy=TravelPolicy(coach_profile=CoachSpeedProfile.flat()))  # fmt: skip
    assert np.allclose(flat.duration_at(17.5 * H), m.duration_s, rtol=1e-9)
