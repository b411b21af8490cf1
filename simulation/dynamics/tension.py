"""Tension: a fast, decaying state raised by triggers and pulled toward one's contacts.

    tau' = clip( tau + a (m - tau) - d (tau - b) + I , 0, 1 ),   b = lambda * s * pi

b is the level the stakes hold a person at (lambda the stake level, s the stage's stakes, pi the
person's partisanship: a committed supporter stays more wound up while a lot is at stake); m is
the mean tension of one's contacts (DeGroot-style social influence over the row-normalised offline
adjacency, blended with the online group's mean); a the influence weight; d the daily decay; I the
day's inputs: believed hoaxes, provocations, rallies of the rival camp and money politics seen
(each x stakes), violence in the village or next door and crowd arousal (not scaled by stakes),
minus mediation relief (`village_inputs`, `hoax_input`). Parameters: docs/ODD.md §7.3.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def neighbour_mean(tension: np.ndarray, influence, group_mean: np.ndarray | None, online_weight: np.ndarray | float) -> np.ndarray:
    """Mean tension of a person's contacts: offline mean, blended with the online group's mean
    with weight `online_weight` (per person: 0 for people outside any group)."""
    m = influence @ tension
    if group_mean is not None:
        m += online_weight * (group_mean - m)
    return m.astype(np.float32, copy=False)


def update(
    tension: np.ndarray, contacts_mean: np.ndarray, decay: float, influence: float, inputs: np.ndarray,
    baseline: np.ndarray | float = 0.0, out: np.ndarray | None = None,
) -> np.ndarray:
    """One day's tension update; returns a new array, or writes into `out` (which may be
    `inputs`, but not `tension`). `tension` is never modified."""
    new = np.array(inputs, dtype=np.float32) if out is None else out
    if out is not None and out is not inputs:
        new[:] = inputs
    tmp = np.subtract(contacts_mean, tension, dtype=np.float32)
    tmp *= np.float32(influence)
    new += tmp
    np.subtract(tension, baseline, out=tmp)
    tmp *= np.float32(decay)
    new -= tmp
    new += tension
    return np.clip(new, 0.0, 1.0, out=new)


def village_inputs(
    money_today: np.ndarray,
    violence_exposure: np.ndarray,
    village_adjacency: sp.csr_matrix,
    rally_today: np.ndarray,
    relief: np.ndarray,
    stakes: float,
    *,
    money_gain: float,
    violence_gain: float,
    violence_spillover: float,
    rally_rival_gain: float,
) -> np.ndarray:
    """I[v, c]: today's tension input for a person of village v leaning to camp c, from money
    politics handed out, violence in v or next door, mediation `relief` and rallies of rival camps."""
    exposure = violence_exposure + violence_spillover * (village_adjacency @ violence_exposure)
    village_in = money_gain * stakes * np.minimum(money_today.sum(axis=1), 1.0) + violence_gain * np.minimum(exposure, 1.0) - relief
    rallies = rally_today.astype(np.float64)
    rival = rallies.sum(axis=1, keepdims=True) - rallies
    return village_in[:, None] + rally_rival_gain * stakes * rival


def hoax_input(partisanship: np.ndarray, gain: float, stakes: float) -> np.ndarray:
    """A spreader believes the story: gain x stakes x (0.5 + partisanship)."""
    return gain * stakes * (0.5 + partisanship)


def provoked(reach: float, n_provocations: int, u: np.ndarray) -> np.ndarray:
    """Who of a village is reached by `n_provocations` provocations, each reaching a share `reach`."""
    return u < 1 - (1 - reach) ** n_provocations
