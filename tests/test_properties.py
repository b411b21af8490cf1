"""Property tests: whatever valid parameters a scenario holds, a run keeps its invariants."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.levels import Escalation, Rumour
from scenarios.loader import load_dict
from simulation.model import SiagaModel


@st.composite
def scenarios(draw) -> dict:
    d = load_dict("kepahiang_pilkada2024")
    k = draw(st.integers(1, 4))
    raw = [draw(st.integers(1, 10)) for _ in range(k)]
    base = d["candidates"][0]
    d["candidates"] = [
        {**base, "name": f"Paslon {i + 1:02d}", "expected_share": r / sum(raw), "incumbent": i == 0 and draw(st.booleans())}
        for i, r in enumerate(raw)
    ]
    d["candidates"][-1]["expected_share"] = 1.0 - sum(c["expected_share"] for c in d["candidates"][:-1])
    d["region"] = {
        "name": "Property region",
        "area_km2": draw(st.floats(1.0, 500.0)),
        "village_neighbours": draw(st.integers(1, 6)),
        "synthetic": {
            "kecamatan": draw(st.integers(1, 3)),
            "villages_per_kecamatan": draw(st.integers(1, 5)),
            "people_per_village": draw(st.integers(10, 300)),
            "hotspot_share": draw(st.floats(0.0, 1.0)),
        },
    }
    d["calendar"]["start"] = dt.date(2024, 11, 20)
    d["calendar"]["end"] = dt.date(2024, 12, 10)
    d["network"] = {
        "kin_degree": draw(st.integers(0, 8)),
        "online_share": draw(st.floats(0.0, 1.0)),
        "online_group_size": draw(st.integers(2, 60)),
        "team_ties": draw(st.integers(0, 5)),
        "inter_village_ties": draw(st.floats(0.0, 2.0)),
    }
    d["officials"] = {
        **d["officials"],
        "bhabinkamtibmas_per_village": draw(st.floats(0.0, 2.0)),
        "babinsa_per_village": draw(st.floats(0.0, 2.0)),
        "polres_backup_units": draw(st.integers(0, 3)),
        "tokoh_per_village": draw(st.integers(0, 4)),
        "team_size": draw(st.integers(1, 20)),
        "backup_availability": draw(st.floats(0.0, 1.0)),
    }
    d["population"] = {
        **d["population"],
        "active_supporter_share": draw(st.floats(0.0, 1.0)),
        "initial_tension_mean": draw(st.floats(0.0, 1.0)),
    }
    d["dynamics"] = {
        "mobilisation": {"activation_threshold": draw(st.floats(-0.5, 1.5)), "cascade_rounds": draw(st.integers(1, 3))},
        "clashes": {"base_hazard": draw(st.floats(0.0, 1.0))},
        "arrests": {"target": draw(st.sampled_from(["violent", "mobilised"])), "max_jail_days": draw(st.integers(1, 10))},
    }
    names = ["hoax", "tension", "grievance", "mobilisation", "clashes", "arrests", "officials", "supporters", "election"]
    d["mechanisms"] = {n: draw(st.booleans()) for n in names}
    d["policy"] = {"presets": draw(st.lists(st.sampled_from(["none", "kades_early", "police_early", "joint", "late", "neutrality"]), min_size=1, max_size=3))}
    return d


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scn=scenarios(), seed=st.integers(0, 2**32))
def test_any_valid_scenario_runs_and_keeps_its_invariants(scn, seed):
    m = SiagaModel(scn, seed=seed)
    n = m.people.n
    while m.running:
        m.step()
        p = m.people
        assert np.bincount(p.state, minlength=5).sum() == n
        assert np.isin(p.state, list(Escalation)).all() and np.isin(p.rumour, list(Rumour)).all()
        assert ((p.tension >= 0) & (p.tension <= 1)).all()
        assert ((p.legitimacy >= 0) & (p.legitimacy <= 1)).all()
        assert np.array_equal(p.state == Escalation.DETAINED, p.jail > 0)
        assert (m.presence >= 0).all() and (m.villages.arresting <= m.presence + 1e-9).all()
        # nobody without a camp is ever out in a crowd
        assert not ((p.camp < 0) & (p.state == Escalation.MOBILISED)).any()
    out = m.outcomes()
    assert out["incidents"] == len(m.incidents) == int(m.village_incidents.sum())
    assert out["arrests"] == int(m.villages.arrests.sum())
    assert len(m.timeseries()) == m.calendar.n_days
