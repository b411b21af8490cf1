"""Social ties across kab/kota borders in a partitioned province, and the daily exchange over them.

One SiagaModel of a whole province ties villagers to people of adjacent villages (the
`intervillage` layer, simulation/network.py: each of n x inter_village_ties / 2 ties starts at a
random person and goes to a random person of a random neighbouring village). A partitioned province
(simulation/federation.py) builds each member's network from its own villages, where a village's
neighbours across the border do not exist, so those ties would never form. The province draws them
here, from its own stream: from each village v with neighbours in other members,

    Poisson( pop_v x inter_village_ties / 2 x c_v / d_v )

ties (d_v its neighbours, c_v those across the border), each from a random person of v to a random
person of a random neighbour across. They come on top of the members' own ties, whose number does
not give up the share that would have crossed (in Kalimantan Selatan at 1/10, 0.34% of the ties of
one model of the province cross a border: that many more ties in all).

What crosses these ties is tension and nothing else: every morning each villager with a tie across
reads that person's tension with yesterday's evening value, as one model reads every contact's
(tension's DeGroot influence, docs/ODD.md §7.3; the tie counts in the row's normalisation like any
contact). Hoaxes, recruitment into crowds and the crowds themselves stay inside each member.

Each member gets the people who have a tie across (village in the member, person in the village)
with the slot each reads, and the people others read from it (its `exports`). Every evening each
member sends its exports' tension and `outside` turns them into each member's slots for the morning.
Everything here is a function of the scenario, the province's seed and the member order, so a run
in one process and a run on a cluster read the same ties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from simulation.region import Region

STREAM = 0x54494553  # "TIES": the province's stream for drawing them, apart from its others


@dataclass(frozen=True)
class Across:
    """One member's side of the ties across its borders (plain arrays: it travels to a worker)."""

    village: np.ndarray  # per tie end in this member: its village, numbered as in the member's model
    person: np.ndarray  # its person's place within that village (0 .. village population - 1)
    slot: np.ndarray  # the outside person it reads: an index into this member's `outside` vector
    n_slots: int
    export_village: np.ndarray  # the people of this member that others read, in the order sent
    export_person: np.ndarray

    @property
    def n_ties(self) -> int:
        return len(self.slot)


@dataclass(frozen=True)
class BorderTies:
    """The province's ties across its members' borders and the routing of their tension."""

    members: list[Across]
    reads: list[np.ndarray]  # per member: each slot's index into the members' exports, concatenated

    @classmethod
    def build(cls, region: Region, where: list[np.ndarray], ties_per_person: float, seed: int) -> BorderTies:
        """`where[j]`: the province's village numbers of member j's villages, in the member's order."""
        n_members = len(where)
        owner = np.full(region.n_villages, -1, dtype=np.int64)
        local = np.zeros(region.n_villages, dtype=np.int64)
        for j, w in enumerate(where):
            owner[w] = j
            local[w] = np.arange(len(w))
        adj = region.adjacency.tocoo()
        pop = region.population.astype(np.int64)
        degree = np.bincount(adj.row, minlength=region.n_villages)
        across = (owner[adj.row] != owner[adj.col]) & (owner[adj.row] >= 0) & (owner[adj.col] >= 0)
        # each village's neighbours across a border, in ascending order (CSR over the province's villages)
        far = sp.csr_matrix((np.ones(int(across.sum())), (adj.row[across], adj.col[across])), shape=adj.shape)
        far.sum_duplicates()
        far.sort_indices()
        n_far = np.diff(far.indptr)
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), n_members, STREAM]))
        # in the province's village order: the draws do not depend on how the members are run
        lam = pop * ties_per_person / 2 * np.divide(n_far, degree, out=np.zeros(len(pop)), where=degree > 0)
        k = rng.poisson(lam)
        av = np.repeat(np.arange(region.n_villages), k)
        ap = (rng.random(len(av)) * pop[av]).astype(np.int64)
        bv = far.indices[far.indptr[av] + (rng.random(len(av)) * n_far[av]).astype(np.int64)].astype(np.int64)
        bp = (rng.random(len(av)) * pop[bv]).astype(np.int64)
        keep = pop[bv] > 0  # a neighbour without people has no one to know
        av, ap, bv, bp = av[keep], ap[keep], bv[keep], bp[keep]
        # both ends read each other: (reader village, reader person) reads (read village, read person)
        rv, rp = np.concatenate([av, bv]), np.concatenate([ap, bp])
        sv, spn = np.concatenate([bv, av]), np.concatenate([bp, ap])
        start = np.concatenate([[0], np.cumsum(pop)[:-1]])
        read_id = start[sv] + spn  # the province's number of the person read
        # each member's exports: the distinct people of it whom someone reads, by that number
        exports = [np.unique(read_id[owner[sv] == j]) for j in range(n_members)]
        offset = np.concatenate([[0], np.cumsum([len(e) for e in exports])]).astype(np.int64)
        out, reads = [], []
        for j in range(n_members):
            mine = owner[rv] == j
            slots_id, slot = np.unique(read_id[mine], return_inverse=True)
            from_member = owner[np.searchsorted(start, slots_id, side="right") - 1]
            read = np.empty(len(slots_id), dtype=np.int64)
            for m in np.unique(from_member):
                at = from_member == m
                read[at] = offset[m] + np.searchsorted(exports[m], slots_id[at])
            reads.append(read)
            ev = np.searchsorted(start, exports[j], side="right") - 1
            out.append(Across(village=local[rv[mine]], person=rp[mine], slot=slot.astype(np.int64), n_slots=len(slots_id),
                              export_village=local[ev], export_person=exports[j] - start[ev]))
        return cls(out, reads)

    def outside(self, exported: list[np.ndarray]) -> list[np.ndarray]:
        """Per member, the tension of the people it reads across its borders, from every member's
        exports (in member order, each as `Across.export_*` lists them)."""
        flat = np.concatenate([np.asarray(e, dtype=np.float32) for e in exported]) if exported else np.zeros(0, np.float32)
        return [flat[r] for r in self.reads]

    @property
    def n_ties(self) -> int:
        """Ties across borders (each counted once, though both ends read it)."""
        return sum(a.n_ties for a in self.members) // 2
