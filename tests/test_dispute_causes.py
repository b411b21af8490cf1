"""A dispute that has causes (simulation/dynamics/dispute.py, docs/ODD.md §7.10): each cause makes
the MK dispute likelier, the default rule stays the fixed coin, and the rule reads the run."""

from __future__ import annotations

import numpy as np
import pytest

from siaga import SiagaModel
from simulation.dynamics import dispute

W = dict(base=0.14, close_weight=2.0, cheating_weight=1.5, violence_weight=1.0)


def test_each_cause_raises_the_probability():
    p0 = dispute.probability(0.0, 0.0, 0.0, **W)
    assert p0 == pytest.approx(0.14)
    assert dispute.probability(1.0, 0.0, 0.0, **W) > p0
    assert dispute.probability(0.0, 1.0, 0.0, **W) > p0
    assert dispute.probability(0.0, 0.0, 1.0, **W) > p0
    assert p0 < dispute.probability(0.5, 0.5, 0.5, **W) < dispute.probability(1.0, 1.0, 1.0, **W) < 1.0
    assert dispute.probability(1.0, 1.0, 1.0, **{**W, "base": 0.0}) == 0.0


def test_closeness_is_one_at_a_tie_and_zero_from_the_close_margin():
    assert dispute.closeness(0.0, 0.1) == 1.0
    assert dispute.closeness(0.05, 0.1) == pytest.approx(0.5)
    assert dispute.closeness(0.1, 0.1) == 0.0 == dispute.closeness(0.4, 0.1)


def test_cheating_is_what_the_losing_supporters_saw_at_home():
    camp = np.array([0, 0, 1, 1, -1])  # winner 0; two supporters of camp 1 lost, one non-supporter
    village = np.array([0, 1, 0, 1, 1])
    money = np.zeros((2, 2))
    kades = np.zeros((2, 2))
    asn, offended = np.zeros(2, dtype=bool), np.array([0.0, 1.0])
    args = (camp, village, 0)
    assert dispute.cheating_seen(*args, money, kades, asn, offended) == 0.0
    money[0, 0] = 0.3  # the winner's money in village 0: one of the two losers saw it
    assert dispute.cheating_seen(*args, money, kades, asn, offended) == 0.5
    money[0, 1] = 5.0  # the loser's own camp's money is no grievance
    assert dispute.cheating_seen(*args, money, kades, asn, offended) == 0.5
    asn[1] = True  # non-neutral civil servants in village 1 offend camp 1
    assert dispute.cheating_seen(*args, money, kades, asn, offended) == 1.0


def test_the_default_rule_is_the_fixed_coin_and_causes_reads_the_run():
    def result(**kw):
        m = SiagaModel(seed=4, days=90, **kw)
        m.run()
        return m.tally.votes

    fixed = result()
    assert fixed.dispute_probability == 0.57
    caused = result(dynamics__election__dispute_rule="causes")
    assert 0.0 < caused.dispute_probability < 1.0 and caused.dispute_probability != 0.57
    assert caused.shares == fixed.shares and caused.margin == fixed.margin  # the vote is the same
    keen = result(dynamics__election__dispute_rule="causes", dynamics__election__cheating_weight=10.0,
                  dynamics__election__close_weight=10.0)
    assert keen.dispute_probability > caused.dispute_probability
    never = result(dynamics__election__dispute_rule="causes", dynamics__election__dispute_base=0.0)
    assert never.dispute_probability == 0.0 and not never.disputed
