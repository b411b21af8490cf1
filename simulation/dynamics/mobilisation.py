"""Mobilisation: a threshold cascade among same-camp contacts, damped by perceived arrest risk.

Two classic rules, combined so that each is a special case:

* Granovetter (1978, AJS 83:1420) / Watts (2002, PNAS 99:5766): person i joins when the number
  (or share) of its contacts already mobilised reaches its threshold theta_i.
* Epstein (2002, PNAS 99 suppl. 3), rule A: i is active when G_i - R_i P_i > T, with
  P_i = 1 - exp(-k C/A): C police in view, A actives in view counting i itself.

In SIAGA a villager mobilises when both hold, with the drive D_i = w_g G_i + w_t tau_i in place of
G_i. Setting the thresholds to 0 gives Epstein's rule; setting the drive high and P = 0 gives
Granovetter's. State is recomputed each day from yesterday's, so crowds dissolve when tension
falls or police presence rises.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

Rounding = Literal["none", "floor", "round"]


def arrest_probability(cops: np.ndarray, actives: np.ndarray, k: float, rounding: Rounding = "none") -> np.ndarray:
    """P = 1 - exp(-k * C/A), A >= 1. `floor` is NetLogo Rebellion's, `round` Mesa's example's
    (Python's round-half-to-even, as numpy's)."""
    ratio = np.asarray(cops, dtype=np.float64) / np.maximum(np.asarray(actives, dtype=np.float64), 1.0)
    if rounding == "floor":
        ratio = np.floor(ratio)
    elif rounding == "round":
        ratio = np.round(ratio)
    return 1.0 - np.exp(-k * ratio)


def activation(drive: np.ndarray, risk_aversion: np.ndarray, arrest_prob: np.ndarray, threshold: float) -> np.ndarray:
    """Epstein's rule A: active iff drive - R * P > T."""
    return drive - risk_aversion * arrest_prob > threshold


def support(adjacency: sp.csr_matrix, active: np.ndarray, as_share: bool = True) -> np.ndarray:
    """Mobilised contacts of each person: a count, or a share of their contacts in `adjacency`."""
    counts = adjacency @ active.astype(np.float32)
    if not as_share:
        return counts
    deg = np.asarray(adjacency.sum(axis=1)).ravel()
    return np.divide(counts, deg, out=np.zeros_like(counts), where=deg > 0)


def support_share(hits: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """Share of contacts mobilised, 0 where a person has no contacts."""
    return np.divide(hits, contacts, out=np.zeros_like(hits, dtype=np.float32), where=contacts > 0)


def cascade_round(adjacency: sp.csr_matrix, thresholds: np.ndarray, active: np.ndarray, as_share: bool) -> np.ndarray:
    """One synchronous Granovetter round: who is active given who was."""
    return support(adjacency, active, as_share) >= thresholds


def threshold_cascade(
    adjacency: sp.csr_matrix,
    thresholds: np.ndarray,
    as_share: bool = False,
    max_rounds: int = 100_000,
) -> tuple[np.ndarray, int]:
    """Run the pure threshold model from nobody active to its fixed point.

    Thresholds in people (`as_share=False`, Granovetter) or as a share of contacts (Watts).
    Returns (active mask, rounds taken).
    """
    active = np.zeros(adjacency.shape[0], dtype=bool)
    for r in range(1, max_rounds + 1):
        nxt = cascade_round(adjacency, thresholds, active, as_share)
        if np.array_equal(nxt, active):
            return active, r - 1
        active = nxt
    return active, max_rounds
