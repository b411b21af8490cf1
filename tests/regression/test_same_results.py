"""Engine v2 computes what the engine before it computed: every recorded run (cases.py) gives the
same outcomes, daily series, event log and final villager state, seed for seed.

The baseline (baseline.json) was recorded from main at 45562f1, before the restructuring. The
quick cases run in every `pytest`; the rest (larger regions, more seeds) with
SIAGA_REGRESSION_FULL=1 (about 3 CPU-minutes).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cases import CASES, case_id, fingerprint

from siaga import SiagaModel

BASELINE = json.loads(Path(__file__).with_name("baseline.json").read_text())
FULL = os.environ.get("SIAGA_REGRESSION_FULL") == "1"


@pytest.mark.parametrize(
    "scenario,seed,days",
    [
        pytest.param(s, seed, days, id=case_id(s, seed, days),
                     marks=[pytest.mark.slow] + ([] if FULL else [pytest.mark.skip(reason="set SIAGA_REGRESSION_FULL=1")]))
        if slow else pytest.param(s, seed, days, id=case_id(s, seed, days))
        for s, seed, days, slow in CASES
    ],
)
def test_run_is_unchanged_seed_for_seed(scenario, seed, days):
    model = SiagaModel(scenario, seed=seed, days=days)
    model.run()
    got, want = fingerprint(model), BASELINE[case_id(scenario, seed, days)]
    assert got["outcomes"] == want["outcomes"]
    assert got["n_events"] == want["n_events"]
    assert {k: got[k] for k in ("timeseries", "events", "people")} == {k: want[k] for k in ("timeseries", "events", "people")}


def test_every_case_has_a_recorded_baseline():
    assert {case_id(s, seed, days) for s, seed, days, _ in CASES} == set(BASELINE)
