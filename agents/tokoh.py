"""Tokoh masyarakat: religious, adat and youth leaders who calm or inflame their followers.

UU 7/2012 gives tokoh a formal role in stopping violence, and police "cooling system" work runs
through them (DOMAIN §1, §7.2). A calming tokoh joins mediation and counter-hoax messaging and so
reaches their followers; an inflaming one raises followers' tension on days of high stakes.
"""

from __future__ import annotations

import mesa
import numpy as np

KINDS = ("agama", "adat", "pemuda")
INFLAME_GAIN = 0.03  # assumed daily tension added to followers of an inflaming tokoh, x stakes


def daily_effect(inflaming: np.ndarray, mediation_at_home: np.ndarray, stakes: float, relief: float) -> np.ndarray:
    """Per tokoh: the tension each of their followers gets today. An inflaming tokoh adds
    INFLAME_GAIN x stakes; a calming one, when their village is being mediated, takes off half the
    mediation relief again (their followers hear it from someone they trust)."""
    calming = np.where(mediation_at_home > 0, -0.5 * relief * mediation_at_home, 0.0)
    return np.where(inflaming, INFLAME_GAIN * stakes, calming)


class Tokoh(mesa.Agent):
    """One leader; `daily_effect` decides for all tokoh at once, and the model applies it to the
    followers of the tokoh active that day."""

    def __init__(self, model: mesa.Model, index: int, village: int, kind: str, inflaming: bool, followers: np.ndarray):
        super().__init__(model)
        self.index = index
        self.village = village
        self.kind = kind
        self.inflaming = inflaming
        self.followers = followers

    @property
    def engaged_days(self) -> int:
        """Days this calming tokoh joined a mediation in their village."""
        return int(self.model.tokoh_engaged_days[self.index])
