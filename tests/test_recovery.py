"""Recovery after violence (pemulihan; simulation/day.py `schedule_recovery`, `recovery_meetings`,
docs/ODD.md §7.24): meetings follow an incident on the policy's days, lift the violence penalty on
legitimacy (never more than the incidents there), calm the village and cost person-days."""

from __future__ import annotations

import numpy as np

from scenarios.schema_policy import RecoveryPolicy
from siaga import SiagaModel
from simulation import day as phases


class _Villages:
    def __init__(self, n: int):
        self.incidents = np.zeros(n, dtype=np.int64)
        self.healed = np.zeros(n)
        self.recovery_next = np.full(n, -1, dtype=np.int64)
        self.recovery_left = np.zeros(n, dtype=np.int64)
        self.mediation = np.zeros(n)


def test_meetings_follow_an_incident_on_the_policy_days_and_heal_at_most_what_happened():
    pol = RecoveryPolicy(enabled=True, delay_days=2, sessions=3, interval_days=5, strength=0.4, heal=0.75, person_days=6)
    v = _Villages(3)
    v.incidents[1] = 1
    phases.schedule_recovery({"village": 1, "day": 10}, v, pol)
    spent, logged, met = [], [], []
    for d in range(10, 40):
        v.mediation[:] = 0.0
        phases.recovery_meetings(v, pol, d, lambda role, pd: spent.append((role, pd)), lambda *a, **k: logged.append(a))
        if v.mediation[1] > 0:
            met.append(d)
            assert v.mediation[1] == 0.4 and v.mediation[0] == v.mediation[2] == 0
    assert met == [12, 17, 22]
    assert v.healed[1] == 1.0  # 3 x 0.75 lifted, but only one incident's worth to lift
    assert spent == [("recovery", 6)] * 3 and len(logged) == 3
    assert v.recovery_next[1] == -1 and v.recovery_left[1] == 0


def test_a_new_incident_starts_the_series_again():
    pol = RecoveryPolicy(enabled=True, delay_days=3, sessions=2, interval_days=7)
    v = _Villages(1)
    phases.schedule_recovery({"village": 0, "day": 5}, v, pol)
    phases.recovery_meetings(v, pol, 8, lambda *a: None, lambda *a, **k: None)
    assert v.recovery_left[0] == 1 and v.recovery_next[0] == 15
    phases.schedule_recovery({"village": 0, "day": 14}, v, pol)
    assert v.recovery_left[0] == 2 and v.recovery_next[0] == 17


def _pair(seed: int):
    none = SiagaModel(seed=seed)
    none.run()
    rec = SiagaModel(seed=seed, policy="recovery")
    rec.run()
    return none, rec


def test_recovery_restores_legitimacy_where_there_was_violence_and_costs_person_days():
    gained = []
    for seed in range(3):
        none, rec = _pair(seed)
        a, b = none.outcomes(), rec.outcomes()
        if a["incidents"] == 0:
            continue
        assert b["officer_days_recovery"] > 0 and b["intervention_cost"] >= b["officer_days_recovery"]
        assert (rec.villages.healed <= rec.villages.incidents).all() and rec.villages.healed.sum() > 0
        hit = rec.villages.incidents > 0
        # legitimacy of the people of villages with violence, at the end, against the same seed without recovery
        gained.append(float(rec.people.legitimacy[np.isin(rec.people.village, np.flatnonzero(hit))].mean()
                            - none.people.legitimacy[np.isin(none.people.village, np.flatnonzero(none.villages.incidents > 0))].mean()))
        assert (rec.event_frame()["kind"] == "recovery").sum() > 0
    assert gained and np.mean(gained) > 0
