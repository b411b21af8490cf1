"""The multiplex social graph, stored as one scipy.sparse CSR matrix per layer.

Layers (docs/ODD.md §2.4): `household` (cliques), `kin` (kin and neighbours inside a village, a Watts-Strogatz
small world over the village's households), `intervillage` (ties to people in adjacent villages),
`campaign_team` (a candidate's active supporters in a village know a few of each other: the tim
sukses cell that organises them), and `online` (WhatsApp groups, stored as group membership rather than cliques: a group of 40 is 40
memberships instead of 780 edges). A million people as a networkx MultiGraph would not fit in
memory, so the layers are built straight into CSR and networkx views are made on request
(`to_networkx` for a village, a kecamatan or an export).

References: Watts & Strogatz (1998) Nature 393:440 for the small-world kin layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from common.levels import NO_CAMP
from scenarios.schema import NetworkSpec
from simulation.population import VillagerState
from simulation.region import Region

try:  # scipy's kernels behind coo -> csr and sum_duplicates; see _canonical_csr
    from scipy.sparse._sparsetools import coo_tocsr as _coo_tocsr
    from scipy.sparse._sparsetools import csr_sort_indices as _csr_sort_indices
    from scipy.sparse._sparsetools import csr_sum_duplicates as _csr_sum_duplicates
except ImportError:  # pragma: no cover
    _coo_tocsr = _csr_sort_indices = _csr_sum_duplicates = None

OFFLINE_LAYERS = ("household", "kin", "intervillage", "campaign_team")


def _symmetric(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_matrix:
    """The 0/1 symmetric adjacency of the pairs (rows[k], cols[k]) without self-loops: canonical
    CSR (each row's columns ascending, each pair once), data 1.0 in float32."""
    keep = rows != cols
    m = int(np.count_nonzero(keep))
    # int32 indices whenever they fit: scipy then builds and sorts the CSR in half the memory traffic
    idx = np.int32 if max(n, 2 * m) < 2**31 else np.int64
    # both directions, cast once into the arrays the kernels read (no concatenated copies)
    major, minor = np.empty(2 * m, dtype=idx), np.empty(2 * m, dtype=idx)
    if m < len(rows):  # some self-loops to drop (most layers have none: then no selection pass)
        rows, cols = rows[keep], cols[keep]
    major[:m] = minor[m:] = rows
    minor[:m] = major[m:] = cols
    if _coo_tocsr is None:  # pragma: no cover - only with an incompatible scipy
        mat = sp.csr_matrix((np.ones(2 * m, dtype=np.float32), (major, minor)), shape=(n, n))
        mat.sum_duplicates()
        mat.data[:] = 1.0
        return mat
    return _canonical_csr(major, minor, n, idx)


def _canonical_csr(major: np.ndarray, minor: np.ndarray, n: int, idx: type) -> sp.csr_matrix:
    """What `csr_matrix((ones, (major, minor))).sum_duplicates()` builds, with the data then set
    to 1.0, by scipy's own kernels in the same order (bucket by row, sort each row, merge
    duplicates) but without the checks and copies of its constructors: at a million people the
    kin layer's 6 million entries took 0.55 s that way, about half of it outside the kernels.
    The kernels carry boolean data (True, merged by "or"): the values are discarded, the pattern
    does not depend on them, and a byte per entry instead of four made the bucketing 3-6x faster."""
    nnz = len(major)
    indptr, indices, counts = np.empty(n + 1, dtype=idx), np.empty(nnz, dtype=idx), np.empty(nnz, dtype=np.bool_)
    _coo_tocsr(n, n, nnz, major, minor, np.ones(nnz, dtype=np.bool_), indptr, indices, counts)
    _csr_sort_indices(n, indptr, indices, counts)
    _csr_sum_duplicates(n, n, indptr, indices, counts)
    kept = int(indptr[-1])
    # the merged duplicates leave a tail: keep a view when it is small (a copy of the kin layer's
    # indices cost more than the few bytes it frees)
    indices = indices[:kept] if 8 * (nnz - kept) <= nnz else indices[:kept].copy()
    mat = sp.csr_matrix((np.ones(kept, dtype=np.float32), indices, indptr), shape=(n, n))
    mat.has_canonical_format = True  # as sum_duplicates leaves it
    return mat


def _inverse(degree: np.ndarray) -> np.ndarray:
    """1/degree in float32, 0 where a person has no contact."""
    deg = degree.astype(np.float32)
    return np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0).astype(np.float32)


def _scaled_rows(a: sp.csr_matrix, inv: np.ndarray) -> sp.csr_matrix:
    """Row i of the 0/1 matrix `a` scaled by inv[i] on the same sparsity pattern: diag(inv) @ A
    without a product."""
    return sp.csr_matrix((a.data * np.repeat(inv, np.diff(a.indptr)), a.indices.copy(), a.indptr.copy()), shape=a.shape)


def _union(layers: list[sp.csr_matrix], n: int) -> sp.csr_matrix:
    """The sum of the layers, started from an empty float32 matrix. With two or more float32
    layers the sum starts from the two smallest and adds the larger ones last: the same matrix
    (the empty one adds nothing and changes no dtype; a sum of canonical CSR matrices is
    canonical, its pattern the union whatever the order, and the caller sets every value to 1)
    without a sum that only copies the first layer, and with each sum merging fewer entries (the
    kin layer, most of the network, is merged once instead of three times)."""
    union = sp.csr_matrix((n, n), dtype=np.float32)
    if len(layers) >= 2 and all(m.dtype == np.float32 for m in layers):
        layers = sorted(layers, key=lambda m: m.nnz)
        union, layers = layers[0] + layers[1], layers[2:]
    for m in layers:
        union = union + m
    return union


@dataclass
class SocialNetwork:
    """Layers as CSR plus the derived matrices the kernels use (built once)."""

    n: int
    layers: dict[str, sp.csr_matrix]
    group: np.ndarray  # int32 online group per person, -1 if none
    group_members: np.ndarray  # int32 person indices sorted by group
    group_start: np.ndarray  # int64 offset of each group in group_members
    group_size: np.ndarray  # int32
    adjacency: sp.csr_matrix = field(init=False)  # union of offline layers, 0/1
    influence: sp.csr_matrix = field(init=False)  # row-normalised offline adjacency
    # ties to people outside this model (a partitioned province's neighbours across a kab/kota
    # border, `tie_across`): people x their slots, 0/1, and its share of each row's influence
    across: sp.csr_matrix | None = field(init=False, default=None)
    influence_across: sp.csr_matrix | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        union = _union(list(self.layers.values()), self.n)
        union.data[:] = 1.0
        union.sort_indices()
        self.adjacency = union.tocsr()
        self.influence = _scaled_rows(self.adjacency, _inverse(np.diff(self.adjacency.indptr)))
        # online groups as an incidence matrix (people x groups): group sums are one sparse product
        members = self.group >= 0
        rows = np.flatnonzero(members)
        self.membership = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, self.group[rows])), shape=(self.n, max(self.n_groups, 1))
        )
        self.membership_t = self.membership.T.tocsr()
        others = np.zeros(self.n, dtype=np.float32)
        others[rows] = self.group_size[self.group[rows]] - 1
        self.inv_others = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)

    @property
    def n_groups(self) -> int:
        return len(self.group_size)

    def tie_across(self, people: np.ndarray, slots: np.ndarray, n_slots: int) -> None:
        """Tie person people[k] to the outside person in slot slots[k] (a border's far side,
        simulation/federation.py): a contact like any offline one, so each row's influence is
        re-normalised over its own contacts and these together (a tie counted once however often
        it is given). The layers, `adjacency` and everything read from them (hoaxes, recruitment,
        networkx views) stay this model's own: only tension crosses."""
        people, slots = np.asarray(people, dtype=np.int64), np.asarray(slots, dtype=np.int64)
        across = sp.csr_matrix((np.ones(len(people), dtype=np.float32), (people, slots)), shape=(self.n, n_slots))
        across.sum_duplicates()
        across.data[:] = 1.0
        inv = _inverse(np.diff(self.adjacency.indptr) + np.diff(across.indptr))
        self.across = across
        self.influence = _scaled_rows(self.adjacency, inv)
        self.influence_across = _scaled_rows(across, inv)

    @classmethod
    def from_graph(cls, graph: nx.Graph) -> SocialNetwork:
        """Wrap any networkx graph as a single `given` layer (nodes relabelled 0..n-1 in order)."""
        nodes = list(graph.nodes())
        csr = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr", dtype=np.float32)
        csr = sp.csr_matrix(csr)
        csr = ((csr + csr.T) > 0).astype(np.float32).tocsr()
        csr.setdiag(0)
        csr.eliminate_zeros()
        n = len(nodes)
        return cls(
            n=n,
            layers={"given": csr},
            group=np.full(n, -1, dtype=np.int32),
            group_members=np.zeros(0, dtype=np.int32),
            group_start=np.zeros(0, dtype=np.int64),
            group_size=np.zeros(0, dtype=np.int32),
        )

    def group_mean(self, values: np.ndarray) -> np.ndarray:
        """Per person: mean of `values` over the other members of their online group (0 if none)."""
        if self.n_groups == 0:
            return np.zeros(self.n, dtype=np.float32)
        # group sums (one sparse product), then each member reads their group's sum: a gather,
        # the same numbers as the product with the membership matrix, at a fraction of its cost
        sums = np.append(self.membership_t @ values, values.dtype.type(0))
        total = sums[self.group]  # group -1 (no group) reads the appended 0
        return ((total - values) * self.inv_others).astype(np.float32, copy=False)

    def camp_groups(self, people: np.ndarray, camp: np.ndarray, n_camps: int) -> tuple[sp.csr_matrix, np.ndarray]:
        """For the given people (all with a camp): an incidence matrix people x (group, camp) and
        each person's number of same-camp group-mates. `B @ (B.T @ flag) - flag` then counts
        flagged same-camp group-mates in one sparse round trip."""
        g = self.group[people]
        inside = np.flatnonzero(g >= 0)
        cols = g[inside].astype(np.int64) * n_camps + camp[people[inside]]
        width = max(self.n_groups * n_camps, 1)
        b = sp.csr_matrix((np.ones(len(inside), dtype=np.float32), (inside, cols)), shape=(len(people), width))
        mates = np.zeros(len(people), dtype=np.float32)
        mates[inside] = np.bincount(cols, minlength=width)[cols] - 1
        return b, mates

    def same_camp(self, camp: np.ndarray) -> sp.csr_matrix:
        """Offline adjacency restricted to pairs who actively support the same candidate."""
        a = self.adjacency
        row = np.repeat(np.arange(a.shape[0], dtype=a.indices.dtype), np.diff(a.indptr))
        keep = (camp[row] == camp[a.indices]) & (camp[row] != NO_CAMP)
        # filter the CSR in place of a round trip through COO: rows stay in order, columns sorted
        indptr = np.zeros(len(a.indptr), dtype=a.indptr.dtype)
        np.cumsum(np.bincount(row[keep], minlength=a.shape[0]), out=indptr[1:])
        return sp.csr_matrix((a.data[keep].astype(np.float32), a.indices[keep], indptr), shape=a.shape)

    def same_camp_among(self, camp: np.ndarray, index: np.ndarray) -> sp.csr_matrix:
        """`same_camp(camp)[index][:, index]` for `index` = everyone with a camp, ascending: the
        same matrix (rows and columns renumbered 0.. in index order), read from the supporters'
        own rows instead of filtering every row and then slicing the result twice (at a million
        people, a tenth of them supporters, a fraction of the work)."""
        a = self.adjacency
        starts = a.indptr[index].astype(np.int64)
        lengths = a.indptr[index + 1] - starts
        offsets = np.cumsum(lengths) - lengths
        total = int(lengths.sum())
        # the supporters' row segments, one after another
        pos = np.repeat(starts - offsets, lengths) + np.arange(total)
        cols = a.indices[pos]
        keep = camp[cols] == np.repeat(camp[index], lengths)
        kept_before = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        indptr = kept_before[np.append(offsets, total)].astype(a.indptr.dtype)
        rank = np.full(a.shape[0], -1, dtype=a.indices.dtype)
        rank[index] = np.arange(len(index), dtype=a.indices.dtype)
        return sp.csr_matrix((a.data[pos[keep]].astype(np.float32), rank[cols[keep]], indptr), shape=(len(index), len(index)))

    def random_neighbour(self, people: np.ndarray, rng: np.random.Generator, online_weight: float) -> np.ndarray:
        """One random contact per person: an online group-mate with prob `online_weight`, else an
        offline neighbour. -1 where the person has no contact in the chosen channel."""
        out = np.full(len(people), -1, dtype=np.int64)
        if len(people) == 0:
            return out
        use_online = (rng.random(len(people)) < online_weight) & (self.group[people] >= 0)
        offline = ~use_online
        off = people[offline]
        indptr, indices = self.adjacency.indptr, self.adjacency.indices
        first = indptr[off]  # each gather once: this runs several times a day on the spreaders
        deg = indptr[off + 1] - first
        pick = first + (rng.random(len(off)) * deg).astype(np.int64)
        out[offline] = np.where(deg > 0, indices[np.minimum(pick, len(indices) - 1)], -1)
        on = people[use_online]
        if len(on):
            g = self.group[on]
            size = self.group_size[g]
            start = self.group_start[g]
            # draw among the other size-1 members: skip over the person's own slot
            r = (rng.random(len(on)) * (size - 1)).astype(np.int64)
            cand = self.group_members[start + r]
            cand = np.where(cand == on, self.group_members[start + size - 1], cand)
            out[use_online] = np.where(size > 1, cand, -1)
        return out

    def to_networkx(self, people: np.ndarray | None = None, online_cliques: bool = True) -> nx.MultiGraph:
        """A networkx MultiGraph view over `people` (all if None), one edge key per layer."""
        idx = np.arange(self.n) if people is None else np.asarray(people)
        if people is not None and len(idx) > 200_000:
            raise ValueError("networkx views are for a village or a kecamatan; ask for fewer people")
        g = nx.MultiGraph()
        g.add_nodes_from(int(i) for i in idx)
        for name, m in self.layers.items():
            sub = m[idx][:, idx].tocoo()
            g.add_edges_from(
                (int(idx[r]), int(idx[c]), name) for r, c in zip(sub.row, sub.col) if r < c
            )
        if online_cliques and self.n_groups:
            chosen = set(int(i) for i in idx)
            for gid in np.unique(self.group[idx][self.group[idx] >= 0]):
                members = self.group_members[self.group_start[gid] : self.group_start[gid] + self.group_size[gid]]
                members = [int(m) for m in members if int(m) in chosen]
                g.add_edges_from(
                    (a, b, "online") for i, a in enumerate(members) for b in members[i + 1 :]
                )
        return g


def _household_layer(state: VillagerState) -> sp.csr_matrix:
    hh = state.household
    n = len(hh)
    rows, cols = [], []
    d = 1
    while True:
        same = hh[d:] == hh[:-d] if d < n else np.zeros(0, dtype=bool)
        if not same.any():
            break
        i = np.flatnonzero(same)
        rows.append(i)
        cols.append(i + d)
        d += 1
    if not rows:
        return sp.csr_matrix((n, n), dtype=np.float32)
    return _symmetric(np.concatenate(rows), np.concatenate(cols), n)


def _kin_layer(state: VillagerState, region: Region, spec: NetworkSpec, rng: np.random.Generator) -> sp.csr_matrix:
    """Ring lattice inside each village (people ordered by household), each end rewired with prob p."""
    n = state.n
    half = spec.kin_degree // 2
    if half == 0:
        return sp.csr_matrix((n, n), dtype=np.float32)
    # every row number and position fits the index type _symmetric casts to: build in it from the
    # start (int32 below 2**31 people: half the memory written and read, the same integers)
    idx = np.int32 if n < 2**31 else np.int64
    start = state.village_start.astype(idx)[state.village]
    size = region.population.astype(idx)[state.village]
    everyone = np.arange(n, dtype=idx)
    pos = everyone - start
    in_block = bool((pos < size).all())  # each village's people are its block of rows
    rows, cols = [], []
    for d in range(1, half + 1):
        ok = size > d
        if ok.all():  # every village has more than d people (the usual case): nothing to gather
            i, nxt, s, first = everyone, pos + d, size, start
        else:
            i = np.flatnonzero(ok)
            nxt, s, first = pos[i] + d, size[i], start[i]
        if in_block:  # (pos + d) % size without an integer division: 0 <= pos < size and d < size
            nxt -= s * (nxt >= s)
        else:  # pragma: no cover - the population is built village by village
            nxt %= s
        rows.append(i)
        cols.append(first + nxt)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    rewire = rng.random(len(r)) < spec.kin_rewire
    c[rewire] = start[r[rewire]] + (rng.random(rewire.sum()) * size[r[rewire]]).astype(np.int64)
    return _symmetric(r, c, n)


def _intervillage_layer(
    state: VillagerState, region: Region, spec: NetworkSpec, rng: np.random.Generator
) -> sp.csr_matrix:
    n = state.n
    n_edges = int(round(n * spec.inter_village_ties / 2))
    adj = region.adjacency
    if n_edges == 0 or adj.nnz == 0:
        return sp.csr_matrix((n, n), dtype=np.float32)
    u = rng.integers(0, n, n_edges)
    vu = state.village[u]
    deg = adj.indptr[vu + 1] - adj.indptr[vu]
    keep = deg > 0
    u, vu, deg = u[keep], vu[keep], deg[keep]
    nv = adj.indices[adj.indptr[vu] + (rng.random(len(u)) * deg).astype(np.int64)]
    w = state.village_start[nv] + (rng.random(len(u)) * region.population[nv]).astype(np.int64)
    return _symmetric(u, w, n)


def _campaign_team_layer(state: VillagerState, spec: NetworkSpec, rng: np.random.Generator) -> sp.csr_matrix:
    """Each active supporter knows `team_ties` random fellow supporters of the same camp in the village."""
    n = state.n
    members = np.flatnonzero(state.camp != NO_CAMP)
    if spec.team_ties == 0 or len(members) < 2:
        return sp.csr_matrix((n, n), dtype=np.float32)
    # sort supporters by (village, camp): each cell is a contiguous block
    order = np.lexsort((state.camp[members], state.village[members]))
    m = members[order]
    key = state.village[m].astype(np.int64) * 64 + state.camp[m]
    first = np.r_[0, np.flatnonzero(key[1:] != key[:-1]) + 1]
    size = np.diff(np.r_[first, len(m)])
    block_first = np.repeat(first, size)
    block_size = np.repeat(size, size)
    rows, cols = [], []
    for _ in range(spec.team_ties):
        j = block_first + (rng.random(len(m)) * block_size).astype(np.int64)
        rows.append(m)
        cols.append(m[j])
    return _symmetric(np.concatenate(rows), np.concatenate(cols), n)


def _online_groups(
    state: VillagerState, region: Region, spec: NetworkSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """WhatsApp groups inside each kecamatan, mostly of one camp's leaners (online_same_camp)."""
    n = state.n
    online = np.flatnonzero(rng.random(n) < spec.online_share)
    group = np.full(n, -1, dtype=np.int32)
    if len(online) == 0:
        return group, np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int32)
    k = int(state.lean.max()) + 1
    key = np.where(rng.random(len(online)) < spec.online_same_camp, state.lean[online], rng.integers(0, k, len(online)))
    kec = region.kecamatan[state.village[online]]
    # by kecamatan, then camp key, then at random: one combined integer key for the first two
    # (the same order as lexsort((u, key, kec)), one stable pass fewer)
    order = _order_by_key_then(kec.astype(np.int64) * k + key, rng.random(len(online)))
    members = online[order].astype(np.int32)
    kec_sorted = kec[order]
    # number groups within each kecamatan block of `members`
    block_start = np.flatnonzero(np.r_[True, kec_sorted[1:] != kec_sorted[:-1]])
    pos_in_block = np.arange(len(members)) - np.repeat(block_start, np.diff(np.r_[block_start, len(members)]))
    local = pos_in_block // spec.online_group_size
    new = np.r_[True, (local[1:] != local[:-1]) | (kec_sorted[1:] != kec_sorted[:-1])]
    gid = (np.cumsum(new) - 1).astype(np.int32)
    group[members] = gid
    gstart = np.flatnonzero(new).astype(np.int64)
    gsize = np.diff(np.r_[gstart, len(members)]).astype(np.int32)
    return group, members, gstart, gsize


def _order_by_key_then(key: np.ndarray, u: np.ndarray) -> np.ndarray:
    """`np.lexsort((u, key))` (by the non-negative integer `key`, ties by the floats `u`, then by
    position) as two sorts, each faster than lexsort's own passes: u by quicksort, which is what a
    stable sort gives when no two u are equal (checked; else the stable sort), then a stable sort
    by key, a radix sort when the key fits in 16 bits. The same permutation."""
    order = np.argsort(u)
    ranked = u[order]
    if np.any(ranked[1:] == ranked[:-1]):  # equal draws: only a stable sort keeps them by position
        order = np.argsort(u, kind="stable")
    small = np.int16 if len(key) == 0 or int(key.max()) < 2**15 else key.dtype
    return order[np.argsort(key.astype(small)[order], kind="stable")]


def build_social_network(
    state: VillagerState, region: Region, spec: NetworkSpec, rng: np.random.Generator
) -> SocialNetwork:
    """Build every layer from the population and region; `rng` is the network stream."""
    layers = {
        "household": _household_layer(state),
        "kin": _kin_layer(state, region, spec, rng),
        "intervillage": _intervillage_layer(state, region, spec, rng),
        "campaign_team": _campaign_team_layer(state, spec, rng),
    }
    group, members, gstart, gsize = _online_groups(state, region, spec, rng)
    return SocialNetwork(
        n=state.n, layers=layers, group=group, group_members=members, group_start=gstart, group_size=gsize
    )
