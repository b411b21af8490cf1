"""The direction of SiagaModel's effects: more presence and more village officers mean fewer
mobilised, earlier mediation means fewer incidents (docs/ODD.md §7.11-§7.16); in a hot synthetic
region and on the default scenario."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hot_region import hot_model

from common.levels import Escalation
from experiments.runner import run
from simulation import day as phases
from simulation.model import SiagaModel

# The behavioural parameters before they were calibrated (docs/CALIBRATION.md §12), for the tests
# whose thresholds were set on them; every other test runs on the library's calibrated defaults.
HAND_TUNED = {
    "population__threshold_mean": 0.25, "dynamics__mobilisation__activation_threshold": 0.3,
    "dynamics__clashes__base_hazard": 0.004, "dynamics__clashes__organisers_hazard": 0.002,
    "dynamics__campaign_violence__convoy_hazard": 0.01, "dynamics__campaign_violence__act_rate": 0.002,
    "dynamics__reporting__size_gain": 0.1, "dynamics__polling__tps_support": 0.3,
    "dynamics__grievance__dispute_penalty": 0.1, "calendar__undisputed_factor": 0.25,
    "mechanisms__campaign_violence": False,
}



def test_more_police_presence_means_fewer_mobilise_from_the_same_state():
    """Controlled: the same model state and random draws, only today's presence raised."""
    m = hot_model(seed=1)
    while (m.people.state == Escalation.MOBILISED).sum() < 40:
        m.step()
        assert m.running, "no crowd formed"
    state0 = m.people.state.copy()
    rng_state = m.streams.mobilisation.bit_generator.state

    def mobilised_with(presence: float) -> np.ndarray:
        m.people.state[:] = state0
        m.streams.mobilisation.bit_generator.state = rng_state
        m.villages.presence[:] = presence
        phases.escalation_phase(m.people, m.partisans, m.villages, m.today, m.spec, True, m.streams.mobilisation)
        return m.people.state == Escalation.MOBILISED

    none, some, many = mobilised_with(0.0), mobilised_with(2.0), mobilised_with(20.0)
    assert none.sum() > 0
    assert not (some & ~none).any() and not (many & ~some).any()  # nested: presence only removes
    assert many.sum() < none.sum()


def test_more_village_officers_means_fewer_mobilised_days():
    none, many = [], []
    for seed in (1, 2, 3):
        a = hot_model(seed=seed, officials__bhabinkamtibmas_per_village=0.0, officials__babinsa_per_village=0.0)
        b = hot_model(seed=seed, officials__bhabinkamtibmas_per_village=3.0, officials__babinsa_per_village=3.0)
        a.run()
        b.run()
        none.append(a.timeseries()["mobilised"].sum())
        many.append(b.timeseries()["mobilised"].sum())
    assert all(b < a for a, b in zip(none, many)), (none, many)


def test_early_kades_mediation_reduces_incidents_in_a_hot_region():
    seeds = range(1, 7)
    none = [hot_model(seed=s, policy="none").run()["incidents"] for s in seeds]
    early = [hot_model(seed=s, policy="kades_early").run()["incidents"] for s in seeds]
    assert np.mean(early) < 0.5 * np.mean(none), (none, early)
    assert sum(e <= n for e, n in zip(early, none)) >= 5, (none, early)


@functools.cache
def kepahiang_incidents(seed: int, policy: str) -> int:
    return SiagaModel(seed=seed, policy=policy).run()["incidents"]


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["joint", "kades_early"])
def test_earlier_detection_reduces_incidents_in_kepahiang(policy):
    """The default scenario, paired seeds: the early policy has fewer incidents on average."""
    seeds = range(1, 9)
    none = [kepahiang_incidents(s, "none") for s in seeds]
    early = [kepahiang_incidents(s, policy) for s in seeds]
    assert np.mean(none) > 0.5, none
    assert np.mean(early) < np.mean(none), (none, early)
    assert sum(e <= n for e, n in zip(early, none)) >= 6, (none, early)


@pytest.mark.slow
@pytest.mark.parametrize(
    "dial, early, late",
    [("policy__kades__delay_days", 0, 7), ("policy__kades__act_level", "WASPADA", "AWAS")],
)
def test_kades_timing_is_a_dial_acting_later_means_more_incidents(dial, early, late):
    """Same officials, same seeds; only when they act differs (the mission's question). On the
    hand-tuned parameters this test was written for, acting early at least halves the incidents."""
    seeds = range(0, 8)

    def incidents(value) -> list[int]:
        return [run(seed=s, policy="kades_early", **{**HAND_TUNED, dial: value})["incidents"] for s in seeds]

    soon, later = incidents(early), incidents(late)
    assert np.mean(later) > 0.5, later
    assert np.mean(soon) < 0.5 * np.mean(later), (soon, later)
    assert sum(a <= b for a, b in zip(soon, later)) >= 7, (soon, later)


@pytest.mark.slow
def test_on_the_calibrated_defaults_acting_at_a_later_level_still_means_more_incidents():
    """The detection level on the library's calibrated defaults (docs/CALIBRATION.md §12; the delay
    on them is tests/validation/test_validation_policy.py's decay test). The direction holds seed by
    seed; the size is smaller than on the hand-tuned parameters (measured 2026-12-01, seeds 0-7:
    6.9 against 10.0 incidents for acting at AWAS instead of WASPADA; 5.75 against 10.25 for a
    week's delay), because campaign-stage acts and likelier clashes happen before a Kades can act."""
    seeds = range(0, 8)
    dial = "policy__kades__act_level"

    def incidents(value) -> list[int]:
        return [run(seed=s, policy="kades_early", **{dial: value})["incidents"] for s in seeds]

    soon, later = incidents("WASPADA"), incidents("AWAS")
    assert np.mean(soon) < np.mean(later), (soon, later)
    assert sum(a <= b for a, b in zip(soon, later)) >= 7, (soon, later)
