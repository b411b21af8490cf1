"""Village alert levels AMAN -> WASPADA -> SIAGA -> AWAS, from observable state.

The index summarises what a Kades or Bhabinkamtibmas could see in a village: how tense people are,
how many are out in crowds, how many pass on hoaxes, and whether there was an incident lately:

    x_v = w_t * mean tension + w_m * mobilised share + w_s * spreader share
    level = number of cut-offs c_1 < c_2 < c_3 that x_v reaches; AWAS within `recent_incident_days`
    of an incident

Defaults w = (1, 20, 0.25), c = (0.2, 0.28, 0.45), 3 days: all assumed (scenario table `[alerts]`,
docs/ODD.md §7.8), calibrated as an early-warning system (docs/WARNINGS.md). Officials read x with
an error, by default relative, x·exp(σz), so that a calm village reads calm and a tense one may be
read a level off (`alerts.reading_error`); the pictures show the noise-free level.
"""

from __future__ import annotations

import bisect
import math

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

    def perceive(self, index: float, noise_sd: float, z: float) -> float:
        """The index as an official perceives it, given his noise σ and a standard normal z:
        x·exp(σz) under relative error (never below 0; a village at 0 reads 0), x + σz under
        absolute error (the rule before docs/WARNINGS.md)."""
        if self.params.reading_error == "relative":
            return index * math.exp(noise_sd * z)
        return index + noise_sd * z

    def observe(self, index: float, noise_sd: float, z: float, days_since_incident: int) -> int:
        """An official's level for one village: his perceived index, and the incident rule."""
        return self.read(self.perceive(index, noise_sd, z), days_since_incident)

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
