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


class Tokoh(mesa.Agent):
    def __init__(self, model: mesa.Model, village: int, kind: str, inflaming: bool, followers: np.ndarray):
        super().__init__(model)
        self.village = village
        self.kind = kind
        self.inflaming = inflaming
        self.followers = followers
        self.engaged_days = 0

    def influence(self, stakes: float, mediation: float, inputs: np.ndarray) -> None:
        """Add this tokoh's effect on followers' tension to today's `inputs` (in place)."""
        if self.inflaming:
            inputs[self.followers] += INFLAME_GAIN * stakes
        elif mediation > 0:
            inputs[self.followers] -= self.model.spec.dynamics.tension.mediation_relief * mediation * 0.5
            self.engaged_days += 1
