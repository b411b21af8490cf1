"""Tension: a fast, decaying state raised by triggers and pulled toward one's contacts.

    tau' = clip( tau + a (m - tau) - d (tau - b) + I , 0, 1 ),   b = lambda * s * pi

b is the level the stakes hold a person at (lambda the stake level, s the stage's stakes, pi the
person's partisanship: a committed supporter stays more wound up while a lot is at stake); m is
the mean tension of one's contacts (DeGroot-style social influence over the row-normalised offline
adjacency, blended with the online group's mean); a the influence weight; d the daily decay; I the
day's inputs: believed hoaxes, provocations, rallies of the rival camp and money politics seen
(each x stakes), violence in the village or next door and crowd arousal (not scaled by stakes),
minus mediation relief. Parameters: docs/ODD.md §7.3.
"""

from __future__ import annotations

import numpy as np


def neighbour_mean(tension: np.ndarray, influence, group_mean: np.ndarray | None, online_weight: np.ndarray | float) -> np.ndarray:
    """Mean tension of a person's contacts: offline mean, blended with the online group's mean
    with weight `online_weight` (per person: 0 for people outside any group)."""
    m = influence @ tension
    if group_mean is not None:
        m += online_weight * (group_mean - m)
    return m.astype(np.float32, copy=False)


def update(
    tension: np.ndarray, contacts_mean: np.ndarray, decay: float, influence: float, inputs: np.ndarray, baseline: np.ndarray | float = 0.0
) -> np.ndarray:
    """One day's tension update; returns a new array (neither argument is modified)."""
    new = np.array(inputs, dtype=np.float32)
    new += influence * (contacts_mean - tension)
    new -= decay * (tension - baseline)
    new += tension
    return np.clip(new, 0.0, 1.0, out=new)
