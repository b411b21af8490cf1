"""Check 4 of docs/VALIDATION.md: stylised facts of Indonesian election violence, in the default
scenario without early intervention (policy `none`). Sources: docs/ODD.md [D16]-[D19], [D34], [D35].

The CI version uses seeds 0-9; the full version (SIAGA_FULL_VALIDATION=1) seeds 0-29.
"""

from __future__ import annotations

import numpy as np
import pytest
import siaga_runs as sr
from scipy.stats import binomtest

CI_SEEDS = range(10)
FULL_SEEDS = range(30)


def runs(seeds) -> list[sr.Run]:
    return [sr.run(s) for s in seeds]


@pytest.fixture(scope="module", params=[pytest.param(CI_SEEDS, id="ci"), pytest.param(FULL_SEEDS, id="full", marks=pytest.mark.slow)])
def baseline(request) -> list[sr.Run]:
    return runs(request.param)


def test_there_is_violence_to_speak_of(baseline):
    assert sum(r.n for r in baseline) >= 3 * len(baseline)


def test_incidents_concentrate_around_voting_counting_and_results_not_over_the_campaign(baseline):
    """Per-day rate from voting day to the end of the determination stage (days 0..+21) against
    the campaign (days -63..-4). ACLED: 61% of 51 violent events in days 0..+30 and 18% in the
    60 days before, a rate ratio of about 6.7; we require at least 3 ([D19]: 76% vs 24%)."""
    assert sr.rate_ratio(baseline, campaign=(-63, -4), peak=(0, 21)) >= 3.0


def test_voting_day_has_the_highest_daily_rate(baseline):
    """ACLED: 10 violent events on voting day itself against 9 in the following seven days and 12 in
    the sixty before. In the model too, voting day must have more incidents per day than any other
    window (before voting, +1..+7, +8..+30, +31..+60, later). Before the polling mechanism (ODD
    §7.20) the model had no voting-day incident in 20 runs and this failed."""
    counts = sr.timing_counts(baseline)
    days = np.array([87, 1, 7, 23, 30, 33])  # days each window spans in the Kepahiang calendar
    rate = counts / days
    assert rate[1] > np.delete(rate, 1).max(), dict(zip(sr.ACLED_WINDOWS, rate.round(3).tolist()))


@pytest.mark.slow
def test_voting_day_share_is_consistent_with_acled():
    """Exact binomial test of ACLED's 10 of 51 violent events on voting day against the model's
    share over 30 runs; fails below p = 0.01. (Ten runs are too few to tell: no CI version.)"""
    counts = sr.timing_counts(runs(FULL_SEEDS))
    share = counts[1] / counts.sum()
    p = binomtest(int(sr.ACLED_COUNTS[1]), int(sr.ACLED_COUNTS.sum()), max(share, 0.5 / counts.sum())).pvalue
    assert p >= 0.01, (dict(zip(sr.ACLED_WINDOWS, counts.tolist())), share, p)


TIMING_SHORTFALL = pytest.mark.xfail(
    strict=True,
    reason="known shortfall (docs/VALIDATION.md §4.3): on 30 seeds of the calibrated default the profile is still "
    "too quiet in days +31..+60 and too busy in +1..+7 (p = 0.005); on seeds 0-9 it passes (p = 0.017), so the "
    "CI version is an ordinary test",
)


@pytest.mark.parametrize("seeds", [pytest.param(CI_SEEDS, id="ci"), pytest.param(FULL_SEEDS, id="full", marks=[pytest.mark.slow, TIMING_SHORTFALL])])
def test_timing_profile_could_have_produced_acleds_51_events(seeds):
    """Goodness of fit of ACLED's 51 counts over six windows to the model's profile (Monte Carlo
    G-test); fails below p = 0.01. Before the calibrated defaults (docs/CALIBRATION.md §12) both
    versions failed with p < 10^-4: about 5% of incidents before voting day (ACLED 23.5%) and about
    80% in days +1..+30 (ACLED 41%)."""
    baseline = runs(seeds)
    counts = sr.timing_counts(baseline)
    p = sr.acled_fit_pvalue(counts)
    assert p >= 0.01, (dict(zip(sr.ACLED_WINDOWS, counts.tolist())), p)


CAMPAIGN_ON = (("mechanisms__campaign_violence", True),)


@pytest.mark.parametrize("seeds", [pytest.param(CI_SEEDS, id="ci"), pytest.param(FULL_SEEDS, id="full", marks=pytest.mark.slow)])
def test_with_campaign_violence_the_pre_vote_share_is_consistent_with_acled(seeds):
    """Campaign-stage violence (ODD §7.22, on by default since the calibration; switched on here
    explicitly, as when it was off by default) is the mechanism for the
    shortfall above: with it on, ACLED's 12 of 51 violent events before voting day must be a
    plausible draw from the model's pre-vote share (exact binomial test, p >= 0.01; without it the
    share is about 5% and p < 10^-4), while incidents still concentrate around voting (rate
    ratio >= 3, as above)."""
    runs_on = [sr.run(s, ("none",), CAMPAIGN_ON) for s in seeds]
    counts = sr.timing_counts(runs_on)
    share = counts[0] / counts.sum()
    p = binomtest(int(sr.ACLED_COUNTS[0]), int(sr.ACLED_COUNTS.sum()), max(share, 0.5 / counts.sum())).pvalue
    assert p >= 0.01, (dict(zip(sr.ACLED_WINDOWS, counts.tolist())), share, p)
    assert sr.rate_ratio(runs_on, campaign=(-63, -4), peak=(0, 21)) >= 3.0


def test_incidents_pile_up_in_fewer_villages_than_chance(baseline):
    """Incidents recur where they happened before (Puncak Jaya 2018, 2024, 2025; hotspots on
    Bawaslu's IKP map): per run, fewer distinct villages than the same number of incidents dealt
    at random in proportion to population (one-sided p < 0.05)."""
    obs, null, p = sr.distinct_villages_test(baseline)
    assert obs < null and p < 0.05, (obs, null, p)


@pytest.mark.slow
def test_violence_spreads_to_neighbouring_villages():
    """Violence spills over (Puncak Jaya's reprisals; SIAGA's spillover of tension and crowds):
    villages with incidents in the same run border each other more often than the same number of
    villages drawn at random (join count, one-sided p < 0.05). Full size only: with 10 runs the
    join count is too small to tell (seeds 0-9: 23 joins against 18.2 by chance, p = 0.09)."""
    obs, null, p = sr.neighbour_join_test(runs(FULL_SEEDS), n_sim=500)
    assert obs > null and p < 0.05, (obs, null, p)


@pytest.mark.xfail(
    strict=True,
    reason="shortfall since the calibrated defaults (docs/VALIDATION.md §4.4): on seeds 0-29 the median is 2 and "
    "the top 10% hold 33% of participants, but the coefficient of variation is 0.90 (1.035 on the hand-tuned "
    "parameters): likelier clashes break out in smaller crowds, and campaign acts involve one or two people",
)
def test_event_sizes_are_heavy_tailed():
    """Most incidents are small and a few are large (Habibie Center: mostly low-scale; tail events
    like Puncak Jaya): median at most 3 participants, coefficient of variation above 1 (an
    exponential has 1), the largest 10% of incidents hold at least 30% of all participants.
    Always on seeds 0-29: the coefficient of variation of 50-80 incidents is too noisy to judge
    against 1 (three sets of 10 seeds give 0.87, 1.08 and 1.08 on the real map; all 30 give 1.035,
    and gave 1.055 before the library moved onto its real map)."""
    x = sr.sizes(runs(FULL_SEEDS))
    assert np.median(x) <= 3, np.median(x)
    assert x.std() / x.mean() > 1.0, (x.mean(), x.std())
    assert sr.top_decile_share(x) >= 0.30, sr.top_decile_share(x)
