"""Supporters against the government (simulation/dynamics/government.py, docs/ODD.md §7.27):
demonstrations at the offices after voting, by the camps behind in the count, that turn violent
more often when larger and less often when guarded; at zero hazard nothing else changes."""

from __future__ import annotations

import numpy as np

from siaga import SiagaModel
from simulation.dynamics import government

ON = {"mechanisms__government_protests": True}


def test_riot_hazard_directions():
    h = lambda d, contact=1.0, police=0.0, guard=10.0: government.riot_hazard(d, contact, 0.05, police, guard, 0.15)  # noqa: E731
    assert h(0) == 0.0 and h(50, contact=0.0) == 0.0
    assert 0 < h(20) < h(200) < 1
    assert h(200, guard=30.0) < h(200) and h(200, police=10.0) < h(200)


def _run(seed: int, **kw) -> SiagaModel:
    m = SiagaModel(seed=seed, days=130, **kw)
    m.run()
    return m


def test_demonstrations_come_after_voting_from_the_trailing_camps_at_the_seat():
    seen = violent = 0
    for seed in range(3):
        m = _run(seed, **ON, dynamics__government_protests__riot_hazard=0.5)
        ev = m.event_frame()
        demos = ev[ev["kind"] == "demonstration"]
        seen += len(demos)
        assert (demos["day"] > m.calendar.voting_day).all()
        assert set(demos["village"]) <= {m.region.names[m.region.polres_seat]}
        for i in m.tally.incidents:
            if i["kind"] == "government":
                violent += 1
                assert m.tally.votes.winner not in i["camps"] and i["village"] == m.region.polres_seat
                assert m.calendar.stage_spec(i["day"]).organisers_contact > 0
    assert seen > 0 and violent > 0


def test_at_zero_hazard_only_the_demonstrations_are_new():
    off = _run(2)
    zero = _run(2, **ON, dynamics__government_protests__riot_hazard=0.0)
    key = lambda m: [(i["day"], i["village"], i["kind"], i["size"]) for i in m.tally.incidents]  # noqa: E731
    assert key(off) == key(zero)
    assert np.array_equal(off.people.tension, zero.people.tension)


def test_a_heavier_guard_means_fewer_violent_demonstrations():
    def riots(guard: float) -> int:
        return sum(i["kind"] == "government" for s in range(3)
                   for i in _run(s, **ON, dynamics__government_protests__riot_hazard=0.3,
                                 dynamics__government_protests__office_guard=guard).tally.incidents)

    assert riots(40.0) < riots(0.0)
