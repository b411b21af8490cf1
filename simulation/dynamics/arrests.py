"""Arrests and release.

Officers present in a village arrest up to Poisson(arrests_per_officer x officers) of the targets
there (violent participants, or every mobilised person in Epstein's configuration), chosen at
random. Detained people sit out a term drawn uniformly from 1..max_jail_days and come back "as
aggrieved as they went in" (Epstein 2002). Epstein's cop rule on a graph (each cop arrests one
random active neighbour) is `cop_arrests`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from common.levels import Escalation


def arrest_in_villages(
    targets: np.ndarray, village: np.ndarray, officers: np.ndarray, per_officer: float, rng: np.random.Generator
) -> np.ndarray:
    """Choose arrestees among `targets` (villager indices), at most the villages' capacity."""
    if len(targets) == 0:
        return targets
    v = village[targets]
    capacity = rng.poisson(per_officer * officers)  # per village
    key = rng.random(len(targets))
    order = np.lexsort((key, v))
    t_sorted, v_sorted = targets[order], v[order]
    first = np.r_[0, np.flatnonzero(v_sorted[1:] != v_sorted[:-1]) + 1]
    rank = np.arange(len(t_sorted)) - np.repeat(first, np.diff(np.r_[first, len(t_sorted)]))
    return np.sort(t_sorted[rank < capacity[v_sorted]])


def cop_arrests(cops: np.ndarray, adjacency: sp.csr_matrix, active: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Epstein's cop rule C: each cop arrests one random active agent in its neighbourhood."""
    arrested: list[int] = []
    taken = np.zeros(len(active), dtype=bool)
    indptr, indices = adjacency.indptr, adjacency.indices
    for c in rng.permutation(cops):
        nb = indices[indptr[c] : indptr[c + 1]]
        nb = nb[active[nb] & ~taken[nb]]
        if len(nb):
            a = int(rng.choice(nb))
            taken[a] = True
            arrested.append(a)
    return np.array(sorted(arrested), dtype=np.int64)


def detain(state: np.ndarray, jail: np.ndarray, people: np.ndarray, max_days: int, rng: np.random.Generator) -> None:
    state[people] = Escalation.DETAINED
    jail[people] = rng.integers(1, max_days + 1, len(people))


def release(state: np.ndarray, jail: np.ndarray) -> np.ndarray:
    """Count down detention; return who is released today (they come back calm, grievance intact)."""
    held = np.flatnonzero(jail > 0)
    jail[held] -= 1
    out = held[jail[held] == 0]
    state[out] = Escalation.CALM
    return out
