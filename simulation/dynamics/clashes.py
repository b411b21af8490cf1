"""Clashes: where mobilised crowds of rival camps meet, an incident may occur.

For village v and day t, with M_vc the mobilised supporters of camp c in v and
E_vc = M_vc + nu * sum_{u adjacent to v} M_uc the crowd of camp c present or arriving from next
door (nu = `neighbour_contact`), the clash hazard is

    h_v = 1 - exp( -b * s_contact * sum_{c<c'} sqrt(max(M_vc E_vc', M_vc' E_vc)) * exp(-eta * police_v) )

and a crowd-versus-organisers hazard (counting, recapitulation, disputes) for the losing camp's
crowd L_v:  h'_v = 1 - exp(-b_o * s_org * L_v * exp(-eta * police_v)).  Each person in the
crowds present joins with probability `participation` x their own tension (if fewer than
`min_participants` (2) join, that many are taken, or everyone present). Sources and
defaults: docs/ODD.md §7.6 (the functional form is assumed; its shape follows SNPK's finding that
58% of Pilkada incidents are supporter vs supporter and 15% supporters vs organisers).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def crowd_sizes(village: np.ndarray, camp: np.ndarray, mobilised: np.ndarray, n_villages: int, n_camps: int) -> np.ndarray:
    """M[v, c]: mobilised supporters of camp c in village v."""
    # the (usually few) flagged rows first: whole-day masks and two masked gathers cost more
    rows = np.flatnonzero(mobilised)
    rows = rows[camp[rows] >= 0]
    flat = np.bincount(village[rows].astype(np.int64) * n_camps + camp[rows], minlength=n_villages * n_camps)
    return flat.reshape(n_villages, n_camps).astype(np.float64)


def clash_hazard(
    crowds: np.ndarray, village_adjacency: sp.csr_matrix, base: float, contact: float, neighbour_contact: float, police: np.ndarray, damping: float
) -> np.ndarray:
    exposure = crowds + neighbour_contact * (village_adjacency @ crowds)
    k = crowds.shape[1]
    pair = np.zeros(crowds.shape[0])
    for a in range(k):
        for b in range(a + 1, k):
            # own crowd meets the rival crowd present or arriving from next door
            pair += np.sqrt(np.maximum(crowds[:, a] * exposure[:, b], crowds[:, b] * exposure[:, a]))
    return 1.0 - np.exp(-base * contact * pair * np.exp(-damping * police))


def organisers_hazard(loser_crowd: np.ndarray, base: float, contact: float, police: np.ndarray, damping: float) -> np.ndarray:
    return 1.0 - np.exp(-base * contact * loser_crowd * np.exp(-damping * police))


def draw_participants(
    candidates: np.ndarray, tension: np.ndarray, participation: float, rng: np.random.Generator, minimum: int = 2
) -> np.ndarray:
    """Who of the crowd present joins the fight: prob participation x own tension (at least
    `minimum` where that many are present)."""
    if len(candidates) == 0:
        return candidates
    joined = candidates[rng.random(len(candidates)) < participation * tension[candidates]]
    if len(joined) < minimum:
        joined = rng.choice(candidates, size=min(minimum, len(candidates)), replace=False)
    return np.sort(joined)
