"""The classic models as special cases, through the public wrappers in simulation/classic.py."""

from __future__ import annotations

import networkx as nx
import numpy as np

from common.levels import Escalation
from simulation.classic import EpsteinOnGraph, EpsteinParams, granovetter, rumour_final_size


def test_granovetter_wrapper_reproduces_the_riot_and_its_collapse():
    g = nx.complete_graph(100)
    thresholds = np.arange(100)
    assert granovetter(g, thresholds)[0].sum() == 100
    thresholds[1] = 2
    assert granovetter(g, thresholds)[0].sum() == 1


def test_rumour_wrapper_leaves_about_a_fifth_ignorant():
    shares = [rumour_final_size(10_000, seed) for seed in range(4)]
    assert abs(np.mean(shares) - 0.203) < 0.015


def grid(n: int = 20) -> nx.Graph:
    return nx.grid_2d_graph(n, n, periodic=True)


def test_epstein_without_cops_activates_exactly_those_whose_grievance_exceeds_the_threshold():
    g = grid()
    m = EpsteinOnGraph(g, np.zeros(g.number_of_nodes(), dtype=bool), EpsteinParams(legitimacy=0.5), seed=3)
    m.step()
    assert np.array_equal(m.active, m.grievance > 0.1)
    assert 0 < m.active.sum() < g.number_of_nodes()


def test_epstein_legitimacy_090_keeps_everyone_quiet_with_or_without_cops():
    g = grid()
    cops = np.random.default_rng(0).random(g.number_of_nodes()) < 0.05
    for c in (np.zeros_like(cops), cops):
        m = EpsteinOnGraph(g, c, EpsteinParams(legitimacy=0.9), seed=1)
        assert m.run(20).max() == 0


def test_epstein_cops_arrest_and_jail_terms_stay_within_bounds():
    g = grid(30)
    cops = np.random.default_rng(1).random(g.number_of_nodes()) < 0.04
    params = EpsteinParams(legitimacy=0.6, max_jail=15)
    m = EpsteinOnGraph(g, cops, params, seed=2)
    jailed_seen = 0
    for _ in range(40):
        m.step()
        jailed = m.state == Escalation.DETAINED
        jailed_seen = max(jailed_seen, int(jailed.sum()))
        assert (m.jail[jailed] >= 1).all() and (m.jail <= params.max_jail).all()
        assert not (jailed & m.cop).any()
    assert jailed_seen > 0
    free = EpsteinOnGraph(g, np.zeros_like(cops), params, seed=2)
    # cops deter: with them, fewer citizens are active than without
    assert m.run(20).mean() < free.run(20).mean()


def test_watts_share_rule_is_exact_at_ties():
    """Issue 11, defect 3: 7 of 10 contacts out must reach phi = 0.7 (Watts's ">= phi"); with the
    share in float32 it was 0.69999999 and the cascade stopped."""
    g = nx.star_graph(10)  # node 0 with ten contacts, each of them knowing only node 0
    phi = np.array([0.7] + [0.0] * 7 + [1.0] * 3)  # seven join at once; three follow node 0
    active, _ = granovetter(g, phi, as_share=True)
    assert active.all()


def test_epstein_legitimacy_can_change_between_steps():
    """Issue 11, defect 4: Epstein's legitimacy experiments (a sudden drop) through the public API.
    Without cops, G = H (1 - L): at L = 0.95 nobody's grievance exceeds T = 0.1; after a drop to 0,
    everyone with hardship above 0.1 turns out."""
    g = grid()
    m = EpsteinOnGraph(g, np.zeros(g.number_of_nodes(), dtype=bool), EpsteinParams(legitimacy=0.95, threshold=0.1), seed=1)
    assert m.step() == 0
    m.legitimacy = 0.0
    out = m.step()
    assert out == int((m.hardship > 0.1).sum()) > 0
    assert np.array_equal(m.grievance, m.hardship)
