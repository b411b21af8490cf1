"""Village alert levels AMAN -> WASPADA -> SIAGA -> AWAS, from observable state.

The index summarises what a Kades or Bhabinkamtibmas could see in a village: how tense people are,
how many are out in crowds, how many pass on hoaxes, and whether there was an incident lately:

    x_v = w_t * mean tension + w_m * mobilised share + w_s * spreader share
    level = number of cut-offs c_1 < c_2 < c_3 that x_v reaches; AWAS within `recent_incident_days`
    of an incident

Defaults w = (1, 2, 0.5), c = (0.2, 0.3, 0.45), 3 days: all assumed (scenario table `[alerts]`,
docs/ODD.md §7.8). Officials see x plus Gaussian noise; the pictures show it noise-free.
"""

from __future__ import annotations

import bisect

import numpy as np

from common.levels import ALERT_LEVELS, AMAN, AWAS, SIAGA, WASPADA, level_of
from scenarios.schema import AlertParams

__all__ = ["ALERT_LEVELS", "AMAN", "AWAS", "SIAGA", "WASPADA", "AlertScale", "level_of"]


class AlertScale:
    """The scenario's alert index and cut-offs, in both shapes officials and kernels need."""

    def __init__(self, params: AlertParams):
        self.params = params
        self.cutoffs = np.array(params.cutoffs, dtype=np.float64)
        self._cutoff_list = [float(c) for c in params.cutoffs]
        self.recent_days = params.recent_incident_days

    def index(self, mean_tension: np.ndarray, mobilised_share: np.ndarray, spreader_share: np.ndarray) -> np.ndarray:
        a = self.params
        x = mean_tension * a.tension_weight if a.tension_weight != 1.0 else mean_tension
        return x + a.mobilised_weight * mobilised_share + a.spreader_weight * spreader_share

    def read(self, index: float, days_since_incident: int) -> int:
        """One official's reading of one village: the scalar twin of `levels` (officials read one
        village at a time; plain Python is much cheaper than numpy for a single value)."""
        if days_since_incident < self.recent_days:
            return AWAS
        return bisect.bisect_right(self._cutoff_list, index)

    def levels(self, index: np.ndarray, days_since_incident: np.ndarray | None = None) -> np.ndarray:
        lv = np.searchsorted(self.cutoffs, index, side="right").astype(np.int8)
        if days_since_incident is not None:
            lv[days_since_incident < self.recent_days] = AWAS
        return lv
