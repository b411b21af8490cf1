"""Mobilisation: a threshold cascade among same-camp contacts, damped by perceived arrest risk.

Two classic rules, combined so that each is a special case:

* Granovetter (1978, AJS 83:1420) / Watts (2002, PNAS 99:5766): person i joins when the number
  (or share) of its contacts already mobilised reaches its threshold theta_i (`joins`).
* Epstein (2002, PNAS 99 suppl. 3), rule A: i is active when G_i - R_i P_i > T, with
  P_i = 1 - exp(-k C/A): C police in view, A actives in view counting i itself (`activation`).

In SIAGA a villager mobilises when both hold, with the drive D_i = w_g G_i + w_t tau_i in place of
G_i (`mobilise`, docs/ODD.md §7.5). Setting the thresholds to 0 gives Epstein's rule; setting the
drive high and P = 0 gives Granovetter's, and `threshold_cascade` (the classic model,
simulation/classic.py) runs the very same `joins` rule to its fixed point. State is recomputed each
day from yesterday's, so crowds dissolve when tension falls or police presence rises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import scipy.sparse as sp

from common.levels import Escalation
from simulation.dynamics.grievance import grievance

# plain ints for the comparisons over many people: an int8 array against an IntEnum member is
# about ten times slower than against the int itself (the same booleans)
_MOBILISED, _DETAINED = int(Escalation.MOBILISED), int(Escalation.DETAINED)

Rounding = Literal["none", "floor", "round"]
SupportFn = Callable[[np.ndarray], np.ndarray]  # 0/1 "out" flags -> mobilised contacts per person


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


def drive(hardship: np.ndarray, legitimacy: np.ndarray, tension: np.ndarray, grievance_weight: float, tension_weight: float) -> np.ndarray:
    """D = w_g G + w_t tau, with Epstein's grievance G = H (1 - L)."""
    g = grievance(hardship, legitimacy)
    if grievance_weight != 1.0:
        g = grievance_weight * g
    return g + tension_weight * tension


def support_share(hits: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """Share of contacts mobilised, 0 where a person has no contacts. Computed in the wider of the
    two dtypes, so float64 counts keep Watts's ">= phi" exact (7 of 10 reaches phi = 0.7)."""
    dtype = np.result_type(hits, contacts)
    return np.divide(hits, contacts, out=np.zeros(np.shape(hits), dtype=dtype), where=contacts > 0)


def joins(hits: np.ndarray, contacts: np.ndarray | None, thresholds: np.ndarray, willing: np.ndarray | None = None,
          floor: np.ndarray | None = None) -> np.ndarray:
    """The threshold rule: who is out given `hits` mobilised contacts each. As a share of
    `contacts` (Watts), or as a count when `contacts` is None (Granovetter); `floor` is support
    felt anyway (a rally, the TPS); only the `willing` may join."""
    sup = hits if contacts is None else support_share(hits, contacts)
    if floor is not None:
        sup = np.maximum(sup, floor)
    out = sup >= thresholds
    return out if willing is None else willing & out


def support(adjacency: sp.csr_matrix, active: np.ndarray, as_share: bool = True) -> np.ndarray:
    """Mobilised contacts of each person in `adjacency`: a count, or a share of their contacts
    (float64, so exact ties meet their threshold)."""
    counts = adjacency @ active.astype(np.float64)
    if not as_share:
        return counts
    return support_share(counts, np.asarray(adjacency.sum(axis=1), dtype=np.float64).ravel())


def cascade_round(adjacency: sp.csr_matrix, thresholds: np.ndarray, active: np.ndarray, as_share: bool) -> np.ndarray:
    """One synchronous Granovetter / Watts round: who is active given who was."""
    return joins(support(adjacency, active, as_share), None, thresholds)


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


def mobilise(
    state: np.ndarray,
    drive: np.ndarray,
    risk_aversion: np.ndarray,
    thresholds: np.ndarray,
    village: np.ndarray,
    presence: np.ndarray,
    support_of: SupportFn,
    contacts: np.ndarray,
    floor: np.ndarray | None,
    go_home: np.ndarray | float,
    *,
    arrest_k: float,
    crowd_per_officer: float,
    rounding: Rounding,
    activation_threshold: float,
    cascade_rounds: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Who of these supporters is out today (a mask over the given rows).

    Epstein's rule A decides who is willing (police `presence` per village against yesterday's
    crowd there), then `cascade_rounds` synchronous rounds of the threshold rule over
    `support_of` (same-camp contacts; yesterday's crowd counts as out), then each person goes home
    with probability `go_home` (per person: one draw each, so a change elsewhere never reshuffles
    who goes home).
    """
    was = state == _MOBILISED
    crowd = np.bincount(village[was], minlength=len(presence))
    prob = arrest_probability(presence * crowd_per_officer, 1 + crowd, arrest_k, rounding)
    willing = (state != _DETAINED) & activation(drive, risk_aversion, prob[village], activation_threshold)
    mob = was & willing
    for _ in range(cascade_rounds):
        mob = joins(support_of((mob | was).astype(np.float32)), contacts, thresholds, willing, floor)
    mob &= rng.random(len(state)) >= go_home
    return mob


def escalation_state(tension: np.ndarray, state: np.ndarray, tense_threshold: float,
                     detained: np.ndarray | None = None) -> np.ndarray:
    """Calm or tense from tension; the detained stay detained (mobilisation is added on top).
    `detained`: their rows, where the caller has them (else `state` is scanned for them)."""
    new = np.empty(len(tension), dtype=np.int8)
    # CALM = 0, TENSE = 1: the comparison's booleans are those bytes, written straight into `new`
    np.greater_equal(tension, tense_threshold, out=new.view(np.bool_))
    if detained is None:
        detained = np.flatnonzero(state == _DETAINED)
    new[detained] = Escalation.DETAINED
    return new
