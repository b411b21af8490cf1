"""What gets reported (simulation/dynamics/reporting.py, docs/ODD.md §7.23): bigger and more
harmful incidents are more likely reported, and the flag changes nothing else in a run."""

from __future__ import annotations

import pytest

from siaga import SiagaModel


def _run(seed: int, days: int, **params) -> SiagaModel:
    m = SiagaModel(seed=seed, days=days, **params)
    m.run()
    return m


def _key(m: SiagaModel) -> list[tuple]:
    return [(i["day"], i["village"], i["kind"], i["size"], i["camps"], i["deaths"], i["injured"], i["damaged"]) for i in m.tally.incidents]



def test_bigger_and_more_harmful_incidents_are_more_likely_reported():
    from simulation.dynamics.reporting import probability

    kw = dict(base=0.3, size_gain=0.1, harm_gain=0.5, death_weight=10.0)
    assert probability(2, 0, 0, 0, **kw) == pytest.approx(0.3)
    assert probability(2, 0, 0, 0, **kw) < probability(6, 0, 0, 0, **kw) < probability(6, 0, 2, 0, **kw) < probability(6, 1, 2, 0, **kw) < 1
    assert probability(1, 0, 0, 0, **kw) == probability(2, 0, 0, 0, **kw)  # no fewer than two participants counted


def test_reporting_flags_incidents_and_changes_nothing_else():
    on = _run(2, days=120)
    off = _run(2, days=120, mechanisms__reporting=False)
    assert _key(on) == _key(off) and len(_key(on)) > 0
    assert all(i["reported"] for i in off.tally.incidents)
    flags = [i["reported"] for i in on.tally.incidents]
    out = on.outcomes()
    assert out["incidents_reported"] == sum(flags) <= out["incidents"]
    assert off.outcomes()["incidents_reported"] == off.outcomes()["incidents"]
    always = _run(2, days=120, dynamics__reporting__base=1.0)
    never = _run(2, days=120, dynamics__reporting__base=0.0, dynamics__reporting__size_gain=0.0,
                 dynamics__reporting__harm_gain=0.0)
    assert always.outcomes()["incidents_reported"] == out["incidents"]
    assert never.outcomes()["incidents_reported"] == 0
