"""Village alert levels AMAN -> WASPADA -> SIAGA -> AWAS, from observable state.

The index summarises what a Kades or Bhabinkamtibmas could see in a village: how tense people are,
how many are out in crowds, how many pass on hoaxes, and whether there was an incident lately:

    x_v = mean tension + 2 * mobilised share + 0.5 * spreader share   (AWAS if an incident in 3 days)

Levels: WASPADA at x >= 0.2, SIAGA at x >= 0.3, AWAS at x >= 0.45. The weights and cut-offs are
assumed (docs/ODD.md §7.8); officials see x plus Gaussian noise, the pictures show it noise-free.
"""

from __future__ import annotations

import bisect

import numpy as np

from scenarios.schema import ALERT_LEVELS

AMAN, WASPADA, SIAGA, AWAS = range(4)
CUTOFFS = np.array([0.2, 0.3, 0.45])
_CUTOFF_LIST = CUTOFFS.tolist()
RECENT_INCIDENT_DAYS = 3


def level_of(name: str) -> int:
    return ALERT_LEVELS.index(name)


def alert_index(mean_tension: np.ndarray, mobilised_share: np.ndarray, spreader_share: np.ndarray) -> np.ndarray:
    return mean_tension + 2.0 * mobilised_share + 0.5 * spreader_share


def read_level(index: float, days_since_incident: int) -> int:
    """One official's reading of one village: the scalar twin of `levels` (officials read one
    village at a time; plain Python is much cheaper than numpy for a single value)."""
    if days_since_incident < RECENT_INCIDENT_DAYS:
        return AWAS
    return bisect.bisect_right(_CUTOFF_LIST, index)


def levels(index: np.ndarray, days_since_incident: np.ndarray | None = None) -> np.ndarray:
    lv = np.searchsorted(CUTOFFS, index, side="right").astype(np.int8)
    if days_since_incident is not None:
        lv[days_since_incident < RECENT_INCIDENT_DAYS] = AWAS
    return lv
