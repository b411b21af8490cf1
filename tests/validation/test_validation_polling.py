"""The voting-day mechanism added for check 4 (simulation/dynamics/polling.py, docs/ODD.md §7.20)."""

from __future__ import annotations

import numpy as np

from simulation.dynamics import polling
from simulation.model import SiagaModel


def test_tps_count_covers_every_voter_and_guards_scale_with_it():
    voters = np.array([0, 1, 406, 407, 1500])
    np.testing.assert_array_equal(polling.tps_count(voters, 406), [1, 1, 1, 2, 4])
    np.testing.assert_allclose(polling.tps_police(voters, 406, 0.66), 0.66 * np.array([1, 1, 1, 2, 4]))


def test_only_voters_feel_the_tps_crowd():
    voted = np.array([True, False, True])
    np.testing.assert_array_equal(polling.gathering_support(voted, 0.3), np.float32([0.3, 0.0, 0.3]))


def run_to(day: int, polling_on: bool) -> SiagaModel:
    m = SiagaModel(seed=3, days=day, mechanisms__polling=polling_on)
    m.run()
    return m


def test_polling_changes_nothing_before_voting_day_and_brings_crowds_out_on_it():
    on, off = run_to(89, True), run_to(89, False)
    vd = on.calendar.voting_day
    t_on, t_off = on.timeseries(), off.timeseries()
    assert t_on.iloc[:vd].equals(t_off.iloc[:vd])
    assert t_on["mobilised"].iloc[vd] > 2 * t_off["mobilised"].iloc[vd]
    assert on.today.tps_support.max() == 0.0  # reset the morning after


def test_tps_guards_are_present_only_on_voting_day():
    m = SiagaModel(seed=1, days=89)
    seen = []
    while m.day < 89:
        m.step()
        seen.append(m.presence.min())
    vd = m.calendar.voting_day
    assert seen[vd] >= m.spec.dynamics.polling.police_per_tps
    assert seen[vd - 1] < m.spec.dynamics.polling.police_per_tps or seen[vd + 1] < m.spec.dynamics.polling.police_per_tps
