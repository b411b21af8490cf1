"""Social ties across kab/kota borders in a partitioned province (simulation/border_ties.py): who
knows whom across a border, that each end reads the right person, and that tension crosses them
(and only where a tie is)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import federation
from simulation.border_ties import BorderTies
from tests.test_federation import _spec


@pytest.fixture(scope="module")
def province():
    spec = _spec()
    region = federation.province_region(spec, 5)
    parts = federation.members(spec, 5, region)
    prov = federation.Province(spec, 5, parts, region)
    ties = BorderTies.build(region, prov.where, spec.network.inter_village_ties, 5)
    return spec, region, parts, prov, ties


def _read_person(ties: BorderTies, where: list[np.ndarray], j: int, slot: int) -> tuple[int, int, int]:
    """(member, province village, person in village) of the person member j's slot reads."""
    offsets = np.cumsum([0] + [len(a.export_village) for a in ties.members])
    flat = int(ties.reads[j][slot])
    m = int(np.searchsorted(offsets, flat, side="right") - 1)
    e = flat - offsets[m]
    a = ties.members[m]
    return m, int(where[m][a.export_village[e]]), int(a.export_person[e])


def test_each_tie_joins_neighbouring_villages_of_two_members_both_ways(province):
    spec, region, parts, prov, ties = province
    adj = region.adjacency.tocsr()
    ends = set()
    assert sum(a.n_ties > 0 for a in ties.members) == 4  # Tarakan (65.71), an island, has no border on land
    for j, a in enumerate(ties.members):
        assert len(a.village) == len(a.person) == len(a.slot) and a.n_slots == len(ties.reads[j])
        assert a.n_slots == 0 or a.slot.max() < a.n_slots
        for v, p, s in zip(a.village.tolist(), a.person.tolist(), a.slot.tolist(), strict=True):
            here = int(prov.where[j][v])
            m, there, q = _read_person(ties, prov.where, j, s)
            assert m != j and adj[here, there] > 0  # a neighbour, across a border
            assert 0 <= p < region.population[here] and 0 <= q < region.population[there]
            ends.add(((j, here, p), (m, there, q)))
    # every tie is read from both of its ends
    assert all((b, a) in ends for a, b in ends)
    assert ties.n_ties == sum(a.n_ties for a in ties.members) // 2 > 0


def test_the_number_of_ties_is_the_share_one_model_would_send_across(province):
    spec, region, parts, prov, ties = province
    owner = np.concatenate([np.full(len(w), j) for j, w in enumerate(prov.where)])
    member_of = np.empty(region.n_villages, dtype=np.int64)
    member_of[np.concatenate(prov.where)] = owner
    adj = region.adjacency.tocoo()
    degree = np.bincount(adj.row, minlength=region.n_villages)
    far = np.bincount(adj.row[member_of[adj.row] != member_of[adj.col]], minlength=region.n_villages)
    expected = float(np.sum(region.population * spec.network.inter_village_ties / 2 * far / np.maximum(degree, 1)))
    assert expected > 50
    assert abs(ties.n_ties - expected) < 4 * np.sqrt(expected)  # Poisson: within 4 sd
    again = BorderTies.build(region, prov.where, spec.network.inter_village_ties, 5)
    assert all(np.array_equal(x.slot, y.slot) and np.array_equal(x.person, y.person) for x, y in zip(ties.members, again.members, strict=True))
    none = BorderTies.build(region, prov.where, 0.0, 5)
    assert none.n_ties == 0 and all(a.n_slots == 0 for a in none.members)


def test_the_exchange_hands_each_slot_its_persons_tension(province):
    spec, region, parts, prov, ties = province
    # tension = a code of who the person is, exact in float32 (small province)
    start = np.concatenate([[0], np.cumsum(region.population)[:-1]])
    exported = [(start[prov.where[m][a.export_village]] + a.export_person).astype(np.float32) for m, a in enumerate(ties.members)]
    outside = ties.outside(exported)
    for j in range(len(parts)):
        for s in range(0, ties.members[j].n_slots, 7):
            _, there, q = _read_person(ties, prov.where, j, s)
            assert outside[j][s] == start[there] + q


def test_tension_crosses_a_tie_and_reaches_only_the_people_who_have_one(province):
    spec, region, parts, prov, ties = province
    j = 1
    part, across = parts[j], ties.members[j]
    calm = federation.MemberRun(part.data, part.seed, across=across)
    wound = federation.MemberRun(part.data, part.seed, across=across)
    calm.day([], None, outside=np.zeros(across.n_slots, dtype=np.float32))
    wound.day([], None, outside=np.ones(across.n_slots, dtype=np.float32))
    tc, tw = calm.model.people.tension, wound.model.people.tension
    tied = np.unique(calm.model.people.village_start[across.village] + across.person)
    assert (tw[tied] >= tc[tied]).all() and (tw[tied] > tc[tied]).mean() > 0.9
    others = np.setdiff1d(np.arange(len(tc)), tied)
    np.testing.assert_array_equal(tc[others], tw[others])
    # the ties are contacts like any other: the tied rows' influence still sums to one
    net = calm.model.network
    rows = np.asarray(net.influence[tied].sum(axis=1)).ravel() + np.asarray(net.influence_across[tied].sum(axis=1)).ravel()
    np.testing.assert_allclose(rows, 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="pass their tension"):
        calm.model.step()  # a member with ties across must be told their tension


def test_a_member_without_ties_is_the_model_it_was(province):
    spec, region, parts, prov, ties = province
    part = parts[0]
    none = BorderTies.build(region, prov.where, 0.0, 5).members[0]
    plain, tied_none = federation.MemberRun(part.data, part.seed), federation.MemberRun(part.data, part.seed, across=none)
    for _ in range(3):
        plain.day([], None)
        tied_none.day([], None, outside=np.zeros(0, dtype=np.float32))
    np.testing.assert_array_equal(plain.model.people.tension, tied_none.model.people.tension)
    # through the tie path itself with nothing to tie: the re-normalised influence and the day are
    # bit for bit the model's own
    own = federation.MemberRun(part.data, part.seed)
    own.model.tie_across(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0)
    assert own.model.network.influence_across.shape == (own.model.people.n, 0)
    for _ in range(3):
        own.day([], None, outside=np.zeros(0, dtype=np.float32))
    np.testing.assert_array_equal(plain.model.people.tension, own.model.people.tension)


def test_a_partitioned_run_counts_its_ties_across(province):
    spec, *_ , ties = province
    run = federation.run(_spec(days=5), 5)
    assert run.outcomes["ties_across"] == ties.n_ties > 0
