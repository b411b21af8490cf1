"""Tokoh masyarakat: religious, adat and youth leaders who calm or inflame their followers.

UU 7/2012 gives tokoh a formal role in stopping violence, and police "cooling system" work runs
through them (docs/ODD.md §7.15). A calming tokoh joins mediation and counter-hoax messaging and
so reaches their followers; an inflaming one raises followers' tension on days of high stakes.
What they do to their followers' tension is `simulation.dynamics.mediation.tokoh_effect`, decided
for all tokoh at once each day.
"""

from __future__ import annotations

import mesa
import numpy as np

KINDS = ("agama", "adat", "pemuda")


class Tokoh(mesa.Agent):
    """One leader with their followers (villager rows)."""

    def __init__(self, model: mesa.Model, index: int, village: int, kind: str, inflaming: bool, followers: np.ndarray,
                 group: int = 0):
        super().__init__(model)
        self.group = group  # the identity group (suku) of most of the followers: the tokoh's community (§7.25)
        self.index = index
        self.village = village
        self.kind = kind
        self.inflaming = inflaming
        self.followers = followers

    @property
    def engaged_days(self) -> int:
        """Days this calming tokoh joined a mediation in their village."""
        return int(self.model.tokoh_engaged_days(self.index))
