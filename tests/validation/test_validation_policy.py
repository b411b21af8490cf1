"""Check 5 of docs/VALIDATION.md: the mission's question, answered with uncertainty.

Default scenario; each policy runs on the same seeds as the reactive baseline (`none`: police
answer incidents, nobody acts early), so differences are paired (common random numbers, ODD §4.9).
95% CIs are percentile bootstraps of the mean paired difference over seeds. CI version: seeds
0-7; full version (SIAGA_FULL_VALIDATION=1): seeds 0-29.
"""

from __future__ import annotations

import numpy as np
import pytest
import siaga_runs as sr

CI_SEEDS = tuple(range(8))  # 4 configurations x 8 runs: about 100 s on two free cores
FULL_SEEDS = tuple(range(30))
BOTH = ("kades_early", "police_early")


@pytest.fixture(scope="module", params=[pytest.param(CI_SEEDS, id="ci"), pytest.param(FULL_SEEDS, id="full", marks=pytest.mark.slow)])
def seeds(request):
    return request.param


def test_early_kades_mediation_reduces_incidents_against_reactive_response(seeds):
    mean, lo, hi = sr.paired_bootstrap_ci(sr.incidents(seeds, ("kades_early",)), sr.incidents(seeds))
    assert hi < 0, (mean, lo, hi)


def test_kades_and_police_early_together_reduce_incidents(seeds):
    mean, lo, hi = sr.paired_bootstrap_ci(sr.incidents(seeds, BOTH), sr.incidents(seeds))
    assert hi < 0, (mean, lo, hi)


def test_early_police_alone_does_less_than_early_kades(seeds):
    """Three Polsek teams for 23 villages cannot be everywhere early; every Kades can (ODD §8.3)."""
    mean, lo, hi = sr.paired_bootstrap_ci(sr.incidents(seeds, ("police_early",)), sr.incidents(seeds, ("kades_early",)))
    assert lo > 0, (mean, lo, hi)


def test_the_effect_of_kades_mediation_decays_when_it_comes_later(seeds):
    """Same Kades, same alert level (WASPADA), acting after 1 day (the preset) or after 14 days of
    alert: the later they act, the more incidents, paired over seeds."""
    soon = sr.incidents(seeds, ("kades_early",))
    late = sr.incidents(seeds, ("kades_early",), (("policy__kades__delay_days", 14),))
    mean, lo, hi = sr.paired_bootstrap_ci(late, soon)
    assert lo > 0, (mean, lo, hi)


def test_bootstrap_ci_covers_a_known_mean():
    """The CI routine itself: for differences drawn with mean 1, the 95% CI covers 1 in about 95%
    of 200 repetitions (binomial band 90-99%)."""
    rng = np.random.default_rng(np.random.SeedSequence(1996))
    hits = 0
    for k in range(200):
        d = rng.normal(1.0, 2.0, 30)
        _, lo, hi = sr.paired_bootstrap_ci(d, np.zeros(30), n_boot=2000, seed=k)
        hits += lo <= 1.0 <= hi
    assert 180 <= hits <= 198, hits
