"""Check 2 of docs/VALIDATION.md: SIAGA's Epstein configuration docked against Mesa's example.

Standard: distributional equivalence (Axtell et al. 1996) of the dynamics. Each SIAGA run starts
from the exact initial condition of one Mesa run (lattice, hardship, risk aversion) and then uses
its own random stream; outcomes vary so much from lattice to lattice (with the number of cops
above all) that comparing 30 independent lattices per model mostly compares lattice draws.
Criterion, per measure (active counts, outburst sizes, intervals): KS statistic D <= D_MAX (an
equivalence margin, so that a small sample cannot pass by having no power) AND a paired
permutation p >= 0.01 (the two runs on each lattice swapped at random; a run's outbursts are not
independent, so the textbook KS p-value would be too small). CI: the first 15 lattices of the
stored Mesa sample; full (SIAGA_FULL_VALIDATION=1): 30 fresh Mesa runs and their lattices.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from epstein_dock import (
    BURN_IN,
    DOCK,
    MESA_DEFAULTS_STATIC,
    OUTBURST,
    load_reference,
    mesa_series,
    paired_permutation_ks,
    siaga_series,
    siaga_series_on_mesa_lattice,
    summarise,
)

from simulation.classic import EpsteinOnGraph, lattice_agents

TICKS = 300
P_MIN = 0.01
D_MAX_CI = 0.25  # 15 + 15 runs, ~80 outbursts each: D's 95th percentile under equality is about 0.21
D_MAX_FULL = 0.20  # 30 + 30 runs, ~165 outbursts each: about 0.15
MEASURES = ("actives", "peaks", "intervals")


@functools.cache
def reference():
    series, params, meta = load_reference()
    assert params == DOCK, "stored Mesa reference was made with other parameters: regenerate it"
    return series, meta


@functools.cache
def siaga_on_reference(n: int) -> np.ndarray:
    series, meta = reference()
    return np.stack([siaga_series_on_mesa_lattice(seed, TICKS) for seed in meta["seeds"][:n]])


def compare(a: np.ndarray, b: np.ndarray, d_max: float) -> dict[str, tuple[float, float]]:
    out = {m: paired_permutation_ks(a, b, m, n_perm=500) for m in MEASURES}
    bad = {m: v for m, v in out.items() if v[1] < P_MIN or v[0] > d_max}
    assert not bad, f"not distributionally equivalent on {bad} (all: {out})"
    return out


def test_stored_mesa_reference_is_what_the_installed_mesa_produces():
    """Numerical identity on the first 60 ticks of the first stored seed: the reference file is
    Mesa's own output, not a stale or hand-made sample."""
    series, meta = reference()
    fresh = mesa_series(meta["seeds"][0], 60)
    np.testing.assert_array_equal(fresh, series[0, :60])


def test_siaga_epstein_is_distributionally_equivalent_to_mesa_ci():
    series, _ = reference()
    compare(siaga_on_reference(15), series[:15], D_MAX_CI)


@pytest.mark.slow
def test_siaga_epstein_is_distributionally_equivalent_to_mesa_full():
    seeds = range(2000, 2030)  # fresh Mesa runs, not the stored ones
    mesa = np.stack([mesa_series(s, TICKS) for s in seeds])
    siaga = np.stack([siaga_series_on_mesa_lattice(s, TICKS) for s in seeds])
    compare(siaga, mesa, D_MAX_FULL)


def test_siaga_lattice_draw_matches_mesas_binomial_cell_draw():
    """SIAGA's own lattices (used where no Mesa run is mirrored): over 2,000 lattices the cop count
    has the Binomial(1600, 0.04) mean and variance (within 4 standard errors)."""
    rng = np.random.default_rng(np.random.SeedSequence(1600))
    cops = np.array([(lattice_agents(40, 40, 0.7, 0.04, rng) == 2).sum() for _ in range(2000)])
    mean, var = 1600 * 0.04, 1600 * 0.04 * 0.96
    assert abs(cops.mean() - mean) < 4 * np.sqrt(var / 2000), cops.mean()
    assert abs(cops.var(ddof=1) / var - 1) < 4 * np.sqrt(2 / 1999), cops.var(ddof=1)


def punctuated(runs: np.ndarray) -> dict[str, float]:
    """The pattern, measured over a set of runs (after burn-in): outbursts well above the line,
    separated by long quiet spells in which activity is low."""
    s = summarise(runs)
    tail = runs[:, BURN_IN:]
    return {
        "runs_with_2_outbursts": float(np.mean(s.run_outbursts >= 2)),
        "median_peak": float(np.median(s.peaks)),
        "median_interval": float(np.median(s.intervals)),
        "share_of_ticks_in_outburst": float(np.mean(tail > OUTBURST)),
        "median_quiet_level": float(np.median(tail[tail <= OUTBURST])),
    }


def test_punctuated_equilibrium_in_siaga_and_in_mesa():
    """In both models, on the same 15 lattices: at least 70% of runs have repeated outbursts, the
    median outburst peaks above twice the line, outbursts are at least 10 ticks apart (median),
    most ticks are quiet, and the quiet level is below half the line."""
    series, _ = reference()
    for name, runs in (("mesa", series[:15]), ("siaga", siaga_on_reference(15))):
        m = punctuated(runs)
        assert m["runs_with_2_outbursts"] >= 0.7, (name, m)
        assert m["median_peak"] > 2 * OUTBURST and m["median_interval"] >= 10, (name, m)
        assert m["share_of_ticks_in_outburst"] < 0.5 and m["median_quiet_level"] < OUTBURST / 2, (name, m)


def test_with_mesa_published_defaults_and_movement_off_both_stay_quiet():
    """Relational agreement at a second parameter set: Mesa's published defaults (L 0.8, cops
    7.4%, J 1000) with movement off give no outburst in either model."""
    assert mesa_series(7, 60, MESA_DEFAULTS_STATIC).max() <= OUTBURST
    assert siaga_series(7, 60, MESA_DEFAULTS_STATIC).max() <= OUTBURST


@pytest.mark.slow
def test_outbursts_become_rarer_with_more_cops_in_both_models():
    """Relational equivalence (docs/ODD.md [S14], [S15]): outburst frequency falls with cop density."""
    from dataclasses import replace

    for fn in (siaga_series, mesa_series):
        counts = []
        for cops in (0.03, 0.04, 0.05):
            p = replace(DOCK, cop_density=cops)
            counts.append(np.mean([summarise(fn(s, TICKS, p)[None, :]).run_outbursts[0] for s in range(3000, 3010)]))
        assert counts[0] > counts[1] > counts[2], (fn.__name__, counts)


def test_epstein_on_graph_sequential_and_synchronous_share_the_kernels():
    """Both schedules run the same rule: with no cops nobody is ever arrested and the actives are
    exactly those with G > T, whatever the order."""
    from simulation.classic import EpsteinParams, lattice_agents, lattice_vision_graph

    kinds = lattice_agents(20, 20, 0.7, 0.0, np.random.default_rng(1))
    g = lattice_vision_graph(20, 20, kinds > 0, 3)
    for schedule in ("synchronous", "random_sequential"):
        m = EpsteinOnGraph(g, np.zeros(g.number_of_nodes(), dtype=bool), EpsteinParams(legitimacy=0.7, schedule=schedule), seed=4)
        m.run(3)
        assert np.array_equal(m.active, m.grievance > 0.1), schedule


def test_vision_graph_has_mesas_and_netlogos_neighbourhood_sizes():
    from simulation.classic import lattice_vision_graph

    full = np.ones(40 * 40, dtype=bool)
    assert lattice_vision_graph(40, 40, full, 7, "von_neumann").degree(0) == 112  # diamond, Mesa
    assert lattice_vision_graph(40, 40, full, 7, "disk").degree(0) == 148  # NetLogo in-radius 7, 149 with the centre
