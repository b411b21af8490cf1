"""Checks 1 and 3 of docs/VALIDATION.md: Granovetter's riot and the Maki-Thompson final size,
reproduced by SIAGA's own kernels (simulation/dynamics/) through simulation/classic.py."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import brentq

from common.levels import Rumour
from simulation.classic import granovetter, rumour_final_size
from simulation.dynamics import hoax

# ---------------------------------------------------------------------------- check 1: Granovetter

COMPLETE_100 = nx.complete_graph(100)


def test_granovetter_uniform_thresholds_mobilise_everyone_one_person_per_round():
    active, rounds = granovetter(COMPLETE_100, np.arange(100))
    assert active.all()
    # the riot grows by exactly one person a round: threshold r joins once r others are out
    assert rounds == 100


def test_granovetter_replacing_threshold_1_by_2_stops_the_riot_at_the_instigator():
    thresholds = np.arange(100)
    thresholds[1] = 2
    active, _ = granovetter(COMPLETE_100, thresholds)
    assert active.sum() == 1 and active[0]


@pytest.mark.parametrize("k", [1, 2, 17, 50, 98])
def test_granovetter_any_gap_in_the_threshold_ladder_stops_the_riot_there(k):
    """Granovetter's general point: raise threshold k to k+1 and exactly k people riot."""
    thresholds = np.arange(100)
    thresholds[k] = k + 1
    assert granovetter(COMPLETE_100, thresholds)[0].sum() == k


def sequential_granovetter(thresholds: list[int]) -> int:
    """Independent reference in pure Python: on a complete graph the riot always holds the r people
    with the lowest thresholds; each of them sees r - 1 others out, everyone else sees r."""
    srt = sorted(thresholds)
    r = 0
    while True:
        nxt = sum(1 for i, t in enumerate(srt) if t <= (r - 1 if i < r else r))
        if nxt == r:
            return r
        r = nxt


@pytest.mark.parametrize("seed", range(5))
def test_granovetter_kernel_matches_an_independent_implementation_on_random_ladders(seed):
    rng = np.random.default_rng(np.random.SeedSequence([1978, seed]))
    thresholds = rng.integers(0, 30, 100)
    assert granovetter(COMPLETE_100, thresholds)[0].sum() == sequential_granovetter(thresholds.tolist())


# ---------------------------------------------------------------------------- check 3: rumour


def maki_thompson_limit() -> float:
    """Share never hearing the rumour as N -> inf: theta = exp(-2 (1 - theta)) (Sudbury 1985)."""
    return brentq(lambda x: x - np.exp(-2 * (1 - x)), 0.01, 0.9)


PUBLISHED = 0.203
TOLERANCE = 0.01  # docs/VALIDATION.md §3 (Sudbury, docs/ODD.md [S8]): 0.203 +/- 0.01; the shortcut coding gives 0.285


def test_the_analytic_limit_is_the_published_value():
    assert abs(maki_thompson_limit() - PUBLISHED) < 5e-4


def test_hoax_kernel_well_mixed_final_size_matches_maki_thompson():
    shares = np.array([rumour_final_size(10_000, seed) for seed in range(20)])
    assert abs(shares.mean() - PUBLISHED) < TOLERANCE, shares
    # not only on average: every single run of 10^4 people lands in the band
    assert (np.abs(shares - PUBLISHED) < 2 * TOLERANCE).all(), shares


def model_day_final_size(n: int, seed: int, substeps: int = 4, contacts_per_day: float = 1.0) -> float:
    """The final size with the model's own day step (`hoax.spread_day`, default substeps)."""
    rng = np.random.default_rng(np.random.SeedSequence([1985, seed]))
    rumour = np.zeros(n, dtype=np.int8)
    rumour[rng.integers(n)] = Rumour.SPREADER
    contacts = hoax.well_mixed_contacts(n)
    while (rumour == Rumour.SPREADER).any():
        hoax.spread_day(rumour, contacts_per_day, substeps, contacts, rng)
    return float(np.mean(rumour == Rumour.IGNORANT))


def test_hoax_day_step_at_model_defaults_stays_within_the_tolerance():
    """The model's day (4 synchronous substeps) approximates continuous time: a small bias
    (measured about -0.007) that must stay inside the published band."""
    shares = np.array([model_day_final_size(10_000, seed) for seed in range(20)])
    assert abs(shares.mean() - PUBLISHED) < TOLERANCE, shares
