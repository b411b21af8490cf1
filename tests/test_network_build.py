"""The network's derived matrices built on the adjacency's own pattern (Engine v2 speed work)
equal the plain scipy constructions they replace, also on graphs with isolated people at the end
(empty trailing rows) or no ties at all."""

import numpy as np
import pytest
import scipy.sparse as sp

from common.levels import NO_CAMP
from simulation.network import SocialNetwork


def _graph(n: int, density: float, isolated_tail: int = 0, seed: int = 1) -> sp.csr_matrix:
    m = sp.random(n, n, density=density, random_state=seed, format="csr")
    m = ((m + m.T) > 0).astype(np.float32).tolil()
    m.setdiag(0)
    if isolated_tail:
        m[n - isolated_tail:, :] = 0
        m[:, n - isolated_tail:] = 0
    m = m.tocsr()
    m.eliminate_zeros()
    m.sort_indices()
    return m


@pytest.mark.parametrize("n,density,tail", [(60, 0.08, 0), (40, 0.1, 7), (5, 0.0, 0), (1, 0.0, 0)])
def test_same_camp_equals_the_coo_filter(n, density, tail):
    adj = _graph(n, density, tail)
    camp = np.random.default_rng(n).integers(-1, 3, n).astype(np.int8)
    camp[camp < 0] = NO_CAMP
    net = SocialNetwork.__new__(SocialNetwork)
    net.adjacency = adj
    got = net.same_camp(camp)
    a = adj.tocoo()
    keep = (camp[a.row] == camp[a.col]) & (camp[a.row] != NO_CAMP)
    want = sp.csr_matrix((a.data[keep], (a.row[keep], a.col[keep])), shape=a.shape, dtype=np.float32)
    assert got.dtype == np.float32
    for attr in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, attr), getattr(want, attr)), attr


@pytest.mark.parametrize("tail", [0, 6])
def test_influence_is_the_row_normalised_adjacency(tail):
    adj = _graph(50, 0.1, tail)
    net = SocialNetwork(n=50, layers={"given": adj}, group=np.full(50, -1, dtype=np.int32),
                        group_members=np.zeros(0, np.int32), group_start=np.zeros(0, np.int64), group_size=np.zeros(0, np.int32))
    deg = np.asarray(net.adjacency.sum(axis=1)).ravel()
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0).astype(np.float32)
    want = (sp.diags(inv) @ net.adjacency).tocsr().astype(np.float32)
    want.sort_indices()
    assert (net.influence != want).nnz == 0 and net.influence.dtype == np.float32
    rows = np.asarray(net.influence.sum(axis=1)).ravel()
    assert np.allclose(rows[deg > 0], 1.0) and not rows[deg == 0].any()


@pytest.mark.parametrize("n,density,tail", [(60, 0.08, 0), (40, 0.1, 7), (5, 0.0, 0), (1, 0.0, 0)])
def test_same_camp_among_supporters_is_the_sliced_same_camp_matrix(n, density, tail):
    """Partisans are built from `same_camp_among` (it reads only the supporters' rows): it must be
    `same_camp(camp)` restricted to them, index for index."""
    adj = _graph(n, density, tail)
    camp = np.random.default_rng(n + 7).integers(-1, 3, n).astype(np.int8)
    camp[camp < 0] = NO_CAMP
    net = SocialNetwork.__new__(SocialNetwork)
    net.adjacency = adj
    index = np.flatnonzero(camp != NO_CAMP)
    got = net.same_camp_among(camp, index)
    want = net.same_camp(camp)[index][:, index].tocsr()
    want.sort_indices()
    assert got.shape == want.shape and got.dtype == np.float32
    for attr in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, attr), getattr(want, attr)), attr


@pytest.mark.parametrize("n,pairs,seed", [(50, 200, 1), (30, 0, 2), (8, 100, 3), (1000, 5000, 4)])
def test_symmetric_layers_equal_scipys_own_construction(n, pairs, seed):
    """`_symmetric` calls scipy's sparse kernels directly (simulation/network.py `_canonical_csr`):
    the result must be what scipy's constructor and sum_duplicates make, with self-loops dropped."""
    from simulation.network import _symmetric

    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, n, pairs), rng.integers(0, n, pairs)
    got = _symmetric(rows, cols, n)
    keep = rows != cols
    r, c = rows[keep], cols[keep]
    want = sp.csr_matrix((np.ones(2 * len(r), np.float32), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n))
    want.sum_duplicates()
    want.data[:] = 1.0
    assert got.dtype == np.float32 and got.has_canonical_format
    for attr in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, attr), getattr(want, attr)), attr
