"""Election logistics and partisan organisers (simulation/dynamics/logistics.py, docs/ODD.md
§7.26): seizures only on logistics days, more likely with more wound-up supporters and with
partisan organisers, less with police; partisan organisers cost legitimacy and count as cheating."""

from __future__ import annotations

import numpy as np
import pytest

from siaga import SiagaModel
from simulation.dynamics import dispute, logistics

ON = {"mechanisms__logistics": True}


def test_logistics_days_are_the_days_around_voting():
    legs = [logistics.logistics_day(d, 87, 2, 3) for d in range(83, 93)]
    assert legs == [None, None, "distribution", "distribution", None, "return", "return", "return", None, None]


def test_seizure_hazard_directions():
    h = lambda w, p=0.0, police=0.0, e=1.0: float(logistics.seizure_hazard(  # noqa: E731
        np.array([w]), np.array([p]), 0.002, np.array([police]), e, 0.15)[0])
    assert h(0) == 0.0
    assert 0 < h(10) < h(50) < 1
    assert h(50, p=1.0) > h(50)  # distrust of partisan organisers
    assert h(50, police=5.0) < h(50) and h(50, e=5.0) < h(50, e=0.0)


def test_partisan_organisers_offend_every_camp_but_the_favoured_one():
    rng = np.random.default_rng(0)
    assert not logistics.partisan_organisers(50, 3, 0.0, rng).any()
    off = logistics.partisan_organisers(50, 3, 1.0, rng)
    assert (off.sum(axis=1) == 2).all()


def _run(seed: int, **kw) -> SiagaModel:
    m = SiagaModel(seed=seed, days=100, **kw)
    m.run()
    return m


def test_seizures_happen_on_logistics_days_only_and_disrupt_the_vote():
    seen = 0
    for seed in range(3):
        m = _run(seed, **ON, dynamics__logistics__seizure_hazard=0.02)
        vd = m.calendar.voting_day
        for i in m.tally.incidents:
            if i["kind"] == "logistics":
                seen += 1
                assert logistics.logistics_day(i["day"], vd, 2, 2) == i["leg"]
                assert m.villages.voting_disrupted[i["village"]]
                if i["leg"] == "return":
                    assert m.tally.votes.winner not in i["camps"]
    assert seen > 0


def test_zero_rates_change_nothing_and_escorts_deter():
    off = _run(1)
    zero = _run(1, **ON, dynamics__logistics__seizure_hazard=0.0)
    assert [(i["day"], i["village"], i["size"]) for i in off.tally.incidents] == \
        [(i["day"], i["village"], i["size"]) for i in zero.tally.incidents]
    assert np.array_equal(off.people.tension, zero.people.tension)

    def seizures(escort: float) -> int:
        return sum(i["kind"] == "logistics" for s in range(3)
                   for i in _run(s, **ON, dynamics__logistics__seizure_hazard=0.02,
                                 dynamics__logistics__escort_officers=escort).tally.incidents)

    assert seizures(20.0) < seizures(0.0)


def test_partisan_organisers_cost_legitimacy_and_count_as_cheating():
    neutral = SiagaModel(seed=2, days=30, **ON)
    neutral.run()
    partisan = SiagaModel(seed=2, days=30, **ON, dynamics__logistics__partisan_organiser_share=1.0)
    partisan.run()
    assert partisan.people.legitimacy.mean() < neutral.people.legitimacy.mean()
    v = partisan.villages
    args = (partisan.people.camp, partisan.people.village, 0, np.zeros_like(v.money_seen_by_camp),
            np.zeros_like(v.partisan_kades_offends), np.zeros_like(v.asn_visible), v.asn_offended)
    assert dispute.cheating_seen(*args) == 0.0
    people = partisan.people
    losers = np.flatnonzero((people.camp >= 0) & (people.camp != 0))
    expected = v.organiser_offends[people.village[losers], people.camp[losers]].mean()  # favoured another camp
    assert 0 < expected < 1
    assert dispute.cheating_seen(*args, v.organiser_offends) == pytest.approx(expected)
