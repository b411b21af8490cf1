"""Polling-station gatherings: voting day brings rival supporters together at the TPS.

On voting day every voter who turns out spends part of the day at the TPS of their village, where
the vote is cast and, the same afternoon, counted in public (PKPU 2/2024 [D10]). Camps that meet
only through rallies and WhatsApp for sixty days of campaign now stand in the same queue and watch
the same count. Two effects, both only on the voting day:

1. **Co-location of supporters.** A supporter who turned out is among their own camp's voters at
   the TPS; like a rally, this counts as support for joining a crowd:

       S_i <- max(S_i, sigma_tps * 1[i voted today])                         (mobilisation, §7.5)

   so supporters with a low threshold (theta_i <= sigma_tps) who are willing (Epstein's rule A,
   which still weighs the police present) come out. sigma_tps = `tps_support` is assumed.

2. **Security at the TPS.** Polri officers posted at the polling stations add to the village's
   deterrent presence and arrest capacity for the day:

       n_tps_v  = ceil(voters_v / voters_per_tps)
       extra_v  = police_per_tps * n_tps_v

   voters_per_tps 406 (Kecamatan Kepahiang: 37,370 voters in 92 TPS, derived [D6]) and
   police_per_tps 0.66 (about 3.3 security personnel per TPS of whom about 0.66 Polri, derived
   from Polda Metro Jaya and Kab. Malang deployments, docs/ODD.md [D29]). Linmas and TNI at the TPS are not
   counted: they neither arrest (UU 7/2012 gives Polri the task) nor, in this model, deter.

Nothing here draws random numbers: attendance is the turnout already drawn by the election.
"""

from __future__ import annotations

import numpy as np


def tps_count(voters: np.ndarray, voters_per_tps: float) -> np.ndarray:
    """Polling stations per village: enough for every registered voter (at least one)."""
    return np.maximum(np.ceil(np.asarray(voters, dtype=np.float64) / voters_per_tps), 1.0)


def tps_police(voters: np.ndarray, voters_per_tps: float, police_per_tps: float) -> np.ndarray:
    """Polri officers posted at the village's polling stations on voting day."""
    return police_per_tps * tps_count(voters, voters_per_tps)


def gathering_support(voted: np.ndarray, tps_support: float) -> np.ndarray:
    """Support share felt at the TPS by each person (0 for those who did not turn out)."""
    return np.where(voted, np.float32(tps_support), np.float32(0.0))
