"""Classic results as special cases of SIAGA's vectorised kernels (docs/VALIDATION.md; docs/ODD.md [S1]-[S8]).

Each kernel is a pure function of arrays and a generator, so the published closed forms and
final sizes can be checked directly: Granovetter's riot, Watts' share thresholds, the
Maki-Thompson final size (Sudbury 1985), Epstein's arrest probability and rule A, and the
arrest / release bookkeeping. Property tests (hypothesis) cover the invariants for any input.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from common.levels import Escalation, Rumour
from simulation.dynamics import arrests, grievance, hoax, mobilisation, tension
from simulation.network import SocialNetwork

P_ONE = 1.0 - math.exp(-2.3)  # 0.8997...: Epstein's P for C/A = 1, k = 2.3
P_TWO = 1.0 - math.exp(-4.6)  # 0.98995...: C/A = 2


def adjacency_of(graph: nx.Graph) -> sp.csr_matrix:
    return SocialNetwork.from_graph(graph).adjacency


# --------------------------------------------------------------------------- Granovetter / Watts


def test_granovetter_uniform_thresholds_everyone_riots():
    adj = adjacency_of(nx.complete_graph(100))
    active, rounds = mobilisation.threshold_cascade(adj, np.arange(100, dtype=np.float32), as_share=False)
    assert active.sum() == 100
    # one more person joins per round: the cascade is a chain of 100 rounds
    assert rounds == 100


def test_granovetter_threshold_one_replaced_by_two_only_instigator_riots():
    thresholds = np.arange(100, dtype=np.float32)
    thresholds[1] = 2
    adj = adjacency_of(nx.complete_graph(100))
    active, _ = mobilisation.threshold_cascade(adj, thresholds, as_share=False)
    assert active.sum() == 1
    assert active[0]


def test_granovetter_counts_others_not_oneself():
    # two people with threshold 1 and nobody at 0: nobody goes first
    adj = adjacency_of(nx.complete_graph(2))
    active, _ = mobilisation.threshold_cascade(adj, np.array([1.0, 1.0], dtype=np.float32), as_share=False)
    assert not active.any()


def watts_graph() -> tuple[nx.Graph, np.ndarray]:
    """7 nodes; fixed point worked out by hand in test_watts_share_thresholds_reach_hand_computed_fixed_point."""
    g = nx.Graph()
    g.add_nodes_from(range(7))
    g.add_edges_from([(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (1, 5), (5, 6)])
    thresholds = np.array([0.0, 0.3, 0.6, 0.5, 1.0, 0.6, 0.9], dtype=np.float32)
    return g, thresholds


def test_watts_share_thresholds_reach_hand_computed_fixed_point():
    # round 1: node 0 (threshold 0). round 2: node 1 sees 1/3 >= 0.3. round 3: node 2 sees 2/3 >= 0.6
    # (node 5 sees 1/2 < 0.6). round 4: node 3 sees 1/2 >= 0.5. round 5: node 4 sees 1/1 >= 1.
    # Node 5 stays at 1/2 < 0.6, so node 6 (only neighbour 5) never joins.
    g, thresholds = watts_graph()
    active, rounds = mobilisation.threshold_cascade(adjacency_of(g), thresholds, as_share=True)
    assert active.tolist() == [True, True, True, True, True, False, False]
    assert rounds == 5


def test_watts_share_rule_differs_from_count_rule():
    # the same graph with thresholds read as people: node 1 needs 0.3 people (so 1), node 2 needs
    # 0.6 (so 1), node 5 needs 0.6 (so 1), node 6 needs 0.9 (so 1): everyone joins
    g, thresholds = watts_graph()
    active, _ = mobilisation.threshold_cascade(adjacency_of(g), thresholds, as_share=False)
    assert active.all()


def test_support_share_is_zero_for_isolated_people():
    adj = adjacency_of(nx.empty_graph(3))
    share = mobilisation.support(adj, np.array([True, False, True]), as_share=True)
    assert share.tolist() == [0.0, 0.0, 0.0]


# --------------------------------------------------------------------------- Maki-Thompson


def maki_thompson_final_ignorant(n: int, seed: int, contact_prob: float = 0.05) -> float:
    rng = np.random.default_rng(seed)
    rumour = np.zeros(n, dtype=np.int8)
    rumour[0] = Rumour.SPREADER
    hoax.run_to_extinction(rumour, hoax.well_mixed_contacts(n), rng, contact_prob=contact_prob)
    assert not (rumour == Rumour.SPREADER).any(), "rumour did not die out"
    return float(np.mean(rumour == Rumour.IGNORANT))


def test_maki_thompson_well_mixed_leaves_0203_ignorant():
    """Sudbury (1985): the share never hearing tends to 0.203 (the root of x = exp(-2(1-x))).

    20 runs of N = 10,000: the run-to-run sd is ~0.005, so the mean's sd is ~0.001 and the
    +/-0.01 band is 10 sd wide; the coding shortcut (both spreaders stifled) gives ~0.285."""
    x_star = 0.2031878699  # solves x = exp(-2 (1 - x)) in (0, 1)
    assert abs(x_star - math.exp(-2 * (1 - x_star))) < 1e-9
    shares = [maki_thompson_final_ignorant(10_000, seed) for seed in range(20)]
    mean = float(np.mean(shares))
    assert abs(mean - 0.203) <= 0.01, f"mean ignorant share {mean:.4f}"
    assert abs(mean - 0.285) > 0.05
    assert max(shares) < 0.25 and min(shares) > 0.16


def test_maki_thompson_only_the_initiator_is_stifled():
    # 0 (spreader) calls 1 (spreader): 0 is stifled, 1 is not; 1 calls 2 (ignorant): 2 hears it
    rumour = np.array([Rumour.SPREADER, Rumour.SPREADER, Rumour.IGNORANT], dtype=np.int8)

    def contacts(people, rng):
        return np.array([{0: 1, 1: 2}[int(p)] for p in people])

    told = hoax.maki_thompson_substep(rumour, 1.0, contacts, np.random.default_rng(0))
    assert told == 1
    assert rumour.tolist() == [Rumour.STIFLER, Rumour.SPREADER, Rumour.SPREADER]


def test_maki_thompson_spreader_meeting_stifler_is_stifled_and_missing_contacts_do_nothing():
    rumour = np.array([Rumour.SPREADER, Rumour.STIFLER, Rumour.SPREADER, Rumour.IGNORANT], dtype=np.int8)

    def contacts(people, rng):
        return np.array([{0: 1, 2: -1}[int(p)] for p in people])

    told = hoax.maki_thompson_substep(rumour, 1.0, contacts, np.random.default_rng(0))
    assert told == 0
    assert rumour.tolist() == [Rumour.STIFLER, Rumour.STIFLER, Rumour.SPREADER, Rumour.IGNORANT]


def test_well_mixed_contacts_never_pick_oneself_and_cover_everyone_else():
    n = 5
    pick = hoax.well_mixed_contacts(n)
    rng = np.random.default_rng(3)
    people = np.repeat(np.arange(n), 400)
    partner = pick(people, rng)
    assert not (partner == people).any()
    assert partner.min() == 0 and partner.max() == n - 1
    for i in range(n):
        assert set(partner[people == i]) == set(range(n)) - {i}


def test_inject_only_seeds_ignorant_people():
    rumour = np.array([Rumour.IGNORANT, Rumour.STIFLER, Rumour.SPREADER, Rumour.IGNORANT], dtype=np.int8)
    seeded = hoax.inject(rumour, np.array([0, 1, 2]))
    assert seeded.tolist() == [0]
    assert rumour.tolist() == [Rumour.SPREADER, Rumour.STIFLER, Rumour.SPREADER, Rumour.IGNORANT]


def test_counter_message_with_full_effect_stops_all_reached_spreaders():
    rumour = np.array([Rumour.SPREADER] * 50 + [Rumour.IGNORANT] * 50, dtype=np.int8)
    changed = hoax.counter_message(rumour, np.arange(25), 1.0, np.random.default_rng(0))
    assert changed == 25
    assert (rumour[:25] == Rumour.STIFLER).all()
    assert (rumour[25:50] == Rumour.SPREADER).all()  # not reached
    assert (rumour[50:] == Rumour.IGNORANT).all()


def test_forget_returns_stiflers_to_ignorant_at_the_given_rate():
    rumour = np.full(20_000, Rumour.STIFLER, dtype=np.int8)
    hoax.forget(rumour, 0.25, np.random.default_rng(1))
    assert abs(np.mean(rumour == Rumour.IGNORANT) - 0.25) < 0.015
    assert not (rumour == Rumour.SPREADER).any()


# --------------------------------------------------------------------------- Epstein


def test_epstein_arrest_probability_one_cop_one_active():
    p = mobilisation.arrest_probability(np.array([1.0]), np.array([1.0]), 2.3)
    assert p[0] == pytest.approx(0.8997, abs=1e-4)
    assert p[0] == pytest.approx(P_ONE, rel=1e-12)


def test_epstein_arrest_probability_is_continuous_without_rounding():
    p = mobilisation.arrest_probability(np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 2.0]), 2.3)
    assert p == pytest.approx([0.0, 1 - math.exp(-1.15), 1 - math.exp(-3.45)])


def test_epstein_actives_below_one_count_as_one():
    # A counts the agent itself, so A < 1 is treated as 1
    p = mobilisation.arrest_probability(np.array([1.0]), np.array([0.0]), 2.3)
    assert p[0] == pytest.approx(P_ONE)


def test_netlogo_floor_variant_steps_at_whole_ratios():
    cops = np.array([0, 1, 1, 3, 2, 4, 5], dtype=float)
    actives = np.array([1, 2, 1, 2, 1, 2, 2], dtype=float)  # C/A = 0, .5, 1, 1.5, 2, 2, 2.5
    p = mobilisation.arrest_probability(cops, actives, 2.3, "floor")
    assert p == pytest.approx([0.0, 0.0, P_ONE, P_ONE, P_TWO, P_TWO, P_TWO])
    assert P_TWO == pytest.approx(0.99, abs=1e-3)


def test_mesa_round_variant_rounds_half_to_even():
    cops = np.array([1, 3, 5, 7, 2, 3], dtype=float)
    actives = np.array([2, 2, 2, 2, 3, 4], dtype=float)  # C/A = .5, 1.5, 2.5, 3.5, .667, .75
    p = mobilisation.arrest_probability(cops, actives, 2.3, "round")
    expected_ratio = np.array([round(c / a) for c, a in zip(cops, actives)])  # Python's round: half to even
    assert expected_ratio.tolist() == [0, 2, 2, 4, 1, 1]
    assert p == pytest.approx(1 - np.exp(-2.3 * expected_ratio))


def test_epstein_rule_a_without_police_activates_exactly_those_with_grievance_above_threshold():
    rng = np.random.default_rng(7)
    hardship = rng.random(10_000)
    g = grievance.grievance(hardship, np.full(10_000, 0.7, dtype=np.float32))
    active = mobilisation.activation(g, rng.random(10_000), np.zeros(10_000), 0.1)
    assert np.array_equal(active, g > 0.1)
    # L = 0.7: only H > 1/3 can be active, about two thirds
    assert not active[hardship <= 0.33].any()
    assert 0.64 < active.mean() < 0.70


def test_epstein_legitimacy_090_nobody_ever_activates():
    # G = H (1 - L) <= 0.1 = T for every H in [0, 1]: nobody, with or without police
    hardship = np.r_[np.linspace(0.0, 1.0, 10_001), np.random.default_rng(1).random(100_000)]
    g = hardship * (1.0 - 0.9)
    for p in (0.0, 0.5, P_ONE):
        assert not mobilisation.activation(g, np.zeros_like(g), np.full_like(g, p), 0.1).any()
    # and with the model's float32 kernel, for hardship drawn as the model draws it (below 1)
    g32 = grievance.grievance(np.random.default_rng(2).random(100_000).astype(np.float32), np.float32(0.9))
    assert not mobilisation.activation(g32, np.zeros_like(g32), np.zeros_like(g32), 0.1).any()


def test_epstein_risk_aversion_times_arrest_probability_deters():
    g = np.array([0.5, 0.5, 0.5])
    r = np.array([0.0, 0.3, 0.6])
    active = mobilisation.activation(g, r, np.full(3, 1.0), 0.1)  # net risk R*P = 0, .3, .6
    assert active.tolist() == [True, True, False]


# --------------------------------------------------------------------------- arrests


def test_arrests_never_exceed_poisson_capacity_and_only_take_targets():
    rng = np.random.default_rng(11)
    n, nv = 3_000, 12
    village = np.sort(rng.integers(0, nv, n))
    officers = np.array([0, 0, 1, 2, 3, 5, 10, 20, 0, 4, 1, 7], dtype=float)
    targets = np.sort(rng.choice(n, 600, replace=False))
    for seed in range(25):
        gen = np.random.default_rng(seed)
        capacity = np.random.default_rng(seed).poisson(0.5 * officers)  # the kernel's first draw
        taken = arrests.arrest_in_villages(targets, village, officers, 0.5, gen)
        assert len(np.unique(taken)) == len(taken)
        assert np.isin(taken, targets).all()
        per_village = np.bincount(village[taken], minlength=nv)
        available = np.bincount(village[targets], minlength=nv)
        assert np.array_equal(per_village, np.minimum(capacity, available))
        assert per_village[officers == 0].sum() == 0


def test_arrests_with_no_targets_take_nobody():
    taken = arrests.arrest_in_villages(
        np.zeros(0, dtype=np.int64), np.zeros(5, int), np.full(1, 9.0), 1.0, np.random.default_rng(0)
    )
    assert len(taken) == 0


def test_detain_draws_terms_between_one_and_max():
    state = np.zeros(5_000, dtype=np.int8)
    jail = np.zeros(5_000, dtype=np.int16)
    who = np.arange(0, 5_000, 2)
    arrests.detain(state, jail, who, 4, np.random.default_rng(0))
    assert (state[who] == Escalation.DETAINED).all() and (state[1::2] == Escalation.CALM).all()
    assert set(np.unique(jail[who])) == {1, 2, 3, 4}
    assert (jail[1::2] == 0).all()


def test_release_counts_down_and_frees_people_calm_when_jail_hits_zero():
    D, M = Escalation.DETAINED, Escalation.MOBILISED
    state = np.array([D, D, M, D], dtype=np.int8)
    jail = np.array([1, 3, 0, 2], dtype=np.int16)
    out = arrests.release(state, jail)
    assert out.tolist() == [0]
    assert state.tolist() == [Escalation.CALM, D, M, D]
    assert jail.tolist() == [0, 2, 0, 1]
    assert arrests.release(state, jail).tolist() == [3]
    assert arrests.release(state, jail).tolist() == [1]
    assert state.tolist() == [Escalation.CALM, Escalation.CALM, M, Escalation.CALM]
    assert len(arrests.release(state, jail)) == 0
    assert (jail == 0).all()


def test_cop_rule_each_cop_arrests_at_most_one_active_neighbour():
    g = nx.star_graph(5)  # cop 0 at the centre sees 1..5
    g.add_edge(6, 7)  # cop 6 sees only quiet 7
    adj = adjacency_of(g)
    active = np.array([False, True, True, False, True, False, False, False])
    for seed in range(10):
        out = arrests.cop_arrests(np.array([0, 6]), adj, active, np.random.default_rng(seed))
        assert len(out) == 1 and active[out[0]] and out[0] in (1, 2, 4)


# --------------------------------------------------------------------------- properties (hypothesis)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def _tension_operator(graph: nx.Graph, group: np.ndarray, online_weight: float, influence: float, decay: float):
    net = SocialNetwork.from_graph(graph)
    n_groups = int(group.max()) + 1 if (group >= 0).any() else 0
    rows = np.flatnonzero(group >= 0)
    membership_t = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (group[rows], rows)), shape=(max(n_groups, 1), len(group))
    ) if n_groups else None
    size = np.bincount(group[rows], minlength=max(n_groups, 1))
    others = np.where(group >= 0, size[np.maximum(group, 0)] - 1, 0).astype(np.float32)
    inv_others = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)
    w = np.where(group >= 0, online_weight, 0.0).astype(np.float32)
    op = tension.Operator.build(net.influence, group, membership_t, inv_others, w, influence, decay)
    return op, net, inv_others, w


def _tension_by_the_equation(tau, net, group, inv_others, w, influence, decay, stake_gain, partisanship, inputs):
    """docs/ODD.md §7.3 step by step, in float64: the oracle for `tension.Operator`."""
    t = tau.astype(np.float64)
    m = net.influence.astype(np.float64) @ t
    sums = np.bincount(group[group >= 0], weights=t[group >= 0], minlength=int(group.max()) + 1) if (group >= 0).any() else np.zeros(1)
    g = np.where(group >= 0, (sums[np.maximum(group, 0)] - t) * inv_others, 0.0)
    m = (1 - w) * m + w * g
    baseline = stake_gain / decay * partisanship if decay else 0.0
    return np.clip(t + influence * (m - t) - decay * (t - baseline) + inputs, 0.0, 1.0)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), n=st.integers(2, 40))
def test_tension_operator_computes_the_odd_equation_and_stays_in_unit_interval(data, n):
    graph = nx.gnp_random_graph(n, data.draw(st.floats(0, 0.5)), seed=data.draw(st.integers(0, 1000)))
    group = data.draw(hnp.arrays(np.int64, n, elements=st.integers(-1, 3)))
    tau = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, 1, width=32)))
    partisanship = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, 1, width=32)))
    inputs = data.draw(hnp.arrays(np.float32, n, elements=st.floats(-2, 2, width=32)))
    influence, decay, ow = data.draw(unit), data.draw(st.floats(0.01, 1)), data.draw(unit)
    stake_gain = decay * data.draw(unit) * data.draw(st.floats(0, 2))
    op, net, inv_others, w = _tension_operator(graph, group, ow, influence, decay)
    before = tau.copy()
    new = op.apply(tau, partisanship, stake_gain, inputs.copy(), out=np.empty(n, dtype=np.float32))
    assert new.shape == (n,) and new.dtype == np.float32
    assert np.isfinite(new).all() and (new >= 0).all() and (new <= 1).all()
    assert np.array_equal(tau, before), "tension itself is never modified"
    expect = _tension_by_the_equation(tau, net, group, inv_others, w, influence, decay, stake_gain, partisanship, inputs)
    np.testing.assert_allclose(new, expect, atol=2e-6)


@settings(max_examples=100, deadline=None)
@given(tau=st.floats(0, 1), baseline=st.floats(0, 1), decay=st.floats(0.01, 1))
def test_tension_without_inputs_or_contacts_relaxes_toward_baseline(tau, baseline, decay):
    # one isolated person, no group: tau' = tau - decay (tau - baseline)  (its contacts' mean is 0
    # only through the influence weight, set to 0 here)
    op, _, _, _ = _tension_operator(nx.empty_graph(1), np.array([-1]), 0.5, 0.0, decay)
    t = np.array([tau], dtype=np.float32)
    new = op.apply(t, np.array([1.0], dtype=np.float32), decay * baseline, np.zeros(1, dtype=np.float32), out=np.empty(1, dtype=np.float32))[0]
    assert abs(new - baseline) <= abs(float(t[0]) - baseline) + 1e-6


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    states=hnp.arrays(np.int8, st.integers(2, 60), elements=st.sampled_from([0, 1, 2])),
    contact_prob=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    steps=st.integers(1, 5),
)
def test_hoax_substep_only_moves_states_forward(states, contact_prob, seed, steps):
    rumour = states.copy()
    rng = np.random.default_rng(seed)
    contacts = hoax.well_mixed_contacts(len(rumour))
    for _ in range(steps):
        before = rumour.copy()
        told = hoax.maki_thompson_substep(rumour, contact_prob, contacts, rng)
        assert (rumour >= before).all(), "a state moved backward"
        assert ((before == Rumour.IGNORANT) & (rumour == Rumour.STIFLER)).sum() == 0, "ignorant skipped spreading"
        assert told == ((before == Rumour.IGNORANT) & (rumour == Rumour.SPREADER)).sum()
        assert (rumour != Rumour.IGNORANT).sum() >= (before != Rumour.IGNORANT).sum()


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(2, 25),
    data=st.data(),
    as_share=st.booleans(),
)
def test_threshold_cascade_is_monotone_in_thresholds(n, data, as_share):
    edges = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from((a, b) for a, b in edges if a != b)
    hi = 1.0 if as_share else float(n)
    high = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, hi, width=32)))
    cut = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, hi, width=32)))
    low = np.minimum(high, cut)
    adj = adjacency_of(g)
    act_high, _ = mobilisation.threshold_cascade(adj, high, as_share)
    act_low, _ = mobilisation.threshold_cascade(adj, low, as_share)
    assert not (act_high & ~act_low).any(), "lower thresholds lost someone"
    # and the result is a fixed point of one more round
    assert np.array_equal(mobilisation.cascade_round(adj, low, act_low, as_share), act_low)


def test_counter_messaging_many_villages_at_once_is_the_same_as_one_by_one():
    """The vectorised kernel the hoax phase uses draws the same numbers, in the same order, as one
    `counter_message` per village (villages with no effect draw nothing)."""
    rng = np.random.default_rng(3)
    size = np.array([30, 5, 40, 12, 25])
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    rumour0 = rng.integers(0, 3, int(size.sum())).astype(np.int8)
    villages, effects = np.array([0, 2, 3, 4]), np.array([0.3, 0.0, 0.5, 0.25])
    one, many = rumour0.copy(), rumour0.copy()
    g1 = np.random.default_rng(9)
    expected = [hoax.counter_message(one, np.arange(start[v], start[v] + size[v]), e, g1) for v, e in zip(villages, effects)]
    got = hoax.counter_message_villages(many, start, size, villages, effects, np.random.default_rng(9))
    assert got.tolist() == expected and sum(expected) > 0
    assert np.array_equal(one, many)


def test_out_in_crowds_is_mobilised_or_violent_for_every_state_code():
    """The alert phase's two-pass test (simulation/day.py `_out_in_crowds`) against the plain one,
    on every int8 value."""
    from simulation.day import _out_in_crowds

    state = np.arange(-128, 128, dtype=np.int8)
    want = (state == Escalation.MOBILISED) | (state == Escalation.VIOLENT)
    assert np.array_equal(_out_in_crowds(state), want)


def test_rows_in_crowds_is_mobilised_or_violent_for_every_state_code():
    """The alert phase reads the crowd rows from `_rows_in_crowds` (one comparison over everyone,
    then the few rows): the same rows as the plain test, on every int8 value, shuffled."""
    from simulation.day import _rows_in_crowds

    state = np.random.default_rng(3).permutation(np.repeat(np.arange(-128, 128, dtype=np.int8), 3))
    want = np.flatnonzero((state == Escalation.MOBILISED) | (state == Escalation.VIOLENT))
    assert np.array_equal(_rows_in_crowds(state), want)


def _partisans(n: int, seed: int, groups: int, unit: bool = True):
    """Partisans on a random same-camp graph with WhatsApp groups (a person may sit in several)."""
    from simulation.state import Partisans

    rng = np.random.default_rng(seed)
    r, c = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
    keep = r != c
    same = sp.csr_matrix((np.ones(2 * keep.sum(), np.float32), (np.r_[r[keep], c[keep]], np.r_[c[keep], r[keep]])), shape=(n, n))
    same.sum_duplicates()
    same.data[:] = 1.0
    if not unit:
        same.data[::7] = 2.0  # a weighted tie (symmetry does not matter to the sums)
    member = rng.random((n, groups)) < 0.15
    g = sp.csr_matrix(member.astype(np.float32))
    return Partisans(
        index=np.arange(n), same_camp=same, camp_groups=g, camp_groups_t=g.T.tocsr(),
        group_member=(np.diff(g.indptr) > 0).astype(np.float32), contacts=np.zeros(n, np.float32),
    )


@pytest.mark.parametrize("unit", [True, False])
@pytest.mark.parametrize("share", [0.0, 0.001, 0.01, 0.1, 0.124, 0.5])
def test_support_of_few_is_the_sparse_round_trip_bit_for_bit(share, unit):
    """`Partisans.support` counts the ties of the few people out when few are (simulation/state.py):
    every entry must be the bytes of the full sparse round trip, zeros' signs included; structures
    that are not all ones (weights) take the round trip itself."""
    p = _partisans(2000, 11, 40, unit)
    for seed in range(3):
        out = (np.random.default_rng(seed).random(2000) < share).astype(np.float32)
        want = p.same_camp @ out + p.camp_groups @ (p.camp_groups_t @ out) - out * p.group_member
        got = p.support(out)
        assert got.dtype == want.dtype and np.array_equal(got.view(np.uint32), want.view(np.uint32))
    if share < 0.125:  # the few-out path was asked whether it applies
        assert p._by_column["unit"] is unit
